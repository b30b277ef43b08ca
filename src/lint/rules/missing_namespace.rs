//! `missing-namespace`: a NetworkPolicy without `metadata.namespace`.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "missing-namespace",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a NetworkPolicy without `metadata.namespace`: it lands in whatever namespace the client points at",
    rationale: "A policy only selects pods of its own namespace. Without an explicit namespace, `kubectl apply` puts it in the current context's namespace, which may not be the one holding the pods it was written for. (netpol evaluates it in `default`.)",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n",
    fix: "Set `metadata.namespace` (or let kustomize/Helm set it and lint their output).",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        if policy.meta.namespace.is_some() {
            continue;
        }
        let message = format!(
            "policy `{}` has no `metadata.namespace`: it lands in the namespace the client points at",
            policy.meta.name.value
        );
        out.push(
            finding(
                &DOC,
                &policy.meta,
                policy.meta.name.span,
                "metadata.namespace",
                message,
            )
            .with_help("set `metadata.namespace` to the namespace of the pods the policy is for"),
        );
    }
}
