//! `policy-selects-no-pods`: a policy whose podSelector matches no pod or workload of
//! its namespace in the input.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "policy-selects-no-pods",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "a policy whose podSelector matches no pod or workload of its namespace (only when the input holds workloads of that namespace)",
    rationale: "A selector that matches nothing protects nothing: usually a label typo, or labels that changed in the workload but not in the policy. The pods meant to be isolated are open.",
    example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: wbe\n  policyTypes: [Ingress]\n",
    fix: "Correct the selector to the labels of the pod template it is meant for.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (index, policy) in cx.model.policies.iter().enumerate() {
        let namespace = policy.meta.namespace_name();
        if !cx.has_endpoints_in(namespace) || !cx.engine.selected_endpoints(index).is_empty() {
            continue;
        }
        let message = format!(
            "policy {} selects no pod or workload of namespace `{namespace}` in the input",
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
            .with_help("correct the selector to the labels of the pods it is meant for"),
        );
    }
}
