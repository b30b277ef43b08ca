//! The spanned document tree and its readers.
//!
//! Both readers produce the same tree: every [`Node`] knows its byte [`Span`], and
//! every mapping key keeps its own span, so any message can point at the exact place.
//! JSON reading ([`json`]) works without `std`; YAML reading ([`yaml`]) needs the
//! `yaml` feature.
//!
//! Problems found while reading (`yaml-syntax`, `duplicate-field`, exceeded
//! [`Limits`]) are returned as [`Diagnostic`](crate::diag::Diagnostic)s next to the
//! documents that could be read.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::Diagnostic;
use crate::source::{Source, SourceId, Span};

pub mod json;
mod tree;
#[cfg(feature = "yaml")]
pub mod yaml;

/// One value of the document tree with the bytes it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The bytes of this value in its source (for a scalar, the scalar itself,
    /// quotes included; for a collection, from its first to its last byte).
    pub span: Span,
    /// The value.
    pub value: Value,
}

/// A JSON-like value. YAML scalars are resolved the way Kubernetes' YAML decoder
/// resolves them (YAML 1.1 rules: `yes`/`no`/`on`/`off` are booleans, `~` is null).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty YAML value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer that fits in `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string (quoted, or a plain scalar that is not of another type).
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<Entry>),
}

/// One key/value pair of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key as text (YAML keys that are numbers or booleans keep their text);
    /// field names every manifest repeats are shared static texts, not allocated.
    pub key: Cow<'static, str>,
    /// The bytes of the key.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Value {
    /// The name of this value's type as messages print it (`string`, `number`,
    /// `boolean`, `null`, `array`, `object`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }
}

impl Node {
    /// The entry of this mapping named `key` (the last one if the key repeats), or
    /// `None` if this is not a mapping or has no such key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|e| e.key == key)
                .map(|e| &e.value),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// One document of a source: a YAML document of a `---` stream, or a whole JSON text.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The root value.
    pub root: Node,
}

/// Bounds on what one source may make the readers do. Exceeding one gives a
/// diagnostic (`input-too-large`, `too-many-documents`, `nesting-too-deep`,
/// `alias-expansion-limit`), never a hang or an out-of-memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest source text in bytes.
    pub max_bytes: usize,
    /// Most documents in one source.
    pub max_documents: usize,
    /// Deepest nesting of collections.
    pub max_depth: usize,
    /// Most nodes one source may produce, aliases expanded.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 256 << 20,
            max_documents: 1_000_000,
            max_depth: 100,
            max_nodes: 50_000_000,
        }
    }
}

/// What reading one source produced: the documents that could be read, and the
/// problems met.
#[derive(Clone, Debug, Default)]
pub struct ReadResult {
    /// Documents in source order (empty YAML documents are left out).
    pub documents: Vec<Document>,
    /// Reading problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a source is read as JSON: its name ends in `.json`, or, without the YAML
/// reader, always.
pub fn is_json(source: &Source) -> bool {
    !cfg!(feature = "yaml") || source.name().to_ascii_lowercase().ends_with(".json")
}

/// Reads `source` (identified as `id` in diagnostics) as JSON or YAML (see
/// [`is_json`]), keeping every document: [`read_each`], collected.
pub fn read(source: &Source, id: SourceId, limits: &Limits) -> ReadResult {
    collect(|each| read_each(source, id, limits, each))
}

/// Reads `source` (identified as `id` in diagnostics) as JSON or YAML (see
/// [`is_json`]) one document at a time: each document is handed to `each` as soon as
/// it is complete, with the reading diagnostics met since the previous document (so
/// those inside it among them), in the order met. Returns the diagnostics met after
/// the last document. Only one document's tree is alive at a time, so memory stays
/// bounded by the largest document, not by the source.
pub fn read_each(
    source: &Source,
    id: SourceId,
    limits: &Limits,
    each: &mut dyn FnMut(Document, Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    #[cfg(feature = "yaml")]
    if !is_json(source) {
        return yaml::read_each(source, id, limits, each);
    }
    json::read_each(source, id, limits, each)
}

/// Runs a one-document-at-a-time reader and keeps everything it hands out: the
/// documents in order, the diagnostics sorted by where they start (ties keep the order
/// met).
fn collect(
    read_each: impl FnOnce(&mut dyn FnMut(Document, Vec<Diagnostic>)) -> Vec<Diagnostic>,
) -> ReadResult {
    let mut result = ReadResult::default();
    let rest = read_each(&mut |document, met| {
        result.documents.push(document);
        result.diagnostics.extend(met);
    });
    result.diagnostics.extend(rest);
    crate::order::sort_by_key(&mut result.diagnostics, |d| {
        d.location.map(|l| l.span.start)
    });
    result
}

#[cfg(test)]
mod tests;
