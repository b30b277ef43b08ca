//! Groups: the endpoints of a namespace that share their role labels, which is all a
//! pod selector can tell apart.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::engine::{EndpointId, Engine};
use crate::model::Labels;

/// Labels that controllers add per pod or per revision: they say which replica or
/// version a pod is, not what it does, so selectors never use them.
const INSTANCE_LABELS: [&str; 7] = [
    "pod-template-hash",
    "controller-revision-hash",
    "pod-template-generation",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "controller-uid",
    "batch.kubernetes.io/controller-uid",
];

/// The labels of `labels` that say what a pod is (without the per-instance ones).
pub fn role_labels(labels: &Labels) -> Labels {
    labels
        .iter()
        .filter(|(key, _)| !INSTANCE_LABELS.contains(key))
        .collect()
}

/// The endpoints of the engine by namespace and role labels.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    /// `(namespace, role labels)` → the endpoints, in id order.
    pub members: BTreeMap<(String, Labels), Vec<EndpointId>>,
    /// Per endpoint (by index): its group key.
    pub of: Vec<(String, Labels)>,
    /// Per endpoint (by index): the rank of its group among the keys of `members`
    /// (their order).
    ranks: Vec<usize>,
    /// Per group (by rank): its role labels and endpoints.
    ranked: Vec<(Labels, Vec<EndpointId>)>,
    /// Namespace → the ranks of its groups (`start..end`).
    spans: BTreeMap<String, (usize, usize)>,
}

impl Groups {
    /// Groups every endpoint of `engine`.
    pub fn new(engine: &Engine<'_>) -> Groups {
        let mut groups = Groups::default();
        for (i, endpoint) in engine.endpoints().iter().enumerate() {
            let key = (
                String::from(endpoint.namespace),
                role_labels(endpoint.labels),
            );
            groups
                .members
                .entry(key.clone())
                .or_default()
                .push(EndpointId::from_index(i));
            groups.of.push(key);
        }
        let mut ranks = alloc::vec![usize::MAX; groups.of.len()];
        for (rank, ids) in groups.members.values().enumerate() {
            for id in ids {
                if let Some(slot) = ranks.get_mut(id.index()) {
                    *slot = rank;
                }
            }
        }
        groups.ranks = ranks;
        for (rank, ((namespace, labels), ids)) in groups.members.iter().enumerate() {
            groups.ranked.push((labels.clone(), ids.clone()));
            let span = groups
                .spans
                .entry(namespace.clone())
                .or_insert((rank, rank));
            span.1 = rank + 1;
        }
        groups
    }

    /// The rank of the group of `endpoint` among the group keys in their order, so
    /// that ranks order as the keys do.
    pub fn rank(&self, endpoint: EndpointId) -> Option<usize> {
        self.ranks.get(endpoint.index()).copied()
    }

    /// The group key of `endpoint`.
    pub fn key(&self, endpoint: EndpointId) -> Option<&(String, Labels)> {
        self.of.get(endpoint.index())
    }

    /// The endpoints of `namespace` that a selector of `labels` matches (every
    /// endpoint whose labels include them), in id order.
    pub fn selected<'g>(
        &'g self,
        namespace: &'g str,
        labels: &'g Labels,
    ) -> impl Iterator<Item = EndpointId> + 'g {
        let (start, end) = self.spans.get(namespace).copied().unwrap_or((0, 0));
        self.ranked
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .filter(move |(have, _)| {
                labels
                    .iter()
                    .all(|(k, v)| have.get(k).is_some_and(|h| h == v))
            })
            .flat_map(|(_, members)| members.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use alloc::format;

    use super::*;
    use crate::api::{SourceFile, Workspace};
    use crate::engine::EndpointRef;
    use crate::lint::Config;

    const PODS: &str = "\
apiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: a, labels: {app: web, pod-template-hash: x1}}\n---\n\
apiVersion: v1\nkind: Pod\nmetadata: {name: api-1, namespace: a, labels: {app: api, tier: back}}\n---\n\
apiVersion: v1\nkind: Pod\nmetadata: {name: web-2, namespace: a, labels: {app: web, pod-template-hash: y2}}\n---\n\
apiVersion: v1\nkind: Pod\nmetadata: {name: api-2, namespace: a, labels: {app: api}}\n---\n\
apiVersion: v1\nkind: Pod\nmetadata: {name: job, namespace: b, labels: {app: job}}\n";

    fn names(engine: &Engine<'_>, ids: impl Iterator<Item = EndpointId>) -> Vec<String> {
        ids.map(|id| engine.display(&EndpointRef::Endpoint(id)))
            .collect()
    }

    #[test]
    fn ranks_follow_the_order_of_the_group_keys() {
        let workspace = Workspace::load([SourceFile::text("pods.yaml", PODS)], Config::default());
        let engine = workspace.engine();
        let groups = Groups::new(&engine);
        let keys: Vec<&(String, Labels)> = groups.members.keys().collect();
        assert_eq!(keys.len(), 4);
        for i in 0..engine.endpoints().len() {
            let id = EndpointId::from_index(i);
            let rank = groups.rank(id).unwrap();
            assert_eq!(Some(keys[rank]), groups.key(id), "{i}");
        }
        let rank = |name: &str| match engine.resolve(name).unwrap() {
            EndpointRef::Endpoint(id) => groups.rank(id).unwrap(),
            EndpointRef::External(_) => panic!("{name} is a pod"),
        };
        // The replicas share a group; groups rank by namespace, then labels.
        assert_eq!(rank("a/web-1"), rank("a/web-2"));
        assert!(rank("a/api-2") < rank("a/api-1"));
        assert!(rank("a/web-1") < rank("b/job"));
        assert_eq!(groups.rank(EndpointId::from_index(99)), None);
    }

    #[test]
    fn a_selector_selects_the_groups_of_its_namespace_that_carry_its_labels() {
        let workspace = Workspace::load([SourceFile::text("pods.yaml", PODS)], Config::default());
        let engine = workspace.engine();
        let groups = Groups::new(&engine);
        let selected = |namespace: &str, labels: &[(&str, &str)]| {
            let labels = Labels::from_iter(labels.iter().copied());
            names(&engine, groups.selected(namespace, &labels))
        };
        assert_eq!(selected("a", &[("app", "api")]), ["a/api-2", "a/api-1"]);
        assert_eq!(
            selected("a", &[("app", "api"), ("tier", "back")]),
            ["a/api-1"]
        );
        assert_eq!(selected("a", &[("app", "web")]), ["a/web-1", "a/web-2"]);
        assert_eq!(selected("a", &[]).len(), 4);
        assert_eq!(selected("b", &[]), ["b/job"]);
        assert_eq!(selected("b", &[("app", "web")]), Vec::<String>::new());
        assert_eq!(selected("c", &[]), Vec::<String>::new());
        assert_eq!(format!("{:?}", selected("a", &[("app", "db")])), "[]");
    }
}
