//! `ipblock-except-redundant`: duplicate or overlapping except entries, or excepts
//! that cover the whole cidr.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::nets::excepts_cover_cidr;
use crate::lint::walk::effective_ipblocks;
use crate::model::path;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "ipblock-except-redundant",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "duplicate or overlapping `except` entries, or excepts that cover the whole `cidr` (the peer matches nothing)",
    rationale: "An except inside another except does nothing and hides what was meant; excepts that together cover the whole cidr make the peer match no address at all.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16\n              - 10.1.2.0/24\n",
    fix: "Remove the except entries contained in others; if nothing should be allowed, remove the peer.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, j, block) in effective_ipblocks(policy) {
            let base = path::in_peer(d, i, j, "ipBlock");
            let name = object_name(&policy.meta);
            if excepts_cover_cidr(block) {
                let message = format!(
                    "the `except` entries of ipBlock `{}` in policy {name} cover the whole cidr: the peer matches no address",
                    block.cidr.value
                );
                out.push(
                    finding(
                        &DOC,
                        &policy.meta,
                        block.cidr.span,
                        format!("{base}.cidr"),
                        message,
                    )
                    .with_help("remove the peer, or narrow the except entries"),
                );
                continue;
            }
            for (k, entry) in block.except.iter().enumerate() {
                let net = entry.value.trunc();
                let other = block.except.iter().enumerate().find(|(m, e)| {
                    let o = e.value.trunc();
                    *m != k && o.contains(&net) && (o != net || *m < k)
                });
                let Some((_, other)) = other else { continue };
                let how = if other.value.trunc() == net {
                    "repeats"
                } else {
                    "is inside"
                };
                let message = format!(
                    "except entry `{}` of ipBlock `{}` in policy {name} {how} `{}`",
                    entry.value, block.cidr.value, other.value
                );
                out.push(
                    finding(
                        &DOC,
                        &policy.meta,
                        entry.span,
                        format!("{base}.except[{k}]"),
                        message,
                    )
                    .with_help("remove this except entry"),
                );
            }
        }
    }
}
