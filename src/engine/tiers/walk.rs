//! One tier on one side of a flow, as port sets: where the tier can accept, deny, or
//! hand over to the next layer (a Pass, or no rule matching).

use super::super::eval::{destination, named_ports, View};
use super::super::ports::{PortSet, ProtocolPorts};
use super::{Action, TierPeer, TierPort, TierRule, Tiers};
use crate::model::{Direction, Protocol};

/// Whether a peer matches the other side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Match {
    /// It does not.
    No,
    /// It may: a `domainNames` peer and an address outside the cluster.
    Dns,
    /// It does.
    Yes,
}

/// The possible answers of one tier per port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TierSets {
    /// Ports some world accepts.
    pub accept: ProtocolPorts,
    /// Ports some world denies.
    pub deny: ProtocolPorts,
    /// Ports some world hands to the next layer.
    pub next: ProtocolPorts,
    /// Whether a `domainNames` peer made some answer possible that would not be
    /// otherwise.
    pub dns: bool,
}

/// Whether `peer` (of a rule with `action`) matches `other`.
pub(crate) fn peer_match(tiers: &Tiers, peer: &TierPeer, other: &View<'_, '_>) -> Match {
    let yes = |b: bool| if b { Match::Yes } else { Match::No };
    match peer {
        TierPeer::Pods(set) => match (other.ep, other.ns) {
            (Some(ep), Some(ns)) => yes(set.contains(ep, ns)),
            _ => Match::No,
        },
        TierPeer::Networks(nets) => yes(other
            .block_addresses()
            .any(|a| nets.iter().any(|n| n.contains(&a)))),
        TierPeer::Nodes(selector) => yes(other.addresses().any(|a| {
            tiers
                .nodes
                .iter()
                .any(|n| selector.matches(&n.labels) && n.addresses.contains(&a))
        })),
        TierPeer::DomainNames => {
            if other.ep.is_none() && other.addresses().next().is_some() {
                Match::Dns
            } else {
                Match::No
            }
        }
    }
}

/// The strongest match of `rule`'s peers against `other`.
pub(crate) fn rule_match(tiers: &Tiers, rule: &TierRule, other: &View<'_, '_>) -> Match {
    let mut best = Match::No;
    for peer in &rule.peers {
        match peer_match(tiers, peer, other) {
            Match::Yes => return Match::Yes,
            Match::Dns => best = Match::Dns,
            Match::No => {}
        }
    }
    best
}

/// The ports one entry covers, named ports resolved on `dest`.
pub(crate) fn entry_ports(entry: &TierPort, dest: &View<'_, '_>) -> ProtocolPorts {
    let mut out = tier_entry_ports(entry, dest);
    if !dest.enforces(Protocol::Sctp) {
        *out.get_mut(Protocol::Sctp) = PortSet::none();
    }
    out
}

/// [`entry_ports`] before the data plane's SCTP support is applied.
fn tier_entry_ports(entry: &TierPort, dest: &View<'_, '_>) -> ProtocolPorts {
    match entry {
        TierPort::Protocol(protocol, None) => ProtocolPorts::only(*protocol, PortSet::all()),
        TierPort::Protocol(protocol, Some((start, end))) => {
            ProtocolPorts::only(*protocol, PortSet::range(*start, *end))
        }
        TierPort::Named(name) => {
            let mut out = ProtocolPorts::none();
            for protocol in [Protocol::Tcp, Protocol::Udp, Protocol::Sctp] {
                out.add(protocol, &named_ports(dest, name, protocol));
            }
            out
        }
    }
}

/// The ports `rule` covers towards `dest` (no entries: all traffic).
pub(crate) fn rule_ports(rule: &TierRule, dest: &View<'_, '_>) -> ProtocolPorts {
    match &rule.ports {
        None => ProtocolPorts::all(),
        Some(entries) => entries.iter().fold(ProtocolPorts::none(), |acc, e| {
            acc.union(&entry_ports(e, dest))
        }),
    }
}

/// Walks the policies `order` (indices into `tiers.policies`, already those selecting
/// `at`, in evaluation order) for `direction`: the first matching rule decides each
/// port; a `domainNames` match both decides and lets the walk go on.
pub(crate) fn walk(
    tiers: &Tiers,
    order: &[u32],
    direction: Direction,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
) -> TierSets {
    let dest = destination(direction, at, peer);
    let mut open = ProtocolPorts::all();
    let mut sets = TierSets {
        accept: ProtocolPorts::none(),
        deny: ProtocolPorts::none(),
        next: ProtocolPorts::none(),
        dns: false,
    };
    let index = direction.index();
    for &p in order {
        let Some(policy) = tiers.policy(p) else {
            continue;
        };
        for rule in policy.rules.get(index).into_iter().flatten() {
            if open.is_empty() {
                break;
            }
            let matched = rule_match(tiers, rule, peer);
            if matched == Match::No {
                continue;
            }
            let hit = open.intersect(&rule_ports(rule, dest));
            if hit.is_empty() {
                continue;
            }
            let target = match rule.action {
                Action::Accept => &mut sets.accept,
                Action::Deny => &mut sets.deny,
                Action::Pass => &mut sets.next,
            };
            *target = target.union(&hit);
            if matched == Match::Yes {
                open = open.difference(&hit);
            } else {
                sets.dns = true;
            }
        }
    }
    sets.next = sets.next.union(&open);
    sets
}
