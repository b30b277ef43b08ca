//! The JSON reader on any text: no panic, every span inside the text, and agreement
//! with serde_json: text serde_json accepts is read without a syntax error, and, when
//! read without any diagnostic, as the same value.

use netpol::doc::{self, Limits, Node, Value};
use netpol::source::{Source, SourceId};

use super::{spans, text_of};

/// What the reader may report on text serde_json accepts: a repeated key (serde_json
/// keeps the last one silently) and nesting deeper than the reader's limit.
const ACCEPTED_DIAGNOSTICS: [&str; 2] = ["duplicate-field", "nesting-too-deep"];

/// Reads the bytes as JSON, checks every span and compares with serde_json.
pub fn run(data: &[u8]) {
    let text = text_of(data);
    let source = Source::new("input.json", text.as_str());
    let result = doc::read(&source, SourceId(0), &Limits::default());
    spans::check_read(&text, &result);
    let Ok(expected) = serde_json::from_str::<serde_json::Value>(&text) else {
        return;
    };
    for diagnostic in &result.diagnostics {
        assert!(
            ACCEPTED_DIAGNOSTICS.contains(&diagnostic.rule),
            "serde_json reads {text:?} but the reader reported {}: {}",
            diagnostic.rule,
            diagnostic.message
        );
    }
    if result.diagnostics.is_empty() {
        assert_eq!(result.documents.len(), 1, "one document in {text:?}");
        if let Some(document) = result.documents.first() {
            assert!(
                same(&document.root, &expected),
                "{text:?} read as {:?}, serde_json reads {expected:?}",
                document.root
            );
        }
    }
}

/// Whether a read node equals a serde_json value (floats to within rounding: the
/// two parsers may round the last bit differently). serde_json reads `-0` as the
/// float -0.0; the reader, like the API server's decoder, as the integer 0.
pub fn same(node: &Node, json: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (&node.value, json) {
        (Value::Null, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Int(a), J::Number(b)) => {
            b.as_i64() == Some(*a) || (*a == 0 && b.as_f64() == Some(0.0))
        }
        (Value::Float(a), J::Number(b)) => !b.is_i64() && b.as_f64().is_some_and(|b| close(*a, b)),
        (Value::String(a), J::String(b)) => a == b,
        (Value::Seq(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Map(a), J::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|e| b.get(&e.key).is_some_and(|v| same(&e.value, v)))
        }
        _ => false,
    }
}

/// Equal, or within a relative 1e-15 (a difference in the last bit or two).
fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-15 * a.abs().max(b.abs())
}
