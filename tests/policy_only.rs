//! Policy-only inputs through the command line: representative endpoints appear in
//! `matrix`, `query`, `test` and `diff`, every format says so, and inputs with pods
//! are left as they were.
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
use serde_json::Value;

/// A default deny in `shop`, web → api on 8080, web → cluster DNS on 53/UDP.
const POLICIES: &str = r#"apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  egress:
    - to: [{podSelector: {matchLabels: {app: api}}}]
      ports: [{port: 8080}]
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{port: 53, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 8080}]
"#;

/// Cases naming representatives: one passes, one fails.
const TESTS: &str = r#"apiVersion: netpol/v1alpha1
kind: ConnectivityTest
metadata: {name: shop}
spec:
  cases:
    - {name: web reaches api, from: "shop/{app=web}", to: "shop/{app=api}", port: 8080, expect: allow}
    - {name: api reaches web, from: "shop/{app=api}", to: "shop/{app=web}", port: 8080, expect: allow}
"#;

/// Pods for every namespace the policies name, making the inputs a cluster dump.
const PODS: &str = r#"apiVersion: v1
kind: Pod
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
"#;

const NOTE: &str = "representative endpoints `ns/{labels}` stand for the pods";

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn the_matrix_of_policies_alone_shows_what_they_allow() {
    let fs = MemFs::new().file("p.yaml", POLICIES);
    let text = fs.run(&["matrix", "p.yaml"]);
    assert_eq!(text.code, 0, "{text:?}");
    assert!(
        text.stdout.contains("Representative shop/{app=web}"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("shop/{app=web}                  shop/{app=api}                  TCP 8080"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("shop/{app=web}                  kube-system/{k8s-app=kube-dns}  UDP 53"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!(
            "note: no Pods or workloads in namespaces kube-system, shop: {NOTE}"
        )),
        "{}",
        text.stdout
    );

    let doc = json(&fs.run(&["matrix", "--format", "json", "p.yaml"]).stdout);
    assert_eq!(doc["representative"], true);
    let web = doc["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .find(|e| e["id"] == "shop/{app=web}")
        .expect("the web representative");
    assert_eq!(web["kind"], "Representative");
    assert_eq!(web["labels"], serde_json::json!({"app": "web"}));
    assert_eq!(web["name"], "{app=web}");

    for (format, says) in [
        ("csv", "# note: no Pods or workloads"),
        ("md", "> **Note:** no Pods or workloads"),
        ("dot", "label=\"note: no Pods or workloads"),
        (
            "svg",
            "data-testid=\"matrix-note\">note: no Pods or workloads",
        ),
    ] {
        let out = fs.run(&["matrix", "--format", format, "p.yaml"]).stdout;
        assert!(out.contains(says), "{format}: {out}");
    }
    let csv = fs.run(&["matrix", "--format", "csv", "p.yaml"]).stdout;
    assert!(
        csv.contains("\nshop/{app=web},shop/{app=api},TCP,8080\n"),
        "{csv}"
    );
}

#[test]
fn inputs_with_pods_have_no_representatives_and_no_note() {
    let fs = MemFs::new()
        .file("p.yaml", POLICIES)
        .file("pods.yaml", PODS);
    for format in ["text", "csv", "md", "dot", "svg"] {
        let out = fs
            .run(&["matrix", "--format", format, "p.yaml", "pods.yaml"])
            .stdout;
        assert!(!out.contains("note"), "{format}: {out}");
        assert!(!out.contains("shop/{"), "{format}: {out}");
    }
    let doc = json(
        &fs.run(&["matrix", "--format", "json", "p.yaml", "pods.yaml"])
            .stdout,
    );
    assert!(doc.get("representative").is_none());
    // Only the namespace without pods gets representatives.
    let partial = MemFs::new().file("p.yaml", POLICIES).file(
        "dns-less.yaml",
        &PODS.replacen("kube-system", "elsewhere", 1),
    );
    let text = partial.run(&["matrix", "p.yaml", "dns-less.yaml"]).stdout;
    assert!(
        text.contains("Representative kube-system/{k8s-app=kube-dns}"),
        "{text}"
    );
    assert!(
        text.contains("note: no Pods or workloads in namespace kube-system:"),
        "{text}"
    );
    assert!(!text.contains("shop/{"), "{text}");
    let query = fs.run(&[
        "query",
        "--from",
        "shop/web",
        "--to",
        "shop/api",
        "--port",
        "8080",
        "p.yaml",
        "pods.yaml",
    ]);
    assert!(query.stdout.starts_with("ALLOWED"), "{query:?}");
    assert!(!query.stdout.contains("note"), "{query:?}");
}

#[test]
fn query_names_representatives() {
    let fs = MemFs::new().file("p.yaml", POLICIES);
    let out = fs.run(&[
        "query",
        "--from",
        "shop/{app=web}",
        "--to",
        "shop/{app=api}",
        "--port",
        "8080",
        "p.yaml",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout
            .starts_with("ALLOWED: shop/{app=web} -> shop/{app=api} on 8080/TCP"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!("note: {NOTE}")),
        "{}",
        out.stdout
    );
    let doc = json(
        &fs.run(&[
            "query",
            "--from",
            "shop/{app=api}",
            "--to",
            "shop/{app=web}",
            "--port",
            "8080",
            "--format",
            "json",
            "p.yaml",
        ])
        .stdout,
    );
    assert_eq!(doc["allowed"], false);
    assert_eq!(doc["representative"], true);
    let missing = fs.run(&[
        "query",
        "--from",
        "shop/{app=db}",
        "--to",
        "shop/{app=web}",
        "--port",
        "80",
        "p.yaml",
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("endpoint `shop/{app=db}` not found"),
        "{missing:?}"
    );
}

#[test]
fn connectivity_tests_name_representatives() {
    let fs = MemFs::new().file("p.yaml", POLICIES).file("t.yaml", TESTS);
    let out = fs.run(&["test", "p.yaml", "t.yaml"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout.contains("FAIL t.yaml:7 api reaches web"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!("note: {NOTE}")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with("1 passed, 1 failed\n"),
        "{}",
        out.stdout
    );
    let doc = json(
        &fs.run(&["test", "--format", "json", "p.yaml", "t.yaml"])
            .stdout,
    );
    assert_eq!(doc["representative"], true);
    assert_eq!(doc["results"][0]["pass"], true);
    let junit = fs
        .run(&["test", "--format", "junit", "p.yaml", "t.yaml"])
        .stdout;
    assert!(junit.contains("note: representative endpoints"), "{junit}");
}

#[test]
fn diff_of_policy_only_versions_compares_the_same_representatives() {
    let head = POLICIES.replace(
        "ports: [{port: 8080}]\n",
        "ports: [{port: 8080}, {port: 8443}]\n",
    );
    let fs = MemFs::new()
        .file("base.yaml", POLICIES)
        .file("head.yaml", &head);
    let args = ["diff", "--base", "base.yaml", "--head", "head.yaml"];
    let text = fs.run(&args).stdout;
    assert!(
        text.contains("+ shop/{app=web} -> shop/{app=api}: TCP 8443"),
        "{text}"
    );
    assert!(
        text.contains("note: no Pods or workloads in namespaces kube-system, shop"),
        "{text}"
    );
    let doc = json(&fs.run(&[&args[..], &["--format", "json"]].concat()).stdout);
    assert_eq!(doc["representative"], true);
    assert_eq!(doc["summary"]["added"], 1);
    assert_eq!(doc["endpointsAdded"], serde_json::json!([]));
    let md = fs.run(&[&args[..], &["--format", "md"]].concat()).stdout;
    assert!(md.contains("> **Note:** no Pods or workloads"), "{md}");
}
