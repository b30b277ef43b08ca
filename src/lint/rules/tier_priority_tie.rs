//! `tier-priority-tie`: two cluster-wide policies of one tier with the same priority
//! whose subjects overlap and whose rules share a direction: their order, and so
//! the verdict where their rules conflict, is up to the implementation.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::{policy_name, subject_covers};
use crate::model::{ClusterPolicy, Direction};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "tier-priority-tie",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "two cluster-wide policies of the same tier with the same priority whose subjects overlap (a pod of the input both select, or one subject containing the other) and that both have rules for the same direction",
    rationale: "The upstream API (`ClusterNetworkPolicySpec.priority` in `kubernetes-sigs/network-policy-api`) says that when two policies of one tier with the same priority could match a connection, the implementation can apply any of them, and there is no way to know which: where their rules conflict the verdict is undefined and may differ between implementations or restarts. It asks administrators to give such policies unique priorities.",
    example: "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: deny-sandbox\nspec:\n  tier: Admin\n  priority: 20\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Deny\n      from:\n        - namespaces:\n            matchLabels:\n              env: sandbox\n---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: allow-monitoring\nspec:\n  tier: Admin\n  priority: 20\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Accept\n      from:\n        - namespaces:\n            matchLabels:\n              team: monitoring\n",
    fix: "Give each policy its own priority value, lower for the one that must win.",
};

/// Checks every pair of cluster-wide policies; the later one of a pair is reported,
/// naming the earlier.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let policies = &cx.model.cluster_policies;
    for (later_index, later) in policies.iter().enumerate() {
        let tied =
            policies
                .iter()
                .enumerate()
                .take(later_index)
                .find(|(earlier_index, earlier)| {
                    earlier.tier.value == later.tier.value
                        && earlier.priority.value == later.priority.value
                        && share_a_direction(earlier, later)
                        && subjects_overlap(cx, *earlier_index, later_index)
                });
        let Some((_, earlier)) = tied else {
            continue;
        };
        let message = format!(
            "both {} and {} are in the {} tier with priority {} and select the same pods: which one applies first is undefined",
            policy_name(later),
            policy_name(earlier),
            later.tier.value.as_str(),
            later.priority.value
        );
        out.push(
            finding(
                &DOC,
                &later.meta,
                later.priority.span,
                "spec.priority",
                message,
            )
            .with_help("give each policy its own priority value, lower for the one that must win"),
        );
    }
}

/// Whether both policies have rules for some direction.
fn share_a_direction(a: &ClusterPolicy, b: &ClusterPolicy) -> bool {
    Direction::BOTH
        .into_iter()
        .any(|d| !a.rules(d).is_empty() && !b.rules(d).is_empty())
}

/// Whether some pod is selected by both subjects: a pod of the input both select,
/// or (whatever the input holds) one subject containing the other.
fn subjects_overlap(cx: &Context, a: usize, b: usize) -> bool {
    let (Some(pa), Some(pb)) = (
        cx.model.cluster_policies.get(a),
        cx.model.cluster_policies.get(b),
    ) else {
        return false;
    };
    if subject_covers(&pa.subject, &pb.subject) || subject_covers(&pb.subject, &pa.subject) {
        return true;
    }
    let selected_by_b = cx.engine.tier_selected(b);
    cx.engine
        .tier_selected(a)
        .iter()
        .any(|e| selected_by_b.contains(e))
}
