//! The per-object decoding context: where diagnostics go, whether the object is
//! still acceptable, and typed access to document nodes with `invalid-type` and
//! `unknown-field` reporting.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, ResourceRef, Severity};
use crate::doc::{Node, Value};
use crate::model::{Interner, Spanned};
use crate::source::{SourceId, Span};

/// Decoding state for one object.
pub(crate) struct Ctx {
    /// The object's source.
    pub source: SourceId,
    /// The object, as diagnostics name it.
    pub resource: ResourceRef,
    /// Problems found so far, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether an error that does not keep the object
    /// ([`super::error_keeps_object`]) was found: the API server would reject the
    /// object, so it stays out of the model.
    pub rejected: bool,
    /// Whether unknown fields are reported (NetworkPolicy, ConnectivityTest).
    pub strict: bool,
    /// The shared label strings of the source (lent to each object's context in
    /// turn, so that all the objects of a source share them).
    pub interner: Interner,
}

/// `parent.child` (or `child` at the root). Paths are built for every field decoded,
/// so this stays off the formatting machinery: one exact allocation.
pub(crate) fn child(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        return String::from(name);
    }
    let mut path = String::with_capacity(parent.len() + 1 + name.len());
    path.push_str(parent);
    path.push('.');
    path.push_str(name);
    path
}

/// `node` unless it is absent or `null` (which Go decodes as the zero value).
pub(crate) fn present(node: Option<&Node>) -> Option<&Node> {
    node.filter(|n| !matches!(n.value, Value::Null))
}

/// An optional field whose decoding may fail: `Some(None)` when absent, `None` when
/// present but invalid.
pub(crate) fn transpose<T>(field: Option<Option<T>>) -> Option<Option<T>> {
    match field {
        None => Some(None),
        Some(decoded) => decoded.map(Some),
    }
}

/// `parent[i]` (built without the formatting machinery, as [`child`]).
pub(crate) fn index(parent: &str, i: usize) -> String {
    let mut divisor = 1;
    let mut digits = 1;
    while i / divisor >= 10 {
        divisor *= 10;
        digits += 1;
    }
    let mut path = String::with_capacity(parent.len() + digits + 2);
    path.push_str(parent);
    path.push('[');
    while divisor > 0 {
        let digit = u32::try_from(i / divisor % 10).unwrap_or(0);
        path.push(char::from_digit(digit, 10).unwrap_or('0'));
        divisor /= 10;
    }
    path.push(']');
    path
}

impl Ctx {
    /// A context for an object of `source`.
    pub fn new(source: SourceId, resource: ResourceRef, strict: bool) -> Self {
        Ctx {
            source,
            resource,
            diagnostics: Vec::new(),
            rejected: false,
            strict,
            interner: Interner::default(),
        }
    }

    /// Reports an error `rule` at `span` for the field `path`.
    pub fn error(&mut self, rule: &'static str, path: &str, span: Span, message: String) {
        if !super::error_keeps_object(rule) {
            self.rejected = true;
        }
        self.diagnostics.push(
            Diagnostic::new(rule, Severity::Error, message)
                .at(self.source, span)
                .with_path(path)
                .with_resource(self.resource.clone()),
        );
    }

    /// Reports each message of `messages` as `<path>: Invalid value: "<value>": <msg>`.
    pub fn invalid_strs(
        &mut self,
        rule: &'static str,
        path: &str,
        value: &Spanned<impl AsRef<str>>,
        messages: Vec<String>,
    ) {
        for msg in messages {
            let text = crate::validate::message::invalid_str(path, value.value.as_ref(), &msg);
            self.error(rule, path, value.span, text);
        }
    }

    /// Reports a value of the wrong JSON/YAML type.
    pub fn type_error(&mut self, path: &str, node: &Node, expected: &str) {
        let found = match &node.value {
            Value::Float(_) if expected.contains("int") => "non-integer number",
            Value::Int(_) if expected.contains("int") => "out-of-range number",
            other => other.type_name(),
        };
        let message = format!("{path}: cannot unmarshal {found} into a field of type {expected}");
        self.error("invalid-type", path, node.span, message);
    }

    /// In strict mode, reports every key of the mapping `node` that is not in `known`.
    pub fn check_fields(&mut self, node: &Node, path: &str, known: &[&str]) {
        if !self.strict {
            return;
        }
        let Value::Map(entries) = &node.value else {
            return;
        };
        for entry in entries {
            if !known.contains(&&*entry.key) {
                let full = child(path, &entry.key);
                let message = format!("strict decoding error: unknown field \"{full}\"");
                self.error("unknown-field", &full, entry.key_span, message);
                let help = match closest_field(&entry.key, known) {
                    Some(known) => format!(
                        "did you mean `{known}`? The API server rejects unknown fields; a lenient one drops them"
                    ),
                    None => format!("known fields here: {}", known.join(", ")),
                };
                if let Some(last) = self.diagnostics.last_mut() {
                    last.help = Some(help);
                }
            }
        }
    }

