//! Differential tests: the engine against the naive evaluator (`tests/naive/`) on
//! random small clusters covering every feature (see `naive::generate`).
//!
//! Compared, for every pair of endpoints (pods, workload endpoints, a few addresses
//! outside the cluster): the verdict of `Engine::allows` and of `Engine::query` at
//! sample ports of each protocol, and the exact allowed port sets of
//! `Engine::allowed_ports`. The matrix is checked too: every pair of cluster
//! endpoints against the naive port sets, and the external address classes for
//! covering each family exactly once (pod IPs excepted) and for being uniform at every
//! address where some ipBlock draws a line (and one address before it). The same on
//! every data-plane profile (`cni`), the naive evaluator applying its own reading of
//! the profile table (`naive::plane`).
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod naive;

use netpol::engine::Engine;
use netpol::model::{Model, Protocol};
use proptest::prelude::*;
use serde_json::Value;

use naive::compare::{disagreements_on, endpoints, flow_pairs, matrix_disagreements_on, ranges};
use naive::generate::{cluster, proptest_config, show};
use naive::manifest;
use naive::matrix::{allowed_ports, candidate_ports};
use naive::plane::Plane;

/// The engine and the naive evaluator on what the APIs define.
fn check(objects: &[Value]) -> Result<(), TestCaseError> {
    check_plane(objects, "generic")
}

/// The engine and the naive evaluator on the data plane `name`.
fn check_plane(objects: &[Value], name: &str) -> Result<(), TestCaseError> {
    let model = manifest::model(objects);
    let plane = Plane::named(name);
    let mut found = disagreements_on(&model, &plane);
    found.extend(matrix_disagreements_on(&model, &plane));
    prop_assert!(
        found.is_empty(),
        "{name}: {} disagreements, first ones:\n{}\ninput:\n{}",
        found.len(),
        found
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        show(objects)
    );
    Ok(())
}

/// Reads `objects` with `netpol::decode::load` (as one JSON list).
fn decode(objects: &[Value]) -> (Model, Vec<String>) {
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects});
    let mut sources = netpol::source::SourceSet::new();
    sources.add(netpol::source::Source::new(
        "generated.json",
        serde_json::to_string(&list).expect("JSON"),
    ));
    let loaded = netpol::decode::load(&sources, &netpol::doc::Limits::default());
    let diagnostics = loaded
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} at {:?}: {}",
                d.severity.as_str(),
                d.rule,
                d.path,
                d.message
            )
        })
        .collect();
    (loaded.model, diagnostics)
}

/// The decoder reads every generated object (all are valid) and the engine's answers
/// on the decoded model are the naive evaluator's on the directly built one.
fn check_decoded(objects: &[Value]) -> Result<(), TestCaseError> {
    let built = manifest::model(objects);
    let (decoded, diagnostics) = decode(objects);
    prop_assert!(
        diagnostics.is_empty(),
        "decoding reported:\n{}\ninput:\n{}",
        diagnostics.join("\n"),
        show(objects)
    );
    prop_assert_eq!(
        (
            decoded.policies.len(),
            decoded.pods.len(),
            decoded.workloads.len(),
            decoded.namespaces.len()
        ),
        (
            built.policies.len(),
            built.pods.len(),
            built.workloads.len(),
            built.namespaces.len()
        )
    );
    let engine = Engine::new(&decoded);
    let candidates = candidate_ports(&built);
    let pairs = endpoints(&engine);
    for ((from, naive_from), (to, naive_to)) in flow_pairs(&pairs) {
        let ports = engine.allowed_ports(from, to);
        for protocol in Protocol::ALL {
            let want = allowed_ports(&built, &candidates, naive_from, naive_to, protocol);
            let got = ranges(&ports, protocol);
            prop_assert!(
                got == want,
                "decoded {} -> {} {}: engine {:?}, naive {:?}\ninput:\n{}",
                engine.display(from),
                engine.display(to),
                protocol.as_str(),
                got,
                want,
                show(objects)
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config(300))]

    /// Small clusters, few policies: many rules match, every feature appears.
    #[test]
    fn engine_agrees_with_naive_small(objects in cluster(4, 3)) {
        check(&objects)?;
    }

    /// The same, reading the manifests with the decoder.
    #[test]
    fn decoded_input_agrees_with_naive(objects in cluster(5, 4)) {
        check_decoded(&objects)?;
    }

    /// Larger clusters with more policies.
    #[test]
    fn engine_agrees_with_naive_larger(objects in cluster(7, 6)) {
        check(&objects)?;
    }

    /// Every data-plane profile: small clusters, the profile chosen at random.
    #[test]
    fn engine_agrees_with_naive_on_every_data_plane(
        objects in cluster(4, 3),
        name in proptest::sample::select(Plane::NAMES.to_vec()),
    ) {
        check_plane(&objects, name)?;
    }
}
