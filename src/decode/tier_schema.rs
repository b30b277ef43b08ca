//! The OpenAPI schema checks the cluster-wide policy kinds share (`required`,
//! `minProperties`/`maxProperties` of one-of objects, `minItems`/`maxItems`,
//! `minimum`/`maximum`), with the server's messages.

use alloc::string::String;
use alloc::vec::Vec;

use super::context::{child, present, Ctx};
use super::selector::decode_selector;
use super::tiers::Shape;
use crate::doc::Node;
use crate::model::{LabelSelector, Spanned};
use crate::validate::{message, schema};

/// The rule id of a missing required field, from its path.
pub(super) fn required_rule(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or(path) {
        "spec" => "invalid-spec",
        "tier" => "invalid-tier",
        "priority" => "invalid-priority",
        "subject" => "invalid-subject",
        "action" => "invalid-action",
        "from" | "to" | "namespaceSelector" | "podSelector" => "invalid-peer",
        _ => "invalid-port",
    }
}

/// The mapping at `path` (whose last part is its key in `parent`), which the schema
/// requires: `Required value` when absent or null.
pub(super) fn required_map<'n>(ctx: &mut Ctx, parent: &'n Node, path: &str) -> Option<&'n Node> {
    let key = path.rsplit('.').next().unwrap_or(path);
    let node = parent.get(key);
    if present(node).is_none() {
        let span = node.map_or(parent.span, |n| n.span);
        ctx.error(required_rule(path), path, span, message::required(path, ""));
        return None;
    }
    ctx.map(node, path)
}

/// The string at `node.key`, which the schema requires.
pub(super) fn required_string(
    ctx: &mut Ctx,
    node: &Node,
    key: &str,
    path: &str,
) -> Option<Spanned<String>> {
    let field = node.get(key);
    if present(field).is_none() {
        let span = field.map_or(node.span, |n| n.span);
        ctx.error(required_rule(path), path, span, message::required(path, ""));
        return None;
    }
    ctx.string(field, path)
}

/// An integer checked against the schema's `minimum` and `maximum`.
pub(super) fn bounded(
    ctx: &mut Ctx,
    rule: &'static str,
    path: &str,
    value: &Spanned<i64>,
    min: i64,
    max: i64,
) -> Option<Spanned<u16>> {
    if value.value < min {
        let text = schema::minimum(path, value.value, min);
        ctx.error(rule, path, value.span, text);
        return None;
    }
    if value.value > max {
        let text = schema::maximum(path, value.value, max);
        ctx.error(rule, path, value.span, text);
        return None;
    }
    let number = u16::try_from(value.value).ok()?;
    Some(Spanned::new(number, value.span))
}

/// `node` as a mapping (reporting another type).
pub(super) fn ctx_map<'n>(ctx: &mut Ctx, node: &'n Node, path: &str) -> Option<&'n Node> {
    ctx.map(Some(node), path)
}

/// The one field of `fields` that the mapping `node` sets (`minProperties: 1`,
/// `maxProperties: 1`); `None`, with the server's error, when it sets none or
/// several. Unknown fields do not count: the server prunes them before it checks.
pub(super) fn exactly_one<'f>(
    ctx: &mut Ctx,
    rule: &'static str,
    node: &Node,
    path: &str,
    fields: &[&'f str],
) -> Option<&'f str> {
    let set: Vec<&'f str> = fields
        .iter()
        .copied()
        .filter(|f| present(node.get(f)).is_some())
        .collect();
    match set.as_slice() {
        [one] => Some(one),
        [] => {
            ctx.error(
                rule,
                path,
                node.span,
                schema::too_few_properties(path, 0, 1),
            );
            None
        }
        several => {
            let text = schema::too_many(path, several.len(), 1);
            ctx.error(rule, path, node.span, text);
            None
        }
    }
}

/// A `pods` subject or peer: `namespaceSelector` (required in v1alpha1; absent in
/// v1alpha2 is the empty selector, every namespace) and `podSelector` (required).
pub(super) fn decode_namespaced_pod(
    ctx: &mut Ctx,
    node: &Node,
    path: &str,
    shape: &Shape,
) -> Option<(LabelSelector, LabelSelector)> {
    let map = ctx_map(ctx, node, path)?;
    ctx.check_fields(map, path, &["namespaceSelector", "podSelector"]);
    let ns_path = child(path, "namespaceSelector");
    let namespaces = if shape.pods_need_namespaces {
        required_map(ctx, map, &ns_path).and_then(|n| decode_selector(ctx, n, &ns_path))
    } else {
        match ctx.map(map.get("namespaceSelector"), &ns_path) {
            Some(n) => decode_selector(ctx, n, &ns_path),
            None => Some(LabelSelector::everything(map.span)),
        }
    };
    let pod_path = child(path, "podSelector");
    let pods = required_map(ctx, map, &pod_path).and_then(|n| decode_selector(ctx, n, &pod_path));
    Some((namespaces?, pods?))
}

/// `maxItems`: `false`, with the server's error, when the list is longer.
pub(super) fn check_max_items(
    ctx: &mut Ctx,
    rule: &'static str,
    path: &str,
    items: &Spanned<&[Node]>,
    max: usize,
) -> bool {
    let count = items.value.len();
    if count > max {
        ctx.error(rule, path, items.span, schema::too_many(path, count, max));
        return false;
    }
    true
}

/// `minItems: 1` and `maxItems`: the list's items, or `None` with the server's error.
pub(super) fn sized_list<'n>(
    ctx: &mut Ctx,
    rule: &'static str,
    node: Option<&'n Node>,
    path: &str,
    max: usize,
) -> Option<Spanned<&'n [Node]>> {
    let items = ctx.seq(node, path)?;
    if items.value.is_empty() {
        ctx.error(rule, path, items.span, schema::too_few_items(path, 0, 1));
        return None;
    }
    check_max_items(ctx, rule, path, &items, max).then_some(items)
}
