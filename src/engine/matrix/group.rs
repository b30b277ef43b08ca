//! Grouping the pods of one controller into one matrix endpoint (`--group owner`).
//!
//! A pod's owner is its `ownerReferences[]` entry with `controller: true`, when its
//! kind is a workload kind netpol knows. A pod owned by a ReplicaSet that carries
//! `pod-template-hash=H`, where the ReplicaSet is named `NAME-H`, belongs to the
//! Deployment `NAME` (the Deployment controller names ReplicaSets and sets that label
//! that way); other ReplicaSet pods belong to their ReplicaSet. Pods with another
//! kind of owner (a Node for static pods, custom controllers) stay pods.
//!
//! The pods of one owner become one endpoint only when the policies treat them
//! alike (they share one endpoint class: same answers to every selector, same named
//! ports, same address classes). Otherwise they stay apart and
//! [`Matrix::split_owners`] lists the owner, so that grouping never changes what
//! the matrix says is allowed.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Matrix, MatrixEndpoint, MatrixEndpointKind};
use crate::engine::{EndpointKind, Engine};
use crate::model::{Pod, WorkloadKind};

/// The label the Deployment controller sets on the pods of each of its ReplicaSets.
const POD_TEMPLATE_HASH: &str = "pod-template-hash";

/// The workload that owns `pod`, with its name (see the module docs).
pub fn owner_of(pod: &Pod) -> Option<(WorkloadKind, String)> {
    let controller = pod.controller.as_ref()?;
    let kind = WorkloadKind::parse(&controller.kind)?;
    if kind == WorkloadKind::ReplicaSet {
        let hash = pod.meta.labels.get(POD_TEMPLATE_HASH);
        let deployment = hash.and_then(|h| {
            controller
                .name
                .strip_suffix(h.as_str())
                .and_then(|rest| rest.strip_suffix('-'))
                .filter(|name| !name.is_empty())
        });
        if let Some(name) = deployment {
            return Some((WorkloadKind::Deployment, name.into()));
        }
    }
    Some((kind, controller.name.clone()))
}

/// The id of the group of `namespace`'s pods owned by `kind`/`name`.
fn group_id(namespace: &str, kind: WorkloadKind, name: &str) -> String {
    format!("{namespace}/{}/{name}", kind.as_str().to_ascii_lowercase())
}

/// `matrix` with the pods of each owner merged where the policies treat them alike.
pub(super) fn by_owner(matrix: Matrix, engine: &Engine<'_>) -> Matrix {
    // Members per group id, in endpoint order; the owner's kind and name.
    let mut groups: BTreeMap<String, (WorkloadKind, String, Vec<usize>)> = BTreeMap::new();
    for (i, e) in matrix.endpoints.iter().enumerate() {
        let pod = match e
            .endpoint
            .and_then(|id| engine.endpoint(id))
            .map(|ep| ep.kind)
        {
            Some(EndpointKind::Pod(p)) => engine.model.pods.get(p),
            _ => None,
        };
        let (Some(pod), Some(namespace)) = (pod, e.namespace.as_deref()) else {
            continue;
        };
        if let Some((kind, name)) = owner_of(pod) {
            let id = group_id(namespace, kind, &name);
            groups
                .entry(id)
                .or_insert((kind, name, Vec::new()))
                .2
                .push(i);
        }
    }
    let taken: BTreeSet<&str> = matrix.endpoints.iter().map(|e| e.id.as_str()).collect();
    let mut split = Vec::new();
    let mut merged: Vec<(String, WorkloadKind, String, Vec<usize>)> = Vec::new();
    for (id, (kind, name, members)) in groups {
        let classes: BTreeSet<Option<&u32>> =
            members.iter().map(|&i| matrix.class_of.get(i)).collect();
        if taken.contains(id.as_str()) {
            continue;
        }
        if classes.len() == 1 {
            merged.push((id, kind, name, members));
        } else {
            split.push(id);
        }
    }
    regroup(matrix, merged, split)
}

/// Rebuilds the endpoint list: each merged group replaces its members (taking the
/// first member's class), the rest is kept, pods and workloads sorted by namespace
/// then id, external classes last.
fn regroup(
    matrix: Matrix,
    merged: Vec<(String, WorkloadKind, String, Vec<usize>)>,
    split: Vec<String>,
) -> Matrix {
    let mut member_of: BTreeMap<usize, usize> = BTreeMap::new();
    for (g, (_, _, _, members)) in merged.iter().enumerate() {
        for &i in members {
            member_of.insert(i, g);
        }
    }
    let mut cluster: Vec<(MatrixEndpoint, u32)> = Vec::new();
    let mut external: Vec<(MatrixEndpoint, u32)> = Vec::new();
    for (i, e) in matrix.endpoints.iter().enumerate() {
        let class = matrix.class_of.get(i).copied().unwrap_or(u32::MAX);
        if matrix.is_external(i) {
            external.push((e.clone(), class));
        } else if !member_of.contains_key(&i) {
            cluster.push((e.clone(), class));
        }
    }
    for (id, kind, name, members) in &merged {
        let Some(first) = members.first().and_then(|&i| matrix.endpoints.get(i)) else {
            continue;
        };
        let class = members
            .first()
            .and_then(|&i| matrix.class_of.get(i))
            .copied()
            .unwrap_or(u32::MAX);
        let pods = members
            .iter()
            .filter_map(|&i| matrix.endpoints.get(i))
            .collect::<Vec<_>>();
        let group = MatrixEndpoint {
            id: id.clone(),
            kind: MatrixEndpointKind::Workload(*kind),
            namespace: first.namespace.clone(),
            name: Some(name.clone()),
            ips: pods.iter().flat_map(|p| p.ips.iter().copied()).collect(),
            cidrs: Vec::new(),
            endpoint: first.endpoint,
            labels: None,
            pods: pods.iter().map(|p| p.id.clone()).collect(),
        };
        cluster.push((group, class));
    }
    cluster.sort_by(|(a, _), (b, _)| (&a.namespace, &a.id).cmp(&(&b.namespace, &b.id)));
    let external_from = cluster.len();
    let (endpoints, class_of): (Vec<MatrixEndpoint>, Vec<u32>) =
        cluster.into_iter().chain(external).unzip();
    Matrix {
        endpoints,
        class_of,
        rows: matrix.rows,
        sets: matrix.sets,
        classes: matrix.classes,
        external_from,
        split_owners: split,
    }
}
