//! Workspace behaviour: edits, objects as input, answers and their JSON.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::engine::Grouping;
use crate::lint::Config;

const DENY: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n\
                    metadata: {name: deny, namespace: shop}\n\
                    spec: {podSelector: {}, policyTypes: [Ingress]}\n";
const PODS: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n\
                    status: {podIP: 10.0.0.1}\n---\n\
                    apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop}\nstatus: {podIP: 10.0.0.2}\n";
const BAD_CIDR: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n\
                        metadata: {name: bad, namespace: shop}\n\
                        spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: \"😀10.0.0.0/33\"}}]}]}\n";

fn flow(from: &str, to: &str, port: u16) -> FlowRequest {
    FlowRequest {
        from: from.into(),
        to: to.into(),
        port: Port::Number(port),
        protocol: None,
    }
}

fn workspace(files: &[(&str, &str)]) -> Workspace {
    Workspace::load(
        files
            .iter()
            .map(|(name, text)| SourceFile::text(*name, *text)),
        Config::default(),
    )
}

fn rule_ids(answer: &LintAnswer) -> Vec<&str> {
    answer.report.findings.iter().map(|f| f.rule_id).collect()
}

#[test]
fn update_replaces_a_source_in_place_and_adds_a_new_one() {
    let mut ws = workspace(&[("pods.yaml", PODS)]);
    assert!(
        ws.query(&flow("shop/web", "shop/api", 80))
            .unwrap()
            .verdict
            .allowed
    );
    ws.update(SourceFile::text("deny.yaml", DENY));
    assert!(
        !ws.query(&flow("shop/web", "shop/api", 80))
            .unwrap()
            .verdict
            .allowed
    );
    ws.update(SourceFile::text(
        "deny.yaml",
        "kind: Namespace\napiVersion: v1\nmetadata: {name: x}\n",
    ));
    assert!(
        ws.query(&flow("shop/web", "shop/api", 80))
            .unwrap()
            .verdict
            .allowed
    );
    let names: Vec<&str> = ws.sources().iter().map(|(_, s)| s.name()).collect();
    assert_eq!(names, ["pods.yaml", "deny.yaml"]);
}

#[test]
fn remove_renumbers_the_sources_after_it() {
    let mut ws = workspace(&[("a.yaml", DENY), ("b.yaml", BAD_CIDR), ("pods.yaml", PODS)]);
    assert!(!ws.remove("missing.yaml"));
    assert!(ws.remove("a.yaml"));
    let lint = ws.lint(&LintOptions::default()).unwrap();
    let invalid = lint
        .report
        .findings
        .iter()
        .find(|f| f.rule_id == "invalid-cidr")
        .unwrap();
    assert_eq!((invalid.file.as_str(), invalid.line), ("b.yaml", 4));
    assert_eq!(ws.loaded().model.pods[0].meta.source.0, 1);
}

#[test]
fn lint_answers_carry_character_and_utf16_columns() {
    let ws = workspace(&[("bad.yaml", BAD_CIDR)]);
    let answer = ws.lint(&LintOptions::default()).unwrap();
    assert!(answer.fails());
    let json = serde_json::to_value(&answer).unwrap();
    let finding = &json["findings"][0];
    assert_eq!(finding["ruleId"], "invalid-cidr");
    let column = finding["column"].as_u64().unwrap();
    assert_eq!(finding["utf16Column"].as_u64().unwrap(), column);
    let end = finding["endColumn"].as_u64().unwrap();
    assert_eq!(finding["utf16EndColumn"].as_u64().unwrap(), end + 1);
    assert_eq!(json["version"], crate::VERSION);
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn lint_options_apply_on_top_of_the_configuration() {
    let ws = workspace(&[("deny.yaml", DENY)]);
    let all = ws.lint(&LintOptions::default()).unwrap();
    assert!(!all.report.findings.is_empty());
    let first = String::from(rule_ids(&all)[0]);
    let mut options = LintOptions::default();
    options.rules.insert(first.clone(), "off".into());
    let fewer = ws.lint(&options).unwrap();
    assert!(!rule_ids(&fewer).contains(&first.as_str()));
    options.rules.insert("no-such-rule".into(), "off".into());
    assert!(ws.lint(&options).is_err());
    let quiet = LintOptions {
        quiet: true,
        ..LintOptions::default()
    };
    assert!(ws.lint(&quiet).unwrap().report.findings.is_empty());
}

#[test]
fn objects_as_input_have_findings_without_lines() {
    let object: serde_json::Value = serde_json::json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "bad", "namespace": "shop"},
        "spec": {"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/33"}}]}]}
    });
    let ws = Workspace::load([SourceFile::object("bad", object)], Config::default());
    let answer = ws.lint(&LintOptions::default()).unwrap();
    let invalid = answer
        .report
        .findings
        .iter()
        .find(|f| f.rule_id == "invalid-cidr")
        .unwrap();
    assert_eq!(
        (invalid.line, invalid.column, invalid.file.as_str()),
        (0, 0, "bad")
    );
    assert_eq!(invalid.path, "spec.ingress[0].from[0].ipBlock.cidr");
    assert_eq!(invalid.resource.as_ref().unwrap().name, "bad");
}

