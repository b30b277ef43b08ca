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

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Matrix, MatrixEndpoint, MatrixEndpointKind};
use crate::engine::{EndpointKind, Engine};
use crate::model::{Pod, WorkloadKind};
use crate::sorted::{SortedMap, SortedSet};

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
                .strip_suffix(h)
                .and_then(|rest| rest.strip_suffix('-'))
                .filter(|name| !name.is_empty())
        });
        if let Some(name) = deployment {
            return Some((WorkloadKind::Deployment, name.into()));
        }
    }
    Some((kind, controller.name.clone()))
}

/// The pods of one owner: the endpoint they become when they can be merged.
pub(crate) struct OwnerGroup {
    /// `ns/kind/name`, kind in lower case.
    pub(crate) id: String,
    /// The owner's kind.
    pub(crate) kind: WorkloadKind,
    /// The owner's name.
    pub(crate) name: String,
    /// The members' indices, ascending.
    pub(crate) members: Vec<usize>,
}

/// Groups `pods` (index, namespace, pod; ascending index) by owner, sorted by group
/// id; pods without a known owner are left out.
pub(crate) fn owner_groups<'p>(
    pods: impl Iterator<Item = (usize, &'p str, &'p Pod)>,
) -> Vec<OwnerGroup> {
    let owned = pods.filter_map(|(i, namespace, pod)| {
        let (kind, name) = owner_of(pod)?;
        let id = format!("{namespace}/{}/{name}", kind.as_str().to_ascii_lowercase());
        Some((id, (kind, name, i)))
    });
    SortedMap::grouped(owned)
        .into_iter()
        .filter_map(|(id, members)| {
            let (kind, name, _) = members.first()?.clone();
            Some(OwnerGroup {
                id,
                kind,
                name,
                members: members.into_iter().map(|(_, _, i)| i).collect(),
            })
        })
        .collect()
}

/// `matrix` with the pods of each owner merged where the policies treat them alike.
pub(super) fn by_owner(matrix: Matrix, engine: &Engine<'_>) -> Matrix {
    let pods = matrix.endpoints.iter().enumerate().filter_map(|(i, e)| {
        let endpoint = engine.endpoint(e.endpoint?)?;
        match endpoint.kind {
            EndpointKind::Pod(p) => Some((i, e.namespace.as_deref()?, engine.model.pods.get(p)?)),
            EndpointKind::Workload(_) => None,
        }
    });
    let groups = owner_groups(pods);
    let taken: SortedSet<&str> = matrix.endpoints.iter().map(|e| e.id.as_str()).collect();
    let (mut merged, mut split) = (Vec::new(), Vec::new());
    for group in groups {
        if taken.contains(group.id.as_str()) {
            continue;
        }
        let classes: SortedSet<Option<&u32>> = group
            .members
            .iter()
            .map(|&i| matrix.class_of.get(i))
            .collect();
        if classes.len() == 1 {
            merged.push(group);
        } else {
            split.push(group.id);
        }
    }
    regroup(matrix, merged, split)
}

/// Rebuilds the endpoint list: each merged group replaces its members (taking the
/// first member's class), the rest is kept, pods and workloads sorted by namespace
/// then id, external classes last.
fn regroup(matrix: Matrix, merged: Vec<OwnerGroup>, split: Vec<String>) -> Matrix {
    let member_of: SortedSet<usize> = merged
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .collect();
    let mut cluster: Vec<(MatrixEndpoint, u32)> = Vec::new();
    let mut external: Vec<(MatrixEndpoint, u32)> = Vec::new();
    for (i, e) in matrix.endpoints.iter().enumerate() {
        let class = matrix.class_of.get(i).copied().unwrap_or(u32::MAX);
        if matrix.is_external(i) {
            external.push((e.clone(), class));
        } else if !member_of.contains(&i) {
            cluster.push((e.clone(), class));
        }
    }
    for OwnerGroup {
        id,
        kind,
        name,
        members,
    } in &merged
    {
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
    crate::order::sort_by(&mut cluster, |(a, _), (b, _)| {
        (&a.namespace, &a.id).cmp(&(&b.namespace, &b.id))
    });
    let external_from = cluster.len();
    let (endpoints, class_of): (Vec<MatrixEndpoint>, Vec<u32>) =
        cluster.into_iter().chain(external).unzip();
    Matrix {
        endpoints,
        class_of,
        rows: matrix.rows,
        uncertain: matrix.uncertain,
        sets: matrix.sets,
        classes: matrix.classes,
        external_from,
        split_owners: split,
    }
}
