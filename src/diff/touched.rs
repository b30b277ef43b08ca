//! What a change can touch: the policies that differ between the sides, and the
//! endpoint groups whose ingress or egress verdicts they (or changed endpoints) can
//! alter.
//!
//! A verdict from S to D depends only on S, D, the policies selecting S for egress
//! and those selecting D for ingress. So if a policy changed (added, removed, or a
//! different selector, policyTypes or rules), only the endpoints it selects on either
//! side can see their verdicts change, in the directions it applies to on that side;
//! and an endpoint whose own description changed sees all of its verdicts change.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::universe::Universe;
use crate::engine::cidr::{block_key, BlockKey};
use crate::engine::Engine;
use crate::model::{
    CanonicalTerms, Direction, LabelSelector, NetworkPolicy, Peer, PortEntry, PortValue, Protocol,
    Rule,
};

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

/// Per `(namespace, name)`, the indices of the policies of each side.
fn policies_by_name<'m>(
    engines: [&Engine<'m>; 2],
) -> BTreeMap<(&'m str, &'m str), [Vec<usize>; 2]> {
    let mut map: BTreeMap<(&str, &str), [Vec<usize>; 2]> = BTreeMap::new();
    for (side, engine) in engines.iter().enumerate() {
        for (i, policy) in engine.model().policies.iter().enumerate() {
            let key = (
                policy.meta.namespace_name(),
                policy.meta.name.value.as_str(),
            );
            if let Some(list) = map.entry(key).or_default().get_mut(side) {
                list.push(i);
            }
        }
    }
    map
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
