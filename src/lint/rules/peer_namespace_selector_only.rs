//! `peer-namespace-selector-only`: a peer with `namespaceSelector` and no
//! `podSelector`.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::{effective_rules, is_dns_only};
use crate::model::{path, Peer};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "peer-namespace-selector-only",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a peer with `namespaceSelector` and no `podSelector`: every pod of every matched namespace",
    rationale: "Without a podSelector the peer admits every pod of the matched namespaces, present and future, including ones compromised or deployed by other teams. Peers of allow-DNS rules (port 53 only) are exempt.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-from-frontend-ns\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: frontend\n      ports:\n        - port: 8080\n",
    fix: "Add a `podSelector` in the same peer entry (no leading `-`) to admit only the pods that need access.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            if is_dns_only(rule) {
                continue;
            }
            for (j, peer) in rule.peer_list().iter().enumerate() {
                let Peer::Selectors {
                    pods: None,
                    namespaces: Some(selector),
                    ..
                } = peer
                else {
                    continue;
                };
                let scope = if selector.is_empty() {
                    "every pod of every namespace"
                } else {
                    "every pod of the namespaces it selects"
                };
                let message = format!(
                    "peer of policy {} has a `namespaceSelector` and no `podSelector`: it admits {scope}",
                    object_name(&policy.meta)
                );
                let field = path::in_peer(d, i, j, "namespaceSelector");
                out.push(
                    finding(&DOC, &policy.meta, selector.span, field, message)
                        .with_help("add a `podSelector` to the same peer entry to admit only the pods that need access"),
                );
            }
        }
    }
}
