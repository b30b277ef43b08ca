//! NetworkPolicy: the strict schema, `ValidateNetworkPolicySpec`, and the model.

use alloc::format;
use alloc::vec::Vec;

use super::context::{child, index, present, Ctx};
use super::meta::{decode_meta, NameRule};
use super::peer::decode_peer;
use super::ports::decode_port_entry;
use super::selector::decode_selector;
use crate::doc::{Node, Value};
use crate::model::{Direction, LabelSelector, NetworkPolicy, PolicyType, Rule, Spanned};
use crate::source::SourceId;
use crate::validate::message;

/// The top-level fields of a NetworkPolicy (`status` was removed in Kubernetes 1.28).
const POLICY_FIELDS: &[&str] = &["apiVersion", "kind", "metadata", "spec"];

/// Decodes a `networking.k8s.io/v1` NetworkPolicy; `None` when it has errors.
pub(crate) fn decode_policy(ctx: &mut Ctx, root: &Node, source: SourceId) -> Option<NetworkPolicy> {
    ctx.check_fields(root, "", POLICY_FIELDS);
    let meta = decode_meta(ctx, root, source, NameRule::Subdomain, true);
    let spec = ctx.map(root.get("spec"), "spec");
    let spec_type_ok = spec.is_some() || present(root.get("spec")).is_none();
    let spec_span = spec.map_or(root.span, |s| s.span);
    if let Some(spec) = spec {
        ctx.check_fields(
            spec,
            "spec",
            &["podSelector", "policyTypes", "ingress", "egress"],
        );
    }
    let field = |key: &str| spec.and_then(|s| s.get(key));

    let selector_node = ctx.map(field("podSelector"), "spec.podSelector");
    let pod_selector = match selector_node {
        Some(node) => decode_selector(ctx, node, "spec.podSelector"),
        None => Some(LabelSelector::everything(spec_span)),
    };
    let ingress = decode_rules(ctx, field("ingress"), Direction::Ingress);
    let egress = decode_rules(ctx, field("egress"), Direction::Egress);
    let policy_types = decode_policy_types(ctx, field("policyTypes"));
    if !spec_type_ok {
        return None;
    }
    Some(NetworkPolicy {
        meta,
        spec_span,
        pod_selector: pod_selector?,
        pod_selector_written: selector_node.is_some(),
        policy_types: policy_types?,
        ingress: ingress?,
        egress: egress?,
    })
}

/// `spec.ingress` or `spec.egress`: `Some(None)` when absent.
fn decode_rules(
    ctx: &mut Ctx,
    node: Option<&Node>,
    direction: Direction,
) -> Option<Option<Spanned<Vec<Rule>>>> {
    let path = child("spec", direction.field());
    let type_ok = node.is_none_or(|n| matches!(n.value, Value::Null | Value::Seq(_)));
    let Some(items) = ctx.seq(node, &path) else {
        return type_ok.then_some(None);
    };
    let mut rules = Some(Vec::with_capacity(items.value.len()));
    for (i, item) in items.value.iter().enumerate() {
        let rule = decode_rule(ctx, item, &index(&path, i), direction);
        match (rules.as_mut(), rule) {
            (Some(list), Some(rule)) => list.push(rule),
            _ => rules = None,
        }
    }
    Some(Some(Spanned::new(rules?, items.span)))
}

/// One rule: `ports` first, then the peers (the server's order).
fn decode_rule(ctx: &mut Ctx, node: &Node, path: &str, direction: Direction) -> Option<Rule> {
    let map = if matches!(node.value, Value::Null) {
        None
    } else {
        Some(ctx.map(Some(node), path)?)
    };
    let peer_field = direction.peer_field();
    if let Some(map) = map {
        ctx.check_fields(map, path, &["ports", peer_field]);
    }
    let field = |key: &str| map.and_then(|m| m.get(key));
    let ports = decode_list(
        ctx,
        field("ports"),
        &child(path, "ports"),
        decode_port_entry,
    );
    let peers = decode_list(
        ctx,
        field(peer_field),
        &child(path, peer_field),
        decode_peer,
    );
    Some(Rule {
        span: node.span,
        peers: peers?,
        ports: ports?,
    })
}

/// A list field whose items decode with `item`: `Some(None)` when absent, `None`
/// when the list or an item is invalid.
fn decode_list<T>(
    ctx: &mut Ctx,
    node: Option<&Node>,
    path: &str,
    item: fn(&mut Ctx, &Node, &str) -> Option<T>,
) -> Option<Option<Spanned<Vec<T>>>> {
    let type_ok = node.is_none_or(|n| matches!(n.value, Value::Null | Value::Seq(_)));
    let Some(items) = ctx.seq(node, path) else {
        return type_ok.then_some(None);
    };
    let mut out = Some(Vec::with_capacity(items.value.len()));
    for (i, node) in items.value.iter().enumerate() {
        let decoded = item(ctx, node, &index(path, i));
        match (out.as_mut(), decoded) {
            (Some(list), Some(value)) => list.push(value),
            _ => out = None,
        }
    }
    Some(Some(Spanned::new(out?, items.span)))
}

/// `spec.policyTypes`: at most two entries, each `Ingress` or `Egress`.
#[allow(clippy::type_complexity)]
fn decode_policy_types(
    ctx: &mut Ctx,
    node: Option<&Node>,
) -> Option<Option<Spanned<Vec<Spanned<PolicyType>>>>> {
    let path = "spec.policyTypes";
    let type_ok = node.is_none_or(|n| matches!(n.value, Value::Null | Value::Seq(_)));
    let Some(items) = ctx.seq(node, path) else {
        return type_ok.then_some(None);
    };
    let mut texts = Vec::new();
    for (i, item) in items.value.iter().enumerate() {
        match ctx.string(Some(item), &index(path, i)) {
            Some(text) => texts.push(text),
            None if matches!(item.value, Value::Null) => {
                texts.push(Spanned::new(alloc::string::String::new(), item.span))
            }
            None => return None,
        }
    }
    if texts.len() > 2 {
        let rendered = go_policy_types(&texts);
        let text =
            message::invalid_raw(path, &rendered, "may not specify more than two policyTypes");
        ctx.error("invalid-policy-type", path, items.span, text);
        return None;
    }
    let mut types = Some(Vec::with_capacity(texts.len()));
    for (i, text) in texts.iter().enumerate() {
        let item_path = index(path, i);
        match (types.as_mut(), PolicyType::parse(&text.value)) {
            (Some(list), Some(t)) => list.push(Spanned::new(t, text.span)),
            (_, None) => {
                let msg = message::unsupported(&item_path, &text.value, &["Ingress", "Egress"]);
                ctx.error("invalid-policy-type", &item_path, text.span, msg);
                types = None;
            }
            (None, Some(_)) => {}
        }
    }
    Some(Some(Spanned::new(types?, items.span)))
}

/// The slice as Go's `%#v` prints it: `[]networking.PolicyType{"Ingress", "Egress"}`.
fn go_policy_types(texts: &[Spanned<alloc::string::String>]) -> alloc::string::String {
    let quoted: Vec<_> = texts.iter().map(|t| message::go_quote(&t.value)).collect();
    format!("[]networking.PolicyType{{{}}}", quoted.join(", "))
}
