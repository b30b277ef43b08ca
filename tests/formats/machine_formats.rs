//! Gatekeeper and conftest JSON, and determinism of every format.

use netpol::diag::Severity;
use netpol::report::formats::LintFormat;
use serde_json::Value;

use super::{json, Fixture};

#[test]
fn gatekeeper_lists_findings_at_or_above_fail_on() {
    let out = json(&Fixture::new(Some(Severity::Warning)).render(LintFormat::Gatekeeper));
    let violations = out.as_array().unwrap();
    assert_eq!(violations.len(), 6);
    for v in violations {
        let msg = v["msg"].as_str().unwrap();
        assert!(
            !msg.contains('\n') && !msg.contains('\u{2028}'),
            "one line: {msg:?}"
        );
        let details = &v["details"];
        for key in ["ruleId", "severity", "resource", "path"] {
            assert!(details.get(key).is_some(), "{key} in {v}");
        }
        assert_ne!(details["severity"], "info");
    }
    let first = violations
        .iter()
        .find(|v| v["details"]["ruleId"] == "allow-all-ingress")
        .unwrap();
    assert!(first["msg"]
        .as_str()
        .unwrap()
        .starts_with("[allow-all-ingress] policy `web` allows \"all\""));
    assert!(first["msg"]
        .as_str()
        .unwrap()
        .ends_with(" (NetworkPolicy shop/web)"));
    assert_eq!(first["details"]["resource"]["namespace"], "shop");
    assert_eq!(first["details"]["path"], "spec.ingress[0]");
    let file_level = violations
        .iter()
        .find(|v| v["details"]["ruleId"] == "yaml-syntax")
        .unwrap();
    assert_eq!(file_level["details"]["resource"], Value::Null);
}

#[test]
fn gatekeeper_admits_when_nothing_reaches_the_threshold() {
    assert_eq!(Fixture::new(None).render(LintFormat::Gatekeeper), "[]\n");
    let errors = json(&Fixture::new(Some(Severity::Error)).render(LintFormat::Gatekeeper));
    assert_eq!(errors.as_array().unwrap().len(), 3);
}

#[test]
fn conftest_entries_per_file() {
    let out = json(&Fixture::new(Some(Severity::Warning)).render(LintFormat::Conftest));
    let entries = out.as_array().unwrap();
    let files: Vec<&str> = entries
        .iter()
        .map(|e| e["filename"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "./deploy/pay db.yaml",
            "deploy/bad.yaml",
            "deploy/broken.yaml",
            "deploy/ns.yaml",
            "deploy/shop.yaml"
        ]
    );
    let entry = |name: &str| entries.iter().find(|e| e["filename"] == name).unwrap();
    let shop = entry("deploy/shop.yaml");
    assert_eq!(shop["namespace"], "netpol");
    assert_eq!(shop["successes"], 7);
    assert_eq!(shop["failures"].as_array().unwrap().len(), 2);
    let warnings = shop["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["msg"], "policyTypes omitted");
    assert_eq!(warnings[0]["loc"]["file"], "deploy/shop.yaml");
    assert_eq!(warnings[0]["loc"]["line"], 8);
    assert_eq!(warnings[0]["metadata"]["ruleId"], "missing-policytypes");
    assert_eq!(warnings[0]["metadata"]["severity"], "info");
    assert_eq!(entry("./deploy/pay db.yaml")["successes"], 4);
    assert_eq!(entry("deploy/ns.yaml")["successes"], 0);
    let total_failures: usize = entries
        .iter()
        .map(|e| e["failures"].as_array().unwrap().len())
        .sum();
    assert_eq!(total_failures, 6);
}

#[test]
fn every_format_is_deterministic_and_independent_of_input_order() {
    for format in LintFormat::ALL {
        let a = Fixture::new(Some(Severity::Warning)).render(format);
        let b = Fixture::new(Some(Severity::Warning)).render(format);
        let reversed = Fixture::build(Some(Severity::Warning), "", true).render(format);
        assert!(!a.is_empty(), "{format:?}");
        assert_eq!(a, b, "{format:?}");
        assert_eq!(a, reversed, "{format:?} depends on input order");
    }
}

#[test]
fn dispatch_reaches_the_text_and_json_renderers() {
    let fixture = Fixture::new(Some(Severity::Warning));
    let out = json(&fixture.render(LintFormat::Json));
    assert_eq!(out["findings"].as_array().unwrap().len(), 7);
    let text = fixture.render(LintFormat::Text);
    assert!(text.contains("warning[allow-all-ingress]"), "{text}");
}
