//! The peers of cluster-wide policy rules (see `tiers.rs`), in both API versions'
//! shapes: `namespaces`, `pods`, `networks`, `nodes`, `domainNames`.

use alloc::string::String;
use alloc::vec::Vec;

use ipnet::IpNet;

use super::context::{child, index, Ctx};
use super::selector::decode_selector;
use super::tier_schema::{ctx_map, decode_namespaced_pod, exactly_one, sized_list};
use super::tiers::{Shape, INGRESS_PEERS};
use crate::doc::{Node, Value};
use crate::model::{Direction, Spanned, TierPeer, TierPort, TierRule};
use crate::validate::{message, schema};

/// The `pattern` of `domainNames` entries, as the CRD writes it.
pub const DOMAIN_NAME_PATTERN: &str =
    "^(\\*\\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$";

/// The CEL message of `networks` entries.
const INVALID_CIDR_MESSAGE: &str = "Invalid CIDR format provided";

/// `maxLength` of a `networks` entry.
const CIDR_MAX_LENGTH: usize = 43;

/// `maxItems` of `networks` and `domainNames`.
const ADDRESS_MAX_ITEMS: usize = 25;

/// One peer: exactly one of the direction's peer fields.
pub(super) fn decode_peer(
    ctx: &mut Ctx,
    node: &Node,
    path: &str,
    direction: Direction,
    shape: &Shape,
) -> Option<TierPeer> {
    let fields = match direction {
        Direction::Ingress => INGRESS_PEERS,
        Direction::Egress => shape.egress_peers,
    };
    if matches!(node.value, Value::Null) {
        ctx.error(
            "invalid-peer",
            path,
            node.span,
            schema::too_few_properties(path, 0, 1),
        );
        return None;
    }
    let map = ctx_map(ctx, node, path)?;
    ctx.check_fields(map, path, fields);
    let one = exactly_one(ctx, "invalid-peer", map, path, fields)?;
    let field_path = child(path, one);
    let value = map.get(one)?;
    let span = map.span;
    match one {
        "namespaces" | "nodes" => {
            let map = ctx_map(ctx, value, &field_path)?;
            let selector = decode_selector(ctx, map, &field_path)?;
            Some(match one {
                "namespaces" => TierPeer::Namespaces { span, selector },
                _ => TierPeer::Nodes { span, selector },
            })
        }
        "pods" => {
            let (namespaces, pods) = decode_namespaced_pod(ctx, value, &field_path, shape)?;
            Some(TierPeer::Pods {
                span,
                namespaces,
                pods,
            })
        }
        "networks" => {
            let cidrs = decode_set(ctx, value, &field_path, "invalid-cidr", decode_network)?;
            Some(TierPeer::Networks { span, cidrs })
        }
        _ => {
            let names = decode_set(ctx, value, &field_path, "invalid-domain-name", domain_name)?;
            Some(TierPeer::DomainNames { span, names })
        }
    }
}

/// A list of strings with `minItems: 1`, `maxItems: 25` and `x-kubernetes-list-type:
/// set` (no repeats), each item checked by `item`.
fn decode_set<T>(
    ctx: &mut Ctx,
    node: &Node,
    path: &str,
    rule: &'static str,
    item: fn(&mut Ctx, &Spanned<String>, &str) -> Option<T>,
) -> Option<Vec<Spanned<T>>> {
    let items = sized_list(ctx, rule, Some(node), path, ADDRESS_MAX_ITEMS)?;
    let mut seen: Vec<&str> = Vec::with_capacity(items.value.len());
    let mut out = Some(Vec::with_capacity(items.value.len()));
    for (i, node) in items.value.iter().enumerate() {
        let item_path = index(path, i);
        let Some(text) = ctx.string(Some(node), &item_path) else {
            if matches!(node.value, Value::Null) {
                ctx.error(
                    rule,
                    &item_path,
                    node.span,
                    message::required(&item_path, ""),
                );
            }
            out = None;
            continue;
        };
        let raw = node.as_str().unwrap_or("");
        if seen.contains(&raw) {
            let msg = schema::duplicate(&item_path, &text.value);
            ctx.error(rule, &item_path, text.span, msg);
            out = None;
            continue;
        }
        seen.push(raw);
        match (item(ctx, &text, &item_path), out.as_mut()) {
            (Some(value), Some(list)) => list.push(Spanned::new(value, text.span)),
            _ => out = None,
        }
    }
    out
}

/// A `networks` entry: at most 43 bytes and `isCIDR(self)`.
fn decode_network(ctx: &mut Ctx, text: &Spanned<String>, path: &str) -> Option<IpNet> {
    if text.value.len() > CIDR_MAX_LENGTH {
        let msg = schema::too_long(path, CIDR_MAX_LENGTH);
        ctx.error("invalid-cidr", path, text.span, msg);
        return None;
    }
    let parsed = parse_strict_cidr(&text.value);
    if parsed.is_none() {
        let msg = schema::cel(path, "string", INVALID_CIDR_MESSAGE);
        ctx.error("invalid-cidr", path, text.span, msg);
    }
    parsed
}

