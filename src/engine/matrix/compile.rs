//! Peer keys and compiled rules: which peer keys each effective rule matches, and
//! its ports.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::{key_slot, Compiled, Work};
use crate::engine::bitset::Bitset;
use crate::engine::classes::{selector_key, SelectorKey};
use crate::engine::endpoints::Family;
use crate::engine::intern::{ALL, NONE};
use crate::engine::ports::{PortSet, ProtocolPorts};
use crate::interval::fam_index;
use crate::model::{Direction, PortEntry, PortValue, Protocol, Rule, Support};
use crate::sorted::SortedMap;

impl Work<'_, '_> {
    /// Number of endpoint classes (pods and workloads).
    pub(super) fn pod_classes(&self) -> usize {
        self.classes.len()
    }

    /// Assigns peer keys.
    pub(super) fn number_keys(&mut self) {
        let mut next = 0u32;
        let mut take = |class: usize, key_class: &mut Vec<u32>| {
            key_class.push(u32::try_from(class).unwrap_or(u32::MAX));
            next += 1;
            next - 1
        };
        for c in 0..self.pod_classes() {
            let none = take(c, &mut self.key_class);
            let v4 = if self.classes.has_family(c, Family::V4) {
                take(c, &mut self.key_class)
            } else {
                none
            };
            let v6 = if self.classes.has_family(c, Family::V6) {
                take(c, &mut self.key_class)
            } else {
                none
            };
            self.keys.push([none, v4, v6]);
        }
        for e in 0..self.externals.len() {
            let k = take(self.pod_classes() + e, &mut self.key_class);
            self.keys.push([k, k, k]);
        }
    }

    /// The family of external class `class` (a class index, past the pod classes).
    pub(super) fn external_family(&self, class: usize) -> Option<Family> {
        let e = class.checked_sub(self.pod_classes())?;
        let a = *self.externals.get(e)?;
        self.space.classes.get(a as usize).map(|c| c.family)
    }

    /// Compiles every effective rule.
    pub(super) fn compile_rules(&mut self) {
        let key_count = self.key_class.len();
        let mut selector_classes: Vec<Vec<u32>> = vec![Vec::new(); self.classes.selectors.len()];
        for (c, matched) in self.classes.matched.iter().enumerate() {
            for &s in matched {
                if let Some(list) = selector_classes.get_mut(s as usize) {
                    list.push(u32::try_from(c).unwrap_or(u32::MAX));
                }
            }
        }
        let mut ns_memo: SortedMap<SelectorKey, Vec<bool>> = SortedMap::default();
        let engine = self.engine;
        let mut rule_ranges = Vec::new();
        for (p, policy) in engine.model.policies.iter().enumerate() {
            let policy_ns = engine
                .namespaces
                .id(policy.meta.namespace_name())
                .unwrap_or(u32::MAX);
            for direction in Direction::BOTH {
                if !policy.applies_to(direction) {
                    continue;
                }
                let start = self.rules.len();
                for rule in policy.rules(direction) {
                    let matches = self.rule_matches(
                        rule,
                        policy_ns,
                        key_count,
                        &selector_classes,
                        &mut ns_memo,
                    );
                    let (numeric, named) = self.rule_ports(rule);
                    self.rules.push(Compiled {
                        matches,
                        numeric,
                        named,
                    });
                }
                rule_ranges.push(((p as u32, direction.index()), start..self.rules.len()));
            }
        }
        self.rule_ranges = SortedMap::from_pairs(rule_ranges);
    }

    /// The peer keys `rule` matches.
    fn rule_matches(
        &self,
        rule: &Rule,
        policy_ns: u32,
        key_count: usize,
        selector_classes: &[Vec<u32>],
        ns_memo: &mut SortedMap<SelectorKey, Vec<bool>>,
    ) -> Bitset {
        let mut bits = Bitset::new(key_count);
        let peers = rule.peer_list();
        if peers.is_empty() {
            bits.fill(key_count);
            return bits;
        }
        for peer in peers {
            match peer {
                crate::model::Peer::Selectors {
                    pods, namespaces, ..
                } => {
                    let ns_ok = self.namespace_filter(namespaces.as_ref(), policy_ns, ns_memo);
                    let candidates: Vec<u32> = match pods {
                        Some(sel) => self
                            .classes
                            .selectors
                            .get(&selector_key(sel))
                            .and_then(|&s| selector_classes.get(s as usize))
                            .cloned()
                            .unwrap_or_default(),
                        None => (0..self.pod_classes()).map(|c| c as u32).collect(),
                    };
                    for c in candidates {
                        let ns = self.classes.ns.get(c as usize).copied().unwrap_or(u32::MAX);
                        if ns_ok.get(ns as usize).copied().unwrap_or(false) {
                            for &k in self.keys.get(c as usize).into_iter().flatten() {
                                bits.set(k as usize);
                            }
                        }
                    }
                }
                crate::model::Peer::IpBlock(block) => {
                    if let Some(b) = self.space.block_id(block) {
                        self.set_block_keys(b, &mut bits);
                    }
                }
            }
        }
        bits
    }

