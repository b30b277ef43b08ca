//! The ingress and egress rules of cluster-wide policies: `name`, `action`, the
//! peers and the ports.

use alloc::string::String;
use alloc::vec::Vec;

use super::context::{child, index, present, Ctx};
use super::tier_peers::{check_named_port_peers, decode_peer};
use super::tier_ports::decode_port;
use super::tier_schema::{check_max_items, ctx_map, required_rule, required_string, sized_list};
use super::tiers::Shape;
use crate::doc::{Node, Value};
use crate::model::{Direction, Spanned, TierAction, TierRule};
use crate::validate::{message, schema};

/// `maxLength` of a rule's `name`.
const NAME_MAX_LENGTH: usize = 100;

/// `spec.ingress` or `spec.egress` of `spec` (empty when absent); at most
/// `max_items` rules.
pub(super) fn decode_rules(
    ctx: &mut Ctx,
    spec: &Node,
    direction: Direction,
    shape: &Shape,
) -> Option<Vec<TierRule>> {
    let path = child("spec", direction.field());
    let field = spec.get(direction.field());
    let type_ok = field.is_none_or(|n| matches!(n.value, Value::Null | Value::Seq(_)));
    let Some(items) = ctx.seq(field, &path) else {
        return type_ok.then(Vec::new);
    };
    let mut ok = check_max_items(ctx, "invalid-rule", &path, &items, shape.max_items);
    let mut rules = Vec::with_capacity(items.value.len());
    for (i, item) in items.value.iter().enumerate() {
        match decode_rule(ctx, item, &index(&path, i), direction, shape) {
            Some(rule) => rules.push(rule),
            None => ok = false,
        }
    }
    ok.then_some(rules)
}

/// One rule: `name`, `action` (required), the peers (required) and the ports.
fn decode_rule(
    ctx: &mut Ctx,
    node: &Node,
    path: &str,
    direction: Direction,
    shape: &Shape,
) -> Option<TierRule> {
    let peer_field = direction.peer_field();
    if matches!(node.value, Value::Null) {
        for missing in [child(path, "action"), child(path, peer_field)] {
            let text = message::required(&missing, "");
            ctx.error(required_rule(&missing), &missing, node.span, text);
        }
        return None;
    }
    let map = ctx_map(ctx, node, path)?;
    ctx.check_fields(
        map,
        path,
        &["name", "action", peer_field, shape.ports_field],
    );
    let name = decode_rule_name(ctx, map, path);
    let action = decode_action(ctx, map, path, shape);
    let peers_path = child(path, peer_field);
    let peers = if present(map.get(peer_field)).is_none() {
        let text = message::required(&peers_path, "");
        ctx.error("invalid-peer", &peers_path, map.span, text);
        None
    } else {
        let field = map.get(peer_field);
        decode_items(ctx, field, &peers_path, "invalid-peer", shape, |c, n, p| {
            decode_peer(c, n, p, direction, shape)
        })
    };
    let ports_path = child(path, shape.ports_field);
    let ports = match present(map.get(shape.ports_field)) {
        None => Some(None),
        Some(n) => decode_items(
            ctx,
            Some(n),
            &ports_path,
            "invalid-port",
            shape,
            |c, n, p| decode_port(c, n, p, shape),
        )
        .map(|list| Some(Spanned::new(list, n.span))),
    };
    let rule = TierRule {
        span: node.span,
        name: name?,
        action: action?,
        peers: peers?,
        ports: ports?,
    };
    let ok = direction == Direction::Ingress || check_named_port_peers(ctx, &rule, path, shape);
    ok.then_some(rule)
}

/// A sized list whose items decode with `item`: `None` when the list or an item is
/// invalid.
fn decode_items<T>(
    ctx: &mut Ctx,
    node: Option<&Node>,
    path: &str,
    rule: &'static str,
    shape: &Shape,
    item: impl Fn(&mut Ctx, &Node, &str) -> Option<T>,
) -> Option<Vec<T>> {
    let items = sized_list(ctx, rule, node, path, shape.max_items)?;
    let mut out = Some(Vec::with_capacity(items.value.len()));
    for (i, node) in items.value.iter().enumerate() {
        match (item(ctx, node, &index(path, i)), out.as_mut()) {
            (Some(value), Some(list)) => list.push(value),
            _ => out = None,
        }
    }
    out
}

/// `name`: at most 100 bytes. `Some(None)` when absent.
fn decode_rule_name(ctx: &mut Ctx, map: &Node, path: &str) -> Option<Option<Spanned<String>>> {
    let name_path = child(path, "name");
    let field = map.get("name");
    let Some(name) = ctx.string(field, &name_path) else {
        return present(field).is_none().then_some(None);
    };
    if name.value.len() > NAME_MAX_LENGTH {
        let text = schema::too_long(&name_path, NAME_MAX_LENGTH);
        ctx.error("invalid-rule", &name_path, name.span, text);
        return None;
    }
    Some(Some(name))
}

/// `action`: required, one of the kind's actions (v1alpha1 `Allow` is `Accept`).
fn decode_action(
    ctx: &mut Ctx,
    map: &Node,
    path: &str,
    shape: &Shape,
) -> Option<Spanned<TierAction>> {
    let action_path = child(path, "action");
    let text = required_string(ctx, map, "action", &action_path)?;
    let action = match text.value.as_str() {
        "Accept" if !shape.v1alpha1() => Some(TierAction::Accept),
        "Allow" if shape.v1alpha1() => Some(TierAction::Accept),
        "Deny" => Some(TierAction::Deny),
        "Pass" if shape.actions.contains(&"Pass") => Some(TierAction::Pass),
        _ => None,
    };
    if action.is_none() {
        let msg = message::unsupported(&action_path, &text.value, shape.actions);
        ctx.error("invalid-action", &action_path, text.span, msg);
    }
    Some(Spanned::new(action?, text.span))
}
