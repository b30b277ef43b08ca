//! Endpoints: pods, workloads standing for their pods, and addresses outside the
//! cluster; and which policies select which endpoint.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::label_index::LabelIndex;
use super::namespaces::Namespaces;
use crate::model::{ContainerPort, Labels, Model, ObjectMeta, Workload, WorkloadKind};
use crate::sorted::SortedMap;

/// Index of an endpoint in [`Engine::endpoints`](super::Engine::endpoints).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EndpointId(pub u32);

impl EndpointId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id of index `i`.
    pub fn from_index(i: usize) -> EndpointId {
        EndpointId(u32::try_from(i).unwrap_or(u32::MAX))
    }
}

/// Which object an endpoint comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndpointKind {
    /// `model.pods[i]`.
    Pod(usize),
    /// `model.workloads[i]` (its pod template, no Pod object represents it).
    Workload(usize),
}

/// One side of a flow: an endpoint of the cluster, or an address outside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndpointRef {
    /// A pod or workload endpoint.
    Endpoint(EndpointId),
    /// An address that is no pod's IP.
    External(IpAddr),
}

pub use crate::interval::Family;

/// A pod, or a workload whose pod template stands for its pods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint<'m> {
    /// `ns/name` for a pod, `ns/kind/name` (kind in lower case) for a workload.
    pub id: String,
    /// Where it comes from.
    pub kind: EndpointKind,
    /// The workload's kind, for a workload endpoint.
    pub workload_kind: Option<WorkloadKind>,
    /// The namespace.
    pub namespace: &'m str,
    /// The object's name.
    pub name: &'m str,
    /// The pod's (or pod template's) labels.
    pub labels: &'m Labels,
    /// Container ports.
    pub ports: &'m [ContainerPort],
    /// IPs (none for a workload).
    pub ips: &'m [IpAddr],
    /// `hostNetwork`.
    pub host_network: bool,
    /// Whether this is a representative pod derived from selectors (see
    /// [`super::representatives`]).
    pub representative: bool,
    /// The object (Pod or workload) with its source and span.
    pub meta: &'m ObjectMeta,
    pub(crate) namespace_id: u32,
}

impl Endpoint<'_> {
    /// Whether the endpoint has an address of `family`.
    pub fn has_family(&self, family: Family) -> bool {
        self.ips.iter().any(|ip| Family::of(ip) == family)
    }

    /// The kind as printed (`Pod`, `Representative`, `Deployment`, ...).
    pub fn kind_name(&self) -> &'static str {
        if self.representative {
            return "Representative";
        }
        self.workload_kind.map_or("Pod", WorkloadKind::as_str)
    }
}

/// Whether `pod_labels` (of a pod in the workload's namespace) carry every label of
/// the workload's template.
pub(crate) fn represents(pod_ns: &str, pod_labels: &Labels, workload: &Workload) -> bool {
    !workload.template_labels.is_empty()
        && pod_ns == workload.meta.namespace_name()
        && workload
            .template_labels
            .iter()
            .all(|(k, v)| pod_labels.get(k) == Some(v))
}

/// The pod endpoints representing `workload`.
pub(crate) fn representing_pods(
    endpoints: &[Endpoint<'_>],
    workload: &Workload,
) -> Vec<super::EndpointId> {
    endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.kind, EndpointKind::Pod(_)))
        .filter(|(_, e)| represents(e.namespace, e.labels, workload))
        .map(|(i, _)| EndpointId::from_index(i))
        .collect()
}

