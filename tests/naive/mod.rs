//! A deliberately naive NetworkPolicy evaluator, written from `docs/spec/semantics.md` alone.
//!
//! It is the reference the fast engine is tested against, so it trades every
//! optimisation for obviousness: each verdict loops over every policy, every rule,
//! every peer and every port entry; selectors, CIDR containment, port matching and
//! policyTypes defaulting are implemented here again rather than borrowed from the
//! model's helpers or from the engine.
//!
//! Choices where the specification leaves room (documented so a disagreement with the
//! engine can be judged):
//!
//! - An endpoint talking to itself (same pod, same workload) is always allowed.
//! - Dual stack: a connection uses one IP family; the flow is allowed if some family
//!   allows it. The families tried are those both sides have; when they share none
//!   (the spec is silent), those either has, the side lacking that family taking part
//!   without an address (no ipBlock matches it), as the engine documents; an address
//!   outside the cluster uses its own family only. No address at all: one evaluation
//!   without addresses.
//! - `hostNetwork` is not modelled (the spec reports it, it does not model it).
#![allow(dead_code)]

pub mod cidr;
pub mod compare;
pub mod generate;
pub mod generate_tiers;
pub mod manifest;
pub mod matrix;
pub mod plane;
pub mod select;
pub mod tier_side;
pub mod tiers;

use std::net::IpAddr;

use netpol::model::{Direction, Model, Peer, PolicyType, PortEntry, PortValue, Protocol, Rule};

use plane::Plane;
use select::{namespace_labels, selector_matches};

/// One side of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// `model.pods[i]`.
    Pod(usize),
    /// `model.workloads[i]` (its pod template).
    Workload(usize),
    /// An address outside the cluster.
    External(IpAddr),
}

/// What the evaluator needs to know about an endpoint, gathered in one place.
struct View<'m> {
    /// Namespace name, `None` for an external address.
    namespace: Option<String>,
    /// Pod (or template) labels.
    labels: Option<&'m netpol::model::Labels>,
    /// Container ports.
    ports: &'m [netpol::model::ContainerPort],
    /// Addresses.
    ips: Vec<IpAddr>,
}

fn view<'m>(model: &'m Model, endpoint: &Endpoint) -> View<'m> {
    match endpoint {
        Endpoint::Pod(i) => {
            let pod = &model.pods[*i];
            View {
                namespace: Some(namespace_of(&pod.meta)),
                labels: Some(&pod.meta.labels),
                ports: &pod.ports,
                ips: pod.ips.clone(),
            }
        }
        Endpoint::Workload(i) => {
            let w = &model.workloads[*i];
            View {
                namespace: Some(namespace_of(&w.meta)),
                labels: Some(&w.template_labels),
                ports: &w.ports,
                ips: Vec::new(),
            }
        }
        Endpoint::External(ip) => View {
            namespace: None,
            labels: None,
            ports: &[],
            ips: vec![*ip],
        },
    }
}

/// The namespace of a namespaced object: the one written, else `default`.
pub fn namespace_of(meta: &netpol::model::ObjectMeta) -> String {
    match &meta.namespace {
        Some(ns) => ns.value.clone(),
        None => "default".to_string(),
    }
}

/// The verdict for one flow: `from` → `to` on (`protocol`, `port`), as the APIs
/// define it.
pub fn verdict(
    model: &Model,
    from: &Endpoint,
    to: &Endpoint,
    protocol: Protocol,
    port: u16,
) -> bool {
    verdict_on(model, &Plane::GENERIC, from, to, protocol, port)
}

/// The verdict for one flow on the data plane `plane`.
pub fn verdict_on(
    model: &Model,
    plane: &Plane,
    from: &Endpoint,
    to: &Endpoint,
    protocol: Protocol,
    port: u16,
) -> bool {
    if from == to {
        return true;
    }
    let src = view(model, from);
    let dst = view(model, to);
    for (src_ip, dst_ip) in address_pairs(from, &src.ips, to, &dst.ips) {
        let egress_ok = side_allows(
            model,
            plane,
            Direction::Egress,
            &src,
            &dst,
            dst_ip,
            protocol,
            port,
        );
        let ingress_ok = side_allows(
            model,
            plane,
            Direction::Ingress,
            &dst,
            &src,
            src_ip,
            protocol,
            port,
        );
        if egress_ok && ingress_ok {
            return true;
        }
    }
    false
}

