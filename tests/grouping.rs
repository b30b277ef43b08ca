//! `--group owner` on `matrix` with a pod of a controller relabelled (the input is
//! the fixture edited as JSON): the owner is left apart and the output says so. The
//! other grouping cases are table-driven (tests/cases/cli/grouping.yaml); the
//! property that grouping never changes what is allowed is in `grouping_property.rs`.
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
