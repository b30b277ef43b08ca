//! Evaluating flows directly against the policies selecting each side.
//!
//! This is the path of queries and of the lint helpers: the selection lists are
//! precomputed per endpoint, and only the rules of the policies selecting a side are
//! looked at. (The matrix has its own class-based path, see `matrix.rs`.)

use super::endpoints::EndpointRef;
use super::ports::{PortSet, ProtocolPorts};
use super::Engine;
use crate::model::{Direction, NetworkPolicy, Peer, PortEntry, PortValue, Protocol, Rule};

mod view;
pub(crate) use view::{families, view, View};

/// Whether `peer` (of a rule of `policy`) matches the other side `other`.
pub(crate) fn peer_matches(policy: &NetworkPolicy, peer: &Peer, other: &View<'_, '_>) -> bool {
    match peer {
        Peer::Selectors {
            pods, namespaces, ..
        } => {
            let (Some(ep), Some(ns)) = (other.ep, other.ns) else {
                return false;
            };
            let ns_ok = match namespaces {
                None => ep.namespace == policy.meta.namespace_name(),
                Some(sel) => sel.matches(&ns.labels),
            };
            ns_ok && pods.as_ref().is_none_or(|sel| sel.matches(ep.labels))
        }
        Peer::IpBlock(block) => other.block_addresses().any(|a| block.contains(&a)),
    }
}

/// Whether `rule`'s peers match `other` (no peers: everything matches).
pub(crate) fn rule_peers_match(policy: &NetworkPolicy, rule: &Rule, other: &View<'_, '_>) -> bool {
    let peers = rule.peer_list();
    peers.is_empty() || peers.iter().any(|p| peer_matches(policy, p, other))
}

/// The port numbers `name` denotes on `dest` for `protocol`.
pub(crate) fn named_ports(dest: &View<'_, '_>, name: &str, protocol: Protocol) -> PortSet {
    let Some(ep) = dest.ep else {
        return PortSet::none();
    };
    PortSet::from_ranges(
        ep.ports
            .iter()
            .filter(|c| c.protocol == protocol && c.name.as_deref() == Some(name))
            .map(|c| (c.port, c.port)),
    )
}

/// The ports one entry allows, named ports resolved on `dest`.
pub(crate) fn entry_ports(entry: &PortEntry, dest: &View<'_, '_>) -> ProtocolPorts {
    let protocol = entry.protocol();
    if !dest.enforces(protocol) {
        return ProtocolPorts::none();
    }
    let ports = match entry.port.as_ref().map(|p| &p.value) {
        None => PortSet::all(),
        Some(PortValue::Number(n)) => match &entry.end_port {
            Some(end) => PortSet::range(*n, end.value),
            None => PortSet::single(*n),
        },
        Some(PortValue::Name(name)) => named_ports(dest, name, protocol),
    };
    ProtocolPorts::only(protocol, ports)
}

/// Whether one entry allows `protocol`/`port` to `dest`.
pub(crate) fn entry_allows(
    entry: &PortEntry,
    dest: &View<'_, '_>,
    protocol: Protocol,
    port: u16,
) -> bool {
    if entry.protocol() != protocol || !dest.enforces(protocol) {
        return false;
    }
    match entry.port.as_ref().map(|p| &p.value) {
        None => true,
        Some(PortValue::Number(n)) => match &entry.end_port {
            Some(end) => *n <= port && port <= end.value,
            None => *n == port,
        },
        Some(PortValue::Name(name)) => dest.ep.is_some_and(|ep| {
            ep.ports.iter().any(|c| {
                c.protocol == protocol && c.port == port && c.name.as_deref() == Some(name.as_str())
            })
        }),
    }
}

/// The destination of a rule's traffic: the selected side for ingress, the peer for
/// egress.
pub(crate) fn destination<'v, 'a, 'm>(
    direction: Direction,
    at: &'v View<'a, 'm>,
    peer: &'v View<'a, 'm>,
) -> &'v View<'a, 'm> {
    match direction {
        Direction::Ingress => at,
        Direction::Egress => peer,
    }
}

/// What one rule allows between `at` (selected) and `peer`.
fn rule_view_ports(
    policy: &NetworkPolicy,
    direction: Direction,
    rule: &Rule,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
) -> ProtocolPorts {
    if !rule_peers_match(policy, rule, peer) {
        return ProtocolPorts::none();
    }
    let entries = rule.port_list();
    if entries.is_empty() {
        return ProtocolPorts::all();
    }
    let dest = destination(direction, at, peer);
    entries.iter().fold(ProtocolPorts::none(), |acc, e| {
        acc.union(&entry_ports(e, dest))
    })
}

/// The policies selecting `at` for `direction`, or `None` when `at` is not isolated
/// (or is outside the cluster).
pub(crate) fn isolating<'e>(
    engine: &'e Engine<'_>,
    at: &EndpointRef,
    direction: Direction,
) -> Option<&'e [u32]> {
    let EndpointRef::Endpoint(id) = at else {
        return None;
    };
    let list = engine.policies_for(*id, direction);
    (!list.is_empty()).then_some(list)
}

