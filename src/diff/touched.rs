//! What a change can touch: the policies that differ between the sides, and the
//! endpoint groups whose ingress or egress verdicts they (or changed endpoints) can
//! alter.
//!
//! A verdict from S to D depends only on S, D, the policies selecting S for egress
//! and those selecting D for ingress. So if a policy changed (added, removed, or a
//! different selector, policyTypes or rules), only the endpoints it selects on either
//! side can see their verdicts change, in the directions it applies to on that side;
//! and an endpoint whose own description changed sees all of its verdicts change.
//! A cluster-wide policy that changed touches every endpoint its subject selects, in
//! both directions; a change to the Nodes touches every endpoint.

use alloc::vec::Vec;

use super::universe::Universe;
use crate::engine::cidr::{block_key, BlockKey};
use crate::engine::Engine;
use crate::model::{
    CanonicalTerms, ClusterPolicy, ClusterSubject, Direction, LabelSelector, NetworkPolicy, Peer,
    PortEntry, PortValue, Protocol, Rule, Tier, TierAction, TierPeer, TierPort,
};
use crate::sorted::SortedMap;

/// The groups whose verdicts must be recomputed.
#[derive(Clone, Debug, Default)]
pub(crate) struct Touched {
    /// Groups whose ingress may differ (their column of the matrix).
    pub ingress: Vec<bool>,
    /// Groups whose egress may differ (their row).
    pub egress: Vec<bool>,
    /// How many policies differ (counting a renamed one twice).
    pub changed_policies: usize,
}

impl Touched {
    /// How many groups are touched in some direction.
    pub fn count(&self) -> usize {
        self.ingress
            .iter()
            .zip(&self.egress)
            .filter(|(i, e)| **i || **e)
            .count()
    }
}

/// Finds the changed policies and the groups they touch.
pub(crate) fn touched(engines: [&Engine<'_>; 2], universe: &Universe) -> Touched {
    let groups = universe.groups.len();
    let mut touched = Touched {
        ingress: alloc::vec![false; groups],
        egress: alloc::vec![false; groups],
        changed_policies: 0,
    };
    for i in 0..universe.external_from {
        if universe.changed(i) {
            touched.mark(universe, i, Direction::Ingress);
            touched.mark(universe, i, Direction::Egress);
        }
    }
    touched.mark_tiers(engines, universe);
    let by_name = policies_by_name(engines);
    for versions in by_name.values() {
        let [base, head] = versions;
        if same_policies(engines, base, head) {
            continue;
        }
        for (side, (engine, list)) in engines.iter().zip([base, head]).enumerate() {
            touched.changed_policies += list.len();
            for &policy in list {
                touched.mark_selected(universe, side, engine, policy);
            }
        }
    }
    touched
}

impl Touched {
    /// Marks the group of endpoint `i` for `direction`.
    fn mark(&mut self, universe: &Universe, i: usize, direction: Direction) {
        let Some(&group) = universe.group_of.get(i) else {
            return;
        };
        let flags = match direction {
            Direction::Ingress => &mut self.ingress,
            Direction::Egress => &mut self.egress,
        };
        if let Some(flag) = flags.get_mut(group) {
            *flag = true;
        }
    }

    /// Marks what `policy` of `side` selects, in the directions it applies to.
    fn mark_selected(
        &mut self,
        universe: &Universe,
        side: usize,
        engine: &Engine<'_>,
        policy: usize,
    ) {
        let Some(p) = engine.model().policies.get(policy) else {
            return;
        };
        let Some(to_diff) = universe.to_diff.get(side) else {
            return;
        };
        for direction in Direction::BOTH {
            if !p.applies_to(direction) {
                continue;
            }
            for id in engine.selected_endpoints(policy) {
                if let Some(&i) = to_diff.get(id.index()) {
                    self.mark(universe, i, direction);
                }
            }
        }
    }
}

impl Touched {
    /// Marks what changed cluster-wide policies select, and everything when the Nodes
    /// changed.
    fn mark_tiers(&mut self, engines: [&Engine<'_>; 2], universe: &Universe) {
        let [base, head] = engines;
        if node_keys(base.model()) != node_keys(head.model()) {
            self.ingress.iter_mut().for_each(|f| *f = true);
            self.egress.iter_mut().for_each(|f| *f = true);
        }
        let by_name = by_side(engines.iter().enumerate().flat_map(|(side, engine)| {
            engine
                .model()
                .cluster_policies
                .iter()
                .enumerate()
                .map(move |(i, policy)| {
                    let key = (policy.kind.as_str(), policy.meta.name.value.as_str());
                    (key, (side, i))
                })
        }));
        for [b, h] in by_name.values() {
            if cluster_keys(base.model(), b) == cluster_keys(head.model(), h) {
                continue;
            }
            for (side, list) in [b, h].into_iter().enumerate() {
                let Some(engine) = engines.get(side) else {
                    continue;
                };
                let Some(to_diff) = universe.to_diff.get(side) else {
                    continue;
                };
                self.changed_policies += list.len();
                for &policy in list {
                    for id in engine.tier_selected(policy) {
                        if let Some(&i) = to_diff.get(id.index()) {
                            self.mark(universe, i, Direction::Ingress);
                            self.mark(universe, i, Direction::Egress);
                        }
                    }
                }
            }
        }
    }
}

/// The meanings of `model.cluster_policies[i]` for each `i` of `list`.
fn cluster_keys<'m>(model: &'m crate::model::Model, list: &[usize]) -> Vec<ClusterKey<'m>> {
    list.iter()
        .filter_map(|&i| model.cluster_policies.get(i))
        .map(cluster_key)
        .collect()
}

