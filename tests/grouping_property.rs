//! The property that grouping never changes what is allowed: on random clusters
//! whose pods get random controllers, a grouped matrix (or diff), expanded back to
//! its pods, says what the ungrouped one says, and lists every pod once.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod naive;

use std::collections::{BTreeMap, BTreeSet};

use netpol::diff::{diff, Diff, DiffOptions};
use netpol::engine::{Engine, Grouping, Matrix};
use netpol::model::{Controller, Model};
use proptest::prelude::*;
use serde_json::{json, Value};

use naive::generate::{cluster, proptest_config, show};
use naive::manifest;

/// The controllers to hand out: (kind, name).
const OWNERS: [(&str, &str); 4] = [
    ("DaemonSet", "agent"),
    ("ReplicaSet", "web-5d8f"),
    ("StatefulSet", "db"),
    ("Job", "batch"),
];

/// `objects` decoded, each pod given the controller `owners[i]` picks (none past
/// the list's end).
fn owned_model(objects: &[Value], owners: &[usize]) -> Model {
    let mut model = manifest::model(objects);
    for (pod, &pick) in model.pods.iter_mut().zip(owners) {
        pod.controller = OWNERS.get(pick).map(|(kind, name)| Controller {
            kind: (*kind).into(),
            name: (*name).into(),
        });
    }
    model
}

/// The pods an endpoint of a grouped matrix stands for.
fn members(matrix: &Matrix, i: usize) -> Vec<String> {
    let e = &matrix.endpoints()[i];
    if e.pods.is_empty() {
        vec![e.id.clone()]
    } else {
        e.pods.clone()
    }
}

/// Pairs of pods (in different endpoints) where grouped and ungrouped disagree.
fn matrix_disagreements(model: &Model) -> Vec<String> {
    let engine = Engine::new(model);
    let full = engine.matrix();
    let grouped = engine.matrix().grouped(&engine, Grouping::Owner);
    let mut out = Vec::new();
    let n = grouped.endpoints().len();
    for g in 0..n {
        for h in (0..n).filter(|&h| h != g) {
            for p in members(&grouped, g) {
                for q in members(&grouped, h) {
                    let (Some(a), Some(b)) = (full.index_of(&p), full.index_of(&q)) else {
                        out.push(format!("{p} or {q} missing from the ungrouped matrix"));
                        continue;
                    };
                    if grouped.allowed(g, h) != full.allowed(a, b) {
                        out.push(format!("{p} -> {q}"));
                    }
                }
            }
        }
    }
    let listed: BTreeSet<String> = (0..n).flat_map(|g| members(&grouped, g)).collect();
    let all: BTreeSet<String> = full.endpoints().iter().map(|e| e.id.clone()).collect();
    if listed != all {
        out.push(format!("grouped members {listed:?} differ from {all:?}"));
    }
    out
}

/// What `Matrix::connections` lists: (from, to, allowed).
fn listed_connections(matrix: &Matrix) -> Vec<(usize, usize, String)> {
    matrix
        .connections()
        .map(|c| (c.from, c.to, format!("{:?}", c.allowed)))
        .collect()
}

/// Every pair of endpoints with something allowed, asked one by one.
fn every_allowed_pair(matrix: &Matrix) -> Vec<(usize, usize, String)> {
    let n = matrix.endpoints().len();
    (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .filter(|&(i, j)| !matrix.allowed(i, j).is_empty())
        .map(|(i, j)| (i, j, format!("{:?}", matrix.allowed(i, j))))
        .collect()
}

/// A diff's changes per pair of pods (groups expanded).
fn expanded(diff: &Diff) -> BTreeMap<(bool, String, String), String> {
    let members = |i: usize| {
        let e = &diff.endpoints[i].matrix;
        if e.pods.is_empty() {
            vec![e.id.clone()]
        } else {
            e.pods.clone()
        }
    };
    let mut out = BTreeMap::new();
    for (added, list) in [(true, &diff.added), (false, &diff.removed)] {
        for change in list {
            for p in members(change.from) {
                for q in members(change.to) {
                    out.insert((added, p.clone(), q), format!("{:?}", change.ports));
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(proptest_config(200))]

    /// Grouping the matrix never changes what is allowed between pods of different
    /// endpoints, and lists every pod once.
    #[test]
    fn grouping_the_matrix_keeps_every_verdict(
        objects in cluster(7, 3),
        owners in proptest::collection::vec(0usize..6, 7),
    ) {
        let model = owned_model(&objects, &owners);
        let found = matrix_disagreements(&model);
        prop_assert!(found.is_empty(), "{}\nowners {owners:?}\n{}", found.join("\n"), show(&objects));
    }

    /// The connections of a matrix, grouped or not, are exactly the pairs with
    /// something allowed, by source then destination, with what is allowed.
    #[test]
    fn connections_list_every_allowed_pair_in_order(
        objects in cluster(7, 3),
        owners in proptest::collection::vec(0usize..6, 7),
    ) {
        let model = owned_model(&objects, &owners);
        let engine = Engine::new(&model);
        for grouping in [Grouping::None, Grouping::Owner] {
            let matrix = engine.matrix().grouped(&engine, grouping);
            prop_assert_eq!(
                listed_connections(&matrix),
                every_allowed_pair(&matrix),
                "{:?}, owners {:?}\n{}", grouping, owners, show(&objects)
            );
        }
    }

    /// Grouping a diff (head drops the last policy) changes nothing once expanded.
    #[test]
    fn grouping_the_diff_keeps_every_change(
        objects in cluster(7, 3),
        owners in proptest::collection::vec(0usize..6, 7),
    ) {
        let base = owned_model(&objects, &owners);
        let mut head = base.clone();
        head.policies.pop();
        let (b, h) = (Engine::new(&base), Engine::new(&head));
        let plain = diff(&b, &h, &DiffOptions::default());
        let grouped = diff(&b, &h, &DiffOptions::default()).grouped([&b, &h], Grouping::Owner);
        prop_assert_eq!(expanded(&plain), expanded(&grouped), "owners {:?}\n{}", owners, show(&objects));
    }
}

/// The matrix check catches a grouping that would hide a difference: two pods of
/// one owner with different labels a policy selects must not agree.
#[test]
fn the_check_sees_differences_inside_an_owner() {
    let objects = vec![
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "n1", "labels": {"app": "a"}}}),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b", "namespace": "n1", "labels": {"app": "b"}}}),
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
               "metadata": {"name": "only-a", "namespace": "n1"},
               "spec": {"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Ingress"]}}),
    ];
    let model = owned_model(&objects, &[0, 0]);
    let engine = Engine::new(&model);
    let grouped = engine.matrix().grouped(&engine, Grouping::Owner);
    assert_eq!(grouped.split_owners(), ["n1/daemonset/agent"]);
    assert!(matrix_disagreements(&model).is_empty());
    let alike = owned_model(&objects[..2], &[0, 0]);
    let engine = Engine::new(&alike);
    let grouped = engine.matrix().grouped(&engine, Grouping::Owner);
    assert_eq!(grouped.endpoints()[0].id, "n1/daemonset/agent");
    assert_eq!(grouped.endpoints()[0].pods, ["n1/a", "n1/b"]);
}
