//! `--group owner|none` on `matrix` and `diff` through the command line: the shapes,
//! the defaults per format, group ids as endpoint names, and owners left apart (the
//! property that grouping never changes what is allowed is in `grouping_property.rs`).
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "cli/memfs.rs"]
mod memfs;

use memfs::MemFs;
use serde_json::{json, Value};

/// 32 pods: two Deployments (through their ReplicaSets), a StatefulSet and a pod
/// without owner in `shop`; a DaemonSet and a Deployment in `monitoring`.
const CLUSTER: &str = include_str!("data/grouping/cluster.json");

fn json_of(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// The ids of the non-external endpoints of a matrix or diff document.
fn cluster_ids(doc: &Value) -> Vec<String> {
    doc["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .filter(|e| e["kind"] != "External")
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn one_row_per_controller_in_human_formats_one_per_pod_in_json() {
    let fs = MemFs::new().file("cluster.json", CLUSTER);
    let grouped = [
        "monitoring/daemonset/node-exporter",
        "monitoring/deployment/prometheus",
        "shop/debug",
        "shop/deployment/api",
        "shop/deployment/web",
        "shop/statefulset/db",
    ];
    let out = fs.run(&[
        "matrix",
        "--format",
        "json",
        "--group",
        "owner",
        "cluster.json",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    let doc = json_of(&out.stdout);
    assert_eq!(cluster_ids(&doc), grouped);
    let web = &doc["endpoints"][4];
    assert_eq!(web["kind"], "Deployment");
    assert_eq!(web["name"], "web");
    assert_eq!(web["pods"].as_array().map(Vec::len), Some(8));
    assert_eq!(doc["endpoints"][0]["kind"], "DaemonSet");
    assert_eq!(
        doc["endpoints"][0]["pods"].as_array().map(Vec::len),
        Some(12)
    );
    assert_eq!(doc["endpoints"][2]["kind"], "Pod");
    assert!(doc["endpoints"][2].get("pods").is_none());
    assert!(doc.get("splitOwners").is_none());
    assert!(doc.get("representative").is_none());

    // json defaults to one endpoint per pod, without `pods`.
    let doc = json_of(
        &fs.run(&["matrix", "--format", "json", "cluster.json"])
            .stdout,
    );
    assert_eq!(cluster_ids(&doc).len(), 32);
    assert!(doc["endpoints"]
        .as_array()
        .expect("list")
        .iter()
        .all(|e| e.get("pods").is_none()));

    // text defaults to owner; --group none lists the pods.
    let text = fs.run(&["matrix", "cluster.json"]).stdout;
    assert!(text.starts_with("8 endpoints:\n"), "{text}");
    assert!(
        text.contains("DaemonSet  monitoring/daemonset/node-exporter  (12 pods)"),
        "{text}"
    );
    let text = fs
        .run(&["matrix", "--group", "none", "cluster.json"])
        .stdout;
    assert!(text.starts_with("34 endpoints:\n"), "{text}");
    for format in ["md", "dot", "svg"] {
        let shown = fs
            .run(&["matrix", "--format", format, "cluster.json"])
            .stdout;
        assert!(shown.contains("deployment/web"), "{format}: {shown}");
        assert!(!shown.contains("web-6f7d9c8b5-00000"), "{format}: {shown}");
    }
    let csv = fs
        .run(&["matrix", "--format", "csv", "cluster.json"])
        .stdout;
    assert!(csv.contains("web-6f7d9c8b5-00000"), "{csv}");
}

#[test]
fn a_pod_filter_selects_its_group() {
    let fs = MemFs::new().file("cluster.json", CLUSTER);
    let out = fs.run(&[
        "matrix",
        "--format",
        "md",
        "--from",
        "shop/web-6f7d9c8b5-00003",
        "--to",
        "shop/api-7c9b5d4f8-00000",
        "cluster.json",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .contains("| `shop/deployment/web` | `shop/deployment/api` | 9090 |"),
        "{}",
        out.stdout
    );
}

#[test]
fn group_ids_name_endpoints_in_filters_and_queries() {
    let fs = MemFs::new().file("cluster.json", CLUSTER);
    let out = fs.run(&[
        "matrix",
        "--format",
        "md",
        "--from",
        "shop/deployment/web",
        "--to",
        "shop/statefulset/db",
        "cluster.json",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("| From | To |"), "{}", out.stdout);
    assert!(
        !out.stdout
            .contains("| `shop/deployment/web` | `shop/statefulset/db`"),
        "web cannot reach db: {}",
        out.stdout
    );
    let query = fs.run(&[
        "query",
        "--from",
        "shop/deployment/api",
        "--to",
        "shop/statefulset/db",
        "--port",
        "5432",
        "cluster.json",
    ]);
    assert_eq!(query.code, 2, "{query:?}");
    assert!(
        query.stderr.contains(
            "endpoint `shop/deployment/api` is ambiguous: it could be `shop/api-7c9b5d4f8-00000`"
        ),
        "{query:?}"
    );
    let single = r#"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "agent-x1", "namespace": "n1",
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "1", "controller": true}]}}"#;
    let fs = MemFs::new().file("pod.json", single);
    let query = fs.run(&[
        "query",
        "--from",
        "n1/daemonset/agent",
        "--to",
        "n1/agent-x1",
        "--port",
        "80",
        "pod.json",
    ]);
    assert_eq!(query.code, 0, "{query:?}");
    assert!(
        query
            .stdout
            .starts_with("ALLOWED: n1/agent-x1 -> n1/agent-x1"),
        "{}",
        query.stdout
    );
    let missing = fs.run(&[
        "query",
        "--from",
        "n1/daemonset/other",
        "--to",
        "n1/agent-x1",
        "--port",
        "80",
        "pod.json",
    ]);
    assert!(
        missing
            .stderr
            .contains("endpoint `n1/daemonset/other` not found"),
        "{missing:?}"
    );
}

#[test]
fn pods_the_policies_treat_differently_stay_apart_and_the_output_says_so() {
    let mut doc = json_of(CLUSTER);
    let items = doc["items"].as_array_mut().expect("items");
    let canary = items
        .iter_mut()
        .find(|o| o["metadata"]["name"] == "web-6f7d9c8b5-00007")
        .expect("a web pod");
    canary["metadata"]["labels"]["track"] = json!("canary");
    items.push(json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "canary", "namespace": "shop"},
        "spec": {"podSelector": {"matchLabels": {"track": "canary"}}, "ingress": [{"ports": [{"port": 8443}]}]}}));
    let fs = MemFs::new().file("cluster.json", &doc.to_string());
    let out = json_of(
        &fs.run(&[
            "matrix",
            "--format",
            "json",
            "--group",
            "owner",
            "cluster.json",
        ])
        .stdout,
    );
    assert_eq!(out["splitOwners"], json!(["shop/deployment/web"]));
    let ids = cluster_ids(&out);
    assert!(
        ids.contains(&"shop/web-6f7d9c8b5-00007".to_string()),
        "{ids:?}"
    );
    assert!(!ids.contains(&"shop/deployment/web".to_string()), "{ids:?}");
    assert!(ids.contains(&"shop/deployment/api".to_string()), "{ids:?}");
    let text = fs.run(&["matrix", "cluster.json"]).stdout;
    assert!(
        text.contains("note: the pods of `shop/deployment/web` are shown one by one"),
        "{text}"
    );
}

