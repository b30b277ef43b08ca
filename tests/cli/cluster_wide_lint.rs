//! The cluster-wide policy rules in every lint output: text, JSON and SARIF carry the
//! rule id, the level and the line of the rule at fault.

use super::json;
use super::memfs::MemFs;

/// An Admin-tier policy whose Accept for monitoring comes after a Deny of everything
/// (`tier-rule-shadowed` at line 14) and that blocks DNS (`tier-deny-blocks-dns` at
/// line 20), with no Baseline default deny (`cluster-missing-baseline-deny`, line 4).
const GUARDRAILS: &str = "\
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: guardrails
spec:
  tier: Admin
  priority: 10
  subject:
    namespaces: {}
  ingress:
    - action: Deny
      from:
        - namespaces: {}
    - action: Accept
      from:
        - namespaces:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
  egress:
    - action: Deny
      to:
        - namespaces: {}
";

/// The (rule, severity, line) of every finding of a JSON report.
fn findings(value: &serde_json::Value) -> Vec<(String, String, u64)> {
    value["findings"]
        .as_array()
        .expect("a findings list")
        .iter()
        .map(|f| {
            (
                f["ruleId"].as_str().expect("a rule id").to_string(),
                f["severity"].as_str().expect("a severity").to_string(),
                f["line"].as_u64().expect("a line"),
            )
        })
        .collect()
}

#[test]
fn text_json_and_sarif_show_the_cluster_wide_findings_with_lines() {
    let fs = MemFs::new().file("cnp.yaml", GUARDRAILS);
    let text = fs.run(&["lint", "cnp.yaml"]);
    assert!(
        text.stdout.contains("warning[tier-rule-shadowed]: rule `spec.ingress[1]` of ClusterNetworkPolicy `guardrails` can never decide any traffic"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("cnp.yaml:14:7"), "{}", text.stdout);

    let value = json(&fs.run(&["lint", "--format", "json", "cnp.yaml"]));
    assert_eq!(
        findings(&value),
        [
            ("cluster-missing-baseline-deny".into(), "info".into(), 4),
            ("tier-rule-shadowed".into(), "warning".into(), 14),
            ("tier-deny-blocks-dns".into(), "warning".into(), 20),
        ]
    );

    let sarif = json(&fs.run(&["lint", "--format", "sarif", "cnp.yaml"]));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let shadowed = results
        .iter()
        .find(|r| r["ruleId"] == "tier-rule-shadowed")
        .expect("a tier-rule-shadowed result");
    let region = &shadowed["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 14);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "tier-deny-blocks-dns"));
}