/// The (source address, destination address) pairs a connection may use: per IP
/// family, each side's addresses of that family, or no address when it has none.
/// The families are those both sides have; when they share none, those either has;
/// an address outside the cluster only ever uses its own family.
fn address_pairs(
    from: &Endpoint,
    src: &[IpAddr],
    to: &Endpoint,
    dst: &[IpAddr],
) -> Vec<(Option<IpAddr>, Option<IpAddr>)> {
    let has = |ips: &[IpAddr], v4: bool| ips.iter().any(|ip| ip.is_ipv4() == v4);
    let mut families: Vec<bool> = Vec::new(); // true: IPv4, false: IPv6
    for v4 in [true, false] {
        if has(src, v4) && has(dst, v4) {
            families.push(v4);
        }
    }
    if families.is_empty() {
        for v4 in [true, false] {
            if has(src, v4) || has(dst, v4) {
                families.push(v4);
            }
        }
    }
    for (endpoint, ips) in [(from, src), (to, dst)] {
        if let (Endpoint::External(_), Some(ip)) = (endpoint, ips.first()) {
            families.retain(|v4| *v4 == ip.is_ipv4());
        }
    }
    let of_family = |ips: &[IpAddr], v4: bool| -> Vec<Option<IpAddr>> {
        let some: Vec<Option<IpAddr>> = ips
            .iter()
            .filter(|ip| ip.is_ipv4() == v4)
            .map(|ip| Some(*ip))
            .collect();
        if some.is_empty() {
            vec![None]
        } else {
            some
        }
    };
    let mut pairs = Vec::new();
    if families.is_empty() {
        pairs.push((None, None));
    }
    for v4 in families {
        for s in of_family(src, v4) {
            for d in of_family(dst, v4) {
                pairs.push((s, d));
            }
        }
    }
    pairs
}

/// Whether policyTypes (after defaulting) include `direction`.
pub fn policy_applies(policy: &netpol::model::NetworkPolicy, direction: Direction) -> bool {
    let written: Vec<PolicyType> = match &policy.policy_types {
        Some(types) => types.value.iter().map(|t| t.value).collect(),
        None => Vec::new(),
    };
    if !written.is_empty() {
        let wanted = match direction {
            Direction::Ingress => PolicyType::Ingress,
            Direction::Egress => PolicyType::Egress,
        };
        return written.contains(&wanted);
    }
    match direction {
        Direction::Ingress => true,
        Direction::Egress => match &policy.egress {
            Some(rules) => !rules.value.is_empty(),
            None => false,
        },
    }
}

/// Whether workload `model.workloads[w]` is an endpoint of its own: no Pod of its
/// namespace carries every label of its (non-empty) template. The interface spec
/// says "no Pod objects represent it"; the label rule is the engine's documented one.
pub fn workload_is_endpoint(model: &Model, w: usize) -> bool {
    let workload = &model.workloads[w];
    if workload.template_labels.is_empty() {
        return true;
    }
    let ns = namespace_of(&workload.meta);
    !model.pods.iter().any(|pod| {
        namespace_of(&pod.meta) == ns
            && workload
                .template_labels
                .iter()
                .all(|(k, v)| pod.meta.labels.get(k) == Some(v))
    })
}

/// Whether some policy selects `endpoint` for `direction` (external addresses never
/// are).
pub fn isolated(model: &Model, endpoint: &Endpoint, direction: Direction) -> bool {
    let v = view(model, endpoint);
    let (Some(ns), Some(labels)) = (&v.namespace, v.labels) else {
        return false;
    };
    model.policies.iter().any(|policy| {
        &namespace_of(&policy.meta) == ns
            && selector_matches(&policy.pod_selector, labels)
            && policy_applies(policy, direction)
    })
}