/// The Nodes as comparable values: labels and addresses, sorted.
fn node_keys(model: &crate::model::Model) -> Vec<(&crate::model::Labels, Vec<core::net::IpAddr>)> {
    let mut out: Vec<_> = model
        .nodes
        .iter()
        .map(|n| {
            let mut addresses: Vec<_> = n.addresses.iter().map(|a| a.address).collect();
            crate::order::sort(&mut addresses);
            (&n.meta.labels, addresses)
        })
        .collect();
    crate::order::sort(&mut out);
    out
}

/// A cluster-wide peer as a comparable value.
type ClusterPeerKey<'a> = (
    u8,
    Option<CanonicalTerms<'a>>,
    Option<CanonicalTerms<'a>>,
    Vec<ipnet::IpNet>,
    Vec<&'a str>,
);
/// A cluster-wide port entry as a comparable value.
type ClusterPortKey<'a> = (Option<Protocol>, Option<(u16, u16)>, Option<&'a str>);
/// A cluster-wide rule as a comparable value: action, peers, ports.
type ClusterRuleKey<'a> = (
    TierAction,
    Vec<ClusterPeerKey<'a>>,
    Option<Vec<ClusterPortKey<'a>>>,
);
/// What a cluster-wide policy means, without positions or rule names.
type ClusterKey<'a> = (Tier, u16, ClusterPeerKey<'a>, [Vec<ClusterRuleKey<'a>>; 2]);

fn cluster_key(policy: &ClusterPolicy) -> ClusterKey<'_> {
    let subject = match &policy.subject {
        ClusterSubject::Namespaces { selector, .. } => selectors_key(0, selector, None),
        ClusterSubject::Pods {
            namespaces, pods, ..
        } => selectors_key(1, namespaces, Some(pods)),
    };
    let rules = |direction| {
        policy
            .rules(direction)
            .iter()
            .map(|r| {
                (
                    r.action.value,
                    r.peers.iter().map(cluster_peer_key).collect(),
                    r.ports
                        .as_ref()
                        .map(|p| p.value.iter().map(cluster_port_key).collect()),
                )
            })
            .collect()
    };
    (
        policy.tier.value,
        policy.priority.value,
        subject,
        [rules(Direction::Ingress), rules(Direction::Egress)],
    )
}

fn cluster_peer_key(peer: &TierPeer) -> ClusterPeerKey<'_> {
    match peer {
        TierPeer::Namespaces { selector, .. } => selectors_key(0, selector, None),
        TierPeer::Pods {
            namespaces, pods, ..
        } => selectors_key(1, namespaces, Some(pods)),
        TierPeer::Networks { cidrs, .. } => (
            2,
            None,
            None,
            cidrs.iter().map(|c| c.value.trunc()).collect(),
            Vec::new(),
        ),
        TierPeer::Nodes { selector, .. } => selectors_key(3, selector, None),
        TierPeer::DomainNames { names, .. } => (
            4,
            None,
            None,
            Vec::new(),
            names.iter().map(|n| n.value.as_str()).collect(),
        ),
    }
}

