//! `ipblock-allows-cluster-ranges`: a broad allowing ipBlock that covers the
//! cluster's pod or service ranges (configured, or pod IPs of the input) without
//! excepting them.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::nets::allows_all_of;
use crate::lint::walk::effective_ipblocks;
use crate::model::{path, IpBlock};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "ipblock-allows-cluster-ranges",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "a broad allowing ipBlock that covers the cluster's pod or service ranges (`podCIDRs`, `serviceCIDRs`, pod IPs of the input) without excepting them",
    rationale: "ipBlock is meant for traffic outside the cluster. A block that covers pod IPs may (depending on the CNI) admit every pod, bypassing the selectors the rest of the policy set relies on. Silent when no range is configured and no Pod of the input has an IP.",
    example: "# with podCIDRs: [10.244.0.0/16] in .netpol.yaml\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-private\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n      ports:\n        - port: 5432\n",
    fix: "Add the pod and service ranges to `except`, and reach pods with selectors instead.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, j, block) in effective_ipblocks(policy) {
            let Some(what) = covered_cluster_range(cx, block) else {
                continue;
            };
            let message = format!(
                "ipBlock `{}` of policy {} covers {what} without excepting it",
                block.cidr.value,
                object_name(&policy.meta)
            );
            let field = path::in_peer(d, i, j, "ipBlock.cidr");
            out.push(
                finding(&DOC, &policy.meta, block.cidr.span, field, message).with_help(
                    "except the cluster's pod and service ranges, and reach pods with selectors",
                ),
            );
        }
    }
}

/// What cluster range the block covers without an except: a configured range, else
/// the IP of a pod of the input (only for blocks wider than one address).
fn covered_cluster_range(cx: &Context, block: &IpBlock) -> Option<String> {
    if let Some(range) = cx.config.cluster_cidrs().find(|r| allows_all_of(block, r)) {
        return Some(format!("the cluster range `{range}`"));
    }
    let cidr = &block.cidr.value;
    if cidr.prefix_len() == cidr.max_prefix_len() {
        return None;
    }
    let excepts: Vec<ipnet::IpNet> = block.except.iter().map(|e| e.value).collect();
    cx.pod_addresses().first_inside_text(cidr, &excepts)
}
