//! All-pairs connectivity, computed per class pair.
//!
//! 1. Split the address space ([`AddressSpace`]) and group endpoints ([`Classes`]).
//! 2. Number *peer keys*: each class seen in each family it has an address of, plus
//!    once without address; each external address class once.
//! 3. Compile every effective rule to a bitset of the peer keys it matches and its
//!    port set ([`super::intern`] ids).
//! 4. Ingress: for every isolated class, scatter its rules into per-key lists of
//!    (destination class, ports).
//! 5. Per source class: its egress vector over peer keys, intersected with each
//!    destination's ingress from the source's key, per family.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use super::bitset::Bitset;
use super::cidr::{self, fam_index, AddressSpace};
use super::classes::{selector_key, Classes, SelectorKey};
use super::endpoints::{EndpointId, EndpointKind, Family};
use super::intern::{PortTable, ALL, NONE};
use super::ports::{PortSet, ProtocolPorts};
use super::{dir_index, Engine};
use crate::model::{Direction, PortEntry, PortValue, Protocol, Rule, WorkloadKind};

/// What an endpoint of the matrix is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatrixEndpointKind {
    /// A Pod.
    Pod,
    /// A workload standing for its pods.
    Workload(WorkloadKind),
    /// A class of addresses outside the cluster.
    External,
}

impl MatrixEndpointKind {
    /// `Pod`, the workload kind (`Deployment`...), or `External`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatrixEndpointKind::Pod => "Pod",
            MatrixEndpointKind::Workload(k) => k.as_str(),
            MatrixEndpointKind::External => "External",
        }
    }
}

/// One row/column of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixEndpoint {
    /// `ns/name`, `ns/kind/name`, or the display of an external class's ranges.
    pub id: String,
    /// What it is.
    pub kind: MatrixEndpointKind,
    /// The namespace (`None` for an external class).
    pub namespace: Option<String>,
    /// The object's name (`None` for an external class).
    pub name: Option<String>,
    /// A pod's IPs.
    pub ips: Vec<IpAddr>,
    /// An external class's exact content (pod IPs left out).
    pub cidrs: Vec<IpNet>,
    /// The engine endpoint (`None` for an external class).
    pub endpoint: Option<EndpointId>,
}

/// One allowed connection: endpoint indices and what is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connection<'a> {
    /// Index of the source in [`Matrix::endpoints`].
    pub from: usize,
    /// Index of the destination.
    pub to: usize,
    /// The allowed ports per protocol (never empty).
    pub allowed: &'a ProtocolPorts,
}

/// Allowed connections between every pair of endpoints. Endpoints are the engine's
/// (pods and workloads, sorted) followed by the external address classes (IPv4 then
/// IPv6, by address).
#[derive(Clone, Debug)]
pub struct Matrix {
    endpoints: Vec<MatrixEndpoint>,
    class_of: Vec<u32>,
    rows: Vec<Vec<(u32, u32)>>,
    sets: Vec<ProtocolPorts>,
    classes: usize,
    external_from: usize,
}

impl Matrix {
    /// Every endpoint: pods and workloads, then external classes.
    pub fn endpoints(&self) -> &[MatrixEndpoint] {
        &self.endpoints
    }

    /// The index of the endpoint with id `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.endpoints.iter().position(|e| e.id == id)
    }

    /// Whether endpoint `i` is an external address class.
    pub fn is_external(&self, i: usize) -> bool {
        i >= self.external_from
    }

    /// What is allowed from endpoint `from` to endpoint `to` (indices into
    /// [`Matrix::endpoints`]): all for the diagonal, nothing between two external
    /// classes or for an index out of range.
    pub fn allowed(&self, from: usize, to: usize) -> &ProtocolPorts {
        self.sets
            .get(self.allowed_id(from, to) as usize)
            .unwrap_or(&NOTHING)
    }

    /// The interned id of what is allowed.
    fn allowed_id(&self, from: usize, to: usize) -> u32 {
        if from >= self.endpoints.len() || to >= self.endpoints.len() {
            return NONE;
        }
        if from == to {
            return if self.is_external(from) { NONE } else { ALL };
        }
        if self.is_external(from) && self.is_external(to) {
            return NONE;
        }
        let (Some(&cf), Some(&ct)) = (self.class_of.get(from), self.class_of.get(to)) else {
            return NONE;
        };
        let Some(row) = self.rows.get(cf as usize) else {
            return NONE;
        };
        match row.binary_search_by_key(&ct, |&(c, _)| c) {
            Ok(i) => row.get(i).map_or(NONE, |&(_, id)| id),
            Err(_) => NONE,
        }
    }

    /// Every pair with something allowed, sorted by source then destination index
    /// (the diagonal included, external↔external pairs never).
    pub fn connections(&self) -> impl Iterator<Item = Connection<'_>> + '_ {
        let n = self.endpoints.len();
        (0..n).flat_map(move |from| {
            (0..n).filter_map(move |to| {
                let id = self.allowed_id(from, to);
                (id != NONE).then(|| Connection {
                    from,
                    to,
                    allowed: self.sets.get(id as usize).unwrap_or(&NOTHING),
                })
            })
        })
    }

    /// How many endpoint classes the computation worked on (pods and workloads no
    /// policy can tell apart share one; each external class is one).
    pub fn class_count(&self) -> usize {
        self.classes
    }
}

