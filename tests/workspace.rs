//! The workspace answers after any sequence of edits exactly as a fresh load of the
//! sources it ends up with (lint, matrix, query, test), also when it was linted
//! between the edits (the findings it keeps per source then follow each edit).
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use netpol::api::{FlowRequest, LintOptions, MatrixFilter, Port, SourceFile, Workspace};
use netpol::lint::Config;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Manifests the edits pick from: policies, pods, a workload, an invalid policy,
/// unreadable YAML, an empty file, objects given already parsed, and a policy whose
/// finding depends on the Namespaces of other sources.
fn manifest(choice: usize) -> SourceFile {
    const TEXTS: [&str; 7] = [
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-to-api, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: web}}}]\n    ports: [{port: 8080}]\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nstatus: {podIP: 10.0.0.1}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop, labels: {app: api}}\nspec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}\nstatus: {podIP: 10.0.0.2}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db, namespace: data}\nspec: {template: {metadata: {labels: {app: db}}}}\n",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: shop}\nspec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}\n",
        "kind: [unclosed\n",
        "",
    ];
    let name = |i: usize| format!("file-{i}.yaml");
    match choice {
        7 => SourceFile::object(
            name(7),
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": {"name": "egress-dns", "namespace": "shop"},
                   "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"],
                            "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}]}}),
        ),
        8 => SourceFile::object(
            name(8),
            json!({"kind": "List", "apiVersion": "v1", "items": [
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "data", "labels": {"team": "db"}}},
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "cache", "namespace": "data"}}]}),
        ),
        9 => SourceFile::text(
            name(9),
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-team, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {team: web}}}]\n",
        ),
        i => SourceFile::text(name(i), TEXTS.get(i).copied().unwrap_or("")),
    }
}

/// One edit: `Some(manifest)` updates the slot's name with it, `None` removes it;
/// then lint when the flag says so.
type Edit = (usize, Option<usize>, bool);

/// How many manifests [`manifest`] chooses from.
const MANIFESTS: usize = 10;

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = (
        0usize..5,
        prop::option::weighted(0.75, 0usize..MANIFESTS),
        any::<bool>(),
    );
    prop::collection::vec(edit, 0..12)
}

/// Everything the workspace answers, as JSON.
fn answers(workspace: &Workspace) -> Vec<Value> {
    let mut out = vec![
        serde_json::to_value(workspace.lint(&LintOptions::default()).unwrap()).unwrap(),
        serde_json::to_value(workspace.matrix(&MatrixFilter::default()).unwrap()).unwrap(),
        serde_json::to_value(workspace.test()).unwrap(),
    ];
    for (from, to, port) in [
        ("shop/web", "shop/api", Port::Number(8080)),
        ("shop/api", "10.9.9.9", Port::Number(53)),
        ("shop/web", "shop/api", Port::Name("http".into())),
        ("data/db", "shop/web", Port::Number(80)),
    ] {
        let flow = FlowRequest {
            from: from.into(),
            to: to.into(),
            port,
            protocol: None,
        };
        out.push(match workspace.query(&flow) {
            Ok(answer) => serde_json::to_value(answer).unwrap(),
            Err(error) => json!({"error": error.message()}),
        });
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn edits_answer_like_a_fresh_load(
        initial in prop::collection::vec(0usize..MANIFESTS, 0..5),
        lint_first in any::<bool>(),
        edits in edits(),
    ) {
        // Slot names are `slot-N`; the content comes from a manifest of the pool.
        let file = |slot: usize, choice: usize| SourceFile { name: format!("slot-{slot}"), ..manifest(choice) };
        let mut expected: Vec<SourceFile> = Vec::new();
        let mut workspace = Workspace::load(
            initial.iter().enumerate().map(|(slot, &choice)| file(slot, choice)),
            Config::default(),
        );
        for (slot, choice) in initial.iter().enumerate() {
            expected.push(file(slot, *choice));
        }
        if lint_first {
            workspace.lint(&LintOptions::default()).unwrap();
        }
        for (slot, edit, lint_after) in edits {
            let name = format!("slot-{slot}");
            let at = expected.iter().position(|f| f.name == name);
            match edit {
                Some(choice) => {
                    workspace.update(file(slot, choice));
                    match at {
                        Some(i) => expected[i] = file(slot, choice),
                        None => expected.push(file(slot, choice)),
                    }
                }
                None => {
                    prop_assert_eq!(workspace.remove(&name), at.is_some());
                    if let Some(i) = at {
                        expected.remove(i);
                    }
                }
            }
            if lint_after {
                let fresh = Workspace::load(expected.clone(), Config::default());
                let options = LintOptions::default();
                prop_assert_eq!(
                    serde_json::to_value(workspace.lint(&options).unwrap()).unwrap(),
                    serde_json::to_value(fresh.lint(&options).unwrap()).unwrap()
                );
            }
        }
        let fresh = Workspace::load(expected, Config::default());
        prop_assert_eq!(answers(&workspace), answers(&fresh));
    }
}

#[test]
fn a_workspace_answers_as_the_one_shot_pipeline() {
    let files: Vec<SourceFile> = (0..7).map(manifest).collect();
    let workspace = Workspace::load(files.clone(), Config::default());
    let mut sources = netpol::source::SourceSet::new();
    for file in files {
        sources.add(netpol::source::Source::new(
            file.name,
            file.text.unwrap_or_default(),
        ));
    }
    let loaded = netpol::decode::load(&sources, &netpol::doc::Limits::default());
    assert_eq!(workspace.loaded().diagnostics, loaded.diagnostics);
    assert_eq!(workspace.loaded().objects, loaded.objects);
    assert_eq!(workspace.loaded().model.policies, loaded.model.policies);
    assert_eq!(workspace.loaded().model.pods, loaded.model.pods);
}
