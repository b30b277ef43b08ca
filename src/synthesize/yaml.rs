//! The planned policies as YAML: one document per policy, comments saying what each
//! policy is for and which requirements each rule serves. Keys and values are
//! written as double-quoted scalars, so no label needs further escaping.
//!
//! Everything is written straight into one output string, sized up front from the
//! plan, without a string per field.

use alloc::string::String;
use core::fmt::Write as _;

use super::plan::{Peer, Plan, PolicyPlan, RulePlan};
use crate::model::{Labels, NAMESPACE_NAME_LABEL};

/// How many requirements a rule's comment lists before summing up the rest.
const SERVES_LISTED: usize = 8;

/// The policies of one namespace as a YAML stream.
pub fn render_namespace(namespace: &str, policies: &[PolicyPlan]) -> String {
    let mut out = String::with_capacity(namespace_size(namespace, policies));
    namespace_yaml(namespace, policies, &mut out);
    out
}

/// Every namespace's policies as one YAML stream, namespaces in name order.
pub fn render_stream(plan: &Plan) -> String {
    let size = plan
        .namespaces
        .iter()
        .map(|(namespace, policies)| namespace_size(namespace, policies))
        .sum();
    let mut out = String::with_capacity(size);
    for (namespace, policies) in &plan.namespaces {
        namespace_yaml(namespace, policies, &mut out);
    }
    out
}

/// The stream of one namespace, appended to `out`.
fn namespace_yaml(namespace: &str, policies: &[PolicyPlan], out: &mut String) {
    out.push_str("# Least-privilege NetworkPolicies for namespace ");
    out.push_str(namespace);
    out.push_str(", written by netpol synthesize.\n");
    for policy in policies {
        policy_yaml(policy, out);
    }
}

/// About how many bytes the stream of one namespace takes (an estimate from the
/// fixed text of each document and rule, and the lengths of what they name).
fn namespace_size(namespace: &str, policies: &[PolicyPlan]) -> usize {
    let labels =
        |labels: &Labels| -> usize { labels.iter().map(|(k, v)| k.len() + v.len() + 16).sum() };
    let rules = |rules: &[RulePlan]| -> usize {
        rules
            .iter()
            .map(|rule| {
                let serves: usize = rule
                    .serves
                    .iter()
                    .take(SERVES_LISTED)
                    .map(|s| s.len() + 2)
                    .sum();
                let peer = match &rule.peer {
                    Peer::Pods {
                        namespace,
                        labels: l,
                    } => 160 + namespace.len() + labels(l),
                    Peer::Address(_) => 80,
                };
                40 + serves + peer + 48 * rule.ports.len()
            })
            .sum()
    };
    let documents: usize = policies
        .iter()
        .map(|policy| {
            let members: usize = policy
                .members
                .iter()
                .take(SERVES_LISTED)
                .map(|m| m.len() + 2)
                .sum();
            let selector = policy.selector.as_ref().map_or(0, labels);
            220 + policy.name.len()
                + policy.namespace.len()
                + members
                + selector
                + rules(&policy.ingress)
                + rules(&policy.egress)
        })
        .sum();
    80 + namespace.len() + documents
}

/// `text` as a double-quoted YAML scalar (JSON string escaping), appended to `out`.
fn push_quoted(out: &mut String, text: &str) {
    if text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\"")));
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}

/// `text` on one line (line breaks as spaces), appended to `out`.
fn push_one_line(out: &mut String, text: &str) {
    if text.contains(['\n', '\r']) {
        out.extend(
            text.chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
    } else {
        out.push_str(text);
    }
}

/// The first items joined on one line, and how many more there are, appended to `out`.
fn push_listed(out: &mut String, items: &[String]) {
    for (i, item) in items.iter().take(SERVES_LISTED).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_one_line(out, item);
    }
    if items.len() > SERVES_LISTED {
        let _ = write!(out, " and {} more", items.len() - SERVES_LISTED);
    }
}

fn policy_yaml(policy: &PolicyPlan, out: &mut String) {
    out.push_str("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ");
    push_quoted(out, &policy.name);
    out.push_str("\n  namespace: ");
    push_quoted(out, &policy.namespace);
    out.push_str("\nspec:\n");
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
            // The comment is left out when the list would be empty.
            let listed = match policy.members.as_slice() {
                [] => false,
                [only] => !only.is_empty(),
                _ => true,
            };
            if listed {
                out.push_str("  # For ");
                push_listed(out, &policy.members);
                out.push_str(".\n");
            }
            out.push_str("  podSelector:\n");
            labels_yaml(labels, "    ", out);
        }
    }
    out.push_str("  policyTypes: [\"Ingress\", \"Egress\"]\n");
    rules_yaml("ingress", "from", &policy.ingress, out);
    rules_yaml("egress", "to", &policy.egress, out);
}

