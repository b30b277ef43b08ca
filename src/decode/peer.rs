//! Peers of rules (`ValidateNetworkPolicyPeer`) and ipBlocks (`ValidateIPBlock`).

use alloc::string::String;
use alloc::vec::Vec;

use super::context::{child, index, present, transpose, Ctx};
use super::selector::decode_selector;
use crate::doc::{Node, Value};
use crate::model::{IpBlock, Peer, Spanned};
use crate::validate::cidr::{is_strict_subset, parse_cidr, INVALID_CIDR, NOT_STRICT_SUBSET};
use crate::validate::message;

/// One entry of `from` / `to` at `path`.
pub(crate) fn decode_peer(ctx: &mut Ctx, node: &Node, path: &str) -> Option<Peer> {
    let map = if matches!(node.value, Value::Null) {
        None
    } else {
        Some(ctx.map(Some(node), path)?)
    };
    if let Some(map) = map {
        ctx.check_fields(map, path, &["podSelector", "namespaceSelector", "ipBlock"]);
    }
    let field = |key: &str| map.and_then(|m| m.get(key));
    let mut ok = true;
    let mut selector = |ctx: &mut Ctx, key: &str| {
        let sel_path = child(path, key);
        let node = ctx.map(field(key), &sel_path);
        if node.is_none() && present(field(key)).is_some() {
            ok = false;
        }
        node.map(|n| decode_selector(ctx, n, &sel_path))
    };
    let pods = selector(ctx, "podSelector");
    let namespaces = selector(ctx, "namespaceSelector");
    let block_path = child(path, "ipBlock");
    let block_node = ctx.map(field("ipBlock"), &block_path);
    if block_node.is_none() && present(field("ipBlock")).is_some() {
        ok = false;
    }
    let block = block_node.map(|n| decode_ip_block(ctx, n, node.span, &block_path));

    let count = usize::from(pods.is_some())
        + usize::from(namespaces.is_some())
        + usize::from(block.is_some());
    if count == 0 && ok {
        let text = message::required(path, "must specify a peer");
        ctx.error("invalid-peer", path, node.span, text);
        return None;
    }
    if count > 1 && block.is_some() {
        let text = message::forbidden(path, "may not specify both ipBlock and another peer");
        ctx.error("invalid-peer", path, node.span, text);
        return None;
    }
    if !ok {
        return None;
    }
    match block {
        Some(block) => Some(Peer::IpBlock(block?)),
        None => Some(Peer::Selectors {
            span: node.span,
            pods: transpose(pods)?,
            namespaces: transpose(namespaces)?,
        }),
    }
}

/// `ipBlock` at `path`: `cidr` required and a CIDR; each `except` a CIDR strictly
/// inside `cidr`.
fn decode_ip_block(
    ctx: &mut Ctx,
    node: &Node,
    peer_span: crate::source::Span,
    path: &str,
) -> Option<IpBlock> {
    ctx.check_fields(node, path, &["cidr", "except"]);
    let cidr_path = child(path, "cidr");
    let except_path = child(path, "except");
    let cidr_text = ctx.string(node.get("cidr"), &cidr_path);
    let except_items = ctx.seq(node.get("except"), &except_path);
    let except_type_ok = except_items.is_some() || present(node.get("except")).is_none();
    let mut excepts: Vec<Spanned<String>> =
        Vec::with_capacity(except_items.as_ref().map_or(0, |s| s.value.len()));
    let mut items_ok = true;
    for (i, item) in except_items.iter().flat_map(|s| s.value.iter()).enumerate() {
        match ctx.string(Some(item), &index(&except_path, i)) {
            Some(text) => excepts.push(text),
            None if matches!(item.value, Value::Null) => {
                excepts.push(Spanned::new(String::new(), item.span))
            }
            None => items_ok = false,
        }
    }
    let cidr_text = match cidr_text.filter(|c| !c.value.is_empty()) {
        Some(text) => text,
        None => {
            if node
                .get("cidr")
                .is_none_or(|n| matches!(n.value, Value::Null | Value::String(_)))
            {
                let span = node.get("cidr").map_or(node.span, |n| n.span);
                ctx.error(
                    "invalid-cidr",
                    &cidr_path,
                    span,
                    message::required(&cidr_path, ""),
                );
            }
            return None;
        }
    };
    let Some(cidr) = parse_cidr(&cidr_text.value) else {
        let text = message::invalid_str(&cidr_path, &cidr_text.value, INVALID_CIDR);
        ctx.error("invalid-cidr", &cidr_path, cidr_text.span, text);
        return None;
    };
    let mut except = Some(Vec::with_capacity(excepts.len()));
    for (i, text) in excepts.iter().enumerate() {
        let item_path = index(&except_path, i);
        let parsed = match parse_cidr(&text.value) {
            None => {
                let msg = message::invalid_str(&item_path, &text.value, INVALID_CIDR);
                ctx.error("invalid-cidr", &item_path, text.span, msg);
                None
            }
            Some(net) if !is_strict_subset(&cidr, &net) => {
                let msg = message::invalid_str(&item_path, &text.value, NOT_STRICT_SUBSET);
                ctx.error("invalid-except", &item_path, text.span, msg);
                None
            }
            Some(net) => Some(Spanned::new(net, text.span)),
        };
        match (except.as_mut(), parsed) {
            (Some(list), Some(net)) => list.push(net),
            _ => except = None,
        }
    }
    if !(except_type_ok && items_ok) {
        return None;
    }
    Some(IpBlock {
        peer_span,
        cidr: Spanned::new(cidr, cidr_text.span),
        except: except?,
    })
}
