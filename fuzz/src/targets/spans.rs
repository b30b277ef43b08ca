//! Invariants of positions: every span a reader, the decoder or a rule reports lies
//! inside its source text, on character boundaries.

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
