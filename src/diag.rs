//! The one diagnostic type for every problem: reading errors, validation errors and
//! best-practice findings alike.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::source::{SourceId, Span};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; never a problem on its own.
    Info,
    /// Probably a mistake or a risk.
    Warning,
    /// Rejected by the API server, or a definite defect.
    Error,
}

impl Severity {
    /// The lower-case name used in every output (`error`, `warning`, `info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `info`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a source: which source and which bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The source.
    pub source: SourceId,
    /// The bytes the diagnostic points at.
    pub span: Span,
}

/// An extra labelled place, shown next to the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub location: Location,
    /// What this place has to do with the diagnostic.
    pub message: String,
}

/// The object a diagnostic is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceRef {
    /// `apiVersion` as written (may be empty).
    pub api_version: String,
    /// `kind` as written (may be empty).
    pub kind: String,
    /// `metadata.namespace`, if written.
    pub namespace: Option<String>,
    /// `metadata.name` (may be empty).
    pub name: String,
}

/// One problem: a rule id, a severity, a message and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case rule id (`invalid-cidr`, `rule-without-ports`, ...).
    pub rule: &'static str,
    /// Severity after configuration.
    pub severity: Severity,
    /// One line: for validation, the API server's wording (`<path>: <Type>: <detail>`).
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The most specific place at fault, when known.
    pub location: Option<Location>,
    /// Other places that explain the diagnostic.
    pub labels: Vec<Label>,
    /// Field path inside the object (`spec.ingress[0].from[1].ipBlock.cidr`).
    pub path: Option<String>,
    /// The object at fault, when there is one.
    pub resource: Option<ResourceRef>,
}

impl Diagnostic {
    /// A diagnostic with just a rule, severity and message; add the rest with the
    /// builder methods.
    pub fn new(rule: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            help: None,
            location: None,
            labels: Vec::new(),
            path: None,
            resource: None,
        }
    }

    /// Sets the primary location.
    pub fn at(mut self, source: SourceId, span: Span) -> Self {
        self.location = Some(Location { source, span });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the field path.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Sets the resource.
    pub fn with_resource(mut self, resource: ResourceRef) -> Self {
        self.resource = Some(resource);
        self
    }

    /// Adds a labelled extra place.
    pub fn with_label(mut self, source: SourceId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location: Location { source, span },
            message: message.into(),
        });
        self
    }
}
