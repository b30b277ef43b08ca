//! `tier-policy-without-rules`: a cluster-wide policy with neither ingress nor egress
//! rules, which changes no traffic.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::policy_name;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "tier-policy-without-rules",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy with neither ingress nor egress rules",
    rationale: "Unlike a NetworkPolicy, a cluster-wide policy has no implicit isolation: selecting pods changes nothing, only its rules do. The upstream API overview (`kubernetes-sigs/network-policy-api`, \"General Notes\" and \"Rules\") says each policy should define at least one ingress or egress rule, and that policies with no ingress (egress) rules do not affect ingress (egress) traffic. A policy without rules written as a \"deny all\" the NetworkPolicy way denies nothing.",
    example: "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: deny-all\nspec:\n  tier: Baseline\n  priority: 0\n  subject:\n    namespaces: {}\n",
    fix: "Write the rules explicitly (for a deny-all: `action: Deny` from and to `namespaces: {}`), or delete the policy.",
};

/// Checks every cluster-wide policy.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.cluster_policies {
        if !policy.ingress.is_empty() || !policy.egress.is_empty() {
            continue;
        }
        let message = format!(
            "the {} has no ingress or egress rules: it changes no traffic (selecting pods does not isolate them)",
            policy_name(policy)
        );
        out.push(
            finding(&DOC, &policy.meta, policy.spec_span, "spec", message)
                .with_help("write the rules explicitly (a deny-all is `action: Deny` for `namespaces: {}`), or delete the policy"),
        );
    }
}
