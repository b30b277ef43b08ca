//! The naive matrix: for every ordered pair of endpoints and every protocol, the exact
//! set of allowed ports, found by evaluating the verdict at candidate ports only.
//!
//! A verdict can change value only at a port number some policy or container names
//! (`port`, `endPort`, a container port a named port may resolve to) or one past it.
//! Evaluating every such number, its neighbours, 1 and 65535 therefore gives the value
//! on every stretch between two consecutive candidates, and the allowed set exactly.

use std::collections::{BTreeMap, BTreeSet};

use netpol::model::{Model, PortValue, Protocol};

use super::plane::Plane;
use super::{verdict_on, Endpoint};

/// Inclusive port ranges, sorted and merged.
pub type PortRanges = Vec<(u16, u16)>;

/// Every port number mentioned by a policy or a container, with its neighbours, plus
/// 1 and 65535.
pub fn candidate_ports(model: &Model) -> Vec<u16> {
    let mut numbers: BTreeSet<u32> = BTreeSet::new();
    numbers.insert(1);
    numbers.insert(65535);
    let mut mention = |n: u16| {
        let n = u32::from(n);
        for c in [n.saturating_sub(1), n, n + 1] {
            if (1..=65535).contains(&c) {
                numbers.insert(c);
            }
        }
    };
    for policy in &model.policies {
        let all_rules = policy.ingress.iter().chain(policy.egress.iter());
        for rules in all_rules {
            for rule in &rules.value {
                for entry in rule.ports.iter().flat_map(|p| p.value.iter()) {
                    if let Some(port) = &entry.port {
                        if let PortValue::Number(n) = port.value {
                            mention(n);
                        }
                    }
                    if let Some(end) = &entry.end_port {
                        mention(end.value);
                    }
                }
            }
        }
    }
    for pod in &model.pods {
        for cp in &pod.ports {
            mention(cp.port);
        }
    }
    for w in &model.workloads {
        for cp in &w.ports {
            mention(cp.port);
        }
    }
    numbers.into_iter().map(|n| n as u16).collect()
}

/// The allowed port ranges from `from` to `to` over `protocol`.
pub fn allowed_ports(
    model: &Model,
    candidates: &[u16],
    from: &Endpoint,
    to: &Endpoint,
    protocol: Protocol,
) -> PortRanges {
    allowed_ports_on(model, &Plane::GENERIC, candidates, from, to, protocol)
}

/// [`allowed_ports`] on the data plane `plane`.
pub fn allowed_ports_on(
    model: &Model,
    plane: &Plane,
    candidates: &[u16],
    from: &Endpoint,
    to: &Endpoint,
    protocol: Protocol,
) -> PortRanges {
    let mut ranges: PortRanges = Vec::new();
    for (i, &start) in candidates.iter().enumerate() {
        let end = match candidates.get(i + 1) {
            Some(next) => next - 1,
            None => 65535,
        };
        if !verdict_on(model, plane, from, to, protocol, start) {
            continue;
        }
        match ranges.last_mut() {
            Some(last) if u32::from(last.1) + 1 == u32::from(start) => last.1 = end,
            _ => ranges.push((start, end)),
        }
    }
    ranges
}

/// For every ordered pair of `endpoints` (the diagonal included) the allowed ports per
/// protocol; pairs and protocols with nothing allowed are left out.
pub fn naive_matrix(
    model: &Model,
    endpoints: &[Endpoint],
) -> BTreeMap<(Endpoint, Endpoint), BTreeMap<Protocol, PortRanges>> {
    let candidates = candidate_ports(model);
    let mut out = BTreeMap::new();
    for from in endpoints {
        for to in endpoints {
            let mut per_protocol = BTreeMap::new();
            for protocol in [Protocol::Tcp, Protocol::Udp, Protocol::Sctp] {
                let ranges = allowed_ports(model, &candidates, from, to, protocol);
                if !ranges.is_empty() {
                    per_protocol.insert(protocol, ranges);
                }
            }
            if !per_protocol.is_empty() {
                out.insert((*from, *to), per_protocol);
            }
        }
    }
    out
}
