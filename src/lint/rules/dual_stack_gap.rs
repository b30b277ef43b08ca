//! `dual-stack-gap`: a rule opening every address of one IP family but not the
//! other, or excepting the metadata address in one family only.

use alloc::format;
use alloc::vec::Vec;

use ipnet::IpNet;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::nets::{cidr_covers, display, excepted, same_family};
use crate::lint::walk::effective_rules;
use crate::model::{path, IpBlock, Peer};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "dual-stack-gap",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a rule opening every IPv4 address without the IPv6 counterpart (or the reverse), or excepting the metadata address in one family only",
    rationale: "On a dual-stack cluster a pod reaches the same service over either family: `0.0.0.0/0` alone leaves IPv6 traffic blocked (or, for excepts, open) unlike IPv4, which surfaces as failures that depend on address selection.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except: [169.254.169.254/32]\n      ports:\n        - port: 443\n",
    fix: "Add the other family's block (`::/0`, with `fd00:ec2::254/128` excepted), or ignore this rule on single-stack clusters.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            let blocks: Vec<(usize, &IpBlock)> = rule
                .peer_list()
                .iter()
                .enumerate()
                .filter_map(|(j, p)| match p {
                    Peer::IpBlock(b) => Some((j, b)),
                    Peer::Selectors { .. } => None,
                })
                .collect();
            let name = object_name(&policy.meta);
            for (j, block) in &blocks {
                let cidr = &block.cidr.value;
                let field = path::in_peer(d, i, *j, "ipBlock.cidr");
                let other_family_anywhere = blocks.iter().any(|(_, b)| {
                    !same_family(&b.cidr.value, cidr) && b.cidr.value.prefix_len() == 0
                });
                if cidr.prefix_len() == 0 && !other_family_anywhere {
                    let other = match cidr {
                        IpNet::V4(_) => "::/0",
                        IpNet::V6(_) => "0.0.0.0/0",
                    };
                    let message = format!(
                        "{} rule of policy {name} allows `{cidr}` without `{other}`",
                        d.field()
                    );
                    out.push(
                        finding(&DOC, &policy.meta, block.cidr.span, field, message).with_help(
                            format!("add an ipBlock for `{other}` if the cluster is dual-stack"),
                        ),
                    );
                } else if let Some(address) = metadata_gap(cx, block, &blocks) {
                    let message = format!(
                        "{} rule of policy {name} excepts the metadata address in one IP family but ipBlock `{cidr}` allows `{}`",
                        d.field(),
                        display(address)
                    );
                    out.push(
                        finding(&DOC, &policy.meta, block.cidr.span, field, message)
                            .with_help(format!("add `{address}` to this ipBlock's `except`")),
                    );
                }
            }
        }
    }
}

/// A metadata address this block allows while another block of the rule, of the
/// other family, excepts that family's metadata address.
fn metadata_gap<'c>(
    cx: &'c Context,
    block: &IpBlock,
    blocks: &[(usize, &IpBlock)],
) -> Option<&'c IpNet> {
    let metadata = &cx.config.metadata_addresses;
    let other_family_excepts = blocks.iter().any(|(_, b)| {
        !same_family(&b.cidr.value, &block.cidr.value) && metadata.iter().any(|m| excepted(b, m))
    });
    if !other_family_excepts {
        return None;
    }
    metadata
        .iter()
        .find(|m| cidr_covers(block, m) && !excepted(block, m))
}
