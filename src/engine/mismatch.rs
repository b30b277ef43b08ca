//! Why a rule did not match: short sentences for explanations, written into one
//! buffer (an explained query writes several; no sentence is built on its own).

use alloc::string::String;
use core::fmt::Write as _;

use super::eval::{named_ports, View};
use crate::model::{
    LabelSelector, Labels, NetworkPolicy, Operator, Peer, PortEntry, PortValue, Protocol,
    Requirement,
};

/// Whose labels a selector was checked against: ``namespace `shop` `` or
/// `` `shop/web` ``.
#[derive(Clone, Copy)]
struct Owner<'a> {
    /// `namespace ` or nothing.
    kind: &'a str,
    /// The namespace's name or the endpoint's id.
    name: &'a str,
}

impl Owner<'_> {
    fn write(self, out: &mut String) {
        out.extend([self.kind, "`", self.name, "`"]);
    }
}

/// Writes the first term of `selector` that `labels` do not satisfy, described
/// for `owner`; `false` (nothing written) when every term holds. The sentences
/// are written piece by piece: `write!` costs more than the copying.
fn write_selector_mismatch(
    out: &mut String,
    selector: &LabelSelector,
    labels: &Labels,
    owner: Owner<'_>,
) -> bool {
    for (key, value) in &selector.match_labels {
        let (key, value) = (&key.value, &value.value);
        let has = labels.get(key);
        if has == Some(value) {
            continue;
        }
        out.extend(["label `", key, "=", value, "` not on "]);
        owner.write(out);
        if let Some(v) = has {
            out.extend([" (it has `", key, "=", v, "`)"]);
        }
        return true;
    }
    match selector
        .match_expressions
        .iter()
        .find(|r| !r.matches(labels))
    {
        Some(requirement) => {
            write_requirement_mismatch(out, requirement, labels, owner);
            true
        }
        None => false,
    }
}

/// Writes why a `matchExpressions` entry failed.
fn write_requirement_mismatch(
    out: &mut String,
    req: &Requirement,
    labels: &Labels,
    owner: Owner<'_>,
) {
    let key = &req.key.value;
    let operator = match req.operator.value {
        Operator::In => "In",
        Operator::NotIn => "NotIn",
        Operator::Exists => {
            out.extend(["`", key, " Exists` not satisfied: "]);
            owner.write(out);
            out.extend([" has no label `", key, "`"]);
            return;
        }
        Operator::DoesNotExist => {
            out.extend(["`", key, " DoesNotExist` not satisfied: "]);
            owner.write(out);
            out.push_str(" has ");
            write_has(out, labels, key);
            return;
        }
    };
    out.extend(["`", key, " ", operator, " ["]);
    for (i, value) in req.values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&value.value);
    }
    out.push_str("]` not satisfied: ");
    owner.write(out);
    out.push_str(" has ");
    write_has(out, labels, key);
}

/// Writes what `labels` hold of `key`: `` `key=value` `` or ``no label `key` ``.
fn write_has(out: &mut String, labels: &Labels, key: &str) {
    match labels.get(key) {
        Some(v) => out.extend(["`", key, "=", v, "`"]),
        None => out.extend(["no label `", key, "`"]),
    }
}

