//! netpol's WebAssembly face (src/wasm) in WebAssembly under Node: the workspace,
//! `format` on typed answers, the rule catalogue and admission reviews.

#![cfg(target_arch = "wasm32")]

use netpol::wasm::{
    format_answer, rules_json, validate_admission, version, WorkspaceHandle, CONFIG_PATH,
};
use wasm_bindgen_test::wasm_bindgen_test;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), netpol::VERSION);
}

#[wasm_bindgen_test]
fn workspace_lint_json_has_utf16_columns() {
    let text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: \"😀x\", namespace: \"😀\"}\nspec: {podSelector: {}}\n";
    let files = serde_json::json!([{"name": "p.yaml", "text": text}]).to_string();
    let workspace = WorkspaceHandle::new(&files, Vec::new(), &[], None);
    assert_eq!(workspace.load_error(), None);
    let reply: serde_json::Value = serde_json::from_str(&workspace.lint("{}")).unwrap();
    assert_eq!(reply["ok"], true);
    let findings = reply["result"]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let on_line_3: Vec<(u64, u64)> = findings
        .iter()
        .filter(|f| f["line"] == 3)
        .map(|f| {
            (
                f["endColumn"].as_u64().unwrap(),
                f["utf16EndColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        on_line_3.iter().any(|(chars, units)| units > chars),
        "a finding ending after an emoji on line 3: {on_line_3:?}"
    );
}

#[wasm_bindgen_test]
fn format_renders_a_lint_answer_in_every_format_and_names_unknown_ones() {
    let question = serde_json::json!({
        "kind": "lint",
        "files": [{"name": "-", "text": "kind: [\n"}],
    })
    .to_string();
    let sarif = json(&format_answer(&question, "sarif", 0.0));
    assert_eq!(sarif["ok"], true);
    let log = json(sarif["result"].as_str().unwrap());
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "yaml-syntax");
    let unknown = json(&format_answer(&question, "csv", 0.0));
    assert_eq!(unknown["ok"], false);
    assert_eq!(unknown["misuse"], true);
    assert!(unknown["error"]
        .as_str()
        .unwrap()
        .starts_with("unknown format 'csv' for 'lint'"));
}

#[wasm_bindgen_test]
fn format_reports_a_bad_configuration_with_its_name() {
    let question = serde_json::json!({
        "kind": "lint",
        "files": [{"name": "-", "text": "kind: [\n"}],
        "config": "{\"bogus\": 1}\n",
    })
    .to_string();
    let reply = json(&format_answer(&question, "text", 0.0));
    assert_eq!(reply["ok"], false);
    assert!(reply["error"].as_str().unwrap().contains(CONFIG_PATH));
}

#[wasm_bindgen_test]
fn rules_json_lists_the_catalogue() {
    let rules = json(&rules_json());
    assert_eq!(rules["version"], netpol::VERSION);
    assert!(rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "yaml-syntax"));
}

#[wasm_bindgen_test]
fn admission_reviews_are_answered_and_bad_settings_named() {
    let review = r#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
      "request": {"uid": "7", "object": {"apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "shop"},
        "spec": {"podSelector": {}}}}}"#;
    let answer = json(&validate_admission(review, None));
    assert_eq!(answer["ok"], true);
    assert_eq!(answer["result"]["response"]["uid"], "7");
    let broken = json(&validate_admission(
        review,
        Some(String::from("{\"bogus\": 1}")),
    ));
    assert_eq!(broken["ok"], false);
    assert!(broken["error"].as_str().unwrap().contains(CONFIG_PATH));
}
