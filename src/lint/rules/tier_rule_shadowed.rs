//! `tier-rule-shadowed`: a cluster-wide policy rule that can never decide any
//! traffic, because earlier rules of its policy or of higher-priority policies of
//! its tier already decide all of it.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::{
    earlier_rules, policy_name, port_entries, resolve, rule_matches_part, rule_name, rule_path,
    RuleRef,
};
use crate::model::{Direction, Model, TierRule};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "tier-rule-shadowed",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "a ClusterNetworkPolicy (or AdminNetworkPolicy / BaselineAdminNetworkPolicy) rule whose every peer and port is already matched by earlier rules of its policy, or by rules of a higher-priority policy of the same tier whose subject contains its subject",
    rationale: "Within a tier the first matching rule decides (policies by ascending priority, rules in written order), and Accept, Deny and Pass all end the tier's evaluation. A rule whose traffic is entirely matched earlier never decides anything: its action is dead, and it usually means the rules were written in the wrong order (a broad Deny above the exception meant to precede it). The upstream API (`kubernetes-sigs/network-policy-api`, `ClusterNetworkPolicySpec.ingress`/`egress`) defines precedence by the order in which rules are written.",
    example: "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: guardrails\nspec:\n  tier: Admin\n  priority: 10\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Deny\n      from:\n        - namespaces: {}\n    - action: Accept\n      from:\n        - namespaces:\n            matchLabels:\n              kubernetes.io/metadata.name: monitoring\n",
    fix: "Move the rule above the rules that shadow it (or give its policy a lower priority value), or delete it if it is no longer needed.",
};

/// Checks the rule on every rule of every cluster-wide policy.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (policy_index, policy) in model.cluster_policies.iter().enumerate() {
        for direction in Direction::BOTH {
            for (index, rule) in policy.rules(direction).iter().enumerate() {
                let at = RuleRef {
                    policy: policy_index,
                    direction,
                    index,
                };
                let Some(shadows) = shadowing(model, at, rule) else {
                    continue;
                };
                let message = format!(
                    "rule `{}` of {} can never decide any traffic: {} all of it",
                    rule_path(direction, index),
                    policy_name(policy),
                    describe(model, &shadows)
                );
                out.push(
                    finding(
                        &DOC,
                        &policy.meta,
                        rule.span,
                        rule_path(direction, index),
                        message,
                    )
                    .with_help(
                        "move the rule above the rules that shadow it, or delete it if it is no longer needed",
                    ),
                );
            }
        }
    }
}

/// The earlier rules that together match every peer and port of `rule`, or `None`
/// when some part of its traffic reaches it.
fn shadowing(model: &Model, at: RuleRef, rule: &TierRule) -> Option<Vec<RuleRef>> {
    let earlier: Vec<(RuleRef, &TierRule)> = earlier_rules(model, at)
        .into_iter()
        .filter_map(|r| resolve(model, r).map(|(_, rule)| (r, rule)))
        .collect();
    if earlier.is_empty() || rule.peers.is_empty() {
        return None;
    }
    let mut used: Vec<RuleRef> = Vec::new();
    for peer in &rule.peers {
        for port in port_entries(rule) {
            let (by, _) = earlier
                .iter()
                .find(|(_, e)| rule_matches_part(e, peer, port))?;
            if !used.contains(by) {
                used.push(*by);
            }
        }
    }
    Some(used)
}

/// `` rule `spec.ingress[0]` of ClusterNetworkPolicy `x` already matches `` or
/// `rules ..., ... already match`.
fn describe(model: &Model, rules: &[RuleRef]) -> String {
    let names: Vec<String> = rules.iter().map(|r| rule_name(model, *r)).collect();
    match names.as_slice() {
        [one] => format!("rule {one} already matches"),
        _ => format!("rules {} already match", names.join(", ")),
    }
}