/// CEL's `isCIDR` (Go's `netip.ParsePrefix`): an address without leading zeros or a
/// zone, `/`, and a prefix length without leading zeros within the family's bits.
pub fn parse_strict_cidr(value: &str) -> Option<IpNet> {
    let (addr, len) = value.split_once('/')?;
    if has_leading_zero(len) || len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // An IPv4 address (or the IPv4 tail of an IPv6 one): no octet with a leading zero.
    let v4_tail = addr.rsplit(':').next().unwrap_or(addr);
    if v4_tail.contains('.') && v4_tail.split('.').any(has_leading_zero) {
        return None;
    }
    value.parse::<IpNet>().ok()
}

/// Whether a decimal number is written with a leading zero (`08`).
fn has_leading_zero(digits: &str) -> bool {
    digits.len() > 1 && digits.starts_with('0')
}

/// A `domainNames` entry, checked against [`DOMAIN_NAME_PATTERN`].
fn domain_name(ctx: &mut Ctx, text: &Spanned<String>, path: &str) -> Option<String> {
    if is_domain_name(&text.value) {
        return Some(text.value.clone());
    }
    let msg = schema::pattern(path, &text.value, DOMAIN_NAME_PATTERN);
    ctx.error("invalid-domain-name", path, text.span, msg);
    None
}

/// Whether `name` matches [`DOMAIN_NAME_PATTERN`]: an optional `*.`, at least two
/// labels, an optional trailing dot. (The pattern's first-character class
/// `[a-zA-z0-9]` spans `A` to `z`, so it also admits `[`, `\`, `]`, `^`, `_` and
/// `` ` ``.)
pub fn is_domain_name(name: &str) -> bool {
    let name = name.strip_prefix("*.").unwrap_or(name);
    let name = name.strip_suffix('.').unwrap_or(name);
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2 && labels.iter().all(|label| is_pattern_label(label))
}

/// One label of the pattern: `[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?`.
fn is_pattern_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return false;
    };
    let first_ok =
        first.is_ascii_digit() || first.is_ascii_lowercase() || (b'A'..=b'z').contains(&first);
    let Some((&last, middle)) = rest.split_last() else {
        return first_ok;
    };
    first_ok
        && last.is_ascii_alphanumeric()
        && middle
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The egress rules' CEL rule: no named port together with a `networks`, `nodes`
/// or `domainNames` peer. `false`, with the CRD's message, when broken.
pub(super) fn check_named_port_peers(
    ctx: &mut Ctx,
    rule: &TierRule,
    path: &str,
    shape: &Shape,
) -> bool {
    let address_peer = rule.peers.iter().any(|p| {
        matches!(
            p,
            TierPeer::Networks { .. } | TierPeer::Nodes { .. } | TierPeer::DomainNames { .. }
        )
    });
    let named_port = rule
        .port_list()
        .iter()
        .any(|p| matches!(p, TierPort::Named { .. }));
    if address_peer && named_port {
        let msg = schema::cel(path, "object", shape.named_port_message);
        ctx.error("invalid-port", path, rule.span, msg);
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names_follow_the_crd_pattern() {
        for good in [
            "example.com",
            "*.example.com",
            "a.b.",
            "x_y.z1",
            "_.com",
            "a-b.c",
        ] {
            assert!(is_domain_name(good), "{good}");
        }
        for bad in [
            "com",
            "*.com",
            "-a.com",
            "a-.com",
            "a..com",
            "*.*.a.com",
            "a.b..",
            "",
        ] {
            assert!(!is_domain_name(bad), "{bad}");
        }
    }

    #[test]
    fn cidrs_parse_as_cel_is_cidr() {
        assert!(parse_strict_cidr("10.0.0.0/8").is_some());
        assert!(parse_strict_cidr("10.0.0.1/8").is_some());
        assert!(parse_strict_cidr("2001:db8::/64").is_some());
        assert!(parse_strict_cidr("10.0.0.0").is_none());
        assert!(parse_strict_cidr("10.0.0.0/08").is_none());
        assert!(parse_strict_cidr("10.0.0.0/33").is_none());
        assert!(parse_strict_cidr("010.0.0.0/8").is_none());
        assert!(parse_strict_cidr("10.0.0.0/").is_none());
        assert!(parse_strict_cidr("::ffff:10.0.0.1/128").is_some());
        assert!(parse_strict_cidr("::ffff:10.0.00.1/128").is_none());
    }
}
