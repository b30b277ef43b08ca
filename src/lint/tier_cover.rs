//! Cluster-wide policy on the manifests: which rules decide before a given rule,
//! and whether one subject, peer or port entry contains another (sound: "covers" is
//! only answered when it holds for every cluster).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::lint::nets::same_family;
use crate::lint::walk::selects_superset;
use crate::model::{
    ClusterPolicy, ClusterSubject, Direction, LabelSelector, Model, Tier, TierAction, TierPeer,
    TierPort, TierRule,
};

/// A rule of `model.cluster_policies`: policy index, direction, rule index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleRef {
    /// Index into `model.cluster_policies`.
    pub policy: usize,
    /// The rule's direction.
    pub direction: Direction,
    /// Index into the policy's rules of that direction.
    pub index: usize,
}

/// `spec.ingress[1]`: the field path of a rule.
pub fn rule_path(direction: Direction, index: usize) -> String {
    format!("spec.{}[{index}]", direction.field())
}

/// `` ClusterNetworkPolicy `name` ``: a cluster-wide policy as messages name it.
pub fn policy_name(policy: &ClusterPolicy) -> String {
    format!("{} `{}`", policy.kind.as_str(), policy.meta.name.value)
}

/// `` `spec.ingress[1]` of ClusterNetworkPolicy `name` ``: a rule as messages name it.
pub fn rule_name(model: &Model, rule: RuleRef) -> String {
    let path = rule_path(rule.direction, rule.index);
    match model.cluster_policies.get(rule.policy) {
        Some(policy) => format!("`{path}` of {}", policy_name(policy)),
        None => format!("`{path}`"),
    }
}

/// The rule `rule` refers to.
pub fn resolve(model: &Model, rule: RuleRef) -> Option<(&ClusterPolicy, &TierRule)> {
    let policy = model.cluster_policies.get(rule.policy)?;
    Some((policy, policy.rules(rule.direction).get(rule.index)?))
}

/// The rules that are evaluated before `rule` for every pod its policy selects: the
/// earlier rules of its policy, then the rules of the same direction of every policy
/// of the same tier with a lower (earlier) priority whose subject contains its
/// subject. Policies of equal priority are left out (their order is undefined).
pub fn earlier_rules(model: &Model, rule: RuleRef) -> Vec<RuleRef> {
    let Some(own) = model.cluster_policies.get(rule.policy) else {
        return Vec::new();
    };
    let mut out: Vec<RuleRef> = (0..rule.index)
        .map(|index| RuleRef { index, ..rule })
        .collect();
    for (policy, other) in model.cluster_policies.iter().enumerate() {
        if other.tier.value == own.tier.value
            && other.priority.value < own.priority.value
            && subject_covers(&other.subject, &own.subject)
        {
            out.extend((0..other.rules(rule.direction).len()).map(|index| RuleRef {
                policy,
                direction: rule.direction,
                index,
            }));
        }
    }
    out
}

/// The Admin-tier rules of `direction` whose policy's subject contains `subject`:
/// they are evaluated before any Baseline-tier rule for those pods.
pub fn admin_rules_over(
    model: &Model,
    subject: &ClusterSubject,
    direction: Direction,
) -> Vec<RuleRef> {
    let mut out = Vec::new();
    for (policy, other) in model.cluster_policies.iter().enumerate() {
        if other.tier.value == Tier::Admin && subject_covers(&other.subject, subject) {
            out.extend((0..other.rules(direction).len()).map(|index| RuleRef {
                policy,
                direction,
                index,
            }));
        }
    }
    out
}

/// Whether every pod `narrow` selects is selected by `broad`.
pub fn subject_covers(broad: &ClusterSubject, narrow: &ClusterSubject) -> bool {
    let (bn, bp) = subject_parts(broad);
    let (nn, np) = subject_parts(narrow);
    pods_cover(bn, bp, nn, np)
}

/// A subject's namespace selector and pod selector (`None`: every pod).
fn subject_parts(subject: &ClusterSubject) -> (&LabelSelector, Option<&LabelSelector>) {
    match subject {
        ClusterSubject::Namespaces { selector, .. } => (selector, None),
        ClusterSubject::Pods {
            namespaces, pods, ..
        } => (namespaces, Some(pods)),
    }
}

/// Whether the pods of `(bn, bp)` contain those of `(nn, np)`.
fn pods_cover(
    bn: &LabelSelector,
    bp: Option<&LabelSelector>,
    nn: &LabelSelector,
    np: Option<&LabelSelector>,
) -> bool {
    let pods_ok = match (bp, np) {
        (None, _) => true,
        (Some(b), None) => b.is_empty(),
        (Some(b), Some(n)) => selects_superset(b, n),
    };
    pods_ok && selects_superset(bn, nn)
}

/// Whether a network list holds `0.0.0.0/0` and `::/0`: every address, pods, nodes
/// and the outside world alike.
fn every_address(cidrs: &[crate::model::Spanned<ipnet::IpNet>]) -> bool {
    let zero = |v4: bool| {
        cidrs
            .iter()
            .any(|c| c.value.prefix_len() == 0 && matches!(c.value, ipnet::IpNet::V4(_)) == v4)
    };
    zero(true) && zero(false)
}

