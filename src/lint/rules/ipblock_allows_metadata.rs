//! `ipblock-allows-metadata`: an allowing egress ipBlock that contains a cloud
//! metadata address not removed by `except`. Ingress is not reported: traffic *from*
//! the metadata address is no risk.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::nets::{cidr_covers, display, excepted};
use crate::lint::walk::effective_ipblocks;
use crate::model::{path, Direction};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "ipblock-allows-metadata",
    default_severity: Severity::Error,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "an allowing egress ipBlock (`to`) that contains a cloud metadata address (`169.254.169.254`, `fd00:ec2::254`, `100.100.100.200`; `metadataAddresses`) not removed by `except` (`info` when the block already excepts another metadata address); ingress is not reported",
    rationale: "The cloud metadata endpoint hands out the node's credentials to anyone who can reach it: a pod allowed to reach it can often take over the node's cloud identity. Broad ipBlocks such as `0.0.0.0/0` include it unless it is excepted. Only egress matters: ingress *from* the metadata address is not a risk and is not reported.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-internet\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n      ports:\n        - port: 443\n",
    fix: "Add the metadata address to `except` (e.g. `except: [169.254.169.254/32]`), or allow only the ranges the pods need.",
};

/// Checks the rule on egress blocks only. A block that already excepts one metadata address (its author
/// thought of the metadata endpoint of their cloud) reports the other clouds'
/// addresses it still covers as `info` rather than at the rule's severity.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        let egress = effective_ipblocks(policy).filter(|(d, ..)| *d == Direction::Egress);
        for (d, i, j, block) in egress {
            let mut covered = cx
                .config
                .metadata_addresses
                .iter()
                .filter(|m| cidr_covers(block, m));
            let Some(address) = covered.clone().find(|m| !excepted(block, m)) else {
                continue;
            };
            let severity = if covered.any(|m| excepted(block, m)) {
                Severity::Info
            } else {
                DOC.default_severity
            };
            let message = format!(
                "ipBlock `{}` of policy {} allows egress to the cloud metadata address `{}`",
                block.cidr.value,
                object_name(&policy.meta),
                display(address)
            );
            let field = path::in_peer(d, i, j, "ipBlock.cidr");
            let mut diagnostic = finding(&DOC, &policy.meta, block.cidr.span, field, message)
                .with_help(format!("add `{address}` to `except`"));
            diagnostic.severity = severity;
            out.push(diagnostic);
        }
    }
}
