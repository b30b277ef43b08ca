//! The model's cluster-wide policies and Nodes, compiled for evaluation.

use alloc::vec::Vec;

use super::{PodSet, TierNode, TierPeer, TierPolicy, TierPort, TierRule, Tiers};
use crate::model::{self, ClusterPolicyKind, ClusterSubject, Cni, Model, Support};

fn peer(peer: &model::TierPeer) -> TierPeer {
    match peer {
        model::TierPeer::Namespaces { selector, .. } => TierPeer::Pods(PodSet {
            namespaces: selector.clone(),
            pods: None,
        }),
        model::TierPeer::Pods {
            namespaces, pods, ..
        } => TierPeer::Pods(PodSet {
            namespaces: namespaces.clone(),
            pods: Some(pods.clone()),
        }),
        model::TierPeer::Networks { cidrs, .. } => {
            TierPeer::Networks(cidrs.iter().map(|c| c.value.trunc()).collect())
        }
        model::TierPeer::Nodes { selector, .. } => TierPeer::Nodes(selector.clone()),
        model::TierPeer::DomainNames { .. } => TierPeer::DomainNames,
    }
}

fn port(entry: &model::TierPort) -> TierPort {
    match entry {
        model::TierPort::Protocol {
            protocol, ports, ..
        } => TierPort::Protocol(
            *protocol,
            ports.as_ref().map(|r| (r.value.start, r.value.end)),
        ),
        model::TierPort::Named { name, .. } => TierPort::Named(name.value.clone()),
    }
}

fn rule(rule: &model::TierRule) -> TierRule {
    TierRule {
        name: rule.name.as_ref().map(|n| n.value.clone()),
        action: rule.action.value,
        peers: rule.peers.iter().map(peer).collect(),
        ports: rule
            .ports
            .as_ref()
            .map(|p| p.value.iter().map(port).collect()),
        span: rule.span,
    }
}

fn subject(subject: &ClusterSubject) -> PodSet {
    match subject {
        ClusterSubject::Namespaces { selector, .. } => PodSet {
            namespaces: selector.clone(),
            pods: None,
        },
        ClusterSubject::Pods {
            namespaces, pods, ..
        } => PodSet {
            namespaces: namespaces.clone(),
            pods: Some(pods.clone()),
        },
    }
}

impl Tiers {
    /// Compiles `model.cluster_policies` and `model.nodes` (selection comes with
    /// [`Tiers::index`]).
    pub fn compile(model: &Model, cni: Cni) -> Tiers {
        let policies = model
            .cluster_policies
            .iter()
            .map(|p| TierPolicy {
                kind: p.kind.as_str(),
                enforced: implemented(cni, p.kind) != Support::No,
                name: p.meta.name.value.clone(),
                tier: p.tier.value,
                priority: i64::from(p.priority.value),
                subject: subject(&p.subject),
                rules: [
                    p.ingress.iter().map(rule).collect(),
                    p.egress.iter().map(rule).collect(),
                ],
                source: p.meta.source,
                span: p.meta.span,
            })
            .collect();
        let nodes = model
            .nodes
            .iter()
            .map(|n| TierNode {
                labels: n.meta.labels.clone(),
                addresses: n.addresses.iter().map(|a| a.address).collect(),
            })
            .collect();
        Tiers {
            policies,
            nodes,
            selecting: Vec::new(),
        }
    }
}

/// Whether the data plane `cni` implements the API of `kind`.
pub(crate) fn implemented(cni: Cni, kind: ClusterPolicyKind) -> Support {
    match kind {
        ClusterPolicyKind::ClusterNetworkPolicy => cni.cluster_network_policy(),
        ClusterPolicyKind::AdminNetworkPolicy | ClusterPolicyKind::BaselineAdminNetworkPolicy => {
            cni.admin_network_policy()
        }
    }
}
