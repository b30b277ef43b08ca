//! `redundant-rule` and `redundant-policy`: traffic already allowed elsewhere.
//!
//! Decided on the manifests alone, so a finding holds for every cluster: a rule is
//! covered by another rule (same direction) of a policy that selects at least the
//! same pods; a policy is redundant when, for each direction it isolates, another
//! policy selecting at least its pods isolates that direction too and covers each
//! of its rules. Of two equivalent rules or policies, the later one is reported.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::redundancy::covered_rules;
use crate::model::path;

/// Documentation of `redundant-rule`.
pub const RULE: RuleDoc = RuleDoc {
    id: "redundant-rule",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "a rule whose traffic is already allowed by another rule of the same or another policy selecting the same pods",
    rationale: "A redundant rule is noise for reviewers, and removing the broader rule later leaves access that nobody remembers granting.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n      ports:\n        - port: 8080\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n      ports:\n        - port: 8080\n        - port: 9090\n",
    fix: "Remove the narrower rule, or narrow the broader one if it allows more than meant.",
};

/// Documentation of `redundant-policy`.
pub const POLICY: RuleDoc = RuleDoc {
    id: "redundant-policy",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "a policy whose removal changes no allowed connection",
    rationale: "A policy that changes nothing (a copy, or one fully covered by broader policies) misleads readers about what protects the pods and drifts unnoticed.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-ingress\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-ingress-again\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n",
    fix: "Remove the policy (or merge what it was meant to add into the policy that covers it).",
};

/// Checks `redundant-rule` (rules of policies found redundant as a whole are left
/// to `redundant-policy`).
pub fn check_rule(cx: &Context, out: &mut Vec<Diagnostic>) {
    let policies = &cx.model.policies;
    let redundancy = cx.redundancy();
    let redundant = &redundancy.redundant;
    for ((p, d, i), (q, j)) in covered_rules(cx, &redundancy.contents, redundant) {
        let (Some(policy), Some(q_policy)) = (policies.get(p), policies.get(q)) else {
            continue;
        };
        let Some(rule) = policy.rules(d).get(i) else {
            continue;
        };
        let message = format!(
            "{} rule of policy {} allows nothing that `{}` of policy {} does not already allow",
            d.field(),
            object_name(&policy.meta),
            path::rule(d, j),
            object_name(&q_policy.meta)
        );
        let span = q_policy
            .rules(d)
            .get(j)
            .map_or(q_policy.meta.span, |r| r.span);
        out.push(
            finding(&RULE, &policy.meta, rule.span, path::rule(d, i), message)
                .with_help("remove this rule, or narrow the rule that covers it")
                .with_label(q_policy.meta.source, span, "the rule that covers it"),
        );
    }
}

/// Checks `redundant-policy`.
pub fn check_policy(cx: &Context, out: &mut Vec<Diagnostic>) {
    let found = cx
        .model
        .policies
        .iter()
        .zip(&cx.redundancy().redundant)
        .filter_map(|(policy, redundant)| redundant.then_some(policy));
    for policy in found {
        let message = format!(
            "policy {} is redundant: other policies already isolate its pods and allow everything it allows",
            object_name(&policy.meta)
        );
        out.push(
            finding(
                &POLICY,
                &policy.meta,
                policy.meta.name.span,
                "metadata.name",
                message,
            )
            .with_help(
                "remove the policy, or merge what it was meant to add into the covering policy",
            ),
        );
    }
}