    /// `node` as a mapping: `None` for null (absent) and, with an `invalid-type` error,
    /// for other types.
    pub fn map<'n>(&mut self, node: Option<&'n Node>, path: &str) -> Option<&'n Node> {
        let node = node?;
        match &node.value {
            Value::Map(_) => Some(node),
            Value::Null => None,
            _ => {
                self.type_error(path, node, "object");
                None
            }
        }
    }

    /// `node` as a sequence: `None` for null (absent) and, with an `invalid-type`
    /// error, for other types.
    pub fn seq<'n>(&mut self, node: Option<&'n Node>, path: &str) -> Option<Spanned<&'n [Node]>> {
        let node = node?;
        match &node.value {
            Value::Seq(items) => Some(Spanned::new(items.as_slice(), node.span)),
            Value::Null => None,
            _ => {
                self.type_error(path, node, "array");
                None
            }
        }
    }

    /// `node` as a string: `None` for null (absent) and, with an `invalid-type` error,
    /// for other types.
    pub fn string(&mut self, node: Option<&Node>, path: &str) -> Option<Spanned<String>> {
        let node = node?;
        match &node.value {
            Value::String(s) => Some(Spanned::new(s.clone(), node.span)),
            Value::Null => None,
            _ => {
                self.type_error(path, node, "string");
                None
            }
        }
    }

    /// `node` as a 32-bit integer (Go `int32`): `None` for null and, with an
    /// `invalid-type` error, for other types or values out of range.
    pub fn int32(&mut self, node: Option<&Node>, path: &str) -> Option<Spanned<i64>> {
        let node = node?;
        match &node.value {
            Value::Int(n) if i32::try_from(*n).is_ok() => Some(Spanned::new(*n, node.span)),
            Value::Null => None,
            _ => {
                self.type_error(path, node, "int32");
                None
            }
        }
    }

    /// `node` as a boolean: `None` for null and, with an `invalid-type` error, for
    /// other types.
    pub fn boolean(&mut self, node: Option<&Node>, path: &str) -> Option<bool> {
        let node = node?;
        match &node.value {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            _ => {
                self.type_error(path, node, "boolean");
                None
            }
        }
    }

    /// A mapping of strings to strings (labels, annotations, matchLabels): the
    /// entries in source order, the last of a repeated key winning; values of
    /// another type are `invalid-type` errors and left out.
    pub fn string_map<'n>(
        &mut self,
        node: Option<&'n Node>,
        path: &str,
    ) -> Vec<(Spanned<&'n str>, Spanned<&'n str>)> {
        let mut out: Vec<(Spanned<&'n str>, Spanned<&'n str>)> = Vec::new();
        let Some(node) = self.map(node, path) else {
            return out;
        };
        let Value::Map(entries) = &node.value else {
            return out;
        };
        out.reserve_exact(entries.len());
        for entry in entries {
            let value = match &entry.value.value {
                Value::String(s) => Spanned::new(s.as_str(), entry.value.span),
                // A null value decodes to the empty string in Go.
                Value::Null => Spanned::new("", entry.value.span),
                _ => {
                    self.type_error(&child(path, &entry.key), &entry.value, "string");
                    continue;
                }
            };
            out.push((Spanned::new(&*entry.key, entry.key_span), value));
        }
        // A repeated key keeps its last value, in the place of its last occurrence.
        let mut last: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, (key, _)) in out.iter().enumerate() {
            last.insert(key.value, i);
        }
        if last.len() == out.len() {
            return out;
        }
        let keep: Vec<bool> = (0..out.len())
            .map(|i| {
                out.get(i)
                    .is_some_and(|(key, _)| last.get(key.value) == Some(&i))
            })
            .collect();
        let mut flags = keep.into_iter();
        out.retain(|_| flags.next().unwrap_or(false));
        out
    }
}

/// The known field `key` was most likely meant to be: the same ignoring case, or
/// within two edits.
pub(crate) fn closest_field<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    if let Some(same) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) {
        return Some(same);
    }
    known
        .iter()
        .map(|k| {
            (
                crate::similar::distance(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_fields_and_items() {
        assert_eq!(child("", "spec"), "spec");
        assert_eq!(child("spec", "podSelector"), "spec.podSelector");
        assert_eq!(index("spec.ingress", 0), "spec.ingress[0]");
        assert_eq!(index("items", 9), "items[9]");
        assert_eq!(index("items", 10), "items[10]");
        assert_eq!(index("x", 1_234_567), "x[1234567]");
        assert_eq!(index("x", usize::MAX), alloc::format!("x[{}]", usize::MAX));
    }

    #[test]
    fn suggestions_for_misspelled_fields() {
        let known = ["podSelector", "namespaceSelector", "ipBlock"];
        assert_eq!(closest_field("podselector", &known), Some("podSelector"));
        assert_eq!(closest_field("ipblocks", &known), Some("ipBlock"));
        assert_eq!(closest_field("form", &["ports", "from"]), Some("from"));
        assert_eq!(
            closest_field("policyType", &["podSelector", "policyTypes"]),
            Some("policyTypes")
        );
        assert_eq!(closest_field("status", &known), None);
    }
}
