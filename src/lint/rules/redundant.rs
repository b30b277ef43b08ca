//! `redundant-rule` and `redundant-policy`: traffic already allowed elsewhere.
//!
//! Decided on the manifests alone, so a finding holds for every cluster: a rule is
//! covered by another rule (same direction) of a policy that selects at least the
//! same pods; a policy is redundant when, for each direction it isolates, another
//! policy selecting at least its pods isolates that direction too and covers each
//! of its rules. Of two equivalent rules or policies, the later one is reported.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::cover::rule_covers;
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::model::{path, Direction, NetworkPolicy, Rule};

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
    let redundant = redundant_policies(cx);
    for (p, policy) in policies.iter().enumerate() {
        if redundant.contains(&p) {
            continue;
        }
        for d in Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
        {
            for (i, rule) in policy.rules(d).iter().enumerate() {
                let Some((q_policy, j)) = covering_rule(cx, &redundant, (p, d, i), rule) else {
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
    }
}

/// Checks `redundant-policy`.
pub fn check_policy(cx: &Context, out: &mut Vec<Diagnostic>) {
    for p in redundant_policies(cx) {
        let Some(policy) = cx.model.policies.get(p) else {
            continue;
        };
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

/// Another rule (same direction, of a policy selecting at least the same pods and
/// not `excluded`) that covers `rule`; of two equivalent rules only the earlier
/// counts as covering.
fn covering_rule<'c>(
    cx: &'c Context,
    excluded: &BTreeSet<usize>,
    at: (usize, Direction, usize),
    rule: &Rule,
) -> Option<(&'c NetworkPolicy, usize)> {
    let (p, d, i) = at;
    let mut candidates: Vec<usize> = cx.coverage.covering(p).to_vec();
    candidates.push(p);
    candidates.sort_unstable();
    candidates.into_iter().find_map(|q| {
        let other = cx.model.policies.get(q)?;
        if excluded.contains(&q) || !other.applies_to(d) {
            return None;
        }
        other
            .rules(d)
            .iter()
            .enumerate()
            .find_map(|(j, candidate)| {
                let same = q == p && j == i;
                let equivalent = rule_covers(rule, candidate) && cx.coverage.covers(p, q);
                let earlier = (q, j) < (p, i);
                (!same && rule_covers(candidate, rule) && (!equivalent || earlier))
                    .then_some((other, j))
            })
    })
}

/// Indices of the redundant policies, checked from the last: a policy found redundant
/// no longer covers the ones before it. A policy that only isolates (a default deny)
/// is redundant only next to another policy that only isolates the same pods: the
/// isolation that allow policies bring along is incidental, and removing the deny
/// would make it depend on them.
fn redundant_policies(cx: &Context) -> BTreeSet<usize> {
    let policies = &cx.model.policies;
    let mut found: BTreeSet<usize> = BTreeSet::new();
    for (p, policy) in policies.iter().enumerate().rev() {
        let others: Vec<&NetworkPolicy> = cx
            .coverage
            .covering(p)
            .iter()
            .filter(|q| !found.contains(*q))
            .filter_map(|q| policies.get(*q))
            .collect();
        let pure = isolates_only(policy);
        let covered = Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
            .all(|d| {
                let isolating: Vec<&&NetworkPolicy> = others
                    .iter()
                    .filter(|o| o.applies_to(d) && (!pure || o.rules(d).is_empty()))
                    .collect();
                !isolating.is_empty()
                    && policy.rules(d).iter().all(|r| {
                        isolating
                            .iter()
                            .any(|o| o.rules(d).iter().any(|b| rule_covers(b, r)))
                    })
            });
        if covered {
            found.insert(p);
        }
    }
    found
}

/// Whether `policy` has no rule in the directions it applies to (it only isolates).
fn isolates_only(policy: &NetworkPolicy) -> bool {
    Direction::BOTH
        .into_iter()
        .filter(|d| policy.applies_to(*d))
        .all(|d| policy.rules(d).is_empty())
}
