//! Endpoint classes: endpoints no policy can tell apart, and the peer keys the
//! matrix works on.
//!
//! Two endpoints share a class when they live in the same namespace, are selected by
//! the same policies in each direction, answer every peer podSelector the same way,
//! declare the same named ports (among the names rules use), have IPs in the same
//! address classes and are alike host-networked or not (the cluster-wide tiers' subject
//! and peer selectors count as peer selectors). Grouping happens in two steps: first by exact labels (cheap),
//! then by the answers to the selectors, evaluated once per label group through an
//! index of `key=value` terms.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::cidr::AddressSpace;
use super::endpoints::{EndpointId, Family};
use super::Engine;
use crate::first_seen::first_seen_ids;
use crate::interval::fam_index;
use crate::model::{Direction, LabelSelector, Labels, Operator, Peer, PortValue, Protocol};
use crate::sorted::{SortedMap, SortedSet};

/// A selector as a comparable value (spans dropped, terms sorted).
pub(crate) type SelectorKey = (Vec<(String, String)>, Vec<(String, Operator, Vec<String>)>);

/// The canonical form of `selector` ([`LabelSelector::canonical_terms`], owned).
pub(crate) fn selector_key(selector: &LabelSelector) -> SelectorKey {
    let (labels, expressions) = selector.canonical_terms();
    let labels = labels
        .into_iter()
        .map(|(k, v)| (String::from(k), String::from(v)))
        .collect();
    let expressions = expressions
        .into_iter()
        .map(|(k, op, values)| {
            let values = values.into_iter().map(String::from).collect();
            (String::from(k), op, values)
        })
        .collect();
    (labels, expressions)
}

/// A named container port that some rule refers to: name, protocol, number.
type NamedPort = (String, Protocol, u16);

/// The endpoint classes of one engine.
#[derive(Clone, Debug, Default)]
pub(crate) struct Classes {
    /// Per engine endpoint, its class.
    pub class_of: Vec<u32>,
    /// Per class, one member.
    pub rep: Vec<EndpointId>,
    /// Per class, its namespace id.
    pub ns: Vec<u32>,
    /// Per class, its address classes per family.
    pub addrs: Vec<[Vec<u32>; 2]>,
    /// Per class, the pod selectors (ids into `selectors`) it satisfies, ascending.
    pub matched: Vec<Vec<u32>>,
    /// Every distinct peer pod selector.
    pub selectors: SortedMap<SelectorKey, u32>,
}

impl Classes {
    /// Groups the engine's endpoints.
    pub fn build(engine: &Engine<'_>, space: &AddressSpace) -> Classes {
        let names = rule_port_names(engine);
        let selectors = peer_selectors(engine);
        // Step 1: exact labels.
        let empty_sel: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
        let raw_keys: Vec<RawKey<'_>> = engine
            .endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let ports = named_ports(e.ports, &names);
                let addrs = address_classes(e.ips, space);
                let sel = engine.selection.get(i).unwrap_or(&empty_sel);
                (e.namespace_id, e.labels, ports, addrs, sel, e.host_network)
            })
            .collect();
        let (raw_of, raw_rep) = first_seen_ids(&raw_keys);
        // Step 2: the selectors' answers per raw group.
        let raw_labels: Vec<&Labels> = raw_rep
            .iter()
            .filter_map(|&i| engine.endpoints.get(i).map(|e| e.labels))
            .collect();
        let raw_matched = match_selectors(&selectors, &raw_labels);
        let final_keys: Vec<FinalKey<'_>> = raw_rep
            .iter()
            .zip(&raw_matched)
            .filter_map(|(&i, matched)| {
                let key = raw_keys.get(i)?;
                Some((key.0, matched.as_slice(), (&key.2, &key.3, key.4, key.5)))
            })
            .collect();
        let (raw_to_final, final_rep) = first_seen_ids(&final_keys);
        let mut classes = Classes {
            selectors,
            ..Classes::default()
        };
        for &raw in &final_rep {
            let rep = raw_rep.get(raw).copied().unwrap_or(0);
            let Some(key) = final_keys.get(raw) else {
                continue;
            };
            classes.rep.push(EndpointId::from_index(rep));
            classes.ns.push(key.0);
            classes.addrs.push(key.2 .1.clone());
            classes.matched.push(key.1.to_vec());
        }
        classes.class_of = raw_of
            .iter()
            .map(|&r| raw_to_final.get(r as usize).copied().unwrap_or(0))
            .collect();
        classes
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.rep.len()
    }

    /// Whether the class has an address of `family`.
    pub fn has_family(&self, class: usize, family: Family) -> bool {
        self.addrs
            .get(class)
            .and_then(|a| a.get(fam_index(family)))
            .is_some_and(|v| !v.is_empty())
    }
}

