//! Why a rule did not match: short sentences for explanations.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::eval::{named_ports, View};
use crate::model::{
    LabelSelector, Labels, NetworkPolicy, Operator, Peer, PortEntry, PortValue, Protocol,
    Requirement,
};

/// The first term of `selector` that `labels` do not satisfy, described for `owner`
/// (`pod \`shop/web\`` or `namespace \`shop\``).
pub(crate) fn selector_mismatch(
    selector: &LabelSelector,
    labels: &Labels,
    owner: &str,
) -> Option<String> {
    for (key, value) in &selector.match_labels {
        match labels.get(&key.value) {
            Some(v) if *v == value.value => {}
            Some(v) => {
                return Some(format!(
                    "label `{}={}` not on {owner} (it has `{}={v}`)",
                    key.value, value.value, key.value
                ))
            }
            None => {
                return Some(format!(
                    "label `{}={}` not on {owner}",
                    key.value, value.value
                ))
            }
        }
    }
    selector
        .match_expressions
        .iter()
        .find(|r| !r.matches(labels))
        .map(|r| requirement_mismatch(r, labels, owner))
}

/// A failed `matchExpressions` entry.
fn requirement_mismatch(req: &Requirement, labels: &Labels, owner: &str) -> String {
    let key = &req.key.value;
    let values: Vec<&str> = req.values.iter().map(|v| v.value.as_str()).collect();
    let has = labels
        .get(key)
        .map_or_else(|| format!("no label `{key}`"), |v| format!("`{key}={v}`"));
    match req.operator.value {
        Operator::In => format!(
            "`{key} In [{}]` not satisfied: {owner} has {has}",
            values.join(", ")
        ),
        Operator::NotIn => format!(
            "`{key} NotIn [{}]` not satisfied: {owner} has {has}",
            values.join(", ")
        ),
        Operator::Exists => format!("`{key} Exists` not satisfied: {owner} has no label `{key}`"),
        Operator::DoesNotExist => {
            format!("`{key} DoesNotExist` not satisfied: {owner} has {has}")
        }
    }
}

/// Why `peer` (of a rule of `policy`) does not match `other`, whose display id is
/// `other_id`.
pub(crate) fn peer_mismatch(
    policy: &NetworkPolicy,
    peer: &Peer,
    other: &View<'_, '_>,
    other_id: &str,
) -> String {
    match peer {
        Peer::Selectors {
            pods, namespaces, ..
        } => {
            let (Some(ep), Some(ns)) = (other.ep, other.ns) else {
                return format!("selects pods, and `{other_id}` is an address outside the cluster");
            };
            let policy_ns = policy.meta.namespace_name();
            let ns_reason = match namespaces {
                None if ep.namespace != policy_ns => Some(format!(
                    "a podSelector without namespaceSelector selects pods of the policy's namespace `{policy_ns}`, and `{other_id}` is in `{}`",
                    ep.namespace
                )),
                None => None,
                Some(sel) => selector_mismatch(sel, &ns.labels, &format!("namespace `{}`", ns.name)),
            };
            let pod_reason = pods
                .as_ref()
                .and_then(|sel| selector_mismatch(sel, ep.labels, &format!("`{other_id}`")));
            match (ns_reason, pod_reason) {
                (Some(a), Some(b)) => format!("{a}; {b}"),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => format!("matches `{other_id}`"),
            }
        }
        Peer::IpBlock(block) => {
            if !other.blocks_see() {
                return format!(
                    "ipBlock `{}`: `{}` matches no pod address by ipBlock (`cni` profile): `{other_id}` is a pod",
                    block.cidr.value,
                    other.cni.as_str()
                );
            }
            let addrs: Vec<_> = other.addresses().collect();
            let cidr = block.cidr.value.trunc();
            if addrs.is_empty() {
                return match other.family {
                    Some(f) if other.ep.is_some() => format!(
                        "ipBlock `{}`: `{other_id}` has no {} address",
                        block.cidr.value,
                        f.as_str()
                    ),
                    _ => format!(
                        "ipBlock `{}`: `{other_id}` has no IP (an ipBlock matches no pod without an IP)",
                        block.cidr.value
                    ),
                };
            }
            let addr = addrs.first().copied();
            let Some(addr) = addr else {
                return String::new();
            };
            if !cidr.contains(&addr) {
                return format!("{addr} is not in ipBlock `{}`", block.cidr.value);
            }
            match block
                .except
                .iter()
                .find(|e| e.value.trunc().contains(&addr))
            {
                Some(e) => format!(
                    "{addr} is in except `{}` of ipBlock `{}`",
                    e.value, block.cidr.value
                ),
                None => format!("{addr} matches ipBlock `{}`", block.cidr.value),
            }
        }
    }
}

/// Why none of `entries` allows `protocol`/`port` to `dest` (the entries listed).
pub(crate) fn ports_mismatch(
    entries: &[PortEntry],
    dest: &View<'_, '_>,
    dest_id: &str,
    protocol: Protocol,
    port: u16,
) -> String {
    let listed: Vec<String> = entries
        .iter()
        .map(|e| describe_entry(e, dest, dest_id))
        .collect();
    format!(
        "port {port}/{} not in ports: {}",
        protocol.as_str(),
        listed.join(", ")
    )
}

/// One entry as people say it: `8080/TCP`, `8000-9000/TCP`, `all UDP`, `http/TCP (= 8080 on shop/api)`.
fn describe_entry(entry: &PortEntry, dest: &View<'_, '_>, dest_id: &str) -> String {
    let protocol = entry.protocol();
    let p = protocol.as_str();
    if !dest.enforces(protocol) {
        return format!(
            "{} (`{}` does not enforce {p} rules: `cni` profile)",
            describe_entry_ports(entry, dest, dest_id),
            dest.cni.as_str()
        );
    }
    describe_entry_ports(entry, dest, dest_id)
}

/// [`describe_entry`] without the data plane's remarks.
fn describe_entry_ports(entry: &PortEntry, dest: &View<'_, '_>, dest_id: &str) -> String {
    let protocol = entry.protocol();
    let p = protocol.as_str();
    match entry.port.as_ref().map(|v| &v.value) {
        None => format!("all {p}"),
        Some(PortValue::Number(n)) => match &entry.end_port {
            Some(end) => format!("{n}-{}/{p}", end.value),
            None => format!("{n}/{p}"),
        },
        Some(PortValue::Name(name)) => {
            let resolved = named_ports(dest, name, protocol);
            if dest.ep.is_none() {
                format!("`{name}`/{p} (a named port never matches an address outside the cluster)")
            } else if resolved.is_empty() {
                format!("`{name}`/{p} (not declared with {p} on `{dest_id}`)")
            } else {
                format!(
                    "`{name}`/{p} (= {} on `{dest_id}`)",
                    resolved.ranges_text(", ")
                )
            }
        }
    }
}
