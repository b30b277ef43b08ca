//! Admission: netpol as an admission controller and as a policy-engine module.
//!
//! One pipeline serves every face that sees objects the way a cluster's admission
//! chain does — `netpol admission`, the OPA module (`pkg/opa/policy.wasm`), the
//! Kubewarden policy (`pkg/kubewarden/policy.wasm`) and the JavaScript
//! `validateAdmission`:
//!
//! 1. [`Input::read`] accepts JSON in every shape of `docs/spec/interfaces.md`: an
//!    AdmissionReview (`{"request": ...}`), Kubewarden's `{"settings", "request"}`,
//!    Gatekeeper's `{"review", "parameters"}`, a list kind, `{"items": [...]}`, or one
//!    object. Settings (`parameters`/`settings`) are the configuration keys.
//! 2. [`Admission`] loads its objects into a [`Workspace`](crate::api::Workspace)
//!    and [`check`] lints them there; under admission only single-object rules
//!    decide (rules that need the rest of the cluster belong to reports).
//! 3. [`Decision`] rejects on findings at or above `failOn` and warns with the rest;
//!    [`review`] wraps it in an AdmissionReview, [`evaluate`] answers the OPA
//!    entrypoints ([`Entrypoint`]).
//!
//! ```
//! use netpol::admission::review;
//! use netpol::lint::Config;
//!
//! let answer = review(r#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
//!   "request": {"uid": "42", "namespace": "shop", "operation": "CREATE",
//!     "object": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
//!       "metadata": {"name": "p"},
//!       "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": 0}]}]}}}}"#,
//!   &Config::default());
//! assert!(!answer.decision.allowed);
//! let answer: serde_json::Value = serde_json::from_str(&answer.json).unwrap();
//! assert_eq!(answer["response"]["uid"], "42");
//! assert_eq!(answer["response"]["allowed"], false);
//! ```

use alloc::string::String;
use alloc::vec::Vec;

use crate::api::Admission;
use crate::lint::Config;
use crate::report::LintReport;
use crate::source::{Source, SourceId};

mod decision;
mod entrypoints;
mod input;

pub use decision::{truncate_chars, Decision, ALLOWED_CODE, DENIED_CODE, MAX_WARNING_CHARS};
pub use entrypoints::{evaluate, Entrypoint};
pub use input::{Input, Shape, INPUT_NAME, SETTINGS_NAME};

/// The `apiVersion` of the AdmissionReview answered when the request does not say.
pub const ADMISSION_API_VERSION: &str = "admission.k8s.io/v1";

/// Lints `input` with its settings (or `base` when it carries none), through the
/// workspace of its objects ([`Admission`]). Under admission ([`Shape::is_admission`])
/// only file- and object-scope rules are kept. Invalid settings give their
/// `invalid-config` errors instead, with the threshold `error` (an admission
/// controller fails closed).
pub fn check(text: &str, base: &Config) -> LintReport {
    Admission::read(text, base).lint().report
}

/// Decides on the AdmissionReview (or other accepted shape) `text`.
pub fn decide(text: &str, base: &Config) -> Decision {
    Admission::read(text, base).decision()
}

/// An answered AdmissionReview: the decision and the review printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reviewed {
    /// The decision.
    pub decision: Decision,
    /// The AdmissionReview with its `response`, pretty JSON with a final newline.
    pub json: String,
}

/// Answers the AdmissionReview `text`: the same envelope (`apiVersion`, `kind`) with
/// a `response` (uid echoed). `base` is the configuration when the input carries no
/// settings.
pub fn review(text: &str, base: &Config) -> Reviewed {
    let admission = Admission::read(text, base);
    let decision = admission.decision();
    let api_version = admission.api_version().unwrap_or(ADMISSION_API_VERSION);
    let answer = serde_json::json!({
        "apiVersion": api_version,
        "kind": "AdmissionReview",
        "response": decision.response(),
    });
    let mut json = serde_json::to_string_pretty(&answer).unwrap_or_default();
    json.push('\n');
    Reviewed { decision, json }
}

/// Parses settings (the configuration keys, as JSON) into a [`Config`]; the error
/// lists every problem on one line each (`line:column: message`).
pub fn parse_settings(text: &str) -> Result<Config, String> {
    let source = Source::new(SETTINGS_NAME, text);
    Config::parse(&source, SourceId(0)).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|d| match d.location {
                Some(l) => {
                    let p = source.position(l.span.start);
                    alloc::format!("{}:{}: {}", p.line, p.column, d.message)
                }
                None => d.message.clone(),
            })
            .collect();
        alloc::format!("invalid settings: {}", lines.join("; "))
    })
}

#[cfg(test)]
mod tests;
