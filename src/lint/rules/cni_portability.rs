//! `cni-portability`: features some network plugins ignore or handle differently.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::nets::same_family;
use crate::lint::walk::effective_rules;
use crate::model::{path, ClusterPolicyKind, Cni, Peer, Protocol, Support};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "cni-portability",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "a feature network plugins handle differently: `endPort`, `SCTP`, an ipBlock covering pod IPs; with a `cni` profile, what that data plane ignores (a cluster-wide policy kind it does not implement included)",
    rationale: "The specification is not what every plugin does: some ignored `endPort` for years, some do not support SCTP, and whether an ipBlock matches pod IPs differs (Cilium does not by default). A policy relying on these behaves differently when the plugin changes.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: rtp\n  namespace: media\nspec:\n  podSelector:\n    matchLabels:\n      app: rtp\n  policyTypes: [Ingress]\n  ingress:\n    - ports:\n        - port: 10000\n          endPort: 10100\n          protocol: UDP\n",
    fix: "Check that your plugin supports the feature; prefer selectors over ipBlocks for pods, and list ports if `endPort` is unsupported.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let cni = cx.config.cni;
    unimplemented_cluster_policies(cx, out);
    for policy in &cx.model.policies {
        // Named only in findings, which most policies have none of.
        let name = || object_name(&policy.meta);
        for (d, i, rule) in effective_rules(policy) {
            for (k, entry) in rule.port_list().iter().enumerate() {
                let base = || path::port(d, i, k);
                if let Some(end) = entry
                    .end_port
                    .as_ref()
                    .filter(|_| cni.end_port() != Support::Yes)
                {
                    let message = format!(
                        "`endPort` in policy {} {}",
                        name(),
                        ignored_by(cni, "is ignored")
                    );
                    out.push(
                        finding(
                            &DOC,
                            &policy.meta,
                            end.span,
                            format!("{}.endPort", base()),
                            message,
                        )
                        .with_help("check that your network plugin enforces `endPort`"),
                    );
                }
                if let Some(protocol) = entry
                    .protocol
                    .as_ref()
                    .filter(|p| p.value == Protocol::Sctp && cni.sctp() != Support::Yes)
                {
                    let message = format!(
                        "`SCTP` in policy {} {}",
                        name(),
                        ignored_by(cni, "is not supported")
                    );
                    out.push(
                        finding(
                            &DOC,
                            &policy.meta,
                            protocol.span,
                            format!("{}.protocol", base()),
                            message,
                        )
                        .with_help("check that your network plugin supports SCTP"),
                    );
                }
            }
            for (j, peer) in rule.peer_list().iter().enumerate() {
                let Peer::IpBlock(block) = peer else { continue };
                if cni.ip_block_matches_pods() == Support::Yes {
                    continue;
                }
                let Some(what) = pod_addresses_covered(cx, &block.cidr.value) else {
                    continue;
                };
                let differ = match cni.ip_block_matches_pods() {
                    Support::No => format!("`{}` does not match pods by ipBlock", cni.as_str()),
                    _ => String::from("network plugins differ on whether ipBlocks match pods"),
                };
                let message = format!(
                    "ipBlock `{}` of policy {} covers {what}: {differ}",
                    block.cidr.value,
                    name()
                );
                let field = path::in_peer(d, i, j, "ipBlock.cidr");
                out.push(
                    finding(&DOC, &policy.meta, block.cidr.span, field, message).with_help(
                        "select pods with podSelector/namespaceSelector rather than by address",
                    ),
                );
            }
        }
    }
}

/// How a finding says that a feature may not be enforced: `what` by some plugins, or
/// (when the profile says so) not by the configured one.
fn ignored_by(cni: Cni, what: &str) -> String {
    match cni {
        Cni::Generic => format!("{what} by some network plugins"),
        _ => format!("is not enforced by `{}` (`cni` profile)", cni.as_str()),
    }
}

/// Cluster-wide policies whose kind the configured data plane does not implement:
/// they exist in the API server but nothing enforces them.
fn unimplemented_cluster_policies(cx: &Context, out: &mut Vec<Diagnostic>) {
    let cni = cx.config.cni;
    for policy in &cx.model.cluster_policies {
        let support = match policy.kind {
            ClusterPolicyKind::ClusterNetworkPolicy => cni.cluster_network_policy(),
            _ => cni.admin_network_policy(),
        };
        if support != Support::No {
            continue;
        }
        let meta = &policy.meta;
        let message = format!(
            "{} `{}` is not enforced: `{}` does not implement {} (`cni` profile)",
            policy.kind.as_str(),
            meta.name.value,
            cni.as_str(),
            policy.kind.api_version()
        );
        let kind_span = policy.tier.span;
        out.push(
            finding(&DOC, meta, kind_span, "", message)
                .with_help("use a kind the data plane implements, or NetworkPolicies"),
        );
    }
}

/// What pod addresses `cidr` overlaps: a configured pod range, or a pod's IP.
fn pod_addresses_covered(cx: &Context, cidr: &ipnet::IpNet) -> Option<String> {
    let cidr = cidr.trunc();
    let overlaps =
        |r: &ipnet::IpNet| same_family(r, &cidr) && (cidr.contains(r) || r.contains(&cidr));
    if let Some(range) = cx.config.pod_cidrs.iter().find(|r| overlaps(r)) {
        return Some(format!("the pod range `{range}`"));
    }
    cx.pod_addresses().first_inside_text(&cidr, &[])
}
