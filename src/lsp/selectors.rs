//! What the cursor is on in a policy, and which namespaces and endpoints a
//! selector matches.

use std::prelude::rust_2021::*;

use crate::engine::{Endpoint, Engine, NamespaceInfo};
use crate::model::{Direction, LabelSelector, Model, NetworkPolicy, Peer, PortValue, Rule};
use crate::source::{SourceId, Span};

/// A place in a policy that hover and definition explain.
#[derive(Clone, Copy, Debug)]
pub enum Target<'m> {
    /// `metadata.name` of the policy.
    PolicyName,
    /// `spec.podSelector`.
    PodSelector,
    /// A peer's `podSelector` (with the peer's `namespaceSelector`, if any).
    PeerPods {
        /// The peer's `podSelector`.
        pods: &'m LabelSelector,
        /// The peer's `namespaceSelector`.
        namespaces: Option<&'m LabelSelector>,
    },
    /// A peer's `namespaceSelector`.
    PeerNamespaces(&'m LabelSelector),
    /// A named port of a rule.
    NamedPort {
        /// The port's name.
        name: &'m str,
        /// The rule's direction.
        direction: Direction,
        /// The rule.
        rule: &'m Rule,
    },
}

/// The policy (its index in `model.policies`) and the place of it at byte `offset`
/// of the source `source`, with the span of that place.
pub fn target_at(
    model: &Model,
    source: SourceId,
    offset: u32,
) -> Option<(usize, Target<'_>, Span)> {
    let (index, policy) = model
        .policies
        .iter()
        .enumerate()
        .find(|(_, p)| p.meta.source == source && contains(p.meta.span, offset))?;
    if contains(policy.meta.name.span, offset) {
        return Some((index, Target::PolicyName, policy.meta.name.span));
    }
    if let Some((target, span)) = rule_target(policy, offset) {
        return Some((index, target, span));
    }
    let selector = &policy.pod_selector;
    (policy.pod_selector_written && contains(selector.span, offset)).then_some((
        index,
        Target::PodSelector,
        selector.span,
    ))
}

fn rule_target(policy: &NetworkPolicy, offset: u32) -> Option<(Target<'_>, Span)> {
    for direction in Direction::BOTH {
        for rule in policy.rules(direction) {
            if !contains(rule.span, offset) {
                continue;
            }
            for entry in rule.port_list() {
                if let Some(port) = &entry.port {
                    if let PortValue::Name(name) = &port.value {
                        if contains(port.span, offset) {
                            let target = Target::NamedPort {
                                name,
                                direction,
                                rule,
                            };
                            return Some((target, port.span));
                        }
                    }
                }
            }
            for peer in rule.peer_list() {
                let Peer::Selectors {
                    pods, namespaces, ..
                } = peer
                else {
                    continue;
                };
                if let Some(selector) = namespaces.as_ref().filter(|s| contains(s.span, offset)) {
                    return Some((Target::PeerNamespaces(selector), selector.span));
                }
                if let Some(selector) = pods.as_ref().filter(|s| contains(s.span, offset)) {
                    let target = Target::PeerPods {
                        pods: selector,
                        namespaces: namespaces.as_ref(),
                    };
                    return Some((target, selector.span));
                }
            }
        }
    }
    None
}

/// Whether the cursor at `offset` is on `span` (its end included: a cursor just
/// after a word is on it).
pub fn contains(span: Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end && span.start < span.end
}

/// The namespaces whose labels `selector` matches.
pub fn namespaces<'e>(engine: &'e Engine<'_>, selector: &LabelSelector) -> Vec<&'e NamespaceInfo> {
    engine
        .namespaces()
        .iter()
        .filter(|ns| selector.matches(&ns.labels))
        .collect()
}

/// The endpoints of the namespaces `in_namespace` accepts whose labels `selector`
/// matches.
pub fn endpoints<'e, 'm>(
    engine: &'e Engine<'m>,
    selector: &LabelSelector,
    in_namespace: impl Fn(&str) -> bool,
) -> Vec<&'e Endpoint<'m>> {
    engine
        .endpoints()
        .iter()
        .filter(|e| in_namespace(e.namespace) && selector.matches(e.labels))
        .collect()
}

/// The endpoints a peer's selectors match (the policy's namespace when it has no
/// `namespaceSelector`).
pub fn peer_endpoints<'e, 'm>(
    engine: &'e Engine<'m>,
    policy: &NetworkPolicy,
    pods: Option<&LabelSelector>,
    namespaces: Option<&LabelSelector>,
) -> Vec<&'e Endpoint<'m>> {
    let every = LabelSelector::everything(Span::default());
    let pods = pods.unwrap_or(&every);
    match namespaces {
        Some(selector) => {
            let names: Vec<&str> = self::namespaces(engine, selector)
                .into_iter()
                .map(|ns| ns.name.as_str())
                .collect();
            endpoints(engine, pods, |ns| names.contains(&ns))
        }
        None => {
            let own = policy.meta.namespace_name();
            endpoints(engine, pods, |ns| ns == own)
        }
    }
}

/// The endpoints on the far side of `rule`'s named port: for ingress the pods the
/// policy selects, for egress the rule's peers (every endpoint when it has none).
pub fn port_owners<'e, 'm>(
    engine: &'e Engine<'m>,
    policy_index: usize,
    direction: Direction,
    rule: &Rule,
    name: &str,
) -> Vec<&'e Endpoint<'m>> {
    let defines = |e: &&Endpoint<'_>| e.ports.iter().any(|p| p.name.as_deref() == Some(name));
    let candidates: Vec<&Endpoint<'m>> = match direction {
        Direction::Ingress => engine
            .selected_endpoints(policy_index)
            .iter()
            .filter_map(|id| engine.endpoint(*id))
            .collect(),
        Direction::Egress if rule.peer_list().is_empty() => engine.endpoints().iter().collect(),
        Direction::Egress => {
            let Some(policy) = engine.model().policies.get(policy_index) else {
                return Vec::new();
            };
            let mut found: Vec<&Endpoint<'m>> = Vec::new();
            for peer in rule.peer_list() {
                if let Peer::Selectors {
                    pods, namespaces, ..
                } = peer
                {
                    for e in peer_endpoints(engine, policy, pods.as_ref(), namespaces.as_ref()) {
                        if !found.iter().any(|f| f.id == e.id) {
                            found.push(e);
                        }
                    }
                }
            }
            found
        }
    };
    candidates.into_iter().filter(defines).collect()
}