/// A subject or peer made of selectors: its variant number `kind`, the first selector
/// and, for `pods`, the pod selector.
fn selectors_key<'a>(
    kind: u8,
    first: &'a LabelSelector,
    pods: Option<&'a LabelSelector>,
) -> ClusterPeerKey<'a> {
    (
        kind,
        Some(first.canonical_terms()),
        pods.map(LabelSelector::canonical_terms),
        Vec::new(),
        Vec::new(),
    )
}

fn cluster_port_key(entry: &TierPort) -> ClusterPortKey<'_> {
    match entry {
        TierPort::Protocol {
            protocol, ports, ..
        } => (
            Some(*protocol),
            ports.as_ref().map(|r| (r.value.start, r.value.end)),
            None,
        ),
        TierPort::Named { name, .. } => (None, None, Some(name.value.as_str())),
    }
}

/// Per `(namespace, name)`, the indices of the policies of each side.
fn policies_by_name<'m>(
    engines: [&Engine<'m>; 2],
) -> SortedMap<(&'m str, &'m str), [Vec<usize>; 2]> {
    by_side(engines.into_iter().enumerate().flat_map(|(side, engine)| {
        engine
            .model()
            .policies
            .iter()
            .enumerate()
            .map(move |(i, policy)| {
                let key = (
                    policy.meta.namespace_name(),
                    policy.meta.name.value.as_str(),
                );
                (key, (side, i))
            })
    }))
}

/// Per key, the indices of each side (`(key, (side, index))` pairs, each list in
/// the order of the pairs).
fn by_side<K: Ord>(
    pairs: impl IntoIterator<Item = (K, (usize, usize))>,
) -> SortedMap<K, [Vec<usize>; 2]> {
    SortedMap::grouped(pairs)
        .into_iter()
        .map(|(key, found)| {
            let mut sides: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
            for (side, i) in found {
                if let Some(list) = sides.get_mut(side) {
                    list.push(i);
                }
            }
            (key, sides)
        })
        .collect()
}

/// Whether the two lists of policies (one name, each side) mean the same.
fn same_policies(engines: [&Engine<'_>; 2], base: &[usize], head: &[usize]) -> bool {
    let [b, h] = engines;
    base.len() == head.len()
        && base.iter().zip(head).all(|(&x, &y)| {
            match (b.model().policies.get(x), h.model().policies.get(y)) {
                (Some(p), Some(q)) => policy_key(p) == policy_key(q),
                _ => false,
            }
        })
}

/// A peer as a comparable value.
type PeerKey<'a> = (
    Option<CanonicalTerms<'a>>,
    Option<CanonicalTerms<'a>>,
    Option<BlockKey>,
);
/// A port entry as a comparable value.
type PortKey<'a> = (Protocol, Option<&'a PortValue>, Option<u16>);
/// A rule as a comparable value.
type RuleKey<'a> = (Vec<PeerKey<'a>>, Vec<PortKey<'a>>);
/// What a policy means, without positions: selector and, per direction it applies
/// to, its rules.
type PolicyKey<'a> = (CanonicalTerms<'a>, [Option<Vec<RuleKey<'a>>>; 2]);

fn policy_key(policy: &NetworkPolicy) -> PolicyKey<'_> {
    let rules = |direction| {
        policy
            .applies_to(direction)
            .then(|| policy.rules(direction).iter().map(rule_key).collect())
    };
    (
        policy.pod_selector.canonical_terms(),
        [rules(Direction::Ingress), rules(Direction::Egress)],
    )
}

fn rule_key(rule: &Rule) -> RuleKey<'_> {
    (
        rule.peer_list().iter().map(peer_key).collect(),
        rule.port_list().iter().map(port_key).collect(),
    )
}

fn peer_key(peer: &Peer) -> PeerKey<'_> {
    match peer {
        Peer::Selectors {
            pods, namespaces, ..
        } => (
            pods.as_ref().map(LabelSelector::canonical_terms),
            namespaces.as_ref().map(LabelSelector::canonical_terms),
            None,
        ),
        Peer::IpBlock(block) => (None, None, Some(block_key(block))),
    }
}

fn port_key(entry: &PortEntry) -> PortKey<'_> {
    (
        entry.protocol(),
        entry.port.as_ref().map(|p| &p.value),
        entry.end_port.as_ref().map(|e| e.value),
    )
}
