//! Checks shared by the targets and the reader tests: every span a reader, the
//! decoder or a rule reports lies inside its source text, on character boundaries;
//! and a read tree equals a serde_json value.
// Each crate that includes this file (the fuzz targets, the reader tests) uses a part.
#![allow(dead_code)]

use netpol::diag::Diagnostic;
use netpol::doc::{Node, ReadResult, Value};
use netpol::source::{SourceSet, Span};

/// Panics unless `span` lies inside `text` on character boundaries.
pub fn check_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what} span {span:?} is reversed");
    assert!(
        text.get(span.start as usize..span.end as usize).is_some(),
        "{what} span {span:?} is out of bounds or splits a character in {text:?}"
    );
}

/// Checks every span of a node tree (iteratively: trees may be deep).
pub fn check_node(text: &str, root: &Node) {
    let mut pending = vec![root];
    while let Some(node) = pending.pop() {
        check_span(text, node.span, "node");
        match &node.value {
            Value::Seq(items) => pending.extend(items),
            Value::Map(entries) => {
                for entry in entries {
                    check_span(text, entry.key_span, "key");
                    pending.push(&entry.value);
                }
            }
            _ => {}
        }
    }
}

/// Checks every span of a read result: documents and diagnostics.
pub fn check_read(text: &str, result: &ReadResult) {
    for document in &result.documents {
        check_node(text, &document.root);
    }
    for diagnostic in &result.diagnostics {
        check_diagnostic_in(text, diagnostic);
    }
}

/// Checks the location and labels of `diagnostic` against the one source `text`.
fn check_diagnostic_in(text: &str, diagnostic: &Diagnostic) {
    if let Some(location) = diagnostic.location {
        check_span(text, location.span, diagnostic.rule);
    }
    for label in &diagnostic.labels {
        check_span(text, label.location.span, "label");
    }
}

/// Checks every diagnostic against the source it names in `sources`.
pub fn check_diagnostics(sources: &SourceSet, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        let located = diagnostic
            .location
            .iter()
            .chain(diagnostic.labels.iter().map(|l| &l.location));
        for location in located {
            let Some(source) = sources.get(location.source) else {
                panic!("{} points at an unknown source", diagnostic.rule);
            };
            check_span(source.text(), location.span, diagnostic.rule);
        }
    }
}

/// Whether a read node equals a serde_json value, floats compared with
/// `floats_equal`. serde_json reads `-0` as the float -0.0; the reader, like the API
/// server's decoder, as the integer 0.
pub fn same(node: &Node, json: &serde_json::Value, floats_equal: fn(f64, f64) -> bool) -> bool {
    use serde_json::Value as J;
    match (&node.value, json) {
        (Value::Null, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Int(a), J::Number(b)) => {
            b.as_i64() == Some(*a) || (*a == 0 && b.as_f64() == Some(0.0))
        }
        (Value::Float(a), J::Number(b)) => {
            !b.is_i64() && b.as_f64().is_some_and(|b| floats_equal(*a, b))
        }
        (Value::String(a), J::String(b)) => a == b,
        (Value::Seq(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y, floats_equal))
        }
        (Value::Map(a), J::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|e| {
                    b.get(&*e.key)
                        .is_some_and(|v| same(&e.value, v, floats_equal))
                })
        }
        _ => false,
    }
}

/// Floats equal exactly.
pub fn exactly(a: f64, b: f64) -> bool {
    a == b
}

/// Floats equal, or within a relative 1e-15: serde_json's default float parsing may
/// round the last bit differently from the reader's exact one.
pub fn within_rounding(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-15 * a.abs().max(b.abs())
}