/// Writes why `peer` (of a rule of `policy`) does not match `other`, whose display
/// id is `other_id`.
pub(crate) fn write_peer_mismatch(
    out: &mut String,
    policy: &NetworkPolicy,
    peer: &Peer,
    other: &View<'_, '_>,
    other_id: &str,
) {
    // Writing into a String cannot fail.
    let _ = match peer {
        Peer::Selectors {
            pods, namespaces, ..
        } => {
            let (Some(ep), Some(ns)) = (other.ep, other.ns) else {
                let _ = write!(
                    out,
                    "selects pods, and `{other_id}` is an address outside the cluster"
                );
                return;
            };
            let policy_ns = policy.meta.namespace_name();
            let namespace_failed = match namespaces {
                None if ep.namespace != policy_ns => {
                    let _ = write!(
                        out,
                        "a podSelector without namespaceSelector selects pods of the policy's namespace `{policy_ns}`, and `{other_id}` is in `{}`",
                        ep.namespace
                    );
                    true
                }
                None => false,
                Some(sel) => write_selector_mismatch(
                    out,
                    sel,
                    &ns.labels,
                    Owner {
                        kind: "namespace ",
                        name: &ns.name,
                    },
                ),
            };
            let before = out.len();
            if namespace_failed {
                out.push_str("; ");
            }
            let pod_failed = pods.as_ref().is_some_and(|sel| {
                let owner = Owner {
                    kind: "",
                    name: other_id,
                };
                write_selector_mismatch(out, sel, ep.labels, owner)
            });
            if !pod_failed {
                out.truncate(before);
            }
            if namespace_failed || pod_failed {
                return;
            }
            out.extend(["matches `", other_id, "`"]);
            Ok(())
        }
        Peer::IpBlock(block) => {
            let cidr = &block.cidr.value;
            if !other.blocks_see() {
                let _ = write!(
                    out,
                    "ipBlock `{cidr}`: `{}` matches no pod address by ipBlock (`cni` profile): `{other_id}` is a pod",
                    other.cni.as_str()
                );
                return;
            }
            let Some(addr) = other.addresses().next() else {
                let _ = match other.family {
                    Some(f) if other.ep.is_some() => write!(
                        out,
                        "ipBlock `{cidr}`: `{other_id}` has no {} address",
                        f.as_str()
                    ),
                    _ => write!(
                        out,
                        "ipBlock `{cidr}`: `{other_id}` has no IP (an ipBlock matches no pod without an IP)"
                    ),
                };
                return;
            };
            if !cidr.trunc().contains(&addr) {
                let _ = write!(out, "{addr} is not in ipBlock `{cidr}`");
                return;
            }
            match block
                .except
                .iter()
                .find(|e| e.value.trunc().contains(&addr))
            {
                Some(e) => write!(out, "{addr} is in except `{}` of ipBlock `{cidr}`", e.value),
                None => write!(out, "{addr} matches ipBlock `{cidr}`"),
            }
        }
    };
}

/// Writes why none of `entries` allows `protocol`/`port` to `dest` (the entries
/// listed).
pub(crate) fn write_ports_mismatch(
    out: &mut String,
    entries: &[PortEntry],
    dest: &View<'_, '_>,
    dest_id: &str,
    protocol: Protocol,
    port: u16,
) {
    let _ = write!(out, "port {port}/{} not in ports: ", protocol.as_str());
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_entry(out, entry, dest, dest_id);
    }
}

/// Writes one entry as people say it: `8080/TCP`, `8000-9000/TCP`, `all UDP`,
/// `http/TCP (= 8080 on shop/api)`, with the data plane's remark when it does not
/// enforce the protocol.
fn write_entry(out: &mut String, entry: &PortEntry, dest: &View<'_, '_>, dest_id: &str) {
    let protocol = entry.protocol();
    let p = protocol.as_str();
    // Writing into a String cannot fail.
    let _ = match entry.port.as_ref().map(|v| &v.value) {
        None => write!(out, "all {p}"),
        Some(PortValue::Number(n)) => match &entry.end_port {
            Some(end) => write!(out, "{n}-{}/{p}", end.value),
            None => write!(out, "{n}/{p}"),
        },
        Some(PortValue::Name(name)) => {
            let resolved = named_ports(dest, name, protocol);
            if dest.ep.is_none() {
                write!(
                    out,
                    "`{name}`/{p} (a named port never matches an address outside the cluster)"
                )
            } else if resolved.is_empty() {
                write!(out, "`{name}`/{p} (not declared with {p} on `{dest_id}`)")
            } else {
                let _ = write!(out, "`{name}`/{p} (= ");
                resolved.write_ranges(out, ", ");
                write!(out, " on `{dest_id}`)")
            }
        }
    };
    if !dest.enforces(protocol) {
        let _ = write!(
            out,
            " (`{}` does not enforce {p} rules: `cni` profile)",
            dest.cni.as_str()
        );
    }
}