#[test]
fn matrix_filters_rows_columns_and_ports() {
    let ws = workspace(&[("pods.yaml", PODS), ("deny.yaml", DENY)]);
    let whole = serde_json::to_value(ws.matrix(&MatrixFilter::default()).unwrap()).unwrap();
    assert!(whole["endpoints"].as_array().unwrap().len() >= 2);
    let filter = MatrixFilter {
        from: Some("shop/web".into()),
        port: Some(80),
        ..MatrixFilter::default()
    };
    let answer = ws.matrix(&filter).unwrap();
    let json = serde_json::to_value(&answer).unwrap();
    for connection in json["connections"].as_array().unwrap() {
        assert_eq!(connection["from"], "shop/web");
        assert_eq!(connection["allowed"][0]["protocol"], "TCP");
    }
    let unknown = MatrixFilter {
        to: Some("shop/nope".into()),
        ..MatrixFilter::default()
    };
    assert!(ws.matrix(&unknown).is_err());
    let bad = MatrixFilter {
        protocol: Some("ICMP".into()),
        ..MatrixFilter::default()
    };
    assert!(ws.matrix(&bad).unwrap_err().message().contains("ICMP"));
}

#[test]
fn query_test_and_diff_serialise_to_their_shapes() {
    let base = workspace(&[("pods.yaml", PODS)]);
    let head = workspace(&[("pods.yaml", PODS), ("deny.yaml", DENY)]);
    let query =
        serde_json::to_value(head.query(&flow("shop/web", "shop/api", 80)).unwrap()).unwrap();
    assert_eq!(query["allowed"], false);
    assert_eq!(query["ingress"]["isolatedBy"][0]["file"], "deny.yaml");
    assert!(head.query(&flow("shop/nobody", "shop/api", 80)).is_err());
    let diff = serde_json::to_value(base.diff(&head, Grouping::None)).unwrap();
    assert!(diff["summary"]["removed"].as_u64().unwrap() > 0);
    assert_eq!(diff["summary"]["added"], 0);
    let test = serde_json::to_value(head.test()).unwrap();
    assert_eq!(
        (test["passed"].as_u64(), test["failed"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn cluster_sources_give_both_sides_of_a_diff_the_same_pods() {
    let mut base = workspace(&[("policies.yaml", "")]);
    let mut head = workspace(&[("policies.yaml", DENY), ("stray-pods.yaml", PODS)]);
    for side in [&mut base, &mut head] {
        side.add_cluster([SourceFile::text("policies.yaml", PODS)]);
    }
    let diff = base.diff(&head, Grouping::None);
    assert!(diff.diff.endpoints_added.is_empty());
    assert!(!diff.diff.removed.is_empty());
}

#[test]
fn endpoints_are_the_matrix_endpoints() {
    let ws = workspace(&[("pods.yaml", PODS), ("deny.yaml", DENY)]);
    let endpoints = serde_json::to_value(ws.endpoints()).unwrap();
    let matrix = serde_json::to_value(ws.matrix(&MatrixFilter::default()).unwrap()).unwrap();
    assert_eq!(endpoints, matrix["endpoints"]);
    assert_eq!(endpoints[0]["id"], "shop/api");
}
