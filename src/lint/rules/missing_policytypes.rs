//! `missing-policytypes`: `policyTypes` omitted.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::model::Direction;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "missing-policytypes",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "`policyTypes` omitted: the directions depend on defaulting",
    rationale: "Without `policyTypes` a policy isolates ingress always and egress only when it has egress rules: a policy meant as `deny all egress` (`egress: []`) isolates nothing in that direction. Writing the types states the intent.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-egress\n  namespace: shop\nspec:\n  podSelector: {}\n  egress: []\n",
    fix: "Write `policyTypes` with the directions the policy is meant to isolate.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        if policy
            .policy_types
            .as_ref()
            .is_some_and(|t| !t.value.is_empty())
        {
            continue;
        }
        let effect = if policy.applies_to(Direction::Egress) {
            "ingress and egress (it has egress rules)"
        } else {
            "ingress only"
        };
        let message = format!(
            "policy {} has no `policyTypes`: it applies to {effect}",
            object_name(&policy.meta)
        );
        let span = policy
            .policy_types
            .as_ref()
            .map_or(policy.spec_span, |t| t.span);
        out.push(
            finding(&DOC, &policy.meta, span, "spec.policyTypes", message).with_help(
                "write `policyTypes` with the directions the policy is meant to isolate",
            ),
        );
    }
}
