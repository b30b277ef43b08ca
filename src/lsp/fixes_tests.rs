//! Every quick fix applied to its manifest, then linted again: the finding is gone,
//! the text still reads, and the rest of it is unchanged.

use std::prelude::rust_2021::*;

use lsp_types::{
    CodeActionContext, CodeActionOrCommand, CodeActionParams, PartialResultParams, Position, Range,
    TextDocumentIdentifier, WorkDoneProgressParams,
};

use super::fixes::code_actions;
use super::position::offset;
use super::uri::file_uri;
use crate::api::{SourceFile, Workspace};
use crate::lint::Config;

const CLUSTER: &str = "apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
    - name: web
      ports: [{name: http, containerPort: 8080}, {containerPort: 9090, protocol: UDP}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
";

const BLOCK_POLICY: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web   # the frontend
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: api
";

const FLOW_POLICY: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: shop}
spec: {podSelector: {matchLabels: {app: api}}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}]}
";

const NAMESPACE_ONLY: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: from-shop
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: shop
    ports:
    - port: 8080
";

const JSON_POLICY: &str = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
 "metadata": {"name": "j", "namespace": "shop"},
 "spec": {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": 80}]}]}}
"#;

/// The text of `name` after the fix titled with `title_start` for `rule`.
fn fixed(name: &str, text: &str, rule: &str, title_start: &str) -> (Workspace, String) {
    let path = format!("/w/{name}");
    let mut workspace = Workspace::load(
        [
            SourceFile::text("/w/cluster.yaml", CLUSTER),
            SourceFile::text(path.clone(), text),
        ],
        Config::default(),
    );
    assert!(
        fires(&workspace, &path, rule),
        "{rule} does not fire on {name}"
    );
    let errors_before = errors(&workspace);
    let params = CodeActionParams {
        text_document: TextDocumentIdentifier {
            uri: file_uri(&path).parse().unwrap(),
        },
        range: Range::new(Position::new(0, 0), Position::new(99, 0)),
        context: CodeActionContext::default(),
        work_done_progress_params: WorkDoneProgressParams::default(),
        partial_result_params: PartialResultParams::default(),
    };
    let actions = code_actions(&workspace, &params);
    let action = actions
        .iter()
        .find_map(|action| match action {
            CodeActionOrCommand::CodeAction(a) if a.title.starts_with(title_start) => Some(a),
            _ => None,
        })
        .unwrap_or_else(|| std::panic!("no fix '{title_start}' in {actions:?}"));
    let edits = action.edit.as_ref().unwrap().changes.as_ref().unwrap();
    let [edit] = edits.values().next().unwrap().as_slice() else {
        std::panic!("one edit expected")
    };
    let start = offset(text, edit.range.start) as usize;
    let end = offset(text, edit.range.end) as usize;
    let new_text = format!("{}{}{}", &text[..start], edit.new_text, &text[end..]);
    workspace.update(SourceFile::text(path.clone(), new_text.clone()));
    assert!(
        !fires(&workspace, &path, rule),
        "{rule} still fires on:\n{new_text}"
    );
    let new_errors: Vec<_> = errors(&workspace)
        .into_iter()
        .filter(|e| !errors_before.contains(e))
        .collect();
    assert!(new_errors.is_empty(), "{new_errors:?} in:\n{new_text}");
    (workspace, new_text)
}

/// The rule ids of the error findings (a fix must add none: no syntax error, no
/// invalid field).
fn errors(workspace: &Workspace) -> Vec<&'static str> {
    workspace
        .diagnostics()
        .into_iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| d.rule)
        .collect()
}

fn fires(workspace: &Workspace, path: &str, rule: &str) -> bool {
    workspace.diagnostics().iter().any(|d| {
        d.rule == rule
            && d.location
                .and_then(|l| workspace.sources().get(l.source))
                .is_some_and(|s| s.name() == path)
    })
}

#[test]
fn policy_types_are_added_to_block_flow_and_json_specs() {
    let (_, text) = fixed(
        "p.yaml",
        BLOCK_POLICY,
        "missing-policytypes",
        "Add policyTypes",
    );
    assert_eq!(
        text,
        BLOCK_POLICY.replace("app: api\n", "app: api\n  policyTypes: [\"Ingress\"]\n")
    );
    let (_, text) = fixed(
        "j.json",
        JSON_POLICY,
        "missing-policytypes",
        "Add policyTypes",
    );
    assert!(
        text.contains(r#"{"port": 80}]}], "policyTypes": ["Ingress"]}}"#),
        "{text}"
    );
}

#[test]
fn ports_come_from_the_containers_on_the_far_side() {
    let (_, text) = fixed(
        "p.yaml",
        BLOCK_POLICY,
        "rule-without-ports",
        "Add ports: TCP 8080, UDP 9090",
    );
    let expected = "              app: api\n      ports: [{\"port\": 8080, \"protocol\": \"TCP\"}, {\"port\": 9090, \"protocol\": \"UDP\"}]\n";
    assert!(text.ends_with(expected), "{text}");
    assert!(text.contains("app: web   # the frontend\n"));
}

#[test]
fn metadata_addresses_are_excepted_and_dns_is_allowed() {
    let (_, text) = fixed(
        "f.yaml",
        FLOW_POLICY,
        "ipblock-allows-metadata",
        "Except the metadata addresses: 169.254.169.254/32",
    );
    assert!(
        text.contains("{cidr: 0.0.0.0/0, \"except\": [\"169.254.169.254/32\""),
        "{text}"
    );
    let excepted = FLOW_POLICY.replace("0.0.0.0/0}", "0.0.0.0/0, except: [169.254.169.254/32]}");
    let (_, text) = fixed(
        "f.yaml",
        &excepted,
        "ipblock-allows-metadata",
        "Except the metadata",
    );
    let appended = "except: [169.254.169.254/32, \"100.100.100.200/32\"]";
    assert!(text.contains(appended), "{text}");
    let (_, text) = fixed(
        "f.yaml",
        FLOW_POLICY,
        "dns-egress-blocked",
        "Allow egress to the cluster DNS",
    );
    assert!(
        text.contains("ports: [{port: 443}]}, {\"ports\": [{\"port\": 53"),
        "{text}"
    );
}

#[test]
fn namespace_only_peers_get_a_pod_selector_per_workload() {
    let (_, text) = fixed(
        "n.yaml",
        NAMESPACE_ONLY,
        "peer-namespace-selector-only",
        "Admit only the pods of shop/api",
    );
    assert!(text.contains("          team: shop\n      podSelector: {\"matchLabels\": {\"app\": \"api\"}}\n    ports:"), "{text}");
}

#[test]
fn findings_without_a_fix_get_no_action() {
    let workspace = Workspace::load([SourceFile::text("/w/c.yaml", CLUSTER)], Config::default());
    let params = CodeActionParams {
        text_document: TextDocumentIdentifier {
            uri: file_uri("/w/c.yaml").parse().unwrap(),
        },
        range: Range::new(Position::new(0, 0), Position::new(99, 0)),
        context: CodeActionContext::default(),
        work_done_progress_params: WorkDoneProgressParams::default(),
        partial_result_params: PartialResultParams::default(),
    };
    assert!(!workspace.diagnostics().is_empty());
    assert!(code_actions(&workspace, &params).is_empty());
}
