//! The admission question: what a policy engine hands over (an AdmissionReview,
//! Gatekeeper's review, Kubewarden's request, or manifests), loaded into a
//! [`Workspace`] and answered from it.
//!
//! The input text is read once, with positions: the objects of the envelope (the
//! request's `object`, or every manifest) are the workspace's one source,
//! [`INPUT_NAME`](crate::admission::INPUT_NAME), so findings point into the input
//! as written. The settings (`parameters`/`settings`) are the workspace's
//! configuration.

use alloc::string::String;
use alloc::vec::Vec;

use super::answer::{ApiError, LintAnswer, MatrixAnswer};
use super::request::{LintOptions, MatrixFilter};
use super::workspace::Workspace;
use crate::admission::{Decision, Input, Shape};
use crate::diag::{Diagnostic, Severity};
use crate::lint::Config;
use crate::report::{LintReport, Summary};
use crate::source::SourceSet;

/// A policy engine's input loaded into a workspace, with what its envelope says.
///
/// ```
/// use netpol::api::Admission;
/// use netpol::lint::Config;
///
/// let review = r#"{"request": {"uid": "7", "namespace": "shop", "object": {
///   "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
///   "metadata": {"name": "p"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}}}"#;
/// let admission = Admission::read(review, &Config::default());
/// assert_eq!(admission.workspace().loaded().model.policies.len(), 1);
/// let decision = admission.decision();
/// assert!(decision.allowed);
/// assert_eq!(decision.uid, "7");
/// ```
#[derive(Clone, Debug)]
pub struct Admission {
    workspace: Workspace,
    shape: Shape,
    uid: String,
    api_version: Option<String>,
    /// The settings' problems and the sources they point into (the input and the
    /// settings), when the settings are invalid.
    invalid_settings: Option<(SourceSet, Vec<Diagnostic>)>,
}

impl Admission {
    /// Reads `text` (JSON in any accepted shape) into a workspace configured by its
    /// settings, or by `base` when it carries none. Never fails: an unreadable input
    /// is a reading finding, invalid settings are `invalid-config` findings.
    pub fn read(text: &str, base: &Config) -> Admission {
        let mut input = Input::read(text);
        let (config, invalid_settings) = match input.config(base) {
            Ok(config) => (config, None),
            Err(errors) => (base.clone(), Some((input.sources.clone(), errors))),
        };
        let source = input.sources.into_sources().next();
        let workspace = match source {
            Some(source) => Workspace::from_decoded(source, input.loaded, config),
            None => Workspace::new(config),
        };
        Admission {
            workspace,
            shape: input.shape,
            uid: input.uid,
            api_version: input.api_version,
            invalid_settings,
        }
    }

    /// The workspace holding the input's objects (its one source is
    /// [`INPUT_NAME`](crate::admission::INPUT_NAME)).
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// How the input was wrapped.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The AdmissionRequest's `uid` (empty when there is none).
    pub fn uid(&self) -> &str {
        &self.uid
    }

    /// The envelope's `apiVersion`, if it has one.
    pub fn api_version(&self) -> Option<&str> {
        self.api_version.as_deref()
    }

    /// The lint answer: under admission ([`Shape::is_admission`]) only the rules
    /// that decide on one object alone. Invalid settings answer with their
    /// `invalid-config` errors instead, with the threshold `error` (an admission
    /// controller fails closed).
    pub fn lint(&self) -> LintAnswer {
        if let Some((sources, errors)) = &self.invalid_settings {
            let summary = Summary {
                files: 1,
                objects: self.workspace.loaded().objects,
                ..Summary::default()
            };
            let report = LintReport::new(errors.clone(), sources, summary, Some(Severity::Error));
            return LintAnswer { report };
        }
        let options = LintOptions {
            single_object: self.shape.is_admission(),
            ..LintOptions::default()
        };
        // The options carry no rule level or threshold, so linting cannot fail; an
        // empty report stands in all the same.
        self.workspace
            .lint(&options)
            .unwrap_or_else(|_| LintAnswer {
                report: LintReport::new(
                    Vec::new(),
                    self.workspace.sources(),
                    Summary::default(),
                    None,
                ),
            })
    }

    /// The decision: findings at or above `failOn` reject, the rest warn.
    pub fn decision(&self) -> Decision {
        Decision::new(&self.uid, &self.lint().report)
    }

    /// The whole matrix of the input's objects (objects with errors are left out).
    pub fn matrix(&self) -> Result<MatrixAnswer, ApiError> {
        self.workspace.matrix(&MatrixFilter::default())
    }

    /// The reading and validation errors of the input, as `[rule-id] message`.
    pub fn errors(&self) -> Vec<String> {
        self.workspace
            .loaded()
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| alloc::format!("[{}] {}", d.rule, d.message))
            .collect()
    }
}
