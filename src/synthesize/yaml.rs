//! The planned policies as YAML: one document per policy, comments saying what each
//! policy is for and which requirements each rule serves. Keys and values are
//! written as double-quoted scalars, so no label needs further escaping.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::plan::{Peer, Plan, PolicyPlan, RulePlan};
use crate::model::{Labels, NAMESPACE_NAME_LABEL};

/// How many requirements a rule's comment lists before summing up the rest.
const SERVES_LISTED: usize = 8;

/// The policies of one namespace as a YAML stream.
pub fn render_namespace(namespace: &str, policies: &[PolicyPlan]) -> String {
    let mut out = format!(
        "# Least-privilege NetworkPolicies for namespace {namespace}, written by netpol synthesize.\n"
    );
    for policy in policies {
        policy_yaml(policy, &mut out);
    }
    out
}

/// Every namespace's policies as one YAML stream, namespaces in name order.
pub fn render_stream(plan: &Plan) -> String {
    let mut out = String::new();
    for (namespace, policies) in &plan.namespaces {
        out.push_str(&render_namespace(namespace, policies));
    }
    out
}

/// A double-quoted YAML scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\""))
}

/// A comment's text on one line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn policy_yaml(policy: &PolicyPlan, out: &mut String) {
    out.push_str("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n");
    out.push_str(&format!(
        "  name: {}\n  namespace: {}\nspec:\n",
        quoted(&policy.name),
        quoted(&policy.namespace)
    ));
    match &policy.selector {
        None => {
            out.push_str("  # Every pod of the namespace: nothing in or out unless another policy allows it.\n");
            out.push_str("  podSelector: {}\n");
        }
        Some(labels) if labels.is_empty() => {
            out.push_str("  # Every pod of the namespace may look names up; nothing else.\n");
            out.push_str("  podSelector: {}\n  policyTypes: [\"Egress\"]\n");
            rules_yaml("egress", "to", &policy.egress, out);
            return;
        }
        Some(labels) => {
            let members = listed(&policy.members);
            if !members.is_empty() {
                out.push_str(&format!("  # For {}.\n", one_line(&members)));
            }
            out.push_str("  podSelector:\n");
            labels_yaml(labels, "    ", out);
        }
    }
    out.push_str("  policyTypes: [\"Ingress\", \"Egress\"]\n");
    rules_yaml("ingress", "from", &policy.ingress, out);
    rules_yaml("egress", "to", &policy.egress, out);
}

/// The first items joined, and how many more there are.
fn listed(items: &[String]) -> String {
    let shown: Vec<&str> = items
        .iter()
        .take(SERVES_LISTED)
        .map(String::as_str)
        .collect();
    let mut text = shown.join(", ");
    if items.len() > SERVES_LISTED {
        text.push_str(&format!(" and {} more", items.len() - SERVES_LISTED));
    }
    text
}

fn labels_yaml(labels: &Labels, indent: &str, out: &mut String) {
    out.push_str(&format!("{indent}matchLabels:\n"));
    for (key, value) in labels {
        out.push_str(&format!("{indent}  {}: {}\n", quoted(key), quoted(value)));
    }
}

fn rules_yaml(direction: &str, peers: &str, rules: &[RulePlan], out: &mut String) {
    if rules.is_empty() {
        return;
    }
    out.push_str(&format!("  {direction}:\n"));
    for rule in rules {
        out.push_str(&format!(
            "    # Serves {}.\n",
            one_line(&listed(&rule.serves))
        ));
        out.push_str(&format!("    - {peers}:\n"));
        match &rule.peer {
            Peer::Pods { namespace, labels } => {
                out.push_str("        - namespaceSelector:\n            matchLabels:\n");
                out.push_str(&format!(
                    "              {}: {}\n",
                    quoted(NAMESPACE_NAME_LABEL),
                    quoted(namespace)
                ));
                out.push_str("          podSelector:\n");
                labels_yaml(labels, "            ", out);
            }
            Peer::Address(ip) => {
                let prefix = if ip.is_ipv4() { 32 } else { 128 };
                out.push_str(&format!(
                    "        - ipBlock:\n            cidr: {}\n",
                    quoted(&format!("{ip}/{prefix}"))
                ));
            }
        }
        out.push_str("      ports:\n");
        for (protocol, port) in &rule.ports {
            out.push_str(&format!(
                "        - protocol: {}\n          port: {port}\n",
                protocol.as_str()
            ));
        }
    }
}
