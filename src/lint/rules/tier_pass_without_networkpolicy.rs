//! `tier-pass-without-networkpolicy`: an Admin-tier `Pass` rule whose subject pods
//! (some of them) no NetworkPolicy isolates for the rule's direction, so the Baseline
//! tier or the default decides for them instead.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::engine::EndpointId;
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::{policy_name, rule_path};
use crate::model::{Direction, Tier, TierAction};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "tier-pass-without-networkpolicy",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "an Admin-tier `Pass` rule whose subject selects pods of the input that no NetworkPolicy isolates for the rule's direction; `info` when a Baseline-tier policy decides for all of them, `warning` when the default (allow) does",
    rationale: "`Pass` delegates the traffic to the namespace owners' NetworkPolicies. The upstream API (`kubernetes-sigs/network-policy-api`, API overview, \"Actions\") says that when no NetworkPolicy matches, the Baseline tier decides, and without a Baseline rule the traffic is allowed. A `Pass` for pods nobody wrote a NetworkPolicy for therefore is not a delegation: the message names the pods and what decides for them.",
    example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: delegate-intra-namespace\nspec:\n  tier: Admin\n  priority: 10\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Pass\n      from:\n        - namespaces: {}\n",
    fix: "Add NetworkPolicies for the listed pods, or a Baseline-tier policy (a default deny) that decides when no NetworkPolicy does; or use `Accept` / `Deny` if the decision is the administrator's.",
};

/// How many pods a message lists before `and N more`.
const LISTED: usize = 3;

/// Checks every Pass rule of every Admin-tier policy against the pods of the input.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (index, policy) in cx.model.cluster_policies.iter().enumerate() {
        if policy.tier.value != Tier::Admin {
            continue;
        }
        let subject = cx.engine.tier_selected(index);
        for direction in Direction::BOTH {
            let undecided: Vec<EndpointId> = subject
                .iter()
                .copied()
                .filter(|e| !cx.engine.is_isolated(*e, direction))
                .collect();
            if undecided.is_empty() {
                continue;
            }
            let (baseline, by_default) = below(cx, &undecided);
            for (rule_index, rule) in policy.rules(direction).iter().enumerate() {
                if rule.action.value != TierAction::Pass {
                    continue;
                }
                let what = match (baseline, by_default) {
                    (_, true) => String::from(
                        "nothing decides for them below, so their traffic is allowed by default",
                    ),
                    (Some(b), false) => format!(
                        "the Baseline tier decides for them ({} applies next)",
                        policy_name(b)
                    ),
                    (None, false) => continue,
                };
                let message = format!(
                    "pass rule `{}` of {} hands {} to NetworkPolicies, but none isolates {} of its {} subject pods ({}): {what}",
                    rule_path(direction, rule_index),
                    policy_name(policy),
                    direction.field(),
                    undecided.len(),
                    subject.len(),
                    pod_list(cx, &undecided)
                );
                let mut diagnostic = finding(
                    &DOC,
                    &policy.meta,
                    rule.action.span,
                    format!("{}.action", rule_path(direction, rule_index)),
                    message,
                )
                .with_help("add NetworkPolicies for these pods or a Baseline-tier policy that decides for them, or use Accept or Deny");
                if !by_default {
                    diagnostic.severity = Severity::Info;
                }
                out.push(diagnostic);
            }
        }
    }
}

/// What decides below the NetworkPolicies for `pods`: the first Baseline-tier policy
/// (by priority) selecting one of them, and whether some pod has no Baseline-tier
/// policy at all (then the default, allow, decides for it).
fn below<'m>(
    cx: &Context<'m>,
    pods: &[EndpointId],
) -> (Option<&'m crate::model::ClusterPolicy>, bool) {
    let mut baseline: Vec<(u16, usize, Vec<EndpointId>)> = cx
        .model
        .cluster_policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.tier.value == Tier::Baseline)
        .map(|(i, p)| (p.priority.value, i, cx.engine.tier_selected(i)))
        .collect();
    crate::order::sort_by_key(&mut baseline, |(priority, i, _)| (*priority, *i));
    let first = baseline
        .iter()
        .find(|(_, _, selected)| pods.iter().any(|p| selected.contains(p)))
        .and_then(|(_, i, _)| cx.model.cluster_policies.get(*i));
    let by_default = pods
        .iter()
        .any(|p| !baseline.iter().any(|(_, _, selected)| selected.contains(p)));
    (first, by_default)
}

/// `` `shop/web`, `shop/api` and 2 more ``.
fn pod_list(cx: &Context, pods: &[EndpointId]) -> String {
    let names: Vec<String> = pods
        .iter()
        .take(LISTED)
        .filter_map(|p| cx.engine.endpoint(*p))
        .map(|e| format!("`{}`", e.id))
        .collect();
    let mut text = names.join(", ");
    if pods.len() > LISTED {
        text.push_str(&format!(" and {} more", pods.len() - LISTED));
    }
    text
}
