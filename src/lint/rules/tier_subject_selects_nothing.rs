//! `tier-subject-selects-nothing`: a cluster-wide policy whose subject selects no pod
//! or workload of the input although its namespace selector matches namespaces the
//! input holds pods of.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::policy_name;
use crate::model::ClusterSubject;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "tier-subject-selects-nothing",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "a cluster-wide policy whose `subject` selects no pod or workload of the input, although its namespace selector matches namespaces whose pods the input holds (silent otherwise; host-networked pods, which no subject selects, do not count)",
    rationale: "A subject that matches nothing applies the policy to nobody: usually a label typo or labels that changed in the workloads. For an Admin-tier guardrail this means the traffic it was written to block or to guarantee is decided by the namespaces' NetworkPolicies instead.",
    example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: web-guardrail\nspec:\n  tier: Admin\n  priority: 10\n  subject:\n    pods:\n      namespaceSelector: {}\n      podSelector:\n        matchLabels:\n          app: wbe\n  ingress:\n    - action: Deny\n      from:\n        - namespaces:\n            matchLabels:\n              env: sandbox\n",
    fix: "Correct the subject's selectors to the labels of the pods it is meant for.",
};

/// Checks every cluster-wide policy against the pods and workloads of the input.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (index, policy) in cx.model.cluster_policies.iter().enumerate() {
        let namespaces = match &policy.subject {
            ClusterSubject::Namespaces { selector, .. } => selector,
            ClusterSubject::Pods { namespaces, .. } => namespaces,
        };
        let populated = cx.engine.namespaces().iter().any(|ns| {
            namespaces.matches(&ns.labels) && cx.endpoints_in(&ns.name).any(|e| !e.host_network)
        });
        if !populated || !cx.engine.tier_selected(index).is_empty() {
            continue;
        }
        let message = format!(
            "the subject of {} selects no pod or workload of the input",
            policy_name(policy)
        );
        out.push(
            finding(
                &DOC,
                &policy.meta,
                policy.subject.span(),
                "spec.subject",
                message,
            )
            .with_help("correct the subject's selectors to the labels of the pods it is meant for"),
        );
    }
}
