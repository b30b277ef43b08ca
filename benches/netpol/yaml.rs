//! A block-style YAML writer for the generated objects (kubectl's layout).

use serde_json::Value;

/// Appends `objects` to `out` as YAML documents, each starting with `---`.
pub fn emit_stream(objects: &[Value], out: &mut String) {
    for object in objects {
        out.push_str("---\n");
        emit_block(object, 0, out);
    }
}

/// Writes a collection starting on a fresh line at `indent`.
fn emit_block(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                push_indent(indent, out);
                emit_entry(key, item, indent, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                push_indent(indent, out);
                emit_item(item, indent, out);
            }
        }
        scalar => {
            push_indent(indent, out);
            emit_scalar(scalar, out);
            out.push('\n');
        }
    }
}

/// `key: value` (the indentation is already written).
fn emit_entry(key: &str, value: &Value, indent: usize, out: &mut String) {
    emit_string(key, out);
    out.push(':');
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            emit_block(value, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            emit_block(value, indent, out);
        }
        _ => {
            out.push(' ');
            emit_scalar(value, out);
            out.push('\n');
        }
    }
}

/// `- item` (the indentation is already written).
fn emit_item(item: &Value, indent: usize, out: &mut String) {
    out.push_str("- ");
    match item {
        Value::Object(map) if !map.is_empty() => {
            for (i, (key, value)) in map.iter().enumerate() {
                if i > 0 {
                    push_indent(indent + 2, out);
                }
                emit_entry(key, value, indent + 2, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            emit_block(item, indent + 2, out);
        }
        _ => {
            emit_scalar(item, out);
            out.push('\n');
        }
    }
}

fn emit_scalar(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => emit_string(s, out),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

/// A plain scalar when it reads back as the same string, else double-quoted.
fn emit_string(s: &str, out: &mut String) {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        out.push_str(s);
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

fn push_indent(indent: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', indent));
}
