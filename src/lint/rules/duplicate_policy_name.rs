//! `duplicate-policy-name`: two NetworkPolicies with the same namespace and name.

use alloc::format;
use alloc::vec::Vec;

use crate::first_seen::first_seen_ids_by_hash;
use crate::lint::namespace_ids::namespace_hash;
use crate::text_hash::text_hash;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};

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
    let policies = &cx.model.policies;
    let namespace = |at: usize| cx.policy_namespace(at);
    let name = |at: usize| policies.get(at).map(|p| p.meta.name.value.as_str());
    let hashes: Vec<u64> = (0..policies.len())
        .map(|at| {
            text_hash(
                name(at).unwrap_or_default().as_bytes(),
                namespace_hash(namespace(at)),
            )
        })
        .collect();
    let (ids, firsts) = first_seen_ids_by_hash(&hashes, &mut |a, b| {
        namespace(a) == namespace(b) && name(a) == name(b)
    });
    for (at, (policy, id)) in policies.iter().zip(ids).enumerate() {
        let first = firsts.get(id as usize).copied().unwrap_or(at);
        let Some(earlier) = policies.get(first).filter(|_| first != at) else {
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
