//! Whether one rule's traffic is contained in another's, decided on the manifests
//! alone (sound: "covered" is only answered when it holds for every cluster).

use crate::lint::nets::same_family;
use crate::lint::walk::{all_peers, all_ports, selects_superset};
use crate::model::{IpBlock, Peer, PortEntry, PortValue, Rule};

/// Whether everything `narrow` allows, `broad` allows too (same direction, policies
/// of the same namespace).
pub fn rule_covers(broad: &Rule, narrow: &Rule) -> bool {
    peers_cover(broad, narrow) && ports_cover(broad, narrow)
}

fn peers_cover(broad: &Rule, narrow: &Rule) -> bool {
    if all_peers(broad) {
        return true;
    }
    !all_peers(narrow)
        && narrow
            .peer_list()
            .iter()
            .all(|n| broad.peer_list().iter().any(|b| peer_covers(b, n)))
}

fn peer_covers(broad: &Peer, narrow: &Peer) -> bool {
    match (broad, narrow) {
        (Peer::IpBlock(b), Peer::IpBlock(n)) => block_covers(b, n),
        (
            Peer::Selectors {
                pods: bp,
                namespaces: bn,
                ..
            },
            Peer::Selectors {
                pods: np,
                namespaces: nn,
                ..
            },
        ) => {
            let namespaces_ok = match (bn, nn) {
                (None, None) => true,
                (Some(b), Some(n)) => selects_superset(b, n),
                // `namespaceSelector: {}` matches every namespace, the policy's own too.
                (Some(b), None) => b.is_empty(),
                (None, Some(_)) => false,
            };
            let pods_ok = match (bp, np) {
                (None, _) => true,
                (Some(b), None) => b.is_empty(),
                (Some(b), Some(n)) => selects_superset(b, n),
            };
            namespaces_ok && pods_ok
        }
        _ => false,
    }
}

/// Whether every address `narrow` matches, `broad` matches.
fn block_covers(broad: &IpBlock, narrow: &IpBlock) -> bool {
    let (b, n) = (broad.cidr.value.trunc(), narrow.cidr.value.trunc());
    if !same_family(&b, &n) || !b.contains(&n) {
        return false;
    }
    broad.except.iter().all(|e| {
        let e = e.value.trunc();
        let overlaps = n.contains(&e) || e.contains(&n);
        !overlaps || narrow.except.iter().any(|ne| ne.value.trunc().contains(&e))
    })
}

fn ports_cover(broad: &Rule, narrow: &Rule) -> bool {
    if all_ports(broad) {
        return true;
    }
    !all_ports(narrow)
        && narrow
            .port_list()
            .iter()
            .all(|n| broad.port_list().iter().any(|b| entry_covers(b, n)))
}

fn entry_covers(broad: &PortEntry, narrow: &PortEntry) -> bool {
    if broad.protocol() != narrow.protocol() {
        return false;
    }
    let Some(b) = &broad.port else { return true };
    let Some(n) = &narrow.port else { return false };
    match (&b.value, &n.value) {
        (PortValue::Number(bs), PortValue::Number(ns)) => {
            let be = broad.end_port.as_ref().map_or(*bs, |e| e.value);
            let ne = narrow.end_port.as_ref().map_or(*ns, |e| e.value);
            bs <= ns && ne <= be
        }
        (PortValue::Name(bn), PortValue::Name(nn)) => bn == nn,
        _ => false,
    }
}