/// Every endpoint of `model`, sorted by namespace then id.
pub(crate) fn build<'m>(model: &'m Model, namespaces: &Namespaces) -> Vec<Endpoint<'m>> {
    let mut out: Vec<Endpoint<'m>> = Vec::with_capacity(model.pods.len() + model.workloads.len());
    // The labels of the pods per namespace id (ids are dense: one list each).
    let mut pods_by_ns: Vec<Vec<&Labels>> = Vec::new();
    pods_by_ns.resize_with(namespaces.all().len(), Vec::new);
    for (i, pod) in model.pods.iter().enumerate() {
        let namespace = pod.meta.namespace_name();
        let namespace_id = namespaces.id(namespace).unwrap_or(u32::MAX);
        if let Some(list) = pods_by_ns.get_mut(namespace_id as usize) {
            list.push(&pod.meta.labels);
        }
        out.push(Endpoint {
            id: format!("{namespace}/{}", pod.meta.name.value),
            kind: EndpointKind::Pod(i),
            workload_kind: None,
            namespace,
            name: &pod.meta.name.value,
            labels: &pod.meta.labels,
            ports: &pod.ports,
            ips: &pod.ips,
            host_network: pod.host_network,
            representative: pod.representative,
            meta: &pod.meta,
            namespace_id,
        });
    }
    for (i, workload) in model.workloads.iter().enumerate() {
        let namespace = workload.meta.namespace_name();
        let namespace_id = namespaces.id(namespace).unwrap_or(u32::MAX);
        let represented = pods_by_ns
            .get(namespace_id as usize)
            .is_some_and(|pods| pods.iter().any(|l| represents(namespace, l, workload)));
        if represented {
            continue;
        }
        let kind = workload.kind.as_str().to_ascii_lowercase();
        out.push(Endpoint {
            id: format!("{namespace}/{kind}/{}", workload.meta.name.value),
            kind: EndpointKind::Workload(i),
            workload_kind: Some(workload.kind),
            namespace,
            name: &workload.meta.name.value,
            labels: &workload.template_labels,
            ports: &workload.ports,
            ips: &[],
            host_network: workload.host_network,
            representative: false,
            meta: &workload.meta,
            namespace_id,
        });
    }
    // Namespace ids follow name order.
    crate::order::sort_by(&mut out, |a, b| {
        (a.namespace_id, &a.id, a.kind).cmp(&(b.namespace_id, &b.id, b.kind))
    });
    out
}

/// Pod endpoints by IP.
pub(crate) fn by_ip(endpoints: &[Endpoint<'_>]) -> SortedMap<IpAddr, Vec<EndpointId>> {
    let mut map = SortedMap::grouped(
        endpoints
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.ips.iter().map(move |ip| (*ip, EndpointId::from_index(i)))),
    );
    // An endpoint listing an address twice is there once (its ids are adjacent).
    for ids in map.values_mut() {
        ids.dedup();
    }
    map
}

/// Per endpoint, the policies selecting it per direction; per policy, the endpoints
/// its podSelector selects.
pub(crate) type Selection = (Vec<[Vec<u32>; 2]>, Vec<Vec<EndpointId>>);

/// Computes which policies select which endpoints (podSelector in the policy's own
/// namespace; directions by effective policyTypes).
pub(crate) fn selection(
    model: &Model,
    namespaces: &Namespaces,
    endpoints: &[Endpoint<'_>],
) -> Selection {
    let mut per_endpoint: Vec<[Vec<u32>; 2]> =
        endpoints.iter().map(|_| [Vec::new(), Vec::new()]).collect();
    let mut per_policy: Vec<Vec<EndpointId>> = Vec::with_capacity(model.policies.len());
    let index = LabelIndex::new(endpoints);
    for (p, policy) in model.policies.iter().enumerate() {
        let ns_id = namespaces
            .id(policy.meta.namespace_name())
            .unwrap_or(u32::MAX);
        let dirs = [
            policy.applies_to(crate::model::Direction::Ingress),
            policy.applies_to(crate::model::Direction::Egress),
        ];
        let mut selected = Vec::new();
        for i in candidates(endpoints, &index, ns_id, &policy.pod_selector) {
            let Some(e) = endpoints.get(i) else { continue };
            if !policy.pod_selector.matches(e.labels) {
                continue;
            }
            selected.push(EndpointId::from_index(i));
            if let Some(lists) = per_endpoint.get_mut(i) {
                for (list, applies) in lists.iter_mut().zip(dirs) {
                    if applies {
                        list.push(u32::try_from(p).unwrap_or(u32::MAX));
                    }
                }
            }
        }
        per_policy.push(selected);
    }
    (per_endpoint, per_policy)
}

/// The endpoints of namespace `ns_id` that may match `selector`: those carrying its
/// first `matchLabels` term, or all of the namespace (ascending).
fn candidates(
    endpoints: &[Endpoint<'_>],
    index: &LabelIndex,
    ns_id: u32,
    selector: &crate::model::LabelSelector,
) -> Vec<usize> {
    match selector.match_labels.first() {
        Some((k, v)) => index.carrying(ns_id, &k.value, &v.value),
        None => namespace_range(endpoints, ns_id).collect(),
    }
}

/// The index range of the endpoints of namespace `ns_id` (endpoints are sorted by
/// namespace name, and namespace ids follow name order).
pub(crate) fn namespace_range(endpoints: &[Endpoint<'_>], ns_id: u32) -> core::ops::Range<usize> {
    let start = endpoints.partition_point(|e| e.namespace_id < ns_id);
    let end = endpoints.partition_point(|e| e.namespace_id <= ns_id);
    start..end.max(start)
}
