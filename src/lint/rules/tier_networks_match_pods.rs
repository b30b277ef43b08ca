//! `tier-networks-match-pods`: an `Accept` or `Pass` egress rule with a `networks`
//! peer of `0.0.0.0/0` or `::/0`, which matches every pod address too, with no
//! earlier rule of its policy deciding all pod traffic.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::nets::display;
use crate::lint::tier_cover::{
    matches_every_pod, policy_name, port_covers, port_entries, rule_path,
};
use crate::model::{Direction, TierAction, TierPeer, TierRule};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "tier-networks-match-pods",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "an `Accept` or `Pass` egress rule of a cluster-wide policy whose `networks` peer is `0.0.0.0/0` or `::/0` (meant for the internet), with no earlier rule of the same policy that decides all pod-to-pod traffic on those ports",
    rationale: "`networks` is meant for destinations outside the cluster, but the upstream API (`kubernetes-sigs/network-policy-api`, `ClusterNetworkPolicyEgressPeer.networks`) says cluster-internal traffic is checked against it as well: accepting `0.0.0.0/0` accepts all IPv4 pod-to-pod traffic too, past every NetworkPolicy in the Admin tier. Upstream's advice is to put a rule that passes all pod traffic before the networks rule. (A `Deny` of `0.0.0.0/0` is the usual deny-all and is not reported.)",
    example: "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: internet-egress\nspec:\n  tier: Admin\n  priority: 10\n  subject:\n    namespaces:\n      matchLabels:\n        internet: allowed\n  egress:\n    - action: Accept\n      to:\n        - networks: [0.0.0.0/0]\n",
    fix: "Put a rule that passes pod traffic (`action: Pass`, `to: [{namespaces: {}}]`) before the networks rule, or name the external ranges instead of `0.0.0.0/0`.",
};

/// Checks every egress rule of every cluster-wide policy.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.cluster_policies {
        for (index, rule) in policy.egress.iter().enumerate() {
            if rule.action.value == TierAction::Deny {
                continue;
            }
            let earlier = policy.egress.get(..index).unwrap_or_default();
            if earlier.iter().any(|e| decides_pod_traffic(e, rule)) {
                continue;
            }
            for peer in &rule.peers {
                let TierPeer::Networks { cidrs, .. } = peer else {
                    continue;
                };
                for cidr in cidrs.iter().filter(|c| c.value.prefix_len() == 0) {
                    let message = format!(
                        "`{}` of {} {} `{}`, which includes every pod address: it {} pod-to-pod traffic too",
                        rule_path(Direction::Egress, index),
                        policy_name(policy),
                        verb(rule.action.value),
                        display(&cidr.value.trunc()),
                        verb(rule.action.value)
                    );
                    out.push(
                        finding(
                            &DOC,
                            &policy.meta,
                            cidr.span,
                            format!("{}.to", rule_path(Direction::Egress, index)),
                            message,
                        )
                        .with_help("put a rule that passes pod traffic (`to: [{namespaces: {}}]`) before it, or name the external ranges"),
                    );
                }
            }
        }
    }
}

/// What an action does to the pod traffic it matches, as messages say it.
fn verb(action: TierAction) -> &'static str {
    match action {
        TierAction::Pass => "passes",
        TierAction::Accept | TierAction::Deny => "accepts",
    }
}

/// Whether `earlier` matches every pod on (at least) every port `rule` matches.
fn decides_pod_traffic(earlier: &TierRule, rule: &TierRule) -> bool {
    earlier.peers.iter().any(matches_every_pod)
        && port_entries(rule).into_iter().all(|port| {
            port_entries(earlier)
                .into_iter()
                .any(|e| port_covers(e, port))
        })
}
