//! `broad-empty-podselector`: an allowing policy with an empty podSelector.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::{effective_rules, is_dns_only};
use crate::model::{Peer, Rule};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "broad-empty-podselector",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a policy with an empty `podSelector` that allows traffic to or from every pod of its namespace (not default-deny, allow-DNS or allow-same-namespace policies)",
    rationale: "One allow policy for all pods of a namespace grants every workload (present and future) the union of what any of them needs. Grouping pods by labels keeps each workload's access to what it uses. Default-deny, allow-DNS and allow-same-namespace policies (every peer `podSelector: {}`, the namespace's own pods) are exempt: they draw a line around the whole namespace, meant for every pod, so there is no workload's need to group by.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-frontend\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: frontend\n      ports:\n        - port: 8080\n",
    fix: "Select the pods that need the access with `podSelector.matchLabels` (one policy per workload or role).",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        if !policy.pod_selector.is_empty() {
            continue;
        }
        let allows = effective_rules(policy)
            .any(|(_, _, rule)| !is_dns_only(rule) && !is_same_namespace_only(rule));
        if !allows {
            continue;
        }
        let namespace = policy.meta.namespace_name();
        let message = format!(
            "policy {} allows traffic for every pod of namespace `{namespace}` (empty `podSelector`)",
            object_name(&policy.meta)
        );
        out.push(
            finding(
                &DOC,
                &policy.meta,
                policy.pod_selector.span,
                "spec.podSelector",
                message,
            )
            .with_help("select the pods that need this access with `podSelector.matchLabels`"),
        );
    }
}

/// Whether every peer of `rule` is `podSelector: {}` alone (the pods of the policy's
/// own namespace): the allow-same-namespace pattern, a boundary around the namespace.
fn is_same_namespace_only(rule: &Rule) -> bool {
    let peers = rule.peer_list();
    !peers.is_empty()
        && peers.iter().all(|peer| {
            matches!(
                peer,
                Peer::Selectors { pods: Some(pods), namespaces: None, .. } if pods.is_empty()
            )
        })
}
