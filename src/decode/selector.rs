//! Label selectors (`podSelector`, `namespaceSelector`) and `ValidateLabelSelector`.

use alloc::string::String;
use alloc::vec::Vec;

use super::context::{child, index, present, Ctx};
use super::meta::check_label_entries;
use crate::doc::{Node, Value};
use crate::model::{LabelSelector, Operator, Requirement, Spanned};
use crate::validate::{message, names};

/// Decodes the selector at `node` (a mapping) with path `path`; `None` when it has
/// an error (already reported).
pub(crate) fn decode_selector(ctx: &mut Ctx, node: &Node, path: &str) -> Option<LabelSelector> {
    ctx.check_fields(node, path, &["matchLabels", "matchExpressions"]);
    let labels_path = child(path, "matchLabels");
    let match_labels = ctx.string_map(node.get("matchLabels"), &labels_path);
    check_label_entries(ctx, &match_labels, &labels_path);

    let exprs_path = child(path, "matchExpressions");
    let mut match_expressions = Some(Vec::new());
    if let Some(items) = ctx.seq(node.get("matchExpressions"), &exprs_path) {
        match_expressions = Some(Vec::with_capacity(items.value.len()));
        for (i, item) in items.value.iter().enumerate() {
            let requirement = decode_requirement(ctx, item, &index(&exprs_path, i));
            match (match_expressions.as_mut(), requirement) {
                (Some(list), Some(r)) => list.push(r),
                _ => match_expressions = None,
            }
        }
    }
    let owned = |text: &Spanned<&str>| Spanned::new(String::from(text.value), text.span);
    Some(LabelSelector {
        span: node.span,
        match_labels: match_labels
            .iter()
            .map(|(k, v)| (owned(k), owned(v)))
            .collect(),
        match_expressions: match_expressions?,
    })
}

/// One `matchExpressions` entry, checked as `ValidateLabelSelectorRequirement`.
fn decode_requirement(ctx: &mut Ctx, node: &Node, path: &str) -> Option<Requirement> {
    // A `null` entry decodes to the zero requirement (empty key and operator).
    let map = if matches!(node.value, Value::Null) {
        None
    } else {
        Some(ctx.map(Some(node), path)?)
    };
    if let Some(map) = map {
        ctx.check_fields(map, path, &["key", "operator", "values"]);
    }
    let field = |key: &str| map.and_then(|m| m.get(key));
    let key_path = child(path, "key");
    let op_path = child(path, "operator");
    let values_path = child(path, "values");
    let key = ctx.string(field("key"), &key_path);
    let operator = ctx.string(field("operator"), &op_path);
    let values = decode_values(ctx, field("values"), &values_path);

    // A key or operator of the wrong type is already an `invalid-type` error.
    let typed =
        |key: &str| field(key).is_none_or(|n| matches!(n.value, Value::Null | Value::String(_)));
    let operator = operator.unwrap_or_else(|| Spanned::new(String::new(), node.span));
    let parsed = Operator::parse(&operator.value);
    let values_span = field("values").map_or(node.span, |v| v.span);
    match parsed {
        Some(Operator::In | Operator::NotIn) if values.as_ref().is_some_and(Vec::is_empty) => {
            let text = message::required(
                &values_path,
                "must be specified when `operator` is 'In' or 'NotIn'",
            );
            ctx.error("invalid-selector", &values_path, values_span, text);
        }
        Some(Operator::Exists | Operator::DoesNotExist)
            if values.as_ref().is_some_and(|v| !v.is_empty()) =>
        {
            let text = message::forbidden(
                &values_path,
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            );
            ctx.error("invalid-selector", &values_path, values_span, text);
        }
        Some(_) => {}
        None if !typed("operator") => {}
        None => {
            let text =
                message::invalid_str(&op_path, &operator.value, "not a valid selector operator");
            ctx.error("invalid-selector", &op_path, operator.span, text);
        }
    }
    let key = key.unwrap_or_else(|| Spanned::new(String::new(), node.span));
    if typed("key") {
        let key_errs = names::qualified_name(&key.value);
        ctx.invalid_strs("invalid-label-key", &key_path, &key, key_errs);
    }
    for (i, value) in values.iter().flatten().enumerate() {
        let errs = names::label_value(&value.value);
        ctx.invalid_strs("invalid-label-value", &index(&values_path, i), value, errs);
    }
    Some(Requirement {
        span: node.span,
        key,
        operator: Spanned::new(parsed?, operator.span),
        values: values?,
    })
}

/// `values`: a list of strings (`None` when an item has the wrong type).
fn decode_values(ctx: &mut Ctx, node: Option<&Node>, path: &str) -> Option<Vec<Spanned<String>>> {
    let Some(node) = present(node) else {
        return Some(Vec::new());
    };
    let items = ctx.seq(Some(node), path)?;
    let mut out = Some(Vec::with_capacity(items.value.len()));
    for (i, item) in items.value.iter().enumerate() {
        let value = ctx.string(Some(item), &index(path, i));
        match (out.as_mut(), value) {
            (Some(list), Some(v)) => list.push(v),
            // A null item decodes to the empty string.
            (Some(list), None) if matches!(item.value, Value::Null) => {
                list.push(Spanned::new(String::new(), item.span))
            }
            _ => out = None,
        }
    }
    out
}
