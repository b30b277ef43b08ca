//! netpol as a Kubewarden policy (`pkg/kubewarden/policy.wasm`, waPC).
//!
//! - `protocol_version` → `"v1"`;
//! - `validate_settings`: the settings are netpol's configuration keys (`rules`,
//!   `failOn`, `podCIDRs`, `serviceCIDRs`, ...); invalid settings answer
//!   `{"valid": false, "message": ...}` (never a guest error);
//! - `validate` on `{"settings", "request": AdmissionRequest}`: rejects with every
//!   finding at or above `failOn` (default `error`) in the message and returns the
//!   findings below it as warnings. Only single-object rules decide (see
//!   [`netpol::admission`]). The request's object is loaded into a
//!   [`netpol::api::Workspace`] ([`Admission`]) and the decision is its answer.
//!
//! The module carries its Kubewarden metadata in the custom section
//! `io.kubewarden.metadata`.

use kubewarden_policy_sdk::response::ValidationResponse;
use kubewarden_policy_sdk::settings::SettingsValidationResponse;
use kubewarden_policy_sdk::wapc_guest::CallResult;
use netpol::admission::{self, Decision};
use netpol::api::Admission;
use netpol::lint::Config;

#[cfg(target_arch = "wasm32")]
mod exports;

/// `validate_settings`: whether `payload` (JSON settings) is a valid configuration.
pub fn validate_settings(payload: &[u8]) -> CallResult {
    Ok(serde_json::to_vec(&settings_response(payload))?)
}

/// `validate`: the decision on `payload` (`{"settings", "request"}`).
pub fn validate(payload: &[u8]) -> CallResult {
    Ok(serde_json::to_vec(&validation_response(payload))?)
}

/// The answer to `validate_settings`.
fn settings_response(payload: &[u8]) -> SettingsValidationResponse {
    let text = String::from_utf8_lossy(payload);
    match admission::parse_settings(&text) {
        Ok(_) => SettingsValidationResponse {
            valid: true,
            message: None,
        },
        Err(message) => SettingsValidationResponse {
            valid: false,
            message: Some(message),
        },
    }
}

/// The answer to `validate`: Kubewarden's ValidationResponse for the decision.
fn validation_response(payload: &[u8]) -> ValidationResponse {
    let text = String::from_utf8_lossy(payload);
    let decision = Admission::read(&text, &Config::default()).decision();
    let Decision {
        allowed,
        message,
        warnings,
        ..
    } = decision;
    ValidationResponse {
        accepted: allowed,
        message: (!allowed).then_some(message),
        code: (!allowed).then_some(admission::DENIED_CODE),
        mutated_object: None,
        audit_annotations: None,
        warnings: (!warnings.is_empty()).then_some(warnings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAD: &str = r#"{"settings": {}, "request": {"uid": "1", "namespace": "shop",
      "object": {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "p"}, "spec": {"podSelector": {}, "policyTypes": ["Egress"],
        "egress": [{"ports": [{"port": 0}]}]}}}}"#;

    #[test]
    fn settings_are_checked() {
        assert!(settings_response(br#"{"failOn": "warning"}"#).valid);
        assert!(settings_response(b"{}").valid);
        let bad = settings_response(br#"{"failOn": "often"}"#);
        assert!(!bad.valid);
        assert!(bad.message.unwrap_or_default().contains("failOn"));
        assert!(!settings_response(b"not json").valid);
    }

    /// The decision a workspace loaded with the request's object (parsed JSON, in
    /// the request's namespace) gives under `failOn`.
    fn workspace_decision(payload: &str, fail_on: &str) -> Decision {
        use netpol::api::{LintOptions, SourceFile, Workspace};
        let payload: serde_json::Value = serde_json::from_str(payload).unwrap();
        let mut object = payload["request"]["object"].clone();
        object["metadata"]["namespace"] = payload["request"]["namespace"].clone();
        let workspace = Workspace::load(
            [SourceFile::object("input.json", object)],
            Config::default(),
        );
        let options = LintOptions {
            fail_on: Some(fail_on.into()),
            single_object: true,
            ..LintOptions::default()
        };
        Decision::new("1", &workspace.lint(&options).unwrap().report)
    }

    #[test]
    fn the_answer_is_the_workspace_answer_for_the_same_object() {
        let decision = workspace_decision(BAD, "error");
        assert!(!decision.allowed);
        let rejected = validation_response(BAD.as_bytes());
        assert_eq!(rejected.message, Some(decision.message));
        assert_eq!(rejected.warnings.unwrap_or_default(), decision.warnings);
        let lenient = BAD.replace(r#""settings": {}"#, r#""settings": {"failOn": "none"}"#);
        let decision = workspace_decision(&lenient, "none");
        assert!(decision.allowed);
        let accepted = validation_response(lenient.as_bytes());
        assert!(accepted.accepted);
        assert_eq!(accepted.warnings, Some(decision.warnings));
    }

    #[test]
    fn invalid_policies_are_rejected_and_lower_findings_warn() {
        let rejected = validation_response(BAD.as_bytes());
        assert!(!rejected.accepted);
        assert_eq!(rejected.code, Some(403));
        let lenient = BAD.replace(r#""settings": {}"#, r#""settings": {"failOn": "none"}"#);
        let accepted = validation_response(lenient.as_bytes());
        assert!(accepted.accepted);
        assert!(!accepted.warnings.unwrap_or_default().is_empty());
    }
}