/// The rest of a raw key that the final key keeps: ports, addresses, selection,
/// `hostNetwork` (which the cluster-wide tiers tell apart).
type RawKeyRest<'a> = (
    &'a Vec<NamedPort>,
    &'a [Vec<u32>; 2],
    &'a [Vec<u32>; 2],
    bool,
);

/// What tells endpoints apart before the selectors are asked: namespace, labels,
/// named ports, address classes, selection, `hostNetwork`.
type RawKey<'a> = (
    u32,
    &'a Labels,
    Vec<NamedPort>,
    [Vec<u32>; 2],
    &'a [Vec<u32>; 2],
    bool,
);

/// What tells classes apart: namespace, the selectors matched, and the rest of the
/// raw key.
type FinalKey<'a> = (u32, &'a [u32], RawKeyRest<'a>);

/// The port names used by effective rules.
fn rule_port_names(engine: &Engine<'_>) -> SortedSet<String> {
    let mut names = Vec::new();
    for policy in &engine.model.policies {
        for direction in Direction::BOTH {
            if !policy.applies_to(direction) {
                continue;
            }
            for rule in policy.rules(direction) {
                for entry in rule.port_list() {
                    if let Some(PortValue::Name(n)) = entry.port.as_ref().map(|p| &p.value) {
                        names.push(n.clone());
                    }
                }
            }
        }
    }
    names.extend(engine.tiers.port_names().into_iter().map(String::from));
    SortedSet::from_items(names)
}

/// The distinct podSelectors of effective rules' peers.
fn peer_selectors(engine: &Engine<'_>) -> SortedMap<SelectorKey, u32> {
    let mut keys = Vec::new();
    for policy in &engine.model.policies {
        for direction in Direction::BOTH {
            if !policy.applies_to(direction) {
                continue;
            }
            for rule in policy.rules(direction) {
                for peer in rule.peer_list() {
                    if let Peer::Selectors {
                        pods: Some(sel), ..
                    } = peer
                    {
                        keys.push(selector_key(sel));
                    }
                }
            }
        }
    }
    keys.extend(engine.tiers.pod_selectors().into_iter().map(selector_key));
    SortedMap::numbered(keys)
}

/// The endpoint's container ports whose names rules use, sorted.
fn named_ports(ports: &[crate::model::ContainerPort], names: &SortedSet<String>) -> Vec<NamedPort> {
    let mut out: Vec<NamedPort> = ports
        .iter()
        .filter_map(|c| {
            let name = c.name.as_ref()?;
            names
                .contains(name)
                .then(|| (name.clone(), c.protocol, c.port))
        })
        .collect();
    crate::order::sort(&mut out);
    out.dedup();
    out
}

/// The address classes of `ips`, per family, sorted.
fn address_classes(ips: &[core::net::IpAddr], space: &AddressSpace) -> [Vec<u32>; 2] {
    let mut out = [Vec::new(), Vec::new()];
    for ip in ips {
        if let Some(list) = out.get_mut(fam_index(Family::of(ip))) {
            list.push(space.class_of(ip));
        }
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    out
}

/// Whether `labels` satisfy a canonical selector.
pub(crate) fn key_matches(key: &SelectorKey, labels: &Labels) -> bool {
    key.0.iter().all(|(k, v)| labels.get(k) == Some(v.as_str()))
        && key.1.iter().all(|(k, op, values)| {
            let value = labels.get(k);
            let in_values = |v: &str| values.iter().any(|x| x == v);
            match op {
                Operator::In => value.is_some_and(in_values),
                Operator::NotIn => !value.is_some_and(in_values),
                Operator::Exists => value.is_some(),
                Operator::DoesNotExist => value.is_none(),
            }
        })
}

/// For each label set, the selectors it satisfies (ascending ids). Selectors with a
/// `matchLabels` term are only tried on label sets carrying their first term.
fn match_selectors(selectors: &SortedMap<SelectorKey, u32>, labels: &[&Labels]) -> Vec<Vec<u32>> {
    let by_term = SortedMap::grouped(selectors.iter().filter_map(|(key, &id)| {
        let (k, v) = key.0.first()?;
        Some(((k.as_str(), v.as_str()), (key, id)))
    }));
    let others: Vec<(&SelectorKey, u32)> = selectors
        .iter()
        .filter(|(key, _)| key.0.is_empty())
        .map(|(key, &id)| (key, id))
        .collect();
    let mut out = vec![Vec::new(); labels.len()];
    for (set, found) in labels.iter().zip(out.iter_mut()) {
        for (k, v) in set.iter() {
            if let Some(candidates) = by_term.get(&(k, v)) {
                found.extend(
                    candidates
                        .iter()
                        .filter(|(s, _)| key_matches(s, set))
                        .map(|(_, id)| *id),
                );
            }
        }
        found.extend(
            others
                .iter()
                .filter(|(s, _)| key_matches(s, set))
                .map(|(_, id)| *id),
        );
        found.sort_unstable();
        found.dedup();
    }
    out
}
