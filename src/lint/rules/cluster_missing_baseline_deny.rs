//! `cluster-missing-baseline-deny`: cluster-wide policies in the input, but no
//! Baseline-tier policy denying all traffic of every pod for a direction.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::baseline_default_deny;
use crate::model::{Direction, LabelSelector};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "cluster-missing-baseline-deny",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "an input with cluster-wide policies but no Baseline-tier policy that selects every namespace and denies all traffic for ingress or egress (`Deny` rules matching every pod on every port and, for egress, every address: `0.0.0.0/0` and `::/0`; earlier Accept rules, for DNS say, are fine); the message says which direction is missing",
    rationale: "The first advice for NetworkPolicies, a default deny per namespace, is done once for the whole cluster with a Baseline-tier policy: every pod no NetworkPolicy isolates is denied, and namespace owners allow what they need with NetworkPolicies. This is upstream's user story 5, \"Cluster Wide Default Guardrails\" (`kubernetes-sigs/network-policy-api`, `site-src/user-stories.md`). Level `info`: flipping the whole cluster to deny-by-default cuts every workload that has no NetworkPolicy yet, so it is a deliberate step, and `namespace-missing-default-deny` already warns per namespace.",
    example: "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: allow-monitoring\nspec:\n  tier: Admin\n  priority: 10\n  subject:\n    namespaces: {}\n  ingress:\n    - action: Accept\n      from:\n        - namespaces:\n            matchLabels:\n              kubernetes.io/metadata.name: monitoring\n",
    fix: "Add a Baseline-tier ClusterNetworkPolicy with `subject: {namespaces: {}}` and a `Deny` rule from `namespaces: {}` and to `namespaces: {}` plus `networks: [0.0.0.0/0, ::/0]`, after the Accept rules for what every pod needs (DNS first).",
};

/// Checks the rule once per input holding cluster-wide policies.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let policies = &cx.model.cluster_policies;
    let Some(first) = policies.first() else {
        return;
    };
    let missing: Vec<Direction> = Direction::BOTH
        .into_iter()
        .filter(|d| {
            !policies
                .iter()
                .any(|p| baseline_default_deny(p, *d).is_some_and(LabelSelector::is_empty))
        })
        .collect();
    let what = match missing.as_slice() {
        [] => return,
        [d] => d.field(),
        _ => "ingress or egress",
    };
    let message = format!(
        "the input has cluster-wide policies but no Baseline-tier policy denying all {what} traffic of every namespace by default"
    );
    out.push(
        finding(&DOC, &first.meta, first.meta.name.span, "metadata.name", message).with_help(
            "add a Baseline-tier ClusterNetworkPolicy with `subject: {namespaces: {}}` and a Deny rule for `namespaces: {}`",
        ),
    );
}
