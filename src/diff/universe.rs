//! The endpoints of a diff (the union of both sides' endpoints by id, then the
//! refined external classes) and their groups.
//!
//! Two endpoints are in one group when no policy of either version can tell them
//! apart: the same presence on each side and, per side, the same namespace and
//! namespace labels, labels, container ports, and address classes of their IPs. A
//! verdict between two endpoints then depends only on their groups (except an
//! endpoint talking to itself), so the diff evaluates group pairs, not pod pairs.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::space::{ExternalClass, Refinement};
use super::{DiffEndpoint, Side};
use crate::engine::{EndpointId, EndpointRef, Engine, MatrixEndpoint};
use crate::first_seen::first_seen_ids;
use crate::model::{ContainerPort, Labels};
use crate::sorted::{SortedMap, SortedSet};

/// What one side knows about an endpoint, as far as policies can see: interned
/// namespace (name and labels), labels and container ports (ids shared by both
/// sides, so equal ids mean equal values), and the address classes of its IPs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SideSignature {
    namespace: u32,
    labels: u32,
    ports: u32,
    address_classes: Vec<Option<usize>>,
    host_network: bool,
}

/// Ids for the values signatures compare, shared by both sides.
#[derive(Default)]
struct Interner<'e> {
    /// Namespace name and labels → id.
    namespaces: BTreeMap<(&'e str, &'e Labels), u32>,
    /// Per side, namespace name → id.
    namespace_ids: [BTreeMap<&'e str, u32>; 2],
    labels: BTreeMap<&'e Labels, u32>,
    ports: BTreeMap<&'e [ContainerPort], u32>,
    /// The last labels interned and their id (pods of one workload come together).
    last_labels: Option<(&'e Labels, u32)>,
}

impl<'e> Interner<'e> {
    /// Interns every namespace of both sides.
    fn new(engines: [&'e Engine<'e>; 2]) -> Interner<'e> {
        let mut interner = Interner::default();
        for (side, engine) in engines.iter().enumerate() {
            for ns in engine.namespaces() {
                let id = intern(&mut interner.namespaces, (ns.name.as_str(), &ns.labels));
                if let Some(ids) = interner.namespace_ids.get_mut(side) {
                    ids.insert(ns.name.as_str(), id);
                }
            }
        }
        interner
    }

    /// The id of namespace `name` of `side` (`u32::MAX` if the engine lacks it).
    fn namespace(&self, side: usize, name: &str) -> u32 {
        self.namespace_ids
            .get(side)
            .and_then(|ids| ids.get(name))
            .copied()
            .unwrap_or(u32::MAX)
    }

    /// The id of `labels`.
    fn labels(&mut self, labels: &'e Labels) -> u32 {
        if let Some((last, id)) = self.last_labels {
            if last == labels {
                return id;
            }
        }
        let id = intern(&mut self.labels, labels);
        self.last_labels = Some((labels, id));
        id
    }
}

/// The id of `key` in `map` (a new one when unseen).
fn intern<K: Ord>(map: &mut BTreeMap<K, u32>, key: K) -> u32 {
    let next = u32::try_from(map.len()).unwrap_or(u32::MAX);
    *map.entry(key).or_insert(next)
}

/// The endpoints and their groups.
pub(crate) struct Universe {
    /// Pods and workloads (pods first, each by id), then external classes.
    pub endpoints: Vec<DiffEndpoint>,
    /// Per endpoint: its signature on each side (`None`: absent there; externals
    /// have none).
    pub signatures: Vec<[Option<SideSignature>; 2]>,
    /// Per endpoint, its group.
    pub group_of: Vec<usize>,
    /// Per group, its members (ascending).
    pub groups: Vec<Vec<usize>>,
    /// Index of the first external class in `endpoints`.
    pub external_from: usize,
    /// Per side, engine endpoint index → diff endpoint index.
    pub to_diff: [Vec<usize>; 2],
}

