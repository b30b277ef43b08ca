//! Reading what a policy engine hands over: its shape, the objects in it, the request
//! uid and the settings.

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::decode::{decode_value, Loaded};
use crate::diag::Diagnostic;
use crate::doc::{Entry, Limits, Node, Value};
use crate::lint::Config;
use crate::source::{Source, SourceId, SourceSet, Span};

/// The display name of the input in findings.
pub const INPUT_NAME: &str = "input.json";

/// The display name of the settings in findings.
pub const SETTINGS_NAME: &str = "settings.json";

/// How the input was wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// An AdmissionReview (`{"request": AdmissionRequest}`), or Kubewarden's
    /// `{"settings", "request"}`: one object under admission.
    Review,
    /// Gatekeeper's (and Kubewarden gatekeeper mode's) `{"review": AdmissionRequest,
    /// "parameters": settings}`: one object under admission.
    Gatekeeper,
    /// Manifests: one object, a list kind, `{"items": [...]}` or a JSON array.
    Manifests,
}

impl Shape {
    /// Whether the input is one object under admission (only single-object rules
    /// decide then).
    pub fn is_admission(self) -> bool {
        matches!(self, Shape::Review | Shape::Gatekeeper)
    }
}

/// The input read and decoded.
#[derive(Clone, Debug)]
pub struct Input {
    /// The input text (and the settings, once read), for positions.
    pub sources: SourceSet,
    /// The decoded objects and every reading and validation problem.
    pub loaded: Loaded,
    /// How the input was wrapped.
    pub shape: Shape,
    /// The AdmissionRequest's `uid` (empty when there is none).
    pub uid: String,
    /// The envelope's `apiVersion` (an AdmissionReview's, echoed in the answer).
    pub api_version: Option<String>,
    /// The settings (`parameters` or `settings`) as written, if any.
    settings: Option<String>,
}

impl Input {
    /// Reads `text` (JSON) in any of the accepted shapes. Never fails: an unreadable
    /// input is a reading finding in [`Input::loaded`].
    pub fn read(text: &str) -> Input {
        let mut sources = SourceSet::new();
        let id = sources.add(Source::new(INPUT_NAME, text));
        let read = sources
            .get(id)
            .map(|source| crate::doc::read(source, id, &Limits::default()))
            .unwrap_or_default();
        let mut input = Input {
            sources,
            loaded: Loaded::default(),
            shape: Shape::Manifests,
            uid: String::new(),
            api_version: None,
            settings: None,
        };
        input.loaded.diagnostics.extend(read.diagnostics);
        for document in &read.documents {
            input.envelope(&document.root, id, text);
        }
        input
    }

    /// The configuration: `base` unless the input carries settings, which then
    /// replace it. Problems in the settings are `invalid-config` findings located in
    /// the settings (resolvable against [`Input::sources`]).
    pub fn config(&mut self, base: &Config) -> Result<Config, Vec<Diagnostic>> {
        let Some(text) = self.settings.take() else {
            return Ok(base.clone());
        };
        let id = self.sources.add(Source::new(SETTINGS_NAME, text));
        match self.sources.get(id) {
            Some(source) => Config::parse(source, id),
            None => Ok(base.clone()),
        }
    }

    /// Finds the shape of `root` and decodes the objects in it.
    fn envelope(&mut self, root: &Node, id: SourceId, text: &str) {
        let request = root.get("request").filter(|n| is_map(n));
        let review = root.get("review").filter(|n| is_map(n));
        if let Some(request) = request.or(review) {
            self.shape = if request_is_review(root, review.is_some()) {
                Shape::Gatekeeper
            } else {
                Shape::Review
            };
            self.api_version = root
                .get("apiVersion")
                .and_then(Node::as_str)
                .map(String::from);
            let settings = root.get("parameters").or_else(|| root.get("settings"));
            self.settings = settings.map(|n| slice(text, n.span).to_string());
            self.admission_request(request, id);
            return;
        }
        match root.get("items") {
            Some(items) if root.get("kind").is_none() => self.items(items, id),
            _ => decode_value(root, id, &mut self.loaded),
        }
    }

    /// `{"items": [...]}` without a kind: each item.
    fn items(&mut self, items: &Node, id: SourceId) {
        match &items.value {
            Value::Seq(list) => {
                for item in list {
                    decode_value(item, id, &mut self.loaded);
                }
            }
            _ => self.loaded.skipped += 1,
        }
    }

    /// An AdmissionRequest: its uid and its `object` (a DELETE has none), placed in
    /// the request's namespace when the object does not say.
    fn admission_request(&mut self, request: &Node, id: SourceId) {
        self.uid = request
            .get("uid")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(object) = request.get("object").filter(|n| is_map(n)) else {
            return;
        };
        let mut object = object.clone();
        if let Some(namespace) = request.get("namespace").filter(|n| n.as_str().is_some()) {
            default_namespace(&mut object, namespace);
        }
        decode_value(&object, id, &mut self.loaded);
    }
}

/// Whether the envelope is Gatekeeper's (`review`) rather than an AdmissionReview.
fn request_is_review(root: &Node, has_review: bool) -> bool {
    has_review && root.get("request").is_none()
}

fn is_map(node: &Node) -> bool {
    matches!(node.value, Value::Map(_))
}

/// The text of `span` in `text` (empty if out of range).
fn slice(text: &str, span: Span) -> &str {
    text.get(span.start as usize..span.end as usize)
        .unwrap_or_default()
}

/// Sets `metadata.namespace` of `object` to `namespace` when it has none, as the API
/// server does for a namespaced request.
fn default_namespace(object: &mut Node, namespace: &Node) {
    let Value::Map(entries) = &mut object.value else {
        return;
    };
    let Some(metadata) = entries.iter_mut().rev().find(|e| e.key == "metadata") else {
        return;
    };
    let Value::Map(fields) = &mut metadata.value.value else {
        return;
    };
    if fields.iter().all(|e| e.key != "namespace") {
        fields.push(Entry {
            key: Cow::Borrowed("namespace"),
            key_span: namespace.span,
            value: namespace.clone(),
        });
    }
}
