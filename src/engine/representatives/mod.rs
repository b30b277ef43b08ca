//! Representative endpoints: pods derived from the selectors where the input holds
//! policies but no Pods or workloads for a namespace.
//!
//! Most policy repositories keep policies apart from workloads. Without pods, a
//! matrix would show nothing allowed and a query would find no endpoint. So, per
//! namespace that holds no Pod and no workload, every distinct set of labels the
//! policies select there becomes one pod, named `{k=v,k=v}` (labels sorted; id
//! `ns/{k=v,k=v}`) and marked [`Pod::representative`]:
//!
//! - the `podSelector` of each policy of the namespace;
//! - the `podSelector` of each peer without `namespaceSelector` of those policies;
//! - the `podSelector` (the empty selector when absent) of each peer whose
//!   `namespaceSelector` matches the namespace.
//!
//! The namespaces are those declared (with their labels), those policies live in,
//! and those a `namespaceSelector` names with `kubernetes.io/metadata.name`
//! (`matchLabels`, or `In` values); each carries `kubernetes.io/metadata.name`.
//! Labels are chosen as `choose::labels_for` documents; a selector no pod can
//! satisfy yields none, and the empty selector yields a pod without labels. A
//! namespace with a real Pod or workload never gets representative pods.
//!
//! A representative pod answers exactly as a real pod with those labels (no IP, no
//! container ports) would: the engine evaluates it like any other pod.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::model::{
    Direction, LabelSelector, Labels, Model, NetworkPolicy, ObjectMeta, Operator, Peer, Pod,
    Spanned, NAMESPACE_NAME_LABEL,
};
use crate::sorted::{SortedMap, SortedSet};

mod choose;
mod name;

pub use name::{canonical_name, pod_name};

/// The policy that first selected a set of labels (the representative's metadata
/// points at it).
type Origin<'m> = &'m ObjectMeta;

/// Per namespace and label set the policies select there, its origin.
type LabelSets<'m> = SortedMap<(String, Labels), Origin<'m>>;

/// `model` with representative pods added where it holds policies but no Pods or
/// workloads for a namespace; `model` itself (borrowed) when none are needed.
pub fn complete(model: &Model) -> Cow<'_, Model> {
    add_pods(model, &label_sets(model, &occupied(model)))
}

/// Both sides of a comparison completed with the same representatives: the label
/// sets the policies of either side select, added to each side's namespaces that
/// hold no Pods or workloads there, so that an endpoint does not appear or vanish
/// only because a policy changed.
pub fn complete_pair<'a>(base: &'a Model, head: &'a Model) -> (Cow<'a, Model>, Cow<'a, Model>) {
    // Of entries with the same key the last one stays: base's origins win.
    let none = SortedSet::default();
    let sets: LabelSets<'_> = label_sets(head, &none)
        .into_iter()
        .chain(label_sets(base, &none))
        .collect();
    (add_pods(base, &sets), add_pods(head, &sets))
}

/// Whether `model` holds representative pods.
pub fn uses_representatives(model: &Model) -> bool {
    model.pods.iter().any(|p| p.representative)
}

/// `model` plus one representative pod per label set of a namespace without Pods or
/// workloads.
fn add_pods<'m>(model: &'m Model, sets: &LabelSets<'_>) -> Cow<'m, Model> {
    let occupied = occupied(model);
    let pods: Vec<Pod> = sets
        .iter()
        .filter(|((namespace, _), _)| !occupied.contains(namespace.as_str()))
        .map(|((namespace, labels), origin)| representative(namespace, labels, origin))
        .collect();
    if pods.is_empty() {
        return Cow::Borrowed(model);
    }
    let mut completed = model.clone();
    completed.pods.extend(pods);
    Cow::Owned(completed)
}

/// The namespaces holding a (real) Pod or a workload: they never get representatives.
fn occupied(model: &Model) -> SortedSet<&str> {
    model
        .pods
        .iter()
        .filter(|p| !p.representative)
        .map(|p| p.meta.namespace_name())
        .chain(model.workloads.iter().map(|w| w.meta.namespace_name()))
        .collect()
}

/// The representative pod with `labels` in `namespace`, pointing at `origin`.
fn representative(namespace: &str, labels: &Labels, origin: &ObjectMeta) -> Pod {
    let span = origin.span;
    Pod {
        meta: ObjectMeta {
            source: origin.source,
            span,
            api_version: "v1".into(),
            kind: "Pod".into(),
            name: Spanned::new(pod_name(labels), span),
            namespace: Some(Spanned::new(namespace.into(), span)),
            labels: labels.clone(),
            annotations: Labels::new(),
        },
        ports: Vec::new(),
        ips: Vec::new(),
        host_network: false,
        controller: None,
        representative: true,
    }
}

