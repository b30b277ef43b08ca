//! Which policies select at least the pods of which other policies, decided on the
//! manifests once per run (set rules ask it for every pair of policies).
//!
//! Policies are grouped into *selector classes*: the policies of one namespace whose
//! podSelectors have the same canonical terms. Coverage is a relation between
//! classes, so its size grows with the distinct selectors of a namespace, never with
//! the number of similar policies.

use alloc::vec::Vec;

use crate::first_seen::first_seen_ids_by_hash;
use crate::lint::namespace_ids::namespace_hash;
use crate::lint::walk::{terms_hash, terms_superset};
use crate::model::{CanonicalTerms, Model};

/// For each policy, the policies of its namespace whose podSelector selects at least
/// the same pods (see [`crate::lint::walk::selects_superset`]), by class.
pub struct Coverage {
    /// Per policy: its class.
    class_of: Vec<usize>,
    /// Per class: the classes (its own included) whose selector selects at least
    /// its pods, ascending.
    covering_classes: Vec<Vec<usize>>,
}

impl Coverage {
    /// Computes the coverage of `model`'s policies, whose namespaces' ids
    /// `policy_namespaces` gives (quadratic in the distinct selectors of a
    /// namespace, on selectors put in a canonical form once).
    pub fn new(model: &Model, policy_namespaces: &[Option<u32>]) -> Coverage {
        let namespace = |at: usize| policy_namespaces.get(at).copied().flatten();
        let terms: Vec<CanonicalTerms<'_>> = model
            .policies
            .iter()
            .map(|p| p.pod_selector.canonical_terms())
            .collect();
        let hashes: Vec<u64> = terms
            .iter()
            .enumerate()
            .map(|(at, t)| terms_hash(t, namespace_hash(namespace(at))))
            .collect();
        let (ids, firsts) = first_seen_ids_by_hash(&hashes, &mut |a, b| {
            namespace(a) == namespace(b) && terms.get(a) == terms.get(b)
        });
        let class_terms = |class: usize| firsts.get(class).and_then(|&at| terms.get(at));
        // The classes by namespace, each namespace's in ascending order.
        let mut by_namespace: Vec<(Option<u32>, usize)> = firsts
            .iter()
            .enumerate()
            .map(|(class, &at)| (namespace(at), class))
            .collect();
        by_namespace.sort_unstable();
        let mut covering_classes = alloc::vec![Vec::new(); firsts.len()];
        for group in by_namespace.chunk_by(|a, b| a.0 == b.0) {
            for &(_, narrow) in group {
                let (Some(n), Some(list)) = (class_terms(narrow), covering_classes.get_mut(narrow))
                else {
                    continue;
                };
                list.extend(
                    group
                        .iter()
                        .map(|&(_, broad)| broad)
                        .filter(|&broad| class_terms(broad).is_some_and(|b| terms_superset(b, n))),
                );
            }
        }
        Coverage {
            class_of: ids.iter().map(|&id| id as usize).collect(),
            covering_classes,
        }
    }

    /// The class of policy `index` (policies of one namespace with the same
    /// podSelector share one).
    pub fn class_of(&self, index: usize) -> usize {
        self.class_of.get(index).copied().unwrap_or(usize::MAX)
    }

    /// How many classes there are (class ids are `0..class_count()`).
    pub fn class_count(&self) -> usize {
        self.covering_classes.len()
    }

    /// The classes whose policies select at least the pods of policy `narrow`'s
    /// class, its own class included, ascending.
    pub fn covering_classes(&self, narrow: usize) -> &[usize] {
        self.covering_classes
            .get(self.class_of(narrow))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the policies of class `broad` select at least the pods of the
    /// policies of class `narrow`.
    pub fn class_covers(&self, broad: usize, narrow: usize) -> bool {
        self.covering_classes
            .get(narrow)
            .is_some_and(|classes| classes.binary_search(&broad).is_ok())
    }

    /// Whether policy `broad` selects at least the pods of policy `narrow` (always
    /// for `broad == narrow`).
    pub fn covers(&self, broad: usize, narrow: usize) -> bool {
        broad == narrow || self.class_covers(self.class_of(broad), self.class_of(narrow))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode;
    use crate::doc::Limits;
    use crate::source::{Source, SourceSet};
    use alloc::string::String;

    fn policy(ns: &str, name: &str, selector: &str) -> String {
        alloc::format!(
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  podSelector: {selector}\n  policyTypes: [Ingress]\n"
        )
    }

    fn coverage_of(yaml: &str) -> Coverage {
        let mut sources = SourceSet::new();
        sources.add(Source::new("p.yaml", yaml));
        let loaded = decode::load(&sources, &Limits::default());
        let engine = crate::engine::Engine::new(&loaded.model);
        let namespaces = crate::lint::namespace_ids::policy_namespace_ids(&engine, &loaded.model);
        Coverage::new(&loaded.model, &namespaces)
    }

    #[test]
    fn similar_policies_share_a_class_and_cover_each_other() {
        let yaml = [
            policy("a", "all", "{}"),
            policy("a", "web-1", "{matchLabels: {app: web}}"),
            policy("a", "web-2", "{matchLabels: {app: web}}"),
            policy("a", "web-tier", "{matchLabels: {app: web, tier: front}}"),
            policy("b", "web", "{matchLabels: {app: web}}"),
        ]
        .concat();
        let coverage = coverage_of(&yaml);
        assert_eq!(coverage.class_count(), 4);
        assert_eq!(coverage.class_of(1), coverage.class_of(2));
        let (all, web, tier) = (
            coverage.class_of(0),
            coverage.class_of(1),
            coverage.class_of(3),
        );
        assert_eq!(coverage.covering_classes(1), [all, web]);
        assert_eq!(coverage.covering_classes(3), [all, web, tier]);
        assert_eq!(coverage.covering_classes(0), [all]);
        assert_eq!(
            coverage.covering_classes(4),
            [coverage.class_of(4)],
            "another namespace"
        );
        assert!(coverage.covers(1, 3) && !coverage.covers(3, 1));
        assert!(coverage.covers(2, 2) && !coverage.covers(4, 1));
    }

    #[test]
    fn expressions_cover_only_the_same_expressions() {
        let yaml = [
            policy(
                "a",
                "in",
                "{matchExpressions: [{key: app, operator: In, values: [blue, green]}]}",
            ),
            policy(
                "a",
                "in-again",
                "{matchExpressions: [{key: app, operator: In, values: [green, blue]}]}",
            ),
            policy("a", "labels", "{matchLabels: {app: blue}}"),
        ]
        .concat();
        let coverage = coverage_of(&yaml);
        assert!(coverage.covers(0, 1) && coverage.covers(1, 0));
        assert!(!coverage.covers(0, 2) && !coverage.covers(2, 0));
    }
}