/// Whether the side of `this` (the selected pod for `direction`) lets the traffic
/// with `other` (at address `other_ip`) through. For ingress `this` is the
/// destination; for egress `other` is.
#[allow(clippy::too_many_arguments)]
fn side_allows(
    model: &Model,
    plane: &Plane,
    direction: Direction,
    this: &View,
    other: &View,
    other_ip: Option<IpAddr>,
    protocol: Protocol,
    port: u16,
) -> bool {
    let (Some(this_ns), Some(this_labels)) = (&this.namespace, this.labels) else {
        return true; // an external address has no policies
    };
    let destination = match direction {
        Direction::Ingress => this,
        Direction::Egress => other,
    };
    let mut isolated = false;
    let mut allowed = false;
    for policy in &model.policies {
        if &namespace_of(&policy.meta) != this_ns {
            continue;
        }
        if !selector_matches(&policy.pod_selector, this_labels) {
            continue;
        }
        if !policy_applies(policy, direction) {
            continue;
        }
        isolated = true;
        let rules: &[Rule] = match direction {
            Direction::Ingress => policy.ingress.as_ref().map_or(&[], |r| &r.value),
            Direction::Egress => policy.egress.as_ref().map_or(&[], |r| &r.value),
        };
        for rule in rules {
            // A data plane that matches no pod by ipBlock sees no pod address.
            let seen_ip = other_ip.filter(|_| plane.blocks_match_pods || other.namespace.is_none());
            let peer_ok = rule_peers_match(model, policy, rule, other, seen_ip);
            let port_ok = rule_ports_match(plane, rule, destination, protocol, port);
            if peer_ok && port_ok {
                allowed = true;
            }
        }
    }
    !isolated || allowed
}

fn rule_peers_match(
    model: &Model,
    policy: &netpol::model::NetworkPolicy,
    rule: &Rule,
    other: &View,
    other_ip: Option<IpAddr>,
) -> bool {
    let peers: &[Peer] = match &rule.peers {
        Some(p) => &p.value,
        None => &[],
    };
    if peers.is_empty() {
        return true;
    }
    let mut any = false;
    for peer in peers {
        if peer_matches(model, policy, peer, other, other_ip) {
            any = true;
        }
    }
    any
}

fn peer_matches(
    model: &Model,
    policy: &netpol::model::NetworkPolicy,
    peer: &Peer,
    other: &View,
    other_ip: Option<IpAddr>,
) -> bool {
    match peer {
        Peer::IpBlock(block) => {
            let Some(ip) = other_ip else { return false };
            if !cidr::contains(&block.cidr.value, &ip) {
                return false;
            }
            for except in &block.except {
                if cidr::contains(&except.value, &ip) {
                    return false;
                }
            }
            true
        }
        Peer::Selectors {
            pods, namespaces, ..
        } => {
            let (Some(ns), Some(labels)) = (&other.namespace, other.labels) else {
                return false; // selectors never match an external address
            };
            let ns_ok = match namespaces {
                Some(sel) => selector_matches(sel, &namespace_labels(model, ns)),
                None => ns == &namespace_of(&policy.meta),
            };
            let pod_ok = match pods {
                Some(sel) => selector_matches(sel, labels),
                None => true,
            };
            ns_ok && pod_ok
        }
    }
}

fn rule_ports_match(
    plane: &Plane,
    rule: &Rule,
    destination: &View,
    protocol: Protocol,
    port: u16,
) -> bool {
    let entries: &[PortEntry] = match &rule.ports {
        Some(p) => &p.value,
        None => &[],
    };
    if entries.is_empty() {
        return true;
    }
    let mut any = false;
    for entry in entries {
        let sctp = entry
            .protocol
            .as_ref()
            .is_some_and(|p| p.value == Protocol::Sctp);
        if sctp && !plane.sctp_entries {
            continue; // the data plane ignores the entry: it allows nothing
        }
        if port_entry_matches(entry, destination, protocol, port) {
            any = true;
        }
    }
    any
}

fn port_entry_matches(
    entry: &PortEntry,
    destination: &View,
    protocol: Protocol,
    port: u16,
) -> bool {
    let entry_protocol = match &entry.protocol {
        Some(p) => p.value,
        None => Protocol::Tcp,
    };
    if entry_protocol != protocol {
        return false;
    }
    match &entry.port {
        None => true,
        Some(value) => match &value.value {
            PortValue::Number(n) => match &entry.end_port {
                Some(end) => *n <= port && port <= end.value,
                None => *n == port,
            },
            PortValue::Name(name) => {
                let mut found = false;
                for cp in destination.ports {
                    if cp.name.as_deref() == Some(name.as_str())
                        && cp.protocol == entry_protocol
                        && cp.port == port
                    {
                        found = true;
                    }
                }
                found
            }
        },
    }
}
