//! `ConnectivityTest` (`netpol/v1alpha1`): a strict schema and clear errors
//! (rule `invalid-connectivity-test`).

use alloc::string::String;
use alloc::vec::Vec;

use super::context::{child, index, present, Ctx};
use super::meta::{decode_meta, NameRule};
use super::ports::{decode_port_value, decode_protocol};
use crate::doc::{Node, Value};
use crate::model::{ConnectivityTest, Expectation, Spanned, TestCase};
use crate::source::SourceId;
use crate::validate::message;

/// The one apiVersion of ConnectivityTest.
pub(crate) const API_VERSION: &str = "netpol/v1alpha1";

const RULE: &str = "invalid-connectivity-test";

/// Decodes a ConnectivityTest; `None` when it has errors.
pub(crate) fn decode_connectivity_test(
    ctx: &mut Ctx,
    root: &Node,
    source: SourceId,
) -> Option<ConnectivityTest> {
    ctx.check_fields(root, "", &["apiVersion", "kind", "metadata", "spec"]);
    let meta = decode_meta(ctx, root, source, NameRule::Subdomain, true);
    if meta.api_version != API_VERSION {
        let span = root.get("apiVersion").map_or(root.span, |n| n.span);
        let text = message::unsupported("apiVersion", &meta.api_version, &[API_VERSION]);
        ctx.error(RULE, "apiVersion", span, text);
    }
    let spec = ctx.map(root.get("spec"), "spec");
    if let Some(spec) = spec {
        ctx.check_fields(spec, "spec", &["cases"]);
    }
    let cases_node = spec.and_then(|s| s.get("cases"));
    let cases = ctx.seq(cases_node, "spec.cases");
    let items = cases.as_ref().map_or(&[][..], |c| c.value);
    if items.is_empty() && cases_node.is_none_or(|n| matches!(n.value, Value::Null | Value::Seq(_)))
    {
        let span = cases_node.or(spec).map_or(root.span, |n| n.span);
        let text = message::required("spec.cases", "a ConnectivityTest needs at least one case");
        ctx.error(RULE, "spec.cases", span, text);
    }
    let mut decoded = Some(Vec::new());
    for (i, item) in items.iter().enumerate() {
        let case = decode_case(ctx, item, &index("spec.cases", i));
        match (decoded.as_mut(), case) {
            (Some(list), Some(case)) => list.push(case),
            _ => decoded = None,
        }
    }
    if ctx.rejected {
        return None;
    }
    Some(ConnectivityTest {
        meta,
        cases: decoded?,
    })
}

/// One case at `path`.
fn decode_case(ctx: &mut Ctx, node: &Node, path: &str) -> Option<TestCase> {
    let map = ctx.map(Some(node), path);
    let Some(map) = map else {
        if matches!(node.value, Value::Null) {
            ctx.error(
                RULE,
                path,
                node.span,
                message::required(path, "a case needs from, to, port and expect"),
            );
        }
        return None;
    };
    ctx.check_fields(
        map,
        path,
        &["name", "from", "to", "port", "protocol", "expect"],
    );
    let name = ctx.string(map.get("name"), &child(path, "name"));
    let from = required_string(ctx, map, path, "from");
    let to = required_string(ctx, map, path, "to");
    let port_path = child(path, "port");
    let port = match present(map.get("port")) {
        Some(node) => decode_port_value(ctx, node, &port_path, RULE),
        None => {
            ctx.error(
                RULE,
                &port_path,
                map.span,
                message::required(&port_path, ""),
            );
            None
        }
    };
    let protocol = decode_protocol(ctx, map.get("protocol"), &child(path, "protocol"));
    let expect = decode_expect(ctx, map, path);
    Some(TestCase {
        span: map.span,
        name: name.map(|n| n.value),
        from: from?,
        to: to?,
        port: port?,
        protocol: protocol?.map(|p| p.value).unwrap_or_default(),
        expect: expect?,
    })
}

/// A required non-empty string field `key` of the case `map`.
fn required_string(ctx: &mut Ctx, map: &Node, path: &str, key: &str) -> Option<Spanned<String>> {
    let field_path = child(path, key);
    let value = ctx.string(map.get(key), &field_path);
    match value {
        Some(v) if !v.value.trim().is_empty() => Some(v),
        Some(v) => {
            ctx.error(
                RULE,
                &field_path,
                v.span,
                message::required(&field_path, ""),
            );
            None
        }
        None => {
            if present(map.get(key)).is_none() {
                ctx.error(
                    RULE,
                    &field_path,
                    map.span,
                    message::required(&field_path, ""),
                );
            }
            None
        }
    }
}

/// `expect`: `allow` or `deny`.
fn decode_expect(ctx: &mut Ctx, map: &Node, path: &str) -> Option<Spanned<Expectation>> {
    let expect_path = child(path, "expect");
    let text = required_string(ctx, map, path, "expect")?;
    let value = match text.value.as_str() {
        "allow" => Expectation::Allow,
        "deny" => Expectation::Deny,
        other => {
            let msg = message::unsupported(&expect_path, other, &["allow", "deny"]);
            ctx.error(RULE, &expect_path, text.span, msg);
            return None;
        }
    };
    Some(Spanned::new(value, text.span))
}
