//! Kinds netpol does not evaluate: policies of other projects are reported and named
//! in the summary and in the connectivity answers' notes; ordinary kinds are counted.

use super::first_use::{rules_and_levels, PUBLIC_HTTPS, WEB_DEPLOYMENT};
use super::json;
use super::memfs::MemFs;

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
            .starts_with("no problems found in 1 file (1 object)\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with("skipped 1 object: 1 ConfigMap\n"),
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
