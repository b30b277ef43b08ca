//! `policy-voided-by-allow-all`: a restrictive policy whose pods another policy opens
//! completely in the same direction.

use crate::sorted::{SortedMap, SortedSet};
use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::{all_peers, all_ports};
use crate::model::{path, Direction, NetworkPolicy};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "policy-voided-by-allow-all",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "a restrictive policy whose pods are also opened, in the same direction, by an allow-all rule of another policy",
    rationale: "Policies are additive: one `- {}` rule in any policy selecting the same pods allows everything, whatever the restrictive policy says. The restriction is dead code that reviewers trust.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-from-web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n      ports:\n        - port: 8080\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-all\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - {}\n",
    fix: "Remove the allow-all rule, or narrow its podSelector so it does not select these pods.",
};

/// Checks the rule. With pods of the input, "also opened" means every pod the
/// restrictive policy selects is selected by the allow-all policy; otherwise the
/// allow-all policy's selector must select at least the same pods on the manifests.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let policies = &cx.model.policies;
    for d in Direction::BOTH {
        // The policies with an allow-all rule, by namespace, ascending.
        let open: SortedMap<&str, Vec<(usize, &NetworkPolicy)>> = SortedMap::grouped(
            policies
                .iter()
                .enumerate()
                .filter(|(_, other)| other.applies_to(d) && open_rule(other, d).is_some())
                .map(|(q, other)| (other.meta.namespace_name(), (q, other))),
        );
        if open.is_empty() {
            continue;
        }
        for (p, policy) in policies.iter().enumerate() {
            if !policy.applies_to(d) || open_rule(policy, d).is_some() {
                continue;
            }
            let Some((other, i)) = open
                .get(policy.meta.namespace_name())
                .into_iter()
                .flatten()
                .filter(|(q, _)| *q != p)
                .find_map(|(q, other)| opens(cx, (*q, other), (p, policy), d))
            else {
                continue;
            };
            let message = format!(
                "{} restrictions of policy {} are voided: policy {} allows all {} to the same pods",
                d.field(),
                object_name(&policy.meta),
                object_name(&other.meta),
                d.field()
            );
            let span = other.rules(d).get(i).map_or(other.meta.span, |r| r.span);
            out.push(
                finding(
                    &DOC,
                    &policy.meta,
                    policy.pod_selector.span,
                    "spec.podSelector",
                    message,
                )
                .with_help("remove the allow-all rule, or narrow the policy that holds it")
                .with_label(
                    other.meta.source,
                    span,
                    format!("allow-all rule `{}`", path::rule(d, i)),
                ),
            );
        }
    }
}

/// The index of an allow-all rule (`- {}`) of `policy` in `direction`.
fn open_rule(policy: &NetworkPolicy, direction: Direction) -> Option<usize> {
    policy
        .rules(direction)
        .iter()
        .position(|r| all_peers(r) && all_ports(r))
}

/// The allow-all rule of `other` that opens every pod of `policy` in `direction`.
fn opens<'p>(
    cx: &Context,
    (q, other): (usize, &'p NetworkPolicy),
    (p, policy): (usize, &NetworkPolicy),
    direction: Direction,
) -> Option<(&'p NetworkPolicy, usize)> {
    if !other.applies_to(direction) || other.meta.namespace_name() != policy.meta.namespace_name() {
        return None;
    }
    let rule = open_rule(other, direction)?;
    let selected = cx.engine.selected_endpoints(p);
    let covered = if selected.is_empty() {
        cx.coverage.covers(q, p)
    } else {
        let opened: SortedSet<_> = cx.engine.selected_endpoints(q).iter().collect();
        selected.iter().all(|id| opened.contains(id))
    };
    covered.then_some((other, rule))
}