/// The side at `at` in one family.
pub(crate) fn side_view_ports(
    engine: &Engine<'_>,
    at_ref: &EndpointRef,
    direction: Direction,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
) -> ProtocolPorts {
    let Some(policies) = isolating(engine, at_ref, direction) else {
        return ProtocolPorts::all();
    };
    let mut acc = ProtocolPorts::none();
    for &p in policies {
        let Some(policy) = engine.model.policies.get(p as usize) else {
            continue;
        };
        for rule in policy.rules(direction) {
            acc = acc.union(&rule_view_ports(policy, direction, rule, at, peer));
            if acc.is_all() {
                return acc;
            }
        }
    }
    acc
}

/// See [`Engine::side_ports`].
pub(crate) fn side_ports(
    engine: &Engine<'_>,
    at: &EndpointRef,
    direction: Direction,
    peer: &EndpointRef,
) -> ProtocolPorts {
    families(engine, at, peer)
        .into_iter()
        .fold(ProtocolPorts::none(), |acc, f| {
            let (a, p) = (view(engine, at, f), view(engine, peer, f));
            acc.union(&side_view_ports(engine, at, direction, &a, &p))
        })
}

/// See [`Engine::rule_ports`].
pub(crate) fn rule_ports(
    engine: &Engine<'_>,
    policy: usize,
    direction: Direction,
    rule: usize,
    at: &EndpointRef,
    peer: &EndpointRef,
) -> ProtocolPorts {
    let Some(pol) = engine.model.policies.get(policy) else {
        return ProtocolPorts::none();
    };
    let Some(r) = pol.rules(direction).get(rule) else {
        return ProtocolPorts::none();
    };
    families(engine, at, peer)
        .into_iter()
        .fold(ProtocolPorts::none(), |acc, f| {
            let (a, p) = (view(engine, at, f), view(engine, peer, f));
            acc.union(&rule_view_ports(pol, direction, r, &a, &p))
        })
}

/// Whether a flow is self traffic (an endpoint to itself).
pub(crate) fn is_self(from: &EndpointRef, to: &EndpointRef) -> bool {
    matches!((from, to), (EndpointRef::Endpoint(a), EndpointRef::Endpoint(b)) if a == b)
}

/// See [`Engine::allowed_ports`].
pub(crate) fn allowed_ports(
    engine: &Engine<'_>,
    from: &EndpointRef,
    to: &EndpointRef,
) -> ProtocolPorts {
    if is_self(from, to) {
        return ProtocolPorts::all();
    }
    if !engine.tiers.is_empty() {
        return super::tiers::flow::flow_sets(engine, from, to).allowed();
    }
    families(engine, from, to)
        .into_iter()
        .fold(ProtocolPorts::none(), |acc, f| {
            let (s, d) = (view(engine, from, f), view(engine, to, f));
            let egress = side_view_ports(engine, from, Direction::Egress, &s, &d);
            if egress.is_empty() {
                return acc;
            }
            let ingress = side_view_ports(engine, to, Direction::Ingress, &d, &s);
            acc.union(&egress.intersect(&ingress))
        })
}

/// Whether one rule allows `protocol`/`port` between `at` and `peer`. The port
/// entries are looked at first: comparing numbers is cheaper than matching the
/// peers' selectors, and a rule whose ports do not fit never needs them.
pub(crate) fn rule_allows(
    policy: &NetworkPolicy,
    direction: Direction,
    rule: &Rule,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
    protocol: Protocol,
    port: u16,
) -> bool {
    let entries = rule.port_list();
    let dest = destination(direction, at, peer);
    let ports_fit = entries.is_empty()
        || entries
            .iter()
            .any(|e| entry_allows(e, dest, protocol, port));
    ports_fit && rule_peers_match(policy, rule, peer)
}

/// Whether the side at `at_ref` allows the flow in one family.
pub(crate) fn side_allows(
    engine: &Engine<'_>,
    at_ref: &EndpointRef,
    direction: Direction,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
    protocol: Protocol,
    port: u16,
) -> bool {
    let Some(policies) = isolating(engine, at_ref, direction) else {
        return true;
    };
    policies.iter().any(|&p| {
        engine.model.policies.get(p as usize).is_some_and(|policy| {
            policy
                .rules(direction)
                .iter()
                .any(|rule| rule_allows(policy, direction, rule, at, peer, protocol, port))
        })
    })
}

/// See [`Engine::allows`].
pub(crate) fn allows(
    engine: &Engine<'_>,
    from: &EndpointRef,
    to: &EndpointRef,
    protocol: Protocol,
    port: u16,
) -> bool {
    if is_self(from, to) {
        return true;
    }
    if !engine.tiers.is_empty() {
        return super::tiers::flow::flow_sets(engine, from, to)
            .allowed()
            .allows(protocol, port);
    }
    families(engine, from, to).into_iter().any(|f| {
        let (s, d) = (view(engine, from, f), view(engine, to, f));
        side_allows(engine, from, Direction::Egress, &s, &d, protocol, port)
            && side_allows(engine, to, Direction::Ingress, &d, &s, protocol, port)
    })
}
