//! The cluster-wide tiers: `ClusterNetworkPolicy` (Admin and Baseline tiers),
//! `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy`, evaluated around the
//! NetworkPolicies (`docs/spec/tiers.md`).
//!
//! Per side of a flow (egress at the source, ingress at the destination): the Admin
//! tier's policies whose subject selects the pod, by ascending priority, rules in
//! written order, the first matching rule deciding (Accept allows, Deny denies, Pass
//! skips to the NetworkPolicies); then the NetworkPolicies if one isolates the pod for
//! that direction; else the Baseline tier (Pass: the default); else allow.
//!
//! Two things the manifests leave open are answered as sets of possibilities, never
//! guessed: which address a `domainNames` peer resolves to (it may match any address
//! outside the cluster: "depends on DNS"), and the order of policies of one tier with
//! equal priority (every order is tried: "order undefined" when it matters). A side's
//! answer is therefore two port sets: where allowing is possible and where denying is;
//! a port in both is uncertain.
//!
//! | file | concept |
//! | --- | --- |
//! | `mod.rs` | the compiled policies, subject selection per endpoint |
//! | `compile.rs` | from the model's cluster-wide policies |
//! | `walk.rs` | one tier, one side, as port sets |
//! | `flow.rs` | both sides, every order, every family |
//! | `explain.rs` | the chain for one port |

use alloc::string::String;
use alloc::vec::Vec;

use ipnet::IpNet;

use super::endpoints::Endpoint;
use super::namespaces::NamespaceInfo;
use crate::model::{LabelSelector, Labels, Protocol};
use crate::source::{SourceId, Span};

mod compile;
pub(crate) mod explain;
pub(crate) mod flow;
#[cfg(test)]
mod tests;
mod walk;

pub(crate) use crate::model::{Tier, TierAction as Action};

/// `admin` or `baseline`, as explanations print a tier.
pub(crate) fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Admin => "admin",
        Tier::Baseline => "baseline",
    }
}

/// Which pods a subject or a selector peer takes: every pod of the matching
/// namespaces, or the matching pods of the matching namespaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PodSet {
    pub namespaces: LabelSelector,
    pub pods: Option<LabelSelector>,
}

impl PodSet {
    /// Whether `endpoint` (in namespace `ns`) is one of these pods; host-networked
    /// pods never are.
    pub fn contains(&self, endpoint: &Endpoint<'_>, ns: &NamespaceInfo) -> bool {
        !endpoint.host_network
            && self.namespaces.matches(&ns.labels)
            && self
                .pods
                .as_ref()
                .is_none_or(|p| p.matches(endpoint.labels))
    }
}

/// One peer of a tier rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TierPeer {
    /// `namespaces` or `pods`.
    Pods(PodSet),
    /// `networks`: also matches pod addresses.
    Networks(Vec<IpNet>),
    /// `nodes`: the addresses of the matching Node objects.
    Nodes(LabelSelector),
    /// `domainNames`: may match any address outside the cluster.
    DomainNames,
}

/// One entry of a rule's protocols (v1alpha2) or ports (v1alpha1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TierPort {
    /// A protocol, with a port range (`None`: every port).
    Protocol(Protocol, Option<(u16, u16)>),
    /// A named container port of the destination pod.
    Named(String),
}

/// One rule of a tier policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TierRule {
    /// The rule's `name`, if any.
    pub name: Option<String>,
    pub action: Action,
    pub peers: Vec<TierPeer>,
    /// `None`: all traffic.
    pub ports: Option<Vec<TierPort>>,
    /// The rule's bytes.
    pub span: Span,
}

/// One cluster-wide policy, compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TierPolicy {
    /// `ClusterNetworkPolicy`, `AdminNetworkPolicy` or `BaselineAdminNetworkPolicy`.
    pub kind: &'static str,
    /// Whether the data plane implements this policy's API (a policy it does not is
    /// stored by the API server and enforced by nothing: it selects no endpoint).
    pub enforced: bool,
    pub name: String,
    pub tier: Tier,
    pub priority: i64,
    pub subject: PodSet,
    /// Rules per direction: `[ingress, egress]`.
    pub rules: [Vec<TierRule>; 2],
    pub source: SourceId,
    pub span: Span,
}

