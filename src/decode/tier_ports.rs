//! The ports of cluster-wide policy rules: v1alpha2 `protocols` (`tcp`, `udp`,
//! `sctp` with a `destinationPort`, or `destinationNamedPort`) and v1alpha1 `ports`
//! (`portNumber`, `portRange`, `namedPort`).

use super::context::{child, present, Ctx};
use super::ports::decode_protocol;
use super::tier_schema::{bounded, ctx_map, exactly_one, required_map};
use super::tiers::Shape;
use crate::doc::{Node, Value};
use crate::model::{PortRange, Protocol, Spanned, TierPort};
use crate::source::Span;
use crate::validate::{message, schema};

/// One entry of `protocols` (v1alpha2) or `ports` (v1alpha1).
pub(super) fn decode_port(
    ctx: &mut Ctx,
    node: &Node,
    path: &str,
    shape: &Shape,
) -> Option<TierPort> {
    if matches!(node.value, Value::Null) {
        ctx.error(
            "invalid-port",
            path,
            node.span,
            schema::too_few_properties(path, 0, 1),
        );
        return None;
    }
    let map = ctx_map(ctx, node, path)?;
    let fields: &[&str] = if shape.v1alpha1() {
        &["portNumber", "namedPort", "portRange"]
    } else {
        &["tcp", "udp", "sctp", "destinationNamedPort"]
    };
    ctx.check_fields(map, path, fields);
    let one = exactly_one(ctx, "invalid-port", map, path, fields)?;
    let field_path = child(path, one);
    let value = map.get(one)?;
    let span = map.span;
    match one {
        "namedPort" | "destinationNamedPort" => {
            let name = ctx.string(Some(value), &field_path)?;
            Some(TierPort::Named { span, name })
        }
        "portNumber" | "portRange" => decode_v1alpha1_port(ctx, value, &field_path, span, one),
        _ => {
            let protocol = match one {
                "udp" => Protocol::Udp,
                "sctp" => Protocol::Sctp,
                _ => Protocol::Tcp,
            };
            let protocol_map = ctx_map(ctx, value, &field_path)?;
            ctx.check_fields(protocol_map, &field_path, &["destinationPort"]);
            if present(protocol_map.get("destinationPort")).is_none() {
                let msg = schema::too_few_properties(&field_path, 0, 1);
                ctx.error("invalid-port", &field_path, protocol_map.span, msg);
                return None;
            }
            let port_path = child(&field_path, "destinationPort");
            let ports = decode_destination_port(ctx, protocol_map, &port_path)?;
            Some(TierPort::Protocol {
                span,
                protocol,
                ports: Some(ports),
            })
        }
    }
}

/// v1alpha2 `destinationPort`: exactly one of `number` and `range` (`start < end`).
fn decode_destination_port(ctx: &mut Ctx, parent: &Node, path: &str) -> Option<Spanned<PortRange>> {
    let map = required_map(ctx, parent, path)?;
    ctx.check_fields(map, path, &["number", "range"]);
    let one = exactly_one(ctx, "invalid-port", map, path, &["number", "range"])?;
    let field_path = child(path, one);
    if one == "number" {
        let number = port_number(ctx, map, "number", &field_path)?;
        let range = PortRange {
            start: number.value,
            end: number.value,
        };
        return Some(Spanned::new(range, number.span));
    }
    let range = required_map(ctx, map, &field_path)?;
    ctx.check_fields(range, &field_path, &["start", "end"]);
    let start = port_number(ctx, range, "start", &child(&field_path, "start"));
    let end = port_number(ctx, range, "end", &child(&field_path, "end"));
    let (start, end) = (start?, end?);
    if start.value >= end.value {
        let msg = schema::cel(
            &field_path,
            "object",
            "Start port must be less than End port",
        );
        ctx.error("invalid-port", &field_path, range.span, msg);
        return None;
    }
    Some(Spanned::new(
        PortRange {
            start: start.value,
            end: end.value,
        },
        range.span,
    ))
}

/// v1alpha1 `portNumber` (`protocol`, `port`) or `portRange` (`protocol`, `start`,
/// `end`); `protocol` defaults to TCP.
fn decode_v1alpha1_port(
    ctx: &mut Ctx,
    node: &Node,
    path: &str,
    span: Span,
    field: &str,
) -> Option<TierPort> {
    let map = ctx_map(ctx, node, path)?;
    let known: &[&str] = if field == "portNumber" {
        &["protocol", "port"]
    } else {
        &["protocol", "start", "end"]
    };
    ctx.check_fields(map, path, known);
    let protocol_path = child(path, "protocol");
    let protocol = match present(map.get("protocol")) {
        None => Some(Protocol::Tcp),
        Some(n) => decode_protocol(ctx, Some(n), &protocol_path)?.map(|p| p.value),
    };
    let range = if field == "portNumber" {
        port_number(ctx, map, "port", &child(path, "port")).map(|p| PortRange {
            start: p.value,
            end: p.value,
        })
    } else {
        let start = port_number(ctx, map, "start", &child(path, "start"));
        let end = port_number(ctx, map, "end", &child(path, "end"));
        start.zip(end).map(|(s, e)| PortRange {
            start: s.value,
            end: e.value,
        })
    };
    Some(TierPort::Protocol {
        span,
        protocol: protocol?,
        ports: Some(Spanned::new(range?, map.span)),
    })
}

/// A required port number field `key` of `map`: an int32 in 1..=65535.
fn port_number(ctx: &mut Ctx, map: &Node, key: &str, path: &str) -> Option<Spanned<u16>> {
    let field = map.get(key);
    if present(field).is_none() {
        let span = field.map_or(map.span, |n| n.span);
        ctx.error("invalid-port", path, span, message::required(path, ""));
        return None;
    }
    let value = ctx.int32(field, path)?;
    bounded(ctx, "invalid-port", path, &value, 1, 65535)
}
