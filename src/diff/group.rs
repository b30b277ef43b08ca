//! Grouping the pods of one controller into one diff endpoint (`--group owner`).
//!
//! Owners are found as for the matrix ([`crate::engine::owner_of`]). The pods of
//! one owner become one endpoint `ns/kind/name` only when the diff says the same
//! about each of them: the same presence on each side, the same changes to and from
//! every other endpoint, and no change between two of them. Otherwise they stay
//! apart and [`Diff::split_owners`] lists the owner. So a grouped diff, expanded
//! back to its pods, says exactly what the ungrouped one does.

use alloc::string::String;
use alloc::vec::Vec;

use super::{Change, Diff, DiffEndpoint};
use crate::engine::{
    owner_groups, EndpointKind, EndpointRef, Engine, MatrixEndpoint, MatrixEndpointKind, OwnerGroup,
};
use crate::sorted::{SortedMap, SortedSet};

/// The changes of one endpoint, keyed by the other end's index: outgoing then
/// incoming, added then removed.
type Profile<'d> = [SortedMap<usize, &'d Change>; 4];

/// `diff` with the pods of each owner merged where the diff treats them alike.
pub(super) fn by_owner(diff: Diff, engines: [&Engine<'_>; 2]) -> Diff {
    let pods = diff.endpoints.iter().enumerate().filter_map(|(i, e)| {
        let (engine, pod) = pod_of(e, engines)?;
        let pod = engine.model().pods.get(pod)?;
        Some((i, e.matrix.namespace.as_deref()?, pod))
    });
    let groups = owner_groups(pods);
    let profiles = profiles(&diff);
    let taken: SortedSet<&str> = diff
        .endpoints
        .iter()
        .map(|e| e.matrix.id.as_str())
        .collect();
    let (mut merged, mut split) = (Vec::new(), Vec::new());
    for group in groups {
        if taken.contains(group.id.as_str()) {
            continue;
        }
        if alike(&diff, &profiles, &group.members) {
            merged.push(group);
        } else {
            split.push(group.id);
        }
    }
    regroup(diff, merged, split)
}

/// The engine and `model.pods` index of a pod endpoint (head's view when on both
/// sides).
fn pod_of<'e, 'm>(
    e: &DiffEndpoint,
    engines: [&'e Engine<'m>; 2],
) -> Option<(&'e Engine<'m>, usize)> {
    let [base, head] = engines;
    let (engine, id) = match (e.head, e.base) {
        (Some(EndpointRef::Endpoint(id)), _) => (head, id),
        (_, Some(EndpointRef::Endpoint(id))) => (base, id),
        _ => return None,
    };
    match engine.endpoint(id)?.kind {
        EndpointKind::Pod(p) => Some((engine, p)),
        EndpointKind::Workload(_) => None,
    }
}

/// Every endpoint's changes.
fn profiles(diff: &Diff) -> Vec<Profile<'_>> {
    type Pairs<'d> = [Vec<(usize, &'d Change)>; 4];
    let mut pairs: Vec<Pairs<'_>> = diff.endpoints.iter().map(|_| Default::default()).collect();
    for (list, slot) in [(&diff.added, 0), (&diff.removed, 2)] {
        for change in list {
            if let Some(p) = pairs.get_mut(change.from).and_then(|p| p.get_mut(slot)) {
                p.push((change.to, change));
            }
            if let Some(p) = pairs.get_mut(change.to).and_then(|p| p.get_mut(slot + 1)) {
                p.push((change.from, change));
            }
        }
    }
    pairs
        .into_iter()
        .map(|p| p.map(SortedMap::from_pairs))
        .collect()
}