/// Every label set the policies of `model` select, per namespace, except in the
/// namespaces of `skipped` (those that get no representatives).
fn label_sets<'m>(model: &'m Model, skipped: &SortedSet<&str>) -> LabelSets<'m> {
    let namespaces: Vec<(String, Labels)> = known_namespaces(model)
        .into_iter()
        .filter(|(name, _)| !skipped.contains(name.as_str()))
        .collect();
    let mut sets: Vec<((String, Labels), Origin<'m>)> = Vec::new();
    let mut record = |namespace: &str, selector: Option<&LabelSelector>, origin: Origin<'m>| {
        if !skipped.contains(namespace) {
            insert(&mut sets, namespace, selector, origin);
        }
    };
    for policy in &model.policies {
        let own = policy.meta.namespace_name();
        record(own, Some(&policy.pod_selector), &policy.meta);
        for peer in peers(policy) {
            let Peer::Selectors {
                pods,
                namespaces: selector,
                ..
            } = peer
            else {
                continue;
            };
            match selector {
                None => record(own, pods.as_ref(), &policy.meta),
                Some(selector) => {
                    for (name, labels) in &namespaces {
                        if selector.matches(labels) {
                            record(name, pods.as_ref(), &policy.meta);
                        }
                    }
                }
            }
        }
    }
    // Of entries with the same key the last one stays: reversed, the first origin.
    sets.reverse();
    sets.into_iter().collect()
}

/// Records the labels a representative of `selector` carries in `namespace` (an
/// absent selector is the empty one: every pod).
fn insert<'m>(
    sets: &mut Vec<((String, Labels), Origin<'m>)>,
    namespace: &str,
    selector: Option<&LabelSelector>,
    origin: Origin<'m>,
) {
    let labels = selector.map_or(Some(Labels::new()), choose::labels_for);
    if let Some(labels) = labels {
        sets.push(((namespace.into(), labels), origin));
    }
}

/// Every peer of both directions of `policy`.
fn peers(policy: &NetworkPolicy) -> impl Iterator<Item = &Peer> {
    [Direction::Ingress, Direction::Egress]
        .into_iter()
        .flat_map(|d| policy.rules(d))
        .filter_map(|rule| rule.peers.as_ref())
        .flat_map(|peers| peers.value.iter())
}

/// The namespaces the input declares or names, with their effective labels.
fn known_namespaces(model: &Model) -> SortedMap<String, Labels> {
    let named = model
        .policies
        .iter()
        .flat_map(|policy| {
            let selectors = peers(policy).filter_map(|peer| match peer {
                Peer::Selectors { namespaces, .. } => namespaces.as_ref(),
                Peer::IpBlock(_) => None,
            });
            core::iter::once(policy.meta.namespace_name())
                .chain(selectors.flat_map(names_in_selector))
        })
        .collect::<SortedSet<&str>>();
    // Of entries with the same name the last one stays: the names, then the
    // declarations from last to first, so the first declaration wins.
    let named = named.into_iter().map(|name| {
        let mut labels = Labels::new();
        labels.insert(NAMESPACE_NAME_LABEL, name);
        (String::from(name), labels)
    });
    let declared = model.namespaces.iter().rev().map(|ns| {
        let mut labels = ns.meta.labels.clone();
        labels.insert(NAMESPACE_NAME_LABEL, ns.meta.name.value.as_str());
        (ns.meta.name.value.clone(), labels)
    });
    named.chain(declared).collect()
}

/// The namespace names a selector writes with `kubernetes.io/metadata.name`.
fn names_in_selector(selector: &LabelSelector) -> impl Iterator<Item = &str> {
    let from_labels = selector
        .match_labels
        .iter()
        .filter(|(k, _)| k.value == NAMESPACE_NAME_LABEL)
        .map(|(_, v)| v.value.as_str());
    let from_expressions = selector
        .match_expressions
        .iter()
        .filter(|r| r.key.value == NAMESPACE_NAME_LABEL && r.operator.value == Operator::In)
        .flat_map(|r| r.values.iter().map(|v| v.value.as_str()));
    from_labels
        .chain(from_expressions)
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests;
