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
        groups
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
        self.members
            .range((String::from(namespace), Labels::new())..)
            .take_while(move |((ns, _), _)| ns == namespace)
            .filter(move |((_, have), _)| {
                labels
                    .iter()
                    .all(|(k, v)| have.get(k).is_some_and(|h| h == v))
            })
            .flat_map(|(_, members)| members.iter().copied())
    }
}