fn labels_yaml(labels: &Labels, indent: &str, out: &mut String) {
    out.push_str(indent);
    out.push_str("matchLabels:\n");
    for (key, value) in labels {
        out.push_str(indent);
        out.push_str("  ");
        push_quoted(out, key);
        out.push_str(": ");
        push_quoted(out, value);
        out.push('\n');
    }
}

fn rules_yaml(direction: &str, peers: &str, rules: &[RulePlan], out: &mut String) {
    if rules.is_empty() {
        return;
    }
    out.push_str("  ");
    out.push_str(direction);
    out.push_str(":\n");
    for rule in rules {
        out.push_str("    # Serves ");
        push_listed(out, &rule.serves);
        out.push_str(".\n    - ");
        out.push_str(peers);
        out.push_str(":\n");
        match &rule.peer {
            Peer::Pods { namespace, labels } => {
                out.push_str(
                    "        - namespaceSelector:\n            matchLabels:\n              ",
                );
                push_quoted(out, NAMESPACE_NAME_LABEL);
                out.push_str(": ");
                push_quoted(out, namespace);
                out.push_str("\n          podSelector:\n");
                labels_yaml(labels, "            ", out);
            }
            Peer::Address(ip) => {
                let prefix = if ip.is_ipv4() { 32 } else { 128 };
                // An address and its prefix length need no escaping.
                let _ = writeln!(
                    out,
                    "        - ipBlock:\n            cidr: \"{ip}/{prefix}\""
                );
            }
        }
        out.push_str("      ports:\n");
        for (protocol, port) in &rule.ports {
            out.push_str("        - protocol: ");
            out.push_str(protocol.as_str());
            let _ = writeln!(out, "\n          port: {port}");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;

    fn quoted(text: &str) -> String {
        let mut out = String::new();
        push_quoted(&mut out, text);
        out
    }

    fn listed(items: &[&str]) -> String {
        let items: Vec<String> = items.iter().map(|s| String::from(*s)).collect();
        let mut out = String::new();
        push_listed(&mut out, &items);
        out
    }

    #[test]
    fn scalars_are_quoted_as_json_strings() {
        for text in [
            "",
            "web",
            "app.kubernetes.io/name",
            "caf\u{e9} \u{1f600}",
            "say \"hi\"",
            "back\\slash",
            "tab\there",
            "line\nbreak\r",
            "bell\u{7}\u{1f}\u{7f}",
        ] {
            assert_eq!(
                quoted(text),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn lists_name_eight_items_then_count_the_rest() {
        assert_eq!(listed(&[]), "");
        assert_eq!(listed(&["flow 1"]), "flow 1");
        assert_eq!(listed(&["a", "b\nc", "d\re"]), "a, b c, d e");
        let nine = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
        assert_eq!(listed(&nine[..8]), "1, 2, 3, 4, 5, 6, 7, 8");
        assert_eq!(listed(&nine), "1, 2, 3, 4, 5, 6, 7, 8 and 1 more");
    }

    #[test]
    fn the_size_estimate_leaves_room_for_the_stream() {
        use super::super::plan::{Peer, PolicyPlan, RulePlan};
        use crate::model::Protocol;
        let rule = |peer| RulePlan {
            peer,
            ports: [(Protocol::Tcp, 8080), (Protocol::Udp, 53)]
                .into_iter()
                .collect(),
            serves: (1..20)
                .map(|i| alloc::format!("flow {i} (line {i})"))
                .collect(),
        };
        let policy = PolicyPlan {
            namespace: String::from("shop"),
            name: String::from("allow-web"),
            selector: Some(Labels::from_iter([("app", "web"), ("tier", "front")])),
            ingress: vec![rule(Peer::Pods {
                namespace: String::from("shop"),
                labels: Labels::from_iter([("app", "api")]),
            })],
            egress: vec![rule(Peer::Address("2001:db8::1".parse().unwrap()))],
            members: (1..12).map(|i| alloc::format!("shop/web-{i}")).collect(),
        };
        let policies = vec![policy.clone(), policy];
        let text = render_namespace("shop", &policies);
        assert!(
            text.len() <= namespace_size("shop", &policies),
            "{}",
            text.len()
        );
        assert!(text.contains("  # For shop/web-1, shop/web-2,"));
        assert!(text.contains("cidr: \"2001:db8::1/128\""));
    }
}