    /// Which namespaces a peer's namespace side allows: the policy's own without a
    /// namespaceSelector, else the matching ones.
    fn namespace_filter(
        &self,
        selector: Option<&crate::model::LabelSelector>,
        policy_ns: u32,
        memo: &mut SortedMap<SelectorKey, Vec<bool>>,
    ) -> Vec<bool> {
        let all = self.engine.namespaces.all();
        match selector {
            None => (0..all.len()).map(|i| i as u32 == policy_ns).collect(),
            Some(sel) => {
                // Few distinct namespace selectors: the memo stays small.
                let key = selector_key(sel);
                if let Some(known) = memo.get(&key) {
                    return known.clone();
                }
                let allowed: Vec<bool> = all.iter().map(|ns| sel.matches(&ns.labels)).collect();
                memo.insert(key, allowed.clone());
                allowed
            }
        }
    }

    /// Sets the keys whose address lies in block `b` (pods only where the data plane
    /// matches pod addresses by CIDR).
    fn set_block_keys(&self, b: u32, bits: &mut Bitset) {
        let pods_seen = self.engine.cni.ip_block_matches_pods() != Support::No;
        for (c, addrs) in self.classes.addrs.iter().enumerate() {
            if !pods_seen {
                break;
            }
            for family in [Family::V4, Family::V6] {
                let hit = addrs
                    .get(fam_index(family))
                    .is_some_and(|list| list.iter().any(|&a| self.addr_in_block(a, b)));
                if hit {
                    if let Some(k) = self.keys.get(c).and_then(|k| k.get(key_slot(Some(family)))) {
                        bits.set(*k as usize);
                    }
                }
            }
        }
        for (e, &a) in self.externals.iter().enumerate() {
            if self.addr_in_block(a, b) {
                if let Some(k) = self.keys.get(self.pod_classes() + e) {
                    bits.set(k[0] as usize);
                }
            }
        }
    }

    /// Whether address class `a` lies in block `b`.
    fn addr_in_block(&self, a: u32, b: u32) -> bool {
        self.space
            .classes
            .get(a as usize)
            .is_some_and(|c| c.blocks.binary_search(&b).is_ok())
    }

    /// A rule's numeric ports (interned) and named entries.
    fn rule_ports(&mut self, rule: &Rule) -> (u32, Vec<(String, Protocol)>) {
        let entries = rule.port_list();
        if entries.is_empty() {
            return (ALL, Vec::new());
        }
        let mut numeric = ProtocolPorts::none();
        let mut named = Vec::new();
        let sctp = self.engine.cni.sctp() != Support::No;
        for entry in entries
            .iter()
            .filter(|e| sctp || e.protocol() != Protocol::Sctp)
        {
            match entry_numeric(entry) {
                Some(ports) => numeric = numeric.union(&ports),
                None => {
                    if let Some(PortValue::Name(n)) = entry.port.as_ref().map(|p| &p.value) {
                        named.push((n.clone(), entry.protocol()));
                    }
                }
            }
        }
        (self.table.intern(numeric), named)
    }

    /// A compiled rule's ports towards destination class `dest`.
    pub(super) fn ports_to(&mut self, rule: usize, dest: usize) -> u32 {
        let Some(compiled) = self.rules.get(rule) else {
            return NONE;
        };
        if compiled.named.is_empty() {
            return compiled.numeric;
        }
        let numeric = compiled.numeric;
        let mut extra = ProtocolPorts::none();
        if let Some(ep) = self
            .classes
            .rep
            .get(dest)
            .and_then(|id| self.engine.endpoint(*id))
        {
            for (name, protocol) in &compiled.named {
                let numbers = PortSet::from_ranges(
                    ep.ports
                        .iter()
                        .filter(|c| {
                            c.protocol == *protocol && c.name.as_deref() == Some(name.as_str())
                        })
                        .map(|c| (c.port, c.port)),
                );
                extra.add(*protocol, &numbers);
            }
        }
        let extra = self.table.intern(extra);
        self.table.union(numeric, extra)
    }
}

/// The ports of an entry that needs no destination (`None` for a named port).
fn entry_numeric(entry: &PortEntry) -> Option<ProtocolPorts> {
    let ports = match entry.port.as_ref().map(|p| &p.value) {
        None => PortSet::all(),
        Some(PortValue::Number(n)) => match &entry.end_port {
            Some(end) => PortSet::range(*n, end.value),
            None => PortSet::single(*n),
        },
        Some(PortValue::Name(_)) => return None,
    };
    Some(ProtocolPorts::only(entry.protocol(), ports))
}
