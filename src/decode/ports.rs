//! Port entries of rules (`ValidateNetworkPolicyPort`).

use super::context::{child, present, transpose, Ctx};
use crate::doc::{Node, Value};
use crate::model::{PortEntry, PortValue, Protocol, Spanned};
use crate::validate::{message, names};

/// The protocols a port may name, as the server lists them.
pub(crate) const SUPPORTED_PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];

/// Decodes `protocol` at `path`: `None` inside `Some` when absent; `None` when
/// invalid (reported).
pub(crate) fn decode_protocol(
    ctx: &mut Ctx,
    node: Option<&Node>,
    path: &str,
) -> Option<Option<Spanned<Protocol>>> {
    let Some(protocol) = ctx.string(node, path) else {
        return if present(node).is_some() {
            None
        } else {
            Some(None)
        };
    };
    match Protocol::parse(&protocol.value) {
        Some(p) => Some(Some(Spanned::new(p, protocol.span))),
        None => {
            let text = message::unsupported(path, &protocol.value, SUPPORTED_PROTOCOLS);
            ctx.error("invalid-protocol", path, protocol.span, text);
            None
        }
    }
}

/// A port given as a number or a name (Go `IntOrString`), checked as the server
/// checks a NetworkPolicy port; `rule` is the rule id for a bad value.
pub(crate) fn decode_port_value(
    ctx: &mut Ctx,
    node: &Node,
    path: &str,
    rule: &'static str,
) -> Option<Spanned<PortValue>> {
    match &node.value {
        Value::Int(n) if i32::try_from(*n).is_ok() => {
            let errs = names::port_number(*n);
            let ok = errs.is_empty();
            for msg in errs {
                ctx.error(rule, path, node.span, message::invalid_num(path, *n, &msg));
            }
            let number = u16::try_from(*n).ok().filter(|_| ok)?;
            Some(Spanned::new(PortValue::Number(number), node.span))
        }
        Value::String(name) => {
            let errs = names::port_name(name);
            let ok = errs.is_empty();
            let spanned = Spanned::new(name.clone(), node.span);
            ctx.invalid_strs(rule, path, &spanned, errs);
            ok.then(|| Spanned::new(PortValue::Name(name.clone()), node.span))
        }
        _ => {
            ctx.type_error(path, node, "int32 or string");
            None
        }
    }
}

/// One entry of a rule's `ports` at `path`.
pub(crate) fn decode_port_entry(ctx: &mut Ctx, node: &Node, path: &str) -> Option<PortEntry> {
    if matches!(node.value, Value::Null) {
        return Some(PortEntry {
            span: node.span,
            protocol: None,
            port: None,
            end_port: None,
        });
    }
    let map = ctx.map(Some(node), path)?;
    ctx.check_fields(map, path, &["protocol", "port", "endPort"]);
    let protocol = decode_protocol(ctx, map.get("protocol"), &child(path, "protocol"));
    let port_path = child(path, "port");
    let end_path = child(path, "endPort");
    let port_node = present(map.get("port"));
    let end_node = present(map.get("endPort"));
    let port = port_node.map(|n| decode_port_value(ctx, n, &port_path, "invalid-port"));
    let end_port = end_node.map(|n| {
        let end = ctx.int32(Some(n), &end_path)?;
        check_end_port(ctx, port_node, &end, &end_path)
    });
    Some(PortEntry {
        span: map.span,
        protocol: protocol?,
        port: transpose(port)?,
        end_port: transpose(end_port)?,
    })
}

/// `endPort` against `port`: only with a numeric port, not below it, in range.
fn check_end_port(
    ctx: &mut Ctx,
    port: Option<&Node>,
    end: &Spanned<i64>,
    path: &str,
) -> Option<Spanned<u16>> {
    let before = ctx.diagnostics.len();
    let report = |ctx: &mut Ctx, detail: &str| {
        let text = message::invalid_num(path, end.value, detail);
        ctx.error("invalid-end-port", path, end.span, text);
    };
    match port.map(|p| &p.value) {
        Some(Value::Int(start)) => {
            if end.value < *start {
                report(ctx, "must be greater than or equal to `port`");
            }
            for msg in names::port_number(end.value) {
                report(ctx, &msg);
            }
        }
        Some(Value::String(_)) => report(ctx, "may not be specified when `port` is non-numeric"),
        Some(_) => {}
        None => report(ctx, "may not be specified when `port` is not specified"),
    }
    if ctx.diagnostics.len() != before {
        return None;
    }
    let value = u16::try_from(end.value).ok()?;
    Some(Spanned::new(value, end.span))
}