/// The empty set, for references that must not fail.
static NOTHING: ProtocolPorts = ProtocolPorts {
    tcp: PortSet::EMPTY,
    udp: PortSet::EMPTY,
    sctp: PortSet::EMPTY,
};

/// One effective rule, compiled.
struct Compiled {
    /// The peer keys it matches.
    matches: Bitset,
    /// Its ports without named ones (id), `ALL` for a rule without ports.
    numeric: u32,
    /// Its named port entries.
    named: Vec<(String, Protocol)>,
}

/// Everything the computation shares.
struct Work<'e, 'm> {
    engine: &'e Engine<'m>,
    space: AddressSpace,
    classes: Classes,
    /// External classes: their address class.
    externals: Vec<u32>,
    /// Per class (pods, then externals): keys for no family, IPv4, IPv6.
    keys: Vec<[u32; 3]>,
    /// Per key, its class.
    key_class: Vec<u32>,
    /// Compiled rules, and per (policy, direction) their range.
    rules: Vec<Compiled>,
    rule_ranges: BTreeMap<(u32, usize), core::ops::Range<usize>>,
    table: PortTable,
}

/// See [`Engine::matrix`].
pub(crate) fn compute(engine: &Engine<'_>) -> Matrix {
    let space = AddressSpace::build(engine.model);
    let classes = Classes::build(engine, &space);
    let pod_holes = pod_addresses(engine, &space);
    let externals: Vec<u32> = (0..space.classes.len())
        .filter(|&a| {
            space.classes.get(a).is_some_and(|c| {
                let holes = pod_holes.get(&(a as u32)).map_or(0, Vec::len) as u128;
                let size: u128 = c
                    .intervals
                    .iter()
                    .map(|(lo, hi)| (hi - lo).saturating_add(1))
                    .sum();
                size > holes || (size == 0 && holes == 0)
            })
        })
        .map(|a| a as u32)
        .collect();
    let mut work = Work {
        engine,
        space,
        classes,
        externals,
        keys: Vec::new(),
        key_class: Vec::new(),
        rules: Vec::new(),
        rule_ranges: BTreeMap::new(),
        table: PortTable::new(),
    };
    work.number_keys();
    work.compile_rules();
    let rows = work.rows();
    let endpoints = work.endpoints(&pod_holes);
    let pods = work.classes.class_of.len();
    let mut class_of = work.classes.class_of.clone();
    let first_external = work.classes.len();
    class_of.extend(
        (0..work.externals.len()).map(|e| u32::try_from(first_external + e).unwrap_or(u32::MAX)),
    );
    Matrix {
        endpoints,
        class_of,
        rows,
        classes: work.keys.len(),
        sets: work.table.into_sets(),
        external_from: pods,
    }
}

/// The pod IPs in each address class, sorted.
fn pod_addresses(engine: &Engine<'_>, space: &AddressSpace) -> BTreeMap<u32, Vec<u128>> {
    let mut out: BTreeMap<u32, Vec<u128>> = BTreeMap::new();
    for ip in engine.by_ip.keys() {
        out.entry(space.class_of(ip))
            .or_default()
            .push(cidr::addr_value(ip));
    }
    for list in out.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    out
}

/// The family index of `keys` arrays: 0 none, 1 IPv4, 2 IPv6.
fn key_slot(family: Option<Family>) -> usize {
    family.map_or(0, |f| fam_index(f) + 1)
}

impl Work<'_, '_> {
    /// Number of endpoint classes (pods and workloads).
    fn pod_classes(&self) -> usize {
        self.classes.len()
    }

