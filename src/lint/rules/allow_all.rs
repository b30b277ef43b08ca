//! `allow-all-ingress` / `allow-all-egress`: a rule that matches every peer and every
//! port (`- {}`).

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::{all_peers, all_ports, effective_rules};
use crate::model::{path, Direction};

/// Documentation of `allow-all-ingress`.
pub const INGRESS: RuleDoc = RuleDoc {
    id: "allow-all-ingress",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "an ingress rule that matches every source and every port (`- {}`)",
    rationale: "An empty ingress rule admits every pod of every namespace and every address outside the cluster, on every port: the selected pods are as open as if no policy selected them, and any later restrictive policy is voided for them.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-everything\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n  ingress:\n    - {}\n",
    fix: "List the sources (`from`) and `ports` that need access; if the pods must really be public, say so with a `netpol/ignore: allow-all-ingress` annotation.",
};

/// Documentation of `allow-all-egress`.
pub const EGRESS: RuleDoc = RuleDoc {
    id: "allow-all-egress",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "an egress rule that matches every destination and every port (`- {}`)",
    rationale: "An empty egress rule lets the selected pods reach anything, inside or outside the cluster (cloud metadata endpoints included): a compromised pod can exfiltrate data or move laterally.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-all-out\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - {}\n",
    fix: "List the destinations (`to`) and `ports` the pods need, DNS included.",
};

/// Checks `allow-all-ingress`.
pub fn check_ingress(cx: &Context, out: &mut Vec<Diagnostic>) {
    check(cx, Direction::Ingress, &INGRESS, out);
}

/// Checks `allow-all-egress`.
pub fn check_egress(cx: &Context, out: &mut Vec<Diagnostic>) {
    check(cx, Direction::Egress, &EGRESS, out);
}

fn check(cx: &Context, direction: Direction, doc: &RuleDoc, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            if d != direction || !all_peers(rule) || !all_ports(rule) {
                continue;
            }
            let what = match d {
                Direction::Ingress => "every source",
                Direction::Egress => "every destination",
            };
            let message = format!(
                "{} rule of policy {} allows {what} on every port",
                d.field(),
                object_name(&policy.meta)
            );
            out.push(
                finding(doc, &policy.meta, rule.span, path::rule(d, i), message).with_help(
                    format!("list the peers and ports that need access instead of matching {what}"),
                ),
            );
        }
    }
}
