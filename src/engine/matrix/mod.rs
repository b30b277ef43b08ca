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

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use super::bitset::Bitset;
use super::cidr::AddressSpace;
use super::classes::Classes;
use super::endpoints::{Endpoint, EndpointId, Family};
use super::intern::{PortTable, ALL, NONE};
use super::ports::{PortSet, ProtocolPorts};
use super::Engine;
use crate::interval::{addr_value, fam_index};
use crate::model::{Labels, Protocol, WorkloadKind};
use crate::sorted::SortedMap;

mod compile;
mod group;
mod pairs;
mod rows;
mod tiers;

pub use group::owner_of;
pub(crate) use group::{owner_groups, OwnerGroup};

/// What an endpoint of the matrix is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatrixEndpointKind {
    /// A Pod.
    Pod,
    /// A representative pod derived from selectors (see
    /// [`crate::engine::representatives`]).
    Representative,
    /// A workload standing for its pods.
    Workload(WorkloadKind),
    /// A class of addresses outside the cluster.
    External,
}

impl MatrixEndpointKind {
    /// The kind of an engine endpoint: `Pod`, `Representative` or its workload kind.
    pub fn of(endpoint: &Endpoint<'_>) -> MatrixEndpointKind {
        match endpoint.workload_kind {
            Some(kind) => MatrixEndpointKind::Workload(kind),
            None if endpoint.representative => MatrixEndpointKind::Representative,
            None => MatrixEndpointKind::Pod,
        }
    }

    /// `Pod`, the workload kind (`Deployment`...), or `External`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatrixEndpointKind::Pod => "Pod",
            MatrixEndpointKind::Representative => "Representative",
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
    /// The engine endpoint (`None` for an external class; for a group, its first
    /// member).
    pub endpoint: Option<EndpointId>,
    /// The labels a representative endpoint stands for (`None` otherwise).
    pub labels: Option<Labels>,
    /// The member pods' ids when this endpoint is a group of pods sharing one
    /// controller (empty otherwise).
    pub pods: Vec<String>,
}

impl MatrixEndpoint {
    /// The row of engine endpoint `e`, whose id in its engine is `endpoint`.
    pub fn of(e: &Endpoint<'_>, endpoint: EndpointId) -> MatrixEndpoint {
        MatrixEndpoint {
            id: e.id.clone(),
            kind: MatrixEndpointKind::of(e),
            namespace: Some(e.namespace.into()),
            name: Some(e.name.into()),
            ips: e.ips.to_vec(),
            cidrs: Vec::new(),
            endpoint: Some(endpoint),
            labels: e.representative.then(|| e.labels.clone()),
            pods: Vec::new(),
        }
    }

    /// The row of an external class: its display and its exact content.
    pub fn external(id: String, cidrs: Vec<IpNet>) -> MatrixEndpoint {
        MatrixEndpoint {
            id,
            kind: MatrixEndpointKind::External,
            namespace: None,
            name: None,
            ips: Vec::new(),
            cidrs,
            endpoint: None,
            labels: None,
            pods: Vec::new(),
        }
    }
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
    /// Per class, as `rows`: the ports whose verdict depends on DNS or on an
    /// undefined order (empty without cluster-wide policies).
    uncertain: Vec<Vec<(u32, u32)>>,
    sets: Vec<ProtocolPorts>,
    classes: usize,
    external_from: usize,
    split_owners: Vec<String>,
}

/// How `matrix` and `diff` show the pods of one controller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grouping {
    /// One endpoint per controller (`ns/kind/name`, with its member pods), where the
    /// policies treat its pods alike.
    Owner,
    /// One endpoint per pod.
    None,
}

impl Grouping {
    /// `owner` or `none`.
    pub fn parse(text: &str) -> Option<Grouping> {
        match text {
            "owner" => Some(Grouping::Owner),
            "none" => Some(Grouping::None),
            _ => None,
        }
    }

    /// The name [`Grouping::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Owner => "owner",
            Grouping::None => "none",
        }
    }
}

impl Matrix {
    /// The matrix with the pods of one controller merged into one endpoint
    /// (`Grouping::Owner`, see [`owner_of`]) where the policies treat them alike, or
    /// unchanged (`Grouping::None`). What is allowed between pods of different
    /// endpoints never changes.
    pub fn grouped(self, engine: &Engine<'_>, grouping: Grouping) -> Matrix {
        match grouping {
            Grouping::Owner => group::by_owner(self, engine),
            Grouping::None => self,
        }
    }