    /// Assigns peer keys.
    fn number_keys(&mut self) {
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
    fn external_family(&self, class: usize) -> Option<Family> {
        let e = class.checked_sub(self.pod_classes())?;
        let a = *self.externals.get(e)?;
        self.space.classes.get(a as usize).map(|c| c.family)
    }

    /// Compiles every effective rule.
    fn compile_rules(&mut self) {
        let key_count = self.key_class.len();
        let mut selector_classes: Vec<Vec<u32>> = vec![Vec::new(); self.classes.selectors.len()];
        for (c, matched) in self.classes.matched.iter().enumerate() {
            for &s in matched {
                if let Some(list) = selector_classes.get_mut(s as usize) {
                    list.push(u32::try_from(c).unwrap_or(u32::MAX));
                }
            }
        }
        let mut ns_memo: BTreeMap<SelectorKey, Vec<bool>> = BTreeMap::new();
        let engine = self.engine;
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
                self.rule_ranges
                    .insert((p as u32, dir_index(direction)), start..self.rules.len());
            }
        }
    }

    /// The peer keys `rule` matches.
    fn rule_matches(
        &self,
        rule: &Rule,
        policy_ns: u32,
        key_count: usize,
        selector_classes: &[Vec<u32>],
        ns_memo: &mut BTreeMap<SelectorKey, Vec<bool>>,
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
        memo: &mut BTreeMap<SelectorKey, Vec<bool>>,
    ) -> Vec<bool> {
        let all = self.engine.namespaces.all();
        match selector {
            None => (0..all.len()).map(|i| i as u32 == policy_ns).collect(),
            Some(sel) => memo
                .entry(selector_key(sel))
                .or_insert_with(|| all.iter().map(|ns| sel.matches(&ns.labels)).collect())
                .clone(),
        }
    }

    /// Sets the keys whose address lies in block `b`.
    fn set_block_keys(&self, b: u32, bits: &mut Bitset) {
        for (c, addrs) in self.classes.addrs.iter().enumerate() {
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
        for entry in entries {
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
    fn ports_to(&mut self, rule: usize, dest: usize) -> u32 {
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

    /// The compiled rules of the policies selecting class `c` for `direction`
    /// (`None` when `c` is not isolated in that direction or is external).
    fn rules_of(&self, c: usize, direction: Direction) -> Option<Vec<usize>> {
        let rep = self.classes.rep.get(c)?;
        let policies = self.engine.policies_for(*rep, direction);
        if policies.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        for &p in policies {
            if let Some(range) = self.rule_ranges.get(&(p, dir_index(direction))) {
                out.extend(range.clone());
            }
        }
        Some(out)
    }

    /// The families a pair of classes is evaluated in (as `engine::eval::families`).
    fn pair_families(&self, s: usize, d: usize) -> ([Option<Family>; 2], usize) {
        let fams = |c: usize| -> [bool; 2] {
            match self.external_family(c) {
                Some(f) => [f == Family::V4, f == Family::V6],
                None => [
                    self.classes.has_family(c, Family::V4),
                    self.classes.has_family(c, Family::V6),
                ],
            }
        };
        let (fs, fd) = (fams(s), fams(d));
        let chosen = if self.external_family(s).is_some() {
            fs
        } else if self.external_family(d).is_some() {
            fd
        } else {
            let both = [fs[0] && fd[0], fs[1] && fd[1]];
            if both[0] || both[1] {
                both
            } else {
                [fs[0] || fd[0], fs[1] || fd[1]]
            }
        };
        match chosen {
            [true, true] => ([Some(Family::V4), Some(Family::V6)], 2),
            [true, false] => ([Some(Family::V4), None], 1),
            [false, true] => ([Some(Family::V6), None], 1),
            [false, false] => ([None, None], 1),
        }
    }

    /// The allowed ports between every pair of classes, per source class.
    fn rows(&mut self) -> Vec<Vec<(u32, u32)>> {
        let total = self.keys.len();
        let key_count = self.key_class.len();
        // Ingress: per source key, the (destination class, ports) of isolated ones.
        let mut ingress: Vec<Vec<(u32, u32)>> = vec![Vec::new(); key_count];
        let mut open_in = vec![true; total];
        for d in 0..self.pod_classes() {
            let Some(rules) = self.rules_of(d, Direction::Ingress) else {
                continue;
            };
            if let Some(flag) = open_in.get_mut(d) {
                *flag = false;
            }
            for r in rules {
                let ports = self.ports_to(r, d);
                let keys: Vec<usize> = self
                    .rules
                    .get(r)
                    .map(|c| c.matches.ones().collect())
                    .unwrap_or_default();
                for k in keys {
                    let Some(list) = ingress.get_mut(k) else {
                        continue;
                    };
                    match list.last_mut() {
                        Some(last) if last.0 == d as u32 => {
                            last.1 = self.table.union(last.1, ports)
                        }
                        _ => list.push((d as u32, ports)),
                    }
                }
            }
        }
        let template: Vec<u32> = open_in
            .iter()
            .map(|&o| if o { ALL } else { NONE })
            .collect();
        let mut rows = Vec::with_capacity(total);
        let mut egress = vec![NONE; key_count];
        let mut columns: [Vec<u32>; 3] = [template.clone(), template.clone(), template.clone()];
        for s in 0..total {
            let open_out = self.fill_egress(s, &mut egress);
            let keys = self.keys.get(s).copied().unwrap_or([0, 0, 0]);
            for (slot, column) in columns.iter_mut().enumerate() {
                column.copy_from_slice(&template);
                for &(d, id) in keys
                    .get(slot)
                    .and_then(|&k| ingress.get(k as usize))
                    .into_iter()
                    .flatten()
                {
                    if let Some(cell) = column.get_mut(d as usize) {
                        *cell = id;
                    }
                }
            }
            let mut row = Vec::new();
            let s_external = s >= self.pod_classes();
            for d in 0..total {
                if s_external && d >= self.pod_classes() {
                    continue;
                }
                let (families, n) = self.pair_families(s, d);
                let d_keys = self.keys.get(d).copied().unwrap_or([0, 0, 0]);
                let mut acc = NONE;
                for family in families.iter().take(n) {
                    let slot = key_slot(*family);
                    let e = if open_out {
                        ALL
                    } else {
                        d_keys
                            .get(slot)
                            .and_then(|&k| egress.get(k as usize))
                            .copied()
                            .unwrap_or(NONE)
                    };
                    if e == NONE {
                        continue;
                    }
                    let i = columns
                        .get(slot)
                        .and_then(|c| c.get(d))
                        .copied()
                        .unwrap_or(NONE);
                    let both = self.table.intersect(e, i);
                    acc = self.table.union(acc, both);
                }
                if acc != NONE {
                    row.push((d as u32, acc));
                }
            }
            rows.push(row);
        }
        rows
    }

    /// Fills `egress` with what class `s`'s egress allows per peer key; returns
    /// whether `s` is open (not isolated, or external), leaving `egress` untouched.
    fn fill_egress(&mut self, s: usize, egress: &mut [u32]) -> bool {
        if s >= self.pod_classes() {
            return true;
        }
        let Some(rules) = self.rules_of(s, Direction::Egress) else {
            return true;
        };
        egress.fill(NONE);
        for r in rules {
            let keys: Vec<usize> = self
                .rules
                .get(r)
                .map(|c| c.matches.ones().collect())
                .unwrap_or_default();
            let fixed = self
                .rules
                .get(r)
                .filter(|c| c.named.is_empty())
                .map(|c| c.numeric);
            for k in keys {
                let ports = match fixed {
                    Some(id) => id,
                    None => {
                        let dest = self.key_class.get(k).copied().unwrap_or(u32::MAX) as usize;
                        if dest < self.pod_classes() {
                            self.ports_to(r, dest)
                        } else {
                            self.rules.get(r).map_or(NONE, |c| c.numeric)
                        }
                    }
                };
                if let Some(cell) = egress.get_mut(k) {
                    *cell = self.table.union(*cell, ports);
                }
            }
        }
        false
    }

    /// The matrix's endpoints: the engine's, then the external classes.
    fn endpoints(&self, pod_holes: &BTreeMap<u32, Vec<u128>>) -> Vec<MatrixEndpoint> {
        let mut out: Vec<MatrixEndpoint> = self
            .engine
            .endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| MatrixEndpoint {
                id: e.id.clone(),
                kind: match e.kind {
                    EndpointKind::Pod(_) => MatrixEndpointKind::Pod,
                    EndpointKind::Workload(_) => e
                        .workload_kind
                        .map_or(MatrixEndpointKind::Pod, MatrixEndpointKind::Workload),
                },
                namespace: Some(e.namespace.into()),
                name: Some(e.name.into()),
                ips: e.ips.to_vec(),
                cidrs: Vec::new(),
                endpoint: Some(EndpointId::from_index(i)),
            })
            .collect();
        for &a in &self.externals {
            let Some(class) = self.space.classes.get(a as usize) else {
                continue;
            };
            let holes = pod_holes.get(&a).map_or(&[][..], Vec::as_slice);
            out.push(MatrixEndpoint {
                id: cidr::describe(class, holes.len()),
                kind: MatrixEndpointKind::External,
                namespace: None,
                name: None,
                ips: Vec::new(),
                cidrs: cidr::cidrs_without(class.family, &class.intervals, holes),
                endpoint: None,
            });
        }
        out
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
