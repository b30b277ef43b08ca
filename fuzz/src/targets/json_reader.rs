//! The JSON reader on any text: no panic, every span inside the text, and agreement
//! with serde_json: text serde_json accepts is read without a syntax error, and, when
//! read without any diagnostic, as the same value.

use netpol::doc::{self, Limits};
use netpol::source::{Source, SourceId};

use super::checks::{self, same, within_rounding};
use super::text_of;

/// What the reader may report on text serde_json accepts: a repeated key (serde_json
/// keeps the last one silently) and nesting deeper than the reader's limit.
const ACCEPTED_DIAGNOSTICS: [&str; 2] = ["duplicate-field", "nesting-too-deep"];

/// Reads the bytes as JSON, checks every span and compares with serde_json.
pub fn run(data: &[u8]) {
    let text = text_of(data);
    let source = Source::new("input.json", text.as_str());
    let result = doc::read(&source, SourceId(0), &Limits::default());
    checks::check_read(&text, &result);
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
                same(&document.root, &expected, within_rounding),
                "{text:?} read as {:?}, serde_json reads {expected:?}",
                document.root
            );
        }
    }
}
