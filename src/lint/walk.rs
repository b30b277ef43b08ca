//! Walking policies the way most rules need: the rules that take effect, their
//! peers, ipBlocks and port entries, and comparisons between selectors.

use alloc::string::String;
use alloc::vec::Vec;

use crate::model::{
    path, CanonicalTerms, Direction, IpBlock, LabelSelector, NetworkPolicy, Peer, PortEntry,
    PortValue, Protocol, Rule,
};
use crate::text_hash::{text_hash, word_hash};

/// The rules of the directions `policy` applies to (after policyTypes defaulting),
/// with their direction and index.
pub fn effective_rules(policy: &NetworkPolicy) -> impl Iterator<Item = (Direction, usize, &Rule)> {
    Direction::BOTH
        .into_iter()
        .filter(|d| policy.applies_to(*d))
        .flat_map(move |d| {
            policy
                .rules(d)
                .iter()
                .enumerate()
                .map(move |(i, r)| (d, i, r))
        })
}

/// The directions `policy` isolates without allowing anything in them (it applies
/// to them and has no rule there): its default-deny directions.
pub fn denied_directions(policy: &NetworkPolicy) -> impl Iterator<Item = Direction> + '_ {
    Direction::BOTH
        .into_iter()
        .filter(|d| policy.applies_to(*d) && policy.rules(*d).is_empty())
}

/// The peers of the effective rules: direction, rule index, peer index, peer.
pub fn effective_peers(
    policy: &NetworkPolicy,
) -> impl Iterator<Item = (Direction, usize, usize, &Peer)> {
    effective_rules(policy).flat_map(|(d, i, rule)| {
        rule.peer_list()
            .iter()
            .enumerate()
            .map(move |(j, peer)| (d, i, j, peer))
    })
}

/// The ipBlock peers of the effective rules: direction, rule index, peer index, block.
pub fn effective_ipblocks(
    policy: &NetworkPolicy,
) -> impl Iterator<Item = (Direction, usize, usize, &IpBlock)> {
    effective_peers(policy).filter_map(|(d, i, j, peer)| match peer {
        Peer::IpBlock(block) => Some((d, i, j, block)),
        Peer::Selectors { .. } => None,
    })
}

/// Every selector of `policy` with its field path: `spec.podSelector`, then the peer
/// selectors of the effective rules.
pub fn selectors(policy: &NetworkPolicy) -> Vec<(String, &LabelSelector)> {
    let mut out = Vec::new();
    if policy.pod_selector_written {
        out.push((String::from("spec.podSelector"), &policy.pod_selector));
    }
    for (d, i, rule) in effective_rules(policy) {
        for (j, peer) in rule.peer_list().iter().enumerate() {
            if let Peer::Selectors {
                pods, namespaces, ..
            } = peer
            {
                let base = path::peer(d, i, j);
                if let Some(s) = namespaces {
                    out.push((alloc::format!("{base}.namespaceSelector"), s));
                }
                if let Some(s) = pods {
                    out.push((alloc::format!("{base}.podSelector"), s));
                }
            }
        }
    }
    out
}

/// Whether the rule has no peer restriction (`from`/`to` absent or empty).
pub fn all_peers(rule: &Rule) -> bool {
    rule.peer_list().is_empty()
}

/// Whether the rule has no port restriction (`ports` absent or empty).
pub fn all_ports(rule: &Rule) -> bool {
    rule.port_list().is_empty()
}

/// Whether `entry` matches `port` on `protocol`. A named port matches when its name
/// says DNS (`dns`, `dns-tcp`: CoreDNS's names) and `port` is 53; otherwise names
/// depend on the destination pod and are not assumed to match.
pub fn entry_allows(entry: &PortEntry, protocol: Protocol, port: u16) -> bool {
    if entry.protocol() != protocol {
        return false;
    }
    match &entry.port {
        None => true,
        Some(p) => match &p.value {
            PortValue::Number(n) => {
                let end = entry.end_port.as_ref().map_or(*n, |e| e.value);
                (*n..=end).contains(&port)
            }
            PortValue::Name(name) => port == DNS_PORT && is_dns_name(name),
        },
    }
}

/// Whether the rule allows `port` on `protocol` to some peer.
pub fn rule_allows(rule: &Rule, protocol: Protocol, port: u16) -> bool {
    all_ports(rule)
        || rule
            .port_list()
            .iter()
            .any(|e| entry_allows(e, protocol, port))
}

/// The DNS port.
pub const DNS_PORT: u16 = 53;

/// Whether a named port is DNS by its name (`dns`, `dns-tcp`, `dns-udp`).
pub fn is_dns_name(name: &str) -> bool {
    name == "dns" || name.starts_with("dns-")
}

/// Whether the entry is a DNS port entry (53, or a DNS-named port).
pub fn is_dns_entry(entry: &PortEntry) -> bool {
    match entry.port.as_ref().map(|p| &p.value) {
        Some(PortValue::Number(n)) => {
            *n == DNS_PORT && entry.end_port.as_ref().is_none_or(|e| e.value == DNS_PORT)
        }
        Some(PortValue::Name(name)) => is_dns_name(name),
        None => false,
    }
}

/// Whether the rule opens DNS and nothing else (the allow-DNS pattern).
pub fn is_dns_only(rule: &Rule) -> bool {
    !all_ports(rule) && rule.port_list().iter().all(is_dns_entry)
}

/// Whether the selectors have the same terms (spans and term order aside).
pub fn same_selector(a: &LabelSelector, b: &LabelSelector) -> bool {
    a.canonical_terms() == b.canonical_terms()
}

/// Whether every pod `narrow` selects is certainly selected by `broad` as well:
/// `broad` is empty, the same selector, or only `matchLabels` that `narrow` also
/// requires.
pub fn selects_superset(broad: &LabelSelector, narrow: &LabelSelector) -> bool {
    if broad.is_empty() {
        return true;
    }
    if !broad.match_expressions.is_empty() {
        return same_selector(broad, narrow);
    }
    broad.match_labels.iter().all(|(k, v)| {
        narrow
            .match_labels
            .iter()
            .any(|(nk, nv)| nk.value == k.value && nv.value == v.value)
    })
}

/// [`selects_superset`] on canonical terms.
pub fn terms_superset(broad: &CanonicalTerms<'_>, narrow: &CanonicalTerms<'_>) -> bool {
    let (labels, expressions) = broad;
    if labels.is_empty() && expressions.is_empty() {
        return true;
    }
    if !expressions.is_empty() {
        return broad == narrow;
    }
    labels.iter().all(|l| narrow.0.binary_search(l).is_ok())
}

/// A hash of canonical `terms`, continuing from `hash`: equal terms hash equally
/// (for grouping selectors by integers, comparing terms only on equal hashes).
pub fn terms_hash((labels, expressions): &CanonicalTerms<'_>, hash: u64) -> u64 {
    let mut hash = word_hash(labels.len() as u64, hash);
    for (key, value) in labels {
        hash = text_hash(value.as_bytes(), text_hash(key.as_bytes(), hash));
    }
    for (key, operator, values) in expressions {
        hash = word_hash(*operator as u64, text_hash(key.as_bytes(), hash));
        hash = word_hash(values.len() as u64, hash);
        for value in values {
            hash = text_hash(value.as_bytes(), hash);
        }
    }
    hash
}
