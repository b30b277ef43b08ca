//! What a new user meets on real repositories: a public HTTPS ingress, a Latin-1
//! file in a folder, reports of standard input, system namespaces. Other kinds
//! (CiliumNetworkPolicies, Services) are in `other_kinds.rs`.

use super::json;
use super::memfs::MemFs;

/// The ingress controller's policy of a typical cluster: HTTPS from everywhere.
pub(super) const PUBLIC_HTTPS: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-https-from-anywhere
  namespace: ingress-nginx
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: ingress-nginx
  policyTypes: [Ingress]
  ingress:
    - from:
        - ipBlock:
            cidr: 0.0.0.0/0
      ports:
        - port: 443
          protocol: TCP
";

/// The same block as egress: pods may reach the metadata endpoint.
const EGRESS_ANYWHERE: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-internet
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
      ports:
        - port: 443
";

/// The pods `EGRESS_ANYWHERE` selects.
pub(super) const WEB_DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
";

/// `(ruleId, severity)` of every finding of a JSON lint report.
pub(super) fn rules_and_levels(value: &serde_json::Value) -> Vec<(String, String)> {
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["ruleId"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---- public ingress ----------------------------------------------------------------

#[test]
fn a_public_https_ingress_passes_lint_and_admission() {
    let fs = MemFs::new().file("ingress.yaml", PUBLIC_HTTPS);
    let out = fs.run(&["lint", "ingress.yaml", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let found = rules_and_levels(&json(&out));
    assert!(!found
        .iter()
        .any(|(rule, _)| rule == "ipblock-allows-metadata"));
    assert!(found.contains(&("ipblock-anywhere".into(), "info".into())));
    // PUBLIC_HTTPS as the API server hands it to a webhook.
    let object = serde_json::json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "allow-https-from-anywhere", "namespace": "ingress-nginx"},
        "spec": {
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": 443, "protocol": "TCP"}]}],
        },
    });
    let review = serde_json::json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {"uid": "u1", "operation": "CREATE", "namespace": "ingress-nginx", "object": object},
    });
    let fs = fs.file("review.json", &review.to_string());
    let admitted = fs.run(&["admission", "review.json"]);
    assert_eq!(admitted.code, 0, "{}", admitted.stdout);
    assert_eq!(json(&admitted)["response"]["allowed"], true);
}

#[test]
fn egress_to_everywhere_is_still_an_error() {
    let fs = MemFs::new().file("egress.yaml", EGRESS_ANYWHERE);
    let out = fs.run(&["lint", "egress.yaml", "--format", "json"]);
    assert_eq!(out.code, 1);
    let found = rules_and_levels(&json(&out));
    assert!(found.contains(&("ipblock-allows-metadata".into(), "error".into())));
    assert!(found.contains(&("ipblock-anywhere".into(), "warning".into())));
}

// ---- encodings ---------------------------------------------------------------------

#[test]
fn a_latin1_file_is_a_finding_and_the_other_files_are_read() {
    let latin1 = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: shop\n  annotations:\n    owner: \"Équipe réseau\"\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n";
    let fs = MemFs::new()
        .latin1_file("k8s/a-latin1.yaml", latin1)
        .file("k8s/b-egress.yaml", EGRESS_ANYWHERE);
    let out = fs.run(&["lint", "k8s", "--format", "json"]);
    assert_eq!(out.code, 1, "{out:?}");
    let value = json(&out);
    let findings = value["findings"].as_array().unwrap();
    let encoding = findings
        .iter()
        .find(|f| f["ruleId"] == "invalid-encoding")
        .expect("an invalid-encoding finding");
    assert_eq!(encoding["file"], "k8s/a-latin1.yaml");
    assert_eq!(encoding["line"], 7);
    assert_eq!(encoding["column"], 13);
    let offset = latin1.find('É').unwrap();
    assert!(
        encoding["message"]
            .as_str()
            .unwrap()
            .contains(&format!("byte `0xC9` at offset {offset} (line 7)")),
        "{encoding}"
    );
    assert!(findings
        .iter()
        .any(|f| f["file"] == "k8s/b-egress.yaml" && f["ruleId"] == "ipblock-allows-metadata"));
    assert_eq!(value["summary"]["files"], 2);

    let clean = MemFs::new().file("k8s/a.yaml", &latin1.replace(['É', 'é'], "e"));
    let out = clean.run(&["lint", "k8s", "--format", "json"]);
    assert!(!rules_and_levels(&json(&out))
        .iter()
        .any(|(rule, _)| rule == "invalid-encoding"));
}

// ---- standard input ------------------------------------------------------------------

#[test]
fn stdin_name_names_standard_input_in_every_format_and_command() {
    let fs = MemFs::new().stdin(EGRESS_ANYWHERE);
    let lint = |format: &str| {
        fs.run(&[
            "lint",
            "--stdin-name",
            "chart/rendered.yaml",
            "--format",
            format,
            "-",
        ])
    };
    let sarif: serde_json::Value = serde_json::from_str(&lint("sarif").stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert_eq!(uri, "chart/rendered.yaml");
    assert_eq!(
        json(&lint("json"))["findings"][0]["file"],
        "chart/rendered.yaml"
    );
    for format in ["text", "junit", "gatekeeper", "conftest", "policyreport"] {
        let out = lint(format);
        assert!(
            out.stdout.contains("chart/rendered.yaml"),
            "{format}: {}",
            out.stdout
        );
    }
    let unnamed = json(&fs.run(&["lint", "--format", "json", "-"]));
    assert_eq!(
        unnamed["findings"][0]["file"], "-",
        "the default name is `-`"
    );

    let with_workload = format!("{EGRESS_ANYWHERE}---\n{WEB_DEPLOYMENT}");
    let fs = MemFs::new().stdin(&with_workload);
    let query = fs.run(&[
        "query",
        "--stdin-name",
        "k8s/all.yaml",
        "--from",
        "shop/web",
        "--to",
        "203.0.113.7",
        "--port",
        "443",
        "-",
    ]);
    assert!(query.stdout.contains("k8s/all.yaml"), "{query:?}");
    for command in ["matrix", "test"] {
        let out = fs.run(&[command, "--stdin-name", "k8s/all.yaml", "-"]);
        assert_ne!(out.code, 2, "{command} takes --stdin-name: {out:?}");
    }
    let diff = MemFs::new()
        .stdin(EGRESS_ANYWHERE)
        .file("old.yaml", PUBLIC_HTTPS);
    let out = diff.run(&[
        "diff",
        "--stdin-name",
        "new.yaml",
        "--base",
        "old.yaml",
        "--head",
        "-",
    ]);
    assert_ne!(out.code, 2, "{out:?}");
}

// ---- system namespaces ---------------------------------------------------------------

#[test]
fn configured_system_namespaces_are_not_asked_for_a_default_deny() {
    let namespaces = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: platform\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
    let demanded = |fs: &MemFs| -> Vec<String> {
        let value = json(&fs.run(&["lint", "ns.yaml", "--format", "json"]));
        value["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["ruleId"] == "namespace-missing-default-deny")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let plain = MemFs::new().file("ns.yaml", namespaces);
    assert_eq!(demanded(&plain).len(), 2);
    let configured = plain.file(
        ".netpol.yaml",
        "systemNamespaces: [kube-system, platform]\n",
    );
    assert_eq!(
        demanded(&configured),
        ["namespace `shop` has no default-deny policy for ingress and egress"]
    );
}
