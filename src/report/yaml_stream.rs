//! A small block-style YAML writer for the report kinds: JSON values out as a YAML
//! stream (`---` before each document) that `kubectl apply -f -` reads.
//!
//! Every string is double-quoted with escapes, so no value can be misread as a
//! number, boolean or null, and no character can break the document: control
//! characters, `U+0085`, `U+2028`, `U+2029`, `U+FEFF` and non-characters are written
//! as `\uXXXX`.

use alloc::string::String;
use core::fmt::Write as _;

use serde_json::Value;

/// Writes `documents` as a YAML stream; an empty list gives an empty string.
pub(crate) fn stream<'a>(documents: impl IntoIterator<Item = &'a Value>) -> String {
    let mut out = String::new();
    for document in documents {
        out.push_str("---\n");
        match document {
            Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
            Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
            scalar => {
                write_scalar(&mut out, scalar);
                out.push('\n');
            }
        }
    }
    out
}

/// A mapping in block style, each key on its own line at `indent`.
fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize) {
    for (key, value) in map {
        push_indent(out, indent);
        write_key(out, key);
        write_after_key(out, value, indent);
    }
}

/// What follows `key:`: an inline scalar or empty collection, or a nested block.
fn write_after_key(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str(":\n");
            write_map(out, map, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str(":\n");
            write_seq(out, items, indent + 2);
        }
        scalar => {
            out.push_str(": ");
            write_scalar(out, scalar);
            out.push('\n');
        }
    }
}

/// A sequence in block style, `- ` items at `indent`.
fn write_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first entry goes on the dash's line, the rest under it.
                for (i, (key, value)) in map.iter().enumerate() {
                    if i > 0 {
                        push_indent(out, indent + 2);
                    }
                    write_key(out, key);
                    write_after_key(out, value, indent + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, indent + 2);
            }
            scalar => {
                write_scalar(out, scalar);
                out.push('\n');
            }
        }
    }
}

/// A key: plain when it is a simple name (`apiVersion`, `app.kubernetes.io/name`),
/// double-quoted otherwise.
fn write_key(out: &mut String, key: &str) {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        && !is_yaml11_keyword(key);
    if plain {
        out.push_str(key);
    } else {
        write_quoted(out, key);
    }
}

/// Words a YAML 1.1 reader (Kubernetes' decoder) would take for a boolean or null.
fn is_yaml11_keyword(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    )
}

/// A scalar or an empty collection, inline.
fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_quoted(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// A double-quoted scalar with YAML escapes.
fn write_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Characters written as `\uXXXX`: controls, line and paragraph separators, the
/// byte-order mark, and the non-characters U+FFFE/U+FFFF (all in the BMP).
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{FEFF}'
            | '\u{FFFE}'
            | '\u{FFFF}'
    )
}

/// Two spaces per level.
fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_nested_blocks_and_quotes_every_string() {
        let doc = json!({"a": {"b": ["x", {"c": 1, "d": true}], "e": {}}, "f": []});
        let text = stream([&doc]);
        assert_eq!(
            text,
            "---\na:\n  b:\n    - \"x\"\n    - c: 1\n      d: true\n  e: {}\nf: []\n"
        );
    }

    #[test]
    fn escapes_what_would_break_a_document() {
        let doc = json!({"on": "a\"b\\c\nd\u{2028}\u{1}é"});
        assert_eq!(
            stream([&doc]),
            "---\n\"on\": \"a\\\"b\\\\c\\nd\\u2028\\u0001é\"\n"
        );
    }
}
