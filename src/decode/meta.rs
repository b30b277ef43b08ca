//! `apiVersion`, `kind` and `metadata`: identity, labels, annotations, and the
//! name/namespace/label checks of `ValidateObjectMeta`.

use alloc::string::String;

use super::context::Ctx;
use crate::diag::ResourceRef;
use crate::doc::{Node, Value};
use crate::model::{Labels, ObjectMeta, Spanned};
use crate::source::SourceId;
use crate::validate::{message, names};

/// The fields of `ObjectMeta` (for unknown-field checks).
const OBJECT_META_FIELDS: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

/// How an object's name is checked.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameRule {
    /// A DNS-1123 subdomain (most kinds).
    Subdomain,
    /// A DNS-1123 label (Namespace).
    Label,
}

/// The identity of an object read without reporting anything (for the resource
/// reference of its diagnostics): apiVersion, kind, namespace, name as written.
pub(crate) fn resource_of(root: &Node, api_version: &str, kind: &str) -> ResourceRef {
    let metadata = root.get("metadata");
    let text = |key: &str| metadata.and_then(|m| m.get(key)).and_then(Node::as_str);
    ResourceRef {
        api_version: String::from(api_version),
        kind: String::from(kind),
        namespace: text("namespace")
            .filter(|ns| !ns.is_empty())
            .map(String::from),
        name: String::from(text("name").unwrap_or("")),
    }
}

/// Decodes and validates `metadata` of `root`; `namespaced` objects get their
/// namespace checked.
pub(crate) fn decode_meta(
    ctx: &mut Ctx,
    root: &Node,
    source: SourceId,
    name_rule: NameRule,
    namespaced: bool,
) -> ObjectMeta {
    let metadata = ctx.map(root.get("metadata"), "metadata");
    if let Some(m) = metadata {
        ctx.check_fields(m, "metadata", OBJECT_META_FIELDS);
    }
    let field = |key: &str| metadata.and_then(|m| m.get(key));
    let name = ctx.string(field("name"), "metadata.name");
    let generate_name = ctx.string(field("generateName"), "metadata.generateName");
    let namespace = ctx.string(field("namespace"), "metadata.namespace");
    let labels = decode_labels(ctx, field("labels"), "metadata.labels");
    let annotations = decode_annotations(ctx, field("annotations"), "metadata.annotations");

    let name_span = metadata.map_or(root.span, |m| m.span);
    // A name of the wrong type is already an `invalid-type` error.
    let typed =
        |key: &str| field(key).is_none_or(|n| matches!(n.value, Value::Null | Value::String(_)));
    if typed("name") && typed("generateName") {
        check_name(
            ctx,
            name.as_ref(),
            generate_name.as_ref(),
            name_rule,
            name_span,
        );
    }
    if namespaced {
        if let Some(ns) = namespace.as_ref().filter(|ns| !ns.value.is_empty()) {
            let errs = names::dns1123_label(&ns.value);
            ctx.invalid_strs("invalid-namespace", "metadata.namespace", ns, errs);
        }
    }
    ObjectMeta {
        source,
        span: root.span,
        api_version: ctx.resource.api_version.clone(),
        kind: ctx.resource.kind.clone(),
        name: name.unwrap_or_else(|| Spanned::new(String::new(), root.span)),
        namespace: namespace.filter(|ns| !ns.value.is_empty()),
        labels,
        annotations,
    }
}

/// `metadata.name` (or `generateName` when the name is empty).
fn check_name(
    ctx: &mut Ctx,
    name: Option<&Spanned<String>>,
    generate_name: Option<&Spanned<String>>,
    rule: NameRule,
    missing_span: crate::source::Span,
) {
    let validate = |value: &str, prefix: bool| match rule {
        NameRule::Subdomain => names::object_name(value, prefix),
        NameRule::Label => match (prefix, value.strip_suffix('-')) {
            (true, Some(stem)) => names::dns1123_label(&(String::from(stem) + "a")),
            _ => names::dns1123_label(value),
        },
    };
    match (
        name.filter(|n| !n.value.is_empty()),
        generate_name.filter(|g| !g.value.is_empty()),
    ) {
        (Some(name), _) => {
            let errs = validate(&name.value, false);
            ctx.invalid_strs("invalid-name", "metadata.name", name, errs);
        }
        (None, Some(generate)) => {
            let errs = validate(&generate.value, true);
            ctx.invalid_strs("invalid-name", "metadata.generateName", generate, errs);
        }
        (None, None) => {
            let span = name.map_or(missing_span, |n| n.span);
            let text = message::required("metadata.name", "name or generateName is required");
            ctx.error("invalid-name", "metadata.name", span, text);
        }
    }
}

/// A label map (`metadata.labels`, a template's labels), validated as the server
/// validates labels: keys are qualified names, values label values.
pub(crate) fn decode_labels(ctx: &mut Ctx, node: Option<&Node>, path: &str) -> Labels {
    let entries = ctx.string_map(node, path);
    check_label_entries(ctx, &entries, path);
    interned(ctx, &entries)
}

/// `ValidateLabels`: every key a qualified name, every value a label value; errors
/// carry the map's path (the server does not name the key).
pub(crate) fn check_label_entries(
    ctx: &mut Ctx,
    entries: &[(Spanned<&str>, Spanned<&str>)],
    path: &str,
) {
    for (key, value) in entries {
        let key_errs = names::qualified_name(key.value);
        ctx.invalid_strs("invalid-label-key", path, key, key_errs);
        let value_errs = names::label_value(value.value);
        ctx.invalid_strs("invalid-label-value", path, value, value_errs);
    }
}

/// `metadata.annotations`: keys are qualified names (compared in lower case).
fn decode_annotations(ctx: &mut Ctx, node: Option<&Node>, path: &str) -> Labels {
    let entries = ctx.string_map(node, path);
    for (key, _) in &entries {
        let errs = names::qualified_name(&key.value.to_ascii_lowercase());
        ctx.invalid_strs("invalid-label-key", path, key, errs);
    }
    interned(ctx, &entries)
}

/// `entries` as [`Labels`] of strings shared through the context's interner.
fn interned(ctx: &mut Ctx, entries: &[(Spanned<&str>, Spanned<&str>)]) -> Labels {
    entries
        .iter()
        .map(|(k, v)| (ctx.interner.intern(k.value), ctx.interner.intern(v.value)))
        .collect()
}