#[test]
fn diff_groups_in_text_and_not_in_json() {
    let base = CLUSTER;
    let mut head = json_of(CLUSTER);
    head["items"].as_array_mut().expect("items").push(json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "db-from-web", "namespace": "shop"},
        "spec": {"podSelector": {"matchLabels": {"app": "db"}},
                 "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}], "ports": [{"port": 5432}]}]}}));
    let fs = MemFs::new()
        .file("base.json", base)
        .file("head.json", &head.to_string());
    let args = ["diff", "--base", "base.json", "--head", "head.json"];
    let text = fs.run(&args).stdout;
    assert!(
        text.contains("+ shop/deployment/web -> shop/statefulset/db: TCP 5432"),
        "{text}"
    );
    assert!(text.starts_with("1 connection added"), "{text}");
    let doc = json_of(&fs.run(&[&args[..], &["--format", "json"]].concat()).stdout);
    assert_eq!(doc["summary"]["added"], 24, "8 web pods × 3 db pods");
    let doc = json_of(
        &fs.run(&[&args[..], &["--format", "json", "--group", "owner"]].concat())
            .stdout,
    );
    assert_eq!(doc["summary"]["added"], 1);
    assert_eq!(doc["added"][0]["from"], "shop/deployment/web");
    let bad = fs.run(&[&args[..], &["--group", "replica"]].concat());
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("--group 'replica' is not one of: owner, none"),
        "{bad:?}"
    );
}

#[test]
fn diff_keeps_apart_the_pods_it_says_different_things_about() {
    let mut head = json_of(CLUSTER);
    head["items"].as_array_mut().expect("items").push(json!({
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "api-from-db-0", "namespace": "shop"},
        "spec": {"podSelector": {"matchLabels": {"app": "api"}},
                 "ingress": [{"from": [{"podSelector": {"matchLabels": {"statefulset.kubernetes.io/pod-name": "db-0"}}}],
                              "ports": [{"port": 9090}]}]}}));
    let fs = MemFs::new()
        .file("base.json", CLUSTER)
        .file("head.json", &head.to_string());
    let text = fs
        .run(&["diff", "--base", "base.json", "--head", "head.json"])
        .stdout;
    assert!(
        text.contains("+ shop/db-0 -> shop/deployment/api: TCP 9090"),
        "{text}"
    );
    assert!(
        text.contains("note: the pods of `shop/statefulset/db` are shown one by one"),
        "{text}"
    );
    let doc = json_of(
        &fs.run(&[
            "diff",
            "--base",
            "base.json",
            "--head",
            "head.json",
            "--format",
            "json",
            "--group",
            "owner",
        ])
        .stdout,
    );
    assert_eq!(doc["splitOwners"], json!(["shop/statefulset/db"]));
    assert_eq!(doc["summary"]["added"], 1);
}

#[test]
fn only_controller_owner_references_group() {
    let pod = |name: &str, owner: Value| {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": "n1", "ownerReferences": [owner]}})
    };
    let list = json!({"apiVersion": "v1", "kind": "List", "items": [
        pod("a", json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "1", "controller": false})),
        pod("b", json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "1"})),
        pod("c", json!({"apiVersion": "v1", "kind": "Node", "name": "node-1", "uid": "2", "controller": true})),
        pod("d", json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-abc", "uid": "3", "controller": true})),
    ]});
    let fs = MemFs::new().file("pods.json", &list.to_string());
    let doc = json_of(
        &fs.run(&[
            "matrix",
            "--format",
            "json",
            "--group",
            "owner",
            "pods.json",
        ])
        .stdout,
    );
    // A ReplicaSet pod without pod-template-hash stays under its ReplicaSet.
    assert_eq!(
        cluster_ids(&doc),
        ["n1/a", "n1/b", "n1/c", "n1/replicaset/web-abc"]
    );
}
