//! Which policies select at least the pods of which other policies, decided on the
//! manifests once per run (set rules ask it for every pair of policies).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::model::{CanonicalTerms, Model};

/// For each policy, the other policies of its namespace whose podSelector selects at
/// least the same pods (see [`crate::lint::walk::selects_superset`]).
pub struct Coverage {
    covering: Vec<Vec<usize>>,
}

impl Coverage {
    /// Computes the coverage of `model`'s policies (quadratic per namespace, on
    /// selectors put in a canonical form once).
    pub fn new(model: &Model) -> Coverage {
        let terms: Vec<CanonicalTerms<'_>> = model
            .policies
            .iter()
            .map(|p| p.pod_selector.canonical_terms())
            .collect();
        let mut by_namespace: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, p) in model.policies.iter().enumerate() {
            by_namespace
                .entry(p.meta.namespace_name())
                .or_default()
                .push(i);
        }
        let mut covering = alloc::vec![Vec::new(); model.policies.len()];
        for group in by_namespace.values() {
            for &narrow in group {
                let (Some(n), Some(list)) = (terms.get(narrow), covering.get_mut(narrow)) else {
                    continue;
                };
                list.extend(
                    group
                        .iter()
                        .copied()
                        .filter(|&broad| broad != narrow)
                        .filter(|&broad| terms.get(broad).is_some_and(|b| terms_superset(b, n))),
                );
            }
        }
        Coverage { covering }
    }

    /// The other policies that select at least the pods of policy `narrow`.
    pub fn covering(&self, narrow: usize) -> &[usize] {
        self.covering.get(narrow).map_or(&[], Vec::as_slice)
    }

    /// Whether policy `broad` selects at least the pods of policy `narrow` (always
    /// for `broad == narrow`).
    pub fn covers(&self, broad: usize, narrow: usize) -> bool {
        broad == narrow || self.covering(narrow).contains(&broad)
    }
}

/// [`crate::lint::walk::selects_superset`] on canonical terms.
fn terms_superset(broad: &CanonicalTerms<'_>, narrow: &CanonicalTerms<'_>) -> bool {
    let (labels, expressions) = broad;
    if labels.is_empty() && expressions.is_empty() {
        return true;
    }
    if !expressions.is_empty() {
        return broad == narrow;
    }
    labels.iter().all(|l| narrow.0.binary_search(l).is_ok())
}
