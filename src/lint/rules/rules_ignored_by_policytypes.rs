//! `rules-ignored-by-policytypes`: rules of a direction that `policyTypes` leaves
//! out.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::model::Direction;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "rules-ignored-by-policytypes",
    default_severity: Severity::Error,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "`ingress` (or `egress`) rules while `policyTypes` lacks `Ingress` (or `Egress`): accepted and silently ignored",
    rationale: "The API server accepts the rules and the network plugin ignores them: the author believes traffic is restricted (or allowed) in that direction while it is not.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: api\n",
    fix: "Add the direction to `policyTypes`, or remove the rules.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        let Some(types) = &policy.policy_types else {
            continue;
        };
        if types.value.is_empty() {
            continue;
        }
        for d in Direction::BOTH {
            let rules = match d {
                Direction::Ingress => &policy.ingress,
                Direction::Egress => &policy.egress,
            };
            let Some(rules) = rules else { continue };
            if rules.value.is_empty() || policy.applies_to(d) {
                continue;
            }
            let kind = d.policy_type().as_str();
            let message = format!(
                "policy {} has `{}` rules but `policyTypes` lacks `{kind}`: they are ignored",
                object_name(&policy.meta),
                d.field()
            );
            out.push(
                finding(
                    &DOC,
                    &policy.meta,
                    rules.span,
                    format!("spec.{}", d.field()),
                    message,
                )
                .with_help(format!(
                    "add `{kind}` to `policyTypes`, or remove the rules"
                ))
                .with_label(
                    policy.meta.source,
                    types.span,
                    "`policyTypes` is here",
                ),
            );
        }
    }
}