impl Universe {
    /// Builds the union of both engines' endpoints and the refined external classes.
    pub fn build<'e>(engines: [&'e Engine<'e>; 2]) -> Universe {
        let pod_ips: SortedSet<IpAddr> = engines
            .iter()
            .flat_map(|e| e.endpoints().iter().flat_map(|p| p.ips.iter().copied()))
            .collect();
        let [base, head] = engines;
        let refinement = Refinement::build([base.model(), head.model()], &pod_ips);
        let sightings = engines.iter().enumerate().flat_map(|(side, engine)| {
            engine
                .endpoints()
                .iter()
                .enumerate()
                .map(move |(i, endpoint)| {
                    let key = (endpoint.workload_kind.is_some(), endpoint.id.as_str());
                    (key, (side, i))
                })
        });
        // Per key, the first endpoint of each side that has it.
        let by_id: Vec<[Option<EndpointId>; 2]> = SortedMap::grouped(sightings)
            .into_iter()
            .map(|(_, seen)| {
                let mut slot = [None, None];
                for (side, i) in seen {
                    if let Some(cell) = slot.get_mut(side) {
                        cell.get_or_insert(EndpointId::from_index(i));
                    }
                }
                slot
            })
            .collect();
        let mut universe = Universe {
            endpoints: Vec::with_capacity(by_id.len() + refinement.classes.len()),
            signatures: Vec::with_capacity(by_id.len() + refinement.classes.len()),
            group_of: Vec::new(),
            groups: Vec::new(),
            external_from: by_id.len(),
            to_diff: [
                alloc::vec![usize::MAX; base.endpoints().len()],
                alloc::vec![usize::MAX; head.endpoints().len()],
            ],
        };
        let mut interner = Interner::new(engines);
        for ids in &by_id {
            universe.add_cluster_endpoint(engines, *ids, &refinement, &mut interner);
        }
        for class in &refinement.classes {
            universe.add_external(class);
        }
        universe.group();
        universe
    }

    /// Adds a pod or workload present on the sides where `ids` has an id.
    fn add_cluster_endpoint<'e>(
        &mut self,
        engines: [&'e Engine<'e>; 2],
        ids: [Option<EndpointId>; 2],
        refinement: &Refinement,
        interner: &mut Interner<'e>,
    ) {
        let index = self.endpoints.len();
        let mut signatures = [None, None];
        let mut shown = None;
        for (side, (engine, id)) in engines.iter().zip(ids).enumerate() {
            let Some(id) = id else { continue };
            let Some(endpoint) = engine.endpoint(id) else {
                continue;
            };
            if let Some(slot) = self
                .to_diff
                .get_mut(side)
                .and_then(|m| m.get_mut(id.index()))
            {
                *slot = index;
            }
            if let Some(sig) = signatures.get_mut(side) {
                let mut address_classes: Vec<Option<usize>> = endpoint
                    .ips
                    .iter()
                    .map(|ip| refinement.class_of(ip))
                    .collect();
                address_classes.sort_unstable();
                *sig = Some(SideSignature {
                    namespace: interner.namespace(side, endpoint.namespace),
                    labels: interner.labels(endpoint.labels),
                    ports: intern(&mut interner.ports, endpoint.ports),
                    address_classes,
                    host_network: endpoint.host_network,
                });
            }
            // The head's view wins for display (ips); the id is the same.
            shown = Some(endpoint);
        }
        let Some(endpoint) = shown else { return };
        let Some(shown_id) = ids[1].or(ids[0]) else {
            return;
        };
        self.endpoints.push(DiffEndpoint {
            matrix: MatrixEndpoint::of(endpoint, shown_id),
            base: ids[0].map(EndpointRef::Endpoint),
            head: ids[1].map(EndpointRef::Endpoint),
        });
        self.signatures.push(signatures);
    }

    /// Adds an external class (present on both sides, at its representative address).
    fn add_external(&mut self, class: &ExternalClass) {
        let Some(address) = class.representative() else {
            return;
        };
        self.endpoints.push(DiffEndpoint {
            matrix: MatrixEndpoint::external(class.describe(), class.cidrs()),
            base: Some(EndpointRef::External(address)),
            head: Some(EndpointRef::External(address)),
        });
        self.signatures.push([None, None]);
    }

    /// Groups the pods and workloads by signature; each external class is its own
    /// group.
    fn group(&mut self) {
        // Pods and workloads come first: numbered by signature, in the order the
        // signatures first appear; the external classes after them.
        let internal = self
            .signatures
            .get(..self.external_from)
            .unwrap_or_default();
        let (signature_ids, _) = first_seen_ids(internal);
        let mut group_of = Vec::with_capacity(self.endpoints.len());
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for i in 0..self.signatures.len() {
            let group = match signature_ids.get(i) {
                Some(&id) => id as usize,
                None => groups.len(),
            };
            if group == groups.len() {
                groups.push(Vec::new());
            }
            if let Some(members) = groups.get_mut(group) {
                members.push(i);
            }
            group_of.push(group);
        }
        self.group_of = group_of;
        self.groups = groups;
    }

    /// Whether endpoint `i` is an external class.
    pub fn is_external(&self, i: usize) -> bool {
        i >= self.external_from
    }

    /// The endpoint `i` as seen from `side` (`None`: absent there).
    pub fn on(&self, side: Side, i: usize) -> Option<EndpointRef> {
        self.endpoints.get(i).and_then(|e| match side {
            Side::Base => e.base,
            Side::Head => e.head,
        })
    }

    /// Whether endpoint `i`'s signature differs between the sides (changed labels,
    /// namespace labels, ports or addresses; or present on one side only).
    pub fn changed(&self, i: usize) -> bool {
        self.signatures
            .get(i)
            .is_some_and(|[base, head]| base != head)
    }
}
