//! `duplicate-policy-name`: two NetworkPolicies with the same namespace and name.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::model::NetworkPolicy;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "duplicate-policy-name",
    default_severity: Severity::Error,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "two NetworkPolicies with the same namespace and name in the input",
    rationale: "Applied together, the later object replaces the earlier one: the rules of the first are lost, and what the manifests show is not what runs.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n",
    fix: "Rename one of the policies, or merge them into one.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<(&str, &str), &NetworkPolicy> = BTreeMap::new();
    for policy in &cx.model.policies {
        let key = (
            policy.meta.namespace_name(),
            policy.meta.name.value.as_str(),
        );
        let Some(earlier) = first.get(&key) else {
            first.insert(key, policy);
            continue;
        };
        let message = format!(
            "policy {} is defined more than once: applied together, the later one replaces the earlier",
            object_name(&policy.meta)
        );
        out.push(
            finding(
                &DOC,
                &policy.meta,
                policy.meta.name.span,
                "metadata.name",
                message,
            )
            .with_help("rename one of the policies, or merge them")
            .with_label(
                earlier.meta.source,
                earlier.meta.name.span,
                "first defined here",
            ),
        );
    }
}