/// Whether the diff says the same about every member (see the module docs).
fn alike(diff: &Diff, profiles: &[Profile<'_>], members: &[usize]) -> bool {
    let inside: SortedSet<usize> = members.iter().copied().collect();
    let presence = |i: usize| {
        diff.endpoints
            .get(i)
            .map(|e| (e.base.is_some(), e.head.is_some()))
    };
    let outside = |i: usize| -> Option<Vec<Vec<(usize, &super::ProtocolPorts)>>> {
        let profile = profiles.get(i)?;
        let mut lists = Vec::new();
        for map in profile {
            if map.keys().any(|k| inside.contains(k) && *k != i) {
                return None;
            }
            lists.push(map.iter().map(|(&k, c)| (k, &c.ports)).collect());
        }
        Some(lists)
    };
    let Some(&first) = members.first() else {
        return false;
    };
    let reference = (presence(first), outside(first));
    reference.1.is_some()
        && members
            .iter()
            .all(|&m| (presence(m), outside(m)) == reference)
}

/// Rebuilds the endpoints (groups in place of their members, sorted as before:
/// pods and workloads by namespace then id, external classes last) and remaps the
/// changes and one-sided endpoints.
fn regroup(diff: Diff, merged: Vec<OwnerGroup>, split: Vec<String>) -> Diff {
    let mut rows: Vec<(DiffEndpoint, Vec<usize>)> = Vec::new();
    let mut grouped: Vec<usize> = Vec::new();
    for OwnerGroup {
        id,
        kind,
        name,
        members,
    } in merged
    {
        let pods: Vec<&DiffEndpoint> = members
            .iter()
            .filter_map(|&i| diff.endpoints.get(i))
            .collect();
        let Some(first) = pods.first() else { continue };
        let group = DiffEndpoint {
            matrix: MatrixEndpoint {
                id,
                kind: MatrixEndpointKind::Workload(kind),
                namespace: first.matrix.namespace.clone(),
                name: Some(name),
                ips: pods
                    .iter()
                    .flat_map(|p| p.matrix.ips.iter().copied())
                    .collect(),
                cidrs: Vec::new(),
                endpoint: first.matrix.endpoint,
                labels: None,
                pods: pods.iter().map(|p| p.matrix.id.clone()).collect(),
            },
            base: first.base,
            head: first.head,
        };
        grouped.extend(members.iter().copied());
        rows.push((group, members));
    }
    let grouped = SortedSet::from_items(grouped);
    let mut external: Vec<(DiffEndpoint, Vec<usize>)> = Vec::new();
    for (i, e) in diff.endpoints.iter().enumerate() {
        if grouped.contains(&i) {
            continue;
        }
        let row = (e.clone(), alloc::vec![i]);
        if e.matrix.kind == MatrixEndpointKind::External {
            external.push(row);
        } else {
            rows.push(row);
        }
    }
    // As the diff orders them: pods, then workloads (groups among them), by id.
    let is_pod = |e: &DiffEndpoint| {
        matches!(
            e.matrix.kind,
            MatrixEndpointKind::Pod | MatrixEndpointKind::Representative
        )
    };
    crate::order::sort_by(&mut rows, |(a, _), (b, _)| {
        (!is_pod(a), &a.matrix.id).cmp(&(!is_pod(b), &b.matrix.id))
    });
    rows.extend(external);
    let new_index: SortedMap<usize, usize> = rows
        .iter()
        .enumerate()
        .flat_map(|(n, (_, members))| members.iter().map(move |&m| (m, n)))
        .collect();
    let map = |i: &usize| new_index.get(i).copied().unwrap_or(usize::MAX);
    let remap = |list: Vec<Change>| {
        let mut out: Vec<Change> = list
            .into_iter()
            .map(|mut change| {
                (change.from, change.to) = (map(&change.from), map(&change.to));
                change
            })
            .collect();
        // Sorted stably, the first change of each pair leads its run and stays.
        crate::order::sort_by_key(&mut out, |c| (c.from, c.to));
        out.dedup_by_key(|c| (c.from, c.to));
        out
    };
    let one_sided = |list: &[usize]| {
        let mut set: Vec<usize> = list.iter().map(map).collect();
        set.sort_unstable();
        set.dedup();
        set
    };
    Diff {
        endpoints_added: one_sided(&diff.endpoints_added),
        endpoints_removed: one_sided(&diff.endpoints_removed),
        added: remap(diff.added),
        removed: remap(diff.removed),
        uncertain: remap(diff.uncertain),
        endpoints: rows.into_iter().map(|(e, _)| e).collect(),
        stats: diff.stats,
        split_owners: split,
    }
}
