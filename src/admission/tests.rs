use super::*;
use serde_json::Value;

const POLICY_OK: &str = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
  "metadata": {"name": "deny", "namespace": "shop"},
  "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}"#;

const POLICY_INVALID: &str = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
  "metadata": {"name": "bad", "namespace": "shop"},
  "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": 0}]}]}}"#;

fn admission_review(object: &str, uid: &str) -> String {
    alloc::format!(
        r#"{{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
  "request": {{"uid": "{uid}", "namespace": "shop", "operation": "CREATE", "object": {object}}}}}"#
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_valid_policy_is_admitted_with_its_uid() {
    let answer = json(&review(&admission_review(POLICY_OK, "u-1"), &Config::default()).json);
    assert_eq!(answer["kind"], "AdmissionReview");
    assert_eq!(answer["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(answer["response"]["uid"], "u-1");
    assert_eq!(answer["response"]["allowed"], true);
    assert_eq!(answer["response"]["status"]["code"], 200);
}

#[test]
fn an_invalid_policy_is_rejected_with_every_error() {
    let answer = json(&review(&admission_review(POLICY_INVALID, "u-2"), &Config::default()).json);
    let response = &answer["response"];
    assert_eq!(response["uid"], "u-2");
    assert_eq!(response["allowed"], false);
    assert_eq!(response["status"]["code"], 403);
    assert_eq!(response["status"]["reason"], "Forbidden");
    let message = response["status"]["message"].as_str().unwrap();
    assert!(
        message.contains("spec.egress[0].ports[0].port"),
        "{message}"
    );
}

#[test]
fn findings_below_fail_on_are_short_warnings() {
    let mut config = Config::default();
    config.set_fail_on_level(None);
    let answer = json(&review(&admission_review(POLICY_INVALID, "u-3"), &config).json);
    let response = &answer["response"];
    assert_eq!(response["allowed"], true);
    let warnings = response["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty());
    for w in warnings {
        assert!(w.as_str().unwrap().chars().count() < 120, "{w}");
    }
}

#[test]
fn the_request_namespace_is_the_objects_namespace() {
    let object = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
      "metadata": {"name": "deny"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}"#;
    let text = admission_review(object, "u");
    let report = check(&text, &Config::default());
    assert!(report
        .findings
        .iter()
        .all(|f| f.rule_id != "missing-namespace"));
    assert_eq!(Input::read(&text).loaded.model.policies.len(), 1);
}

#[test]
fn a_delete_without_object_is_admitted() {
    let text = r#"{"request": {"uid": "d", "operation": "DELETE", "object": null}}"#;
    let decision = decide(text, &Config::default());
    assert!(decision.allowed);
    assert_eq!(decision.uid, "d");
}

#[test]
fn gatekeeper_parameters_are_the_settings() {
    let text = alloc::format!(
        r#"{{"review": {{"uid": "g", "object": {POLICY_INVALID}}}, "parameters": {{"failOn": "none"}}}}"#
    );
    assert_eq!(Input::read(&text).shape, Shape::Gatekeeper);
    let report = check(&text, &Config::default());
    assert_eq!(report.fail_on, None);
    assert!(!report.findings.is_empty());
    assert_eq!(evaluate(Entrypoint::Violations, &text), json("[]"));
    let strict = alloc::format!(r#"{{"review": {{"object": {POLICY_INVALID}}}}}"#);
    let violations = evaluate(Entrypoint::Violations, &strict);
    assert!(!violations.as_array().unwrap().is_empty());
    assert!(violations[0]["msg"].as_str().unwrap().starts_with('['));
}

#[test]
fn invalid_settings_reject_with_invalid_config() {
    let text = alloc::format!(
        r#"{{"review": {{"object": {POLICY_OK}}}, "parameters": {{"failOn": "sometimes"}}}}"#
    );
    let violations = evaluate(Entrypoint::Violations, &text);
    assert_eq!(violations[0]["details"]["ruleId"], "invalid-config");
    assert!(parse_settings(r#"{"failOn": "sometimes"}"#).is_err());
    assert!(parse_settings(r#"{"podCIDRs": ["nope"]}"#)
        .unwrap_err()
        .contains("podCIDRs"));
    assert!(parse_settings(r#"{"rules": {"missing-namespace": "off"}}"#).is_ok());
    assert!(parse_settings("null").is_ok());
}

#[test]
fn every_shape_is_read() {
    let list = alloc::format!(
        r#"{{"apiVersion": "v1", "kind": "List", "items": [{POLICY_OK}, {POLICY_INVALID}]}}"#
    );
    let items = alloc::format!(r#"{{"items": [{POLICY_OK}, {POLICY_INVALID}]}}"#);
    let array = alloc::format!(r#"[{POLICY_OK}, {POLICY_INVALID}]"#);
    for text in [list.as_str(), items.as_str(), array.as_str()] {
        let input = Input::read(text);
        assert_eq!(input.shape, Shape::Manifests);
        assert_eq!(input.loaded.objects, 2, "{text}");
    }
    assert_eq!(Input::read(POLICY_OK).loaded.objects, 1);
}

#[test]
fn lint_and_matrix_entrypoints_give_their_documents() {
    let lint = evaluate(Entrypoint::Lint, POLICY_INVALID);
    assert_eq!(lint["version"], crate::VERSION);
    assert!(lint["summary"]["error"].as_u64().unwrap() >= 1);
    let matrix = evaluate(Entrypoint::Matrix, POLICY_OK);
    assert!(matrix["endpoints"].is_array());
    assert!(matrix["connections"].is_array());
    assert!(matrix.get("errors").is_none());
}

#[test]
fn malformed_input_is_a_finding_not_a_failure() {
    let violations = evaluate(Entrypoint::Violations, "{not json");
    assert_eq!(violations.as_array().unwrap().len(), 1);
    let admission = evaluate(Entrypoint::Admission, "{not json");
    assert_eq!(admission["response"]["allowed"], false);
    let matrix = evaluate(Entrypoint::Matrix, "{not json");
    assert!(!matrix["errors"].as_array().unwrap().is_empty());
}

#[test]
fn entrypoint_ids_are_their_positions() {
    assert_eq!(Entrypoint::from_id(0), Some(Entrypoint::Violations));
    assert_eq!(Entrypoint::from_id(3), Some(Entrypoint::Matrix));
    assert_eq!(Entrypoint::from_id(4), None);
    assert_eq!(Entrypoint::from_id(-1), None);
    assert_eq!(Entrypoint::table()["netpol/violations"], 0);
}

#[test]
fn typed_entrypoints_equal_the_rendered_documents() {
    use crate::report::context::RenderContext;
    use crate::report::{gatekeeper, json as lint_json};
    let text = admission_review(POLICY_INVALID, "u-1");
    let report = check(&text, &Config::default());
    let input = Input::read(&text);
    let ctx = RenderContext::new(&input.sources);
    assert_eq!(
        evaluate(Entrypoint::Lint, &text),
        json(&lint_json::render(&report, &ctx))
    );
    let violations = evaluate(Entrypoint::Violations, &text);
    assert_eq!(violations, json(&gatekeeper::render(&report, &ctx)));
    assert!(!violations.as_array().unwrap().is_empty());
}

#[test]
fn the_decision_is_the_workspace_answer_for_the_request_object() {
    use crate::api::{Admission, LintOptions, SourceFile, Workspace};
    let text = admission_review(POLICY_INVALID, "u-9");
    let admission = Admission::read(&text, &Config::default());
    assert_eq!(admission.uid(), "u-9");
    assert_eq!(admission.shape(), Shape::Review);
    let workspace = Workspace::load(
        [SourceFile::object(INPUT_NAME, json(POLICY_INVALID))],
        Config::default(),
    );
    let options = LintOptions {
        single_object: true,
        ..LintOptions::default()
    };
    let expected = Decision::new("u-9", &workspace.lint(&options).unwrap().report);
    assert!(!expected.allowed);
    assert_eq!(decide(&text, &Config::default()), expected);
    let all_rules = workspace.lint(&LintOptions::default()).unwrap().report;
    let single = workspace.lint(&options).unwrap().report;
    assert!(single.findings.len() <= all_rules.findings.len());
    assert!(single
        .findings
        .iter()
        .all(
            |f| crate::lint::rule_doc(f.rule_id).is_none_or(|d| matches!(
                d.scope,
                crate::lint::Scope::File | crate::lint::Scope::Object
            ))
        ));
}

#[test]
fn manifests_are_answered_like_a_workspace_of_the_same_text() {
    use crate::api::{LintOptions, MatrixFilter, SourceFile, Workspace};
    use crate::report::json as lint_json;
    let list = alloc::format!(
        r#"{{"apiVersion": "v1", "kind": "List", "items": [{POLICY_OK}, {POLICY_INVALID}]}}"#
    );
    let workspace = Workspace::load(
        [SourceFile::text(INPUT_NAME, list.as_str())],
        Config::default(),
    );
    let lint = workspace.lint(&LintOptions::default()).unwrap();
    let lint = serde_json::to_value(lint_json::document(&lint.report, crate::VERSION)).unwrap();
    assert_eq!(evaluate(Entrypoint::Lint, &list), lint);
    let matrix = serde_json::to_value(workspace.matrix(&MatrixFilter::default()).unwrap()).unwrap();
    let mut answer = evaluate(Entrypoint::Matrix, &list);
    assert!(answer.as_object_mut().unwrap().remove("errors").is_some());
    assert_eq!(answer, matrix);
}
