//! What a workspace is loaded from: named texts (YAML or JSON) and already-parsed
//! objects, and how one of them is decoded on its own.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::decode::{decode_value, load_source, Loaded};
use crate::doc::{Entry, Limits, Node, Value};
use crate::source::{Source, SourceId, Span};

/// One named input: the text of a file, or an object given already parsed (a
/// Kubernetes object, a `List`, or an array of objects).
///
/// As JSON: `{"name": "k8s/web.yaml", "text": "..."}` or `{"name": "web", "object":
/// {...}}`; when both are given the text is used.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SourceFile {
    /// The display name findings carry (a path, or any name the caller chooses).
    pub name: String,
    /// The text (YAML or JSON), if the input is a text.
    #[serde(default)]
    pub text: Option<String>,
    /// The parsed object, if the input is an object.
    #[serde(default)]
    pub object: Option<Json>,
}

impl SourceFile {
    /// A text input.
    pub fn text(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: Some(text.into()),
            object: None,
        }
    }

    /// An already-parsed input: its findings have `line`/`column` 0.
    pub fn object(name: impl Into<String>, object: Json) -> Self {
        SourceFile {
            name: name.into(),
            text: None,
            object: Some(object),
        }
    }

    /// Reads and decodes this input alone as the source `id` of its set.
    pub(crate) fn decode(self, id: SourceId, limits: &Limits) -> (Source, Loaded) {
        match (self.text, self.object) {
            (None, Some(object)) => {
                let mut loaded = Loaded::default();
                decode_value(&node(&object), id, &mut loaded);
                (Source::object(self.name), loaded)
            }
            (text, _) => {
                let source = Source::new(self.name, text.unwrap_or_default());
                let loaded = load_source(&source, id, limits);
                (source, loaded)
            }
        }
    }
}

/// The document tree of a parsed JSON value (every span empty: it has no text).
fn node(value: &Json) -> Node {
    let value = match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Seq(items.iter().map(node).collect()),
        Json::Object(fields) => Value::Map(
            fields
                .iter()
                .map(|(key, value)| Entry {
                    key: Cow::Owned(key.clone()),
                    key_span: Span::default(),
                    value: node(value),
                })
                .collect::<Vec<_>>(),
        ),
    };
    Node {
        span: Span::default(),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_become_trees_without_spans() {
        let json: Json = serde_json::from_str(r#"{"a": [1, 2.5, "x", true, null]}"#).unwrap();
        let tree = node(&json);
        let items = tree.get("a").unwrap();
        let Value::Seq(items) = &items.value else {
            panic!("not a sequence")
        };
        assert_eq!(items[0].value, Value::Int(1));
        assert_eq!(items[1].value, Value::Float(2.5));
        assert_eq!(items[2].value, Value::String("x".into()));
        assert_eq!(items[3].value, Value::Bool(true));
        assert_eq!(items[4].value, Value::Null);
        assert_eq!(tree.span, Span::default());
    }

    #[test]
    fn text_wins_over_object_and_objects_have_no_lines() {
        let both = SourceFile {
            object: Some(Json::Null),
            ..SourceFile::text("a.yaml", "kind: Namespace\nmetadata: {name: a}\n")
        };
        let (source, loaded) = both.decode(SourceId(0), &Limits::default());
        assert!(source.has_lines());
        assert_eq!(loaded.model.namespaces.len(), 1);
        let object: Json = serde_json::from_str(
            r#"{"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "b"}}"#,
        )
        .unwrap();
        let (source, loaded) =
            SourceFile::object("b", object).decode(SourceId(3), &Limits::default());
        assert!(!source.has_lines());
        assert_eq!(loaded.model.namespaces[0].meta.source, SourceId(3));
    }
}