/// A Node object: labels and addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TierNode {
    pub labels: Labels,
    pub addresses: Vec<core::net::IpAddr>,
}

/// The compiled cluster-wide policies of one model, and which endpoints they select.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tiers {
    /// Every policy, in input order (indices are the model's).
    pub policies: Vec<TierPolicy>,
    pub nodes: Vec<TierNode>,
    /// Per endpoint, the policies whose subject selects it, by (tier, priority, index).
    pub selecting: Vec<Vec<u32>>,
}

impl Tiers {
    /// Whether no cluster-wide policy is enforced (the plain NetworkPolicy path).
    pub fn is_empty(&self) -> bool {
        !self.policies.iter().any(|p| p.enforced)
    }

    /// Selects every endpoint's policies.
    pub fn index(
        &mut self,
        endpoints: &[Endpoint<'_>],
        namespaces: &super::namespaces::Namespaces,
    ) {
        let mut order: Vec<u32> = (0..self.policies.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        crate::order::sort_by_key(&mut order, |&i| {
            self.policies
                .get(i as usize)
                .map(|p| (p.tier, p.priority, i))
        });
        self.selecting = endpoints
            .iter()
            .map(|e| {
                let Some(ns) = namespaces.by_id(e.namespace_id) else {
                    return Vec::new();
                };
                order
                    .iter()
                    .copied()
                    .filter(|&i| {
                        self.policies
                            .get(i as usize)
                            .is_some_and(|p| p.enforced && p.subject.contains(e, ns))
                    })
                    .collect()
            })
            .collect();
    }

    /// Every network the tiers name and every Node address (as a host network): the
    /// lines the matrix's address classes must respect.
    pub fn networks(&self) -> Vec<IpNet> {
        let mut out = Vec::new();
        for policy in &self.policies {
            for rule in policy.rules.iter().flatten() {
                for peer in &rule.peers {
                    if let TierPeer::Networks(nets) = peer {
                        out.extend(nets.iter().map(IpNet::trunc));
                    }
                }
            }
        }
        for node in &self.nodes {
            out.extend(node.addresses.iter().map(|a| IpNet::from(*a)));
        }
        crate::order::sort(&mut out);
        out.dedup();
        out
    }

    /// Every pod selector of a subject or a peer: the questions the matrix's endpoint
    /// classes must answer alike.
    pub fn pod_selectors(&self) -> Vec<&LabelSelector> {
        let mut out = Vec::new();
        for policy in &self.policies {
            out.extend(policy.subject.pods.as_ref());
            for rule in policy.rules.iter().flatten() {
                for peer in &rule.peers {
                    if let TierPeer::Pods(set) = peer {
                        out.extend(set.pods.as_ref());
                    }
                }
            }
        }
        out
    }

    /// Every named port the rules use.
    pub fn port_names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for policy in &self.policies {
            for rule in policy.rules.iter().flatten() {
                for entry in rule.ports.iter().flatten() {
                    if let TierPort::Named(name) = entry {
                        out.push(name.as_str());
                    }
                }
            }
        }
        out
    }

    /// The policy at `index`.
    pub fn policy(&self, index: u32) -> Option<&TierPolicy> {
        self.policies.get(index as usize)
    }
}

/// One line per cluster-wide policy of `model` that the data plane `cni` does not
/// implement (stored by the API server, enforced by nothing).
pub(crate) fn unenforced(model: &crate::model::Model, cni: crate::model::Cni) -> Vec<String> {
    model
        .cluster_policies
        .iter()
        .filter(|p| compile::implemented(cni, p.kind) == crate::model::Support::No)
        .map(|p| {
            alloc::format!(
                "{} `{}` is not enforced: `{}` does not implement {} (`cni` profile)",
                p.kind.as_str(),
                p.meta.name.value,
                cni.as_str(),
                p.kind.as_str()
            )
        })
        .collect()
}
