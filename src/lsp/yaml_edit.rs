//! Text insertions into YAML (or JSON) collections that leave every other byte as
//! the user wrote it: a new mapping entry or sequence item goes on its own line
//! at the collection's indentation (block style), or before the closing bracket
//! (flow style, JSON). Values are written as JSON, which is also YAML flow.

use std::format;
use std::prelude::rust_2021::*;

use serde_json::Value;

use crate::source::Span;

/// An insertion: `text` at byte `at` (a replacement when `replaced` is not empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    /// The bytes replaced (empty for a pure insertion at `replaced.start`).
    pub replaced: Span,
    /// The new text.
    pub text: String,
}

/// Adds `key: value` to the mapping spanning `map` in `text`.
pub fn insert_entry(text: &str, map: Span, key: &str, value: &Value) -> Option<Insertion> {
    let value = flow(value);
    let body = text.get(map.start as usize..map.end as usize)?;
    if body.starts_with('{') {
        return flow_insert(text, map, '}', &format!("{}: {value}", quoted(key)));
    }
    if body.is_empty() || body.starts_with(['[', '-', '"', '\'', '&', '!', '|', '>']) {
        return None;
    }
    block_insert(text, map, &format!("{key}: {value}"))
}

/// Adds `value` as the last item of the sequence spanning `seq` in `text`.
pub fn append_item(text: &str, seq: Span, value: &Value) -> Option<Insertion> {
    let value = flow(value);
    let body = text.get(seq.start as usize..seq.end as usize)?;
    if body.starts_with('[') {
        return flow_insert(text, seq, ']', &value);
    }
    if !body.starts_with('-') {
        return None;
    }
    block_insert(text, seq, &format!("- {value}"))
}

/// Replaces the value spanning `span` with `value`.
pub fn replace(span: Span, value: &Value) -> Option<Insertion> {
    Some(Insertion {
        replaced: span,
        text: flow(value),
    })
}

/// `item` before the closing `close` of the flow collection `span`, after a comma
/// when the collection has items.
fn flow_insert(text: &str, span: Span, close: char, item: &str) -> Option<Insertion> {
    let inner = text.get(span.start as usize + 1..span.end as usize)?;
    let inner = inner.strip_suffix(close)?;
    let kept = inner.trim_end();
    let at = span.start + 1 + u32::try_from(kept.len()).ok()?;
    let separator = if kept.trim_start().is_empty() {
        ""
    } else {
        ", "
    };
    Some(Insertion {
        replaced: Span { start: at, end: at },
        text: format!("{separator}{item}"),
    })
}

/// `line` on a new line after the last line of the block collection `span`,
/// indented like its first line's content.
fn block_insert(text: &str, span: Span, line: &str) -> Option<Insertion> {
    let start = span.start as usize;
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let prefix = text.get(line_start..start)?;
    // The collection starts after `- ` of an enclosing item, or after spaces.
    let indent = " ".repeat(prefix.chars().count());
    let content = text.get(start..span.end as usize)?.trim_end();
    let last = start + content.len();
    let line_end = text
        .get(last..)?
        .find('\n')
        .map_or(text.len(), |i| last + i);
    let line_end = if text.get(..line_end)?.ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    let at = u32::try_from(line_end).ok()?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(Insertion {
        replaced: Span { start: at, end: at },
        text: format!("{newline}{indent}{line}"),
    })
}

/// `value` as one line of JSON with a space after each `:` and `,` (JSON is
/// also YAML flow style).
fn flow(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(key, value)| format!("{}: {}", quoted(key), flow(value)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        scalar => scalar.to_string(),
    }
}

fn quoted(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_else(|_| String::from(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(text: &str, edit: &Insertion) -> String {
        let (start, end) = (edit.replaced.start as usize, edit.replaced.end as usize);
        format!("{}{}{}", &text[..start], edit.text, &text[end..])
    }

    fn span_of(text: &str, part: &str) -> Span {
        let start = text.find(part).unwrap() as u32;
        Span {
            start,
            end: start + part.len() as u32,
        }
    }

    #[test]
    fn block_maps_get_a_line_at_their_indentation() {
        let text = "spec:\n  podSelector: {}\n  ingress: [] # none\nnext: 1\n";
        let map = span_of(text, "podSelector: {}\n  ingress: []");
        let edit = insert_entry(text, map, "policyTypes", &json!(["Ingress"])).unwrap();
        assert_eq!(
            apply(text, &edit),
            "spec:\n  podSelector: {}\n  ingress: [] # none\n  policyTypes: [\"Ingress\"]\nnext: 1\n"
        );
    }

    #[test]
    fn items_of_block_sequences_keep_their_dash_column() {
        let text = "egress:\n  - to: []\n    ports: []\n";
        let item = span_of(text, "to: []\n    ports: []");
        let edit = insert_entry(text, item, "x", &json!(1)).unwrap();
        assert_eq!(
            apply(text, &edit),
            "egress:\n  - to: []\n    ports: []\n    x: 1\n"
        );
        let seq = span_of(text, "- to: []\n    ports: []");
        let edit = append_item(text, seq, &json!({"to": []})).unwrap();
        assert_eq!(
            apply(text, &edit),
            "egress:\n  - to: []\n    ports: []\n  - {\"to\": []}\n"
        );
    }

    #[test]
    fn flow_collections_get_the_entry_before_the_bracket() {
        let text = "spec: {podSelector: {}, egress: [ ]}";
        let map = span_of(text, "{podSelector: {}, egress: [ ]}");
        let edit = insert_entry(text, map, "policyTypes", &json!(["Egress"])).unwrap();
        assert_eq!(
            apply(text, &edit),
            "spec: {podSelector: {}, egress: [ ], \"policyTypes\": [\"Egress\"]}"
        );
        let seq = span_of(text, "[ ]");
        let edit = append_item(text, seq, &json!(1)).unwrap();
        assert_eq!(apply(text, &edit), "spec: {podSelector: {}, egress: [1 ]}");
    }

    #[test]
    fn values_that_are_not_collections_are_refused() {
        let text = "spec: |\n  x\n";
        assert_eq!(
            insert_entry(text, span_of(text, "|\n  x"), "k", &json!(1)),
            None
        );
        assert_eq!(append_item(text, span_of(text, "spec"), &json!(1)), None);
        let edit = replace(span_of(text, "x"), &json!([1])).unwrap();
        assert_eq!(apply(text, &edit), "spec: |\n  [1]\n");
    }
}