    /// The ids (`ns/kind/name`) of the controllers whose pods the policies treat
    /// differently, left apart by [`Matrix::grouped`] (sorted).
    pub fn split_owners(&self) -> &[String] {
        &self.split_owners
    }

    /// Whether some endpoint is a representative pod derived from selectors.
    pub fn uses_representatives(&self) -> bool {
        self.endpoints
            .iter()
            .any(|e| e.kind == MatrixEndpointKind::Representative)
    }

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
        self.cell_id(&self.rows, from, to)
    }

    /// The ports from endpoint `from` to endpoint `to` whose verdict depends on DNS
    /// (a `domainNames` peer) or on the order of equal-priority policies: neither
    /// allowed nor denied for sure (never part of [`Matrix::allowed`]). Empty for the
    /// diagonal and without cluster-wide policies.
    pub fn uncertain(&self, from: usize, to: usize) -> &ProtocolPorts {
        if from == to || from >= self.endpoints.len() || to >= self.endpoints.len() {
            return &NOTHING;
        }
        self.sets
            .get(self.cell_id(&self.uncertain, from, to) as usize)
            .unwrap_or(&NOTHING)
    }

    /// Every pair with uncertain ports ([`Matrix::uncertain`]), by source then
    /// destination index.
    pub fn uncertain_pairs(&self) -> Vec<(usize, usize, &ProtocolPorts)> {
        let mut out = Vec::new();
        if self.uncertain.iter().all(Vec::is_empty) {
            return out;
        }
        let n = self.endpoints.len();
        for from in 0..n {
            for to in 0..n {
                let ports = self.uncertain(from, to);
                if !ports.is_empty() {
                    out.push((from, to, ports));
                }
            }
        }
        out
    }

    /// The interned id of the cell `from` → `to` of per-class `rows` (two distinct
    /// endpoints).
    fn cell_id(&self, rows: &[Vec<(u32, u32)>], from: usize, to: usize) -> u32 {
        if self.is_external(from) && self.is_external(to) {
            return NONE;
        }
        let (Some(&cf), Some(&ct)) = (self.class_of.get(from), self.class_of.get(to)) else {
            return NONE;
        };
        let Some(row) = rows.get(cf as usize) else {
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
        pairs::Pairs::new(self)
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
    rule_ranges: SortedMap<(u32, usize), core::ops::Range<usize>>,
    table: PortTable,
}

/// See [`Engine::matrix`].
pub(crate) fn compute(engine: &Engine<'_>) -> Matrix {
    let space = AddressSpace::build_with(engine.model, &engine.tiers.networks());
    let classes = Classes::build(engine, &space);
    let pod_holes = pod_addresses(engine, &space);
    let externals: Vec<u32> = (0..space.classes.len())
        .filter(|&a| {
            space.classes.get(a).is_some_and(|c| {
                let holes = pod_holes.get(&(a as u32)).map_or(0, Vec::len) as u128;
                let size: u128 = c.intervals.iter().fold(0u128, |acc, (lo, hi)| {
                    acc.saturating_add((hi - lo).saturating_add(1))
                });
                size > holes
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
        rule_ranges: SortedMap::default(),
        table: PortTable::new(),
    };
    work.number_keys();
    work.compile_rules();
    let mut rows = work.rows();
    let mut uncertain = Vec::new();
    let endpoints = work.endpoints(&pod_holes);
    let pods = work.classes.class_of.len();
    if !engine.tiers.is_empty() {
        (rows, uncertain) = work.tier_rows(&endpoints, pods);
    }
    let mut class_of = work.classes.class_of.clone();
    let first_external = work.classes.len();
    class_of.extend(
        (0..work.externals.len()).map(|e| u32::try_from(first_external + e).unwrap_or(u32::MAX)),
    );
    Matrix {
        endpoints,
        class_of,
        rows,
        uncertain,
        classes: work.keys.len(),
        sets: work.table.into_sets(),
        external_from: pods,
        split_owners: Vec::new(),
    }
}

/// The pod IPs in each address class, sorted.
fn pod_addresses(engine: &Engine<'_>, space: &AddressSpace) -> SortedMap<u32, Vec<u128>> {
    let mut out = SortedMap::grouped(
        engine
            .by_ip
            .keys()
            .map(|ip| (space.class_of(ip), addr_value(ip))),
    );
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
