//! What a new user meets on real repositories: a public HTTPS ingress, a Latin-1
//! file in a folder, CiliumNetworkPolicies, and reports of standard input.

use super::json;
use super::memfs::MemFs;

/// The ingress controller's policy of a typical cluster: HTTPS from everywhere.
const PUBLIC_HTTPS: &str = "\
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

/// Two CiliumNetworkPolicies as a Cilium user's repository holds them.
const CILIUM: &str = "\
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: allow-frontend
  namespace: shop
spec:
  endpointSelector:
    matchLabels:
      app: web
  ingress:
    - fromEndpoints:
        - matchLabels:
            app: frontend
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: lock-down-nodes
spec:
  nodeSelector: {}
  ingress:
    - fromEntities: [cluster]
";

/// Ordinary objects of a chart: no policy among them.
const SERVICE_AND_CONFIGMAP: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: shop
data:
  greeting: hello
";

/// The pods `EGRESS_ANYWHERE` selects.
const WEB_DEPLOYMENT: &str = "\
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
fn rules_and_levels(value: &serde_json::Value) -> Vec<(String, String)> {
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

// ---- other kinds -------------------------------------------------------------------

#[test]
fn cilium_policies_are_reported_and_counted_not_silently_dropped() {
    let fs = MemFs::new().file("cilium.yaml", CILIUM);
    let text = fs.run(&["lint", "cilium.yaml"]);
    assert_eq!(text.code, 0, "info findings do not fail the run");
    assert!(text.stdout.contains("info[unsupported-policy-kind]: policy `shop/allow-frontend` of kind `CiliumNetworkPolicy` (`cilium.io/v2`) is not evaluated"), "{}", text.stdout);
    assert!(text
        .stdout
        .contains("policy `lock-down-nodes` of kind `CiliumClusterwideNetworkPolicy`"));
    assert!(text.stdout.contains(
        "skipped 2 objects: 1 CiliumClusterwideNetworkPolicy (not evaluated), 1 CiliumNetworkPolicy (not evaluated)\n"
    ), "{}", text.stdout);
    assert!(!text.stdout.contains("no problems found"));

    let value = json(&fs.run(&["lint", "cilium.yaml", "--format", "json"]));
    let found = rules_and_levels(&value);
    assert_eq!(
        found,
        vec![("unsupported-policy-kind".to_string(), "info".to_string()); 2]
    );
    let skipped = &value["summary"]["skipped"];
    assert_eq!(skipped[1]["kind"], "CiliumNetworkPolicy");
    assert_eq!(skipped[1]["group"], "cilium.io");
    assert_eq!(skipped[1]["count"], 1);
    assert_eq!(skipped[1]["unsupportedPolicy"], true);
    assert_eq!(value["summary"]["objects"], 0);
}

#[test]
fn ordinary_kinds_are_counted_but_never_findings() {
    let fs = MemFs::new().file("chart.yaml", SERVICE_AND_CONFIGMAP);
    let out = fs.run(&["lint", "chart.yaml"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .starts_with("no problems found in 1 file (0 objects)\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("skipped 2 objects: 1 ConfigMap, 1 Service\n"),
        "{}",
        out.stdout
    );
    let value = json(&fs.run(&["lint", "chart.yaml", "--format", "json"]));
    assert!(value["findings"].as_array().unwrap().is_empty());
    assert_eq!(value["summary"]["skipped"][0]["unsupportedPolicy"], false);

    let policy_only = MemFs::new().file("p.yaml", PUBLIC_HTTPS);
    let out = policy_only.run(&["lint", "p.yaml"]);
    assert!(
        out.stdout.ends_with("in 1 file (1 object)\n"),
        "no skipped line when nothing was skipped: {}",
        out.stdout
    );
}

#[test]
fn a_calico_network_policy_is_not_mistaken_for_a_removed_api_version() {
    let calico = "apiVersion: crd.projectcalico.org/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-tcp-6379\n  namespace: production\nspec:\n  selector: role == 'database'\n";
    let fs = MemFs::new().file("calico.yaml", calico);
    let value = json(&fs.run(&["lint", "calico.yaml", "--format", "json"]));
    assert_eq!(
        rules_and_levels(&value),
        [("unsupported-policy-kind".to_string(), "info".to_string())]
    );
    let text = fs.run(&["lint", "calico.yaml"]);
    assert!(
        text.stdout
            .contains("skipped 1 object: 1 NetworkPolicy.crd.projectcalico.org (not evaluated)"),
        "{}",
        text.stdout
    );
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

#[test]
fn connectivity_answers_say_which_policies_they_leave_out() {
    let manifests = format!("{CILIUM}---\n{WEB_DEPLOYMENT}");
    let fs = MemFs::new().file("k8s/all.yaml", &manifests);
    let matrix = fs.run(&["matrix", "k8s"]);
    assert_eq!(matrix.code, 0);
    assert!(
        matrix.stderr.contains("netpol: k8s/all.yaml:2:7: note: CiliumNetworkPolicy `shop/allow-frontend` is not evaluated"),
        "{}",
        matrix.stderr
    );
    assert!(matrix
        .stderr
        .contains("CiliumClusterwideNetworkPolicy `lock-down-nodes` is not evaluated"));
    let quiet = fs.run(&["matrix", "--quiet", "k8s"]);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    let plain = MemFs::new()
        .file("k8s/all.yaml", WEB_DEPLOYMENT)
        .run(&["matrix", "k8s"]);
    assert!(plain.stderr.is_empty(), "{}", plain.stderr);
}