/// Whether every connection end `narrow` matches, `broad` matches.
pub fn peer_covers(broad: &TierPeer, narrow: &TierPeer) -> bool {
    match (broad, narrow) {
        (TierPeer::Networks { cidrs, .. }, _) if every_address(cidrs) => true,
        (TierPeer::Namespaces { selector: b, .. }, TierPeer::Namespaces { selector: n, .. }) => {
            selects_superset(b, n)
        }
        (TierPeer::Namespaces { selector: b, .. }, TierPeer::Pods { namespaces: n, .. }) => {
            selects_superset(b, n)
        }
        (
            TierPeer::Pods {
                namespaces: bn,
                pods: bp,
                ..
            },
            TierPeer::Pods {
                namespaces: nn,
                pods: np,
                ..
            },
        ) => pods_cover(bn, Some(bp), nn, Some(np)),
        (
            TierPeer::Pods {
                namespaces: bn,
                pods: bp,
                ..
            },
            TierPeer::Namespaces { selector: n, .. },
        ) => pods_cover(bn, Some(bp), n, None),
        (TierPeer::Networks { cidrs: b, .. }, TierPeer::Networks { cidrs: n, .. }) => {
            n.iter().all(|n| {
                b.iter().any(|b| {
                    same_family(&b.value, &n.value) && b.value.trunc().contains(&n.value.trunc())
                })
            })
        }
        (TierPeer::Nodes { selector: b, .. }, TierPeer::Nodes { selector: n, .. }) => {
            selects_superset(b, n)
        }
        (TierPeer::DomainNames { names: b, .. }, TierPeer::DomainNames { names: n, .. }) => n
            .iter()
            .all(|n| b.iter().any(|b| same_domain(&b.value, &n.value))),
        _ => false,
    }
}

/// Whether two domain names are the same (case and a trailing dot aside).
fn same_domain(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// Whether the peer matches every pod of the cluster (`namespaces: {}`, `pods` with
/// two empty selectors, or both `/0` networks).
pub fn matches_every_pod(peer: &TierPeer) -> bool {
    match peer {
        TierPeer::Namespaces { selector, .. } => selector.is_empty(),
        TierPeer::Pods {
            namespaces, pods, ..
        } => namespaces.is_empty() && pods.is_empty(),
        TierPeer::Networks { cidrs, .. } => every_address(cidrs),
        TierPeer::Nodes { .. } | TierPeer::DomainNames { .. } => false,
    }
}

/// Whether every connection `narrow` matches (`None`: all traffic), `broad` matches.
pub fn port_covers(broad: Option<&TierPort>, narrow: Option<&TierPort>) -> bool {
    match (broad, narrow) {
        (None, _) => true,
        (Some(_), None) => false,
        (
            Some(TierPort::Protocol {
                protocol: bp,
                ports: b,
                ..
            }),
            Some(TierPort::Protocol {
                protocol: np,
                ports: n,
                ..
            }),
        ) => {
            bp == np
                && match (b, n) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some(b), Some(n)) => {
                        b.value.start <= n.value.start && n.value.end <= b.value.end
                    }
                }
        }
        (Some(TierPort::Named { name: b, .. }), Some(TierPort::Named { name: n, .. })) => {
            b.value == n.value
        }
        _ => false,
    }
}

/// The port entries of a rule, `None` standing for "all traffic" when it has none.
pub fn port_entries(rule: &TierRule) -> Vec<Option<&TierPort>> {
    match &rule.ports {
        None => alloc::vec![None],
        Some(list) => list.value.iter().map(Some).collect(),
    }
}

/// Whether the traffic of `peer` on `port` is matched by `rule`.
pub fn rule_matches_part(rule: &TierRule, peer: &TierPeer, port: Option<&TierPort>) -> bool {
    rule.peers.iter().any(|b| peer_covers(b, peer))
        && port_entries(rule).into_iter().any(|b| port_covers(b, port))
}

/// The namespaces for which `policy` is a Baseline-tier default deny of `direction`:
/// its subject takes every pod of the namespaces its selector matches, and its Deny
/// rules without ports take every pod and, for egress, every IPv4 and IPv6 address
/// (`0.0.0.0/0` and `::/0`), as a NetworkPolicy default deny does. `None` when it is
/// not such a policy.
pub fn baseline_default_deny(
    policy: &ClusterPolicy,
    direction: Direction,
) -> Option<&LabelSelector> {
    let namespaces = match &policy.subject {
        ClusterSubject::Namespaces { selector, .. } => selector,
        ClusterSubject::Pods {
            namespaces, pods, ..
        } => Some(namespaces).filter(|_| pods.is_empty())?,
    };
    let deny_all: Vec<&TierRule> = policy
        .rules(direction)
        .iter()
        .filter(|rule| rule.action.value == TierAction::Deny && rule.ports.is_none())
        .collect();
    let every_network = |v4: bool| {
        deny_all.iter().any(|rule| {
            rule.peers.iter().any(|peer| match peer {
                TierPeer::Networks { cidrs, .. } => cidrs.iter().any(|c| {
                    c.value.prefix_len() == 0 && matches!(c.value, ipnet::IpNet::V4(_)) == v4
                }),
                _ => false,
            })
        })
    };
    let every_pod = deny_all
        .iter()
        .any(|rule| rule.peers.iter().any(matches_every_pod));
    let outside = direction == Direction::Ingress || (every_network(true) && every_network(false));
    (policy.tier.value == Tier::Baseline && every_pod && outside).then_some(namespaces)
}
