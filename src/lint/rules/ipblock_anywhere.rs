//! `ipblock-anywhere`: `0.0.0.0/0` or `::/0` as an allowed peer.

use alloc::format;
use alloc::vec::Vec;

use ipnet::IpNet;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::nets::{excepted, private_ranges, same_family};
use crate::lint::walk::{all_ports, effective_ipblocks};
use crate::model::{path, Direction, IpBlock};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "ipblock-anywhere",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "`0.0.0.0/0` or `::/0` as an allowed peer (`info` when `except` removes the metadata addresses and the cluster ranges, and for an ingress rule that names its ports)",
    rationale: "Every address of the family is allowed: the internet, the cloud metadata endpoint and (for many CNIs) the cluster's own pods. Known ranges are easier to review and cannot surprise. A public endpoint (an ingress controller behind a load balancer) legitimately accepts from everywhere, so an ingress rule that names its ports is only `info`.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-out\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n      ports:\n        - port: 443\n",
    fix: "Allow the ranges the pods need; if they need the internet, except the metadata addresses and the cluster's (or private) ranges.",
};

/// Checks the rule: a warning, or `info` when `except` fences off the sensitive
/// ranges or the rule is an ingress rule that names its ports (a public endpoint).
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, j, block) in effective_ipblocks(policy) {
            let cidr = &block.cidr.value;
            if cidr.prefix_len() != 0 {
                continue;
            }
            let fenced = excepts_sensitive_ranges(cx, block);
            let public_endpoint = d == Direction::Ingress
                && policy.rules(d).get(i).is_some_and(|rule| !all_ports(rule));
            let tail = if fenced {
                ", except the metadata addresses and cluster ranges"
            } else {
                ""
            };
            let family = match cidr {
                IpNet::V4(_) => "IPv4",
                IpNet::V6(_) => "IPv6",
            };
            let message = format!(
                "ipBlock `{cidr}` of policy {} allows every {family} address{tail}",
                object_name(&policy.meta)
            );
            let field = path::in_peer(d, i, j, "ipBlock.cidr");
            let mut diagnostic = finding(&DOC, &policy.meta, block.cidr.span, field, message)
                .with_help("allow the address ranges the pods need instead of every address");
            if fenced || public_endpoint {
                diagnostic.severity = Severity::Info;
            }
            out.push(diagnostic);
        }
    }
}

/// Whether `except` removes every metadata address and every cluster range of the
/// block's family (the configured ones, or the private ranges when none is
/// configured).
fn excepts_sensitive_ranges(cx: &Context, block: &IpBlock) -> bool {
    let cidr = &block.cidr.value;
    let metadata_out = cx
        .config
        .metadata_addresses
        .iter()
        .filter(|m| same_family(m, cidr))
        .all(|m| excepted(block, m));
    let configured: Vec<&IpNet> = cx
        .config
        .cluster_cidrs()
        .filter(|r| same_family(r, cidr))
        .collect();
    let ranges_out = if configured.is_empty() {
        private_ranges()
            .iter()
            .filter(|r| same_family(r, cidr))
            .all(|r| excepted(block, r))
    } else {
        configured.iter().all(|r| excepted(block, r))
    };
    metadata_out && ranges_out
}
