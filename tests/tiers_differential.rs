//! The engine against the naive evaluator on random clusters with all three kinds of
//! cluster-wide policy (`naive::generate_tiers`) besides NetworkPolicies, Nodes, and
//! host-networked pods:
//!
//! - every pair of endpoints and external addresses, on every port where some rule
//!   draws a line: the engine's definite answers (`flow_sets`: allowed, denied,
//!   uncertain) are the naive evaluator's outcome, and `allows` says yes exactly when
//!   the outcome is Allow;
//! - the matrix, computed per class, gives every pair what `allowed_ports` gives it
//!   (and as uncertain what `flow_sets` says is),
//!   and an external class gives any of its addresses what its first one gets;
//! - on every data-plane profile (`cni`): a policy of a kind the profile does not
//!   implement is left out of the naive input, the engine reading it all.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod naive;

use std::collections::BTreeSet;
use std::net::IpAddr;

use netpol::engine::{EndpointId, EndpointRef, Engine};
use netpol::model::{Model, Protocol};
use proptest::prelude::*;
use serde_json::Value;

use naive::compare::{endpoints, flow_pairs};
use naive::generate::{proptest_config, show};
use naive::generate_tiers::cluster_with_tiers;
use naive::manifest;
use naive::matrix::candidate_ports;
use naive::plane::Plane;
use naive::tiers::Outcome;

/// Reads `objects` with `netpol::decode::load`; any diagnostic at error level fails.
fn decode(objects: &[Value]) -> Model {
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects});
    let mut sources = netpol::source::SourceSet::new();
    sources.add(netpol::source::Source::new(
        "generated.json",
        list.to_string(),
    ));
    let loaded = netpol::decode::load(&sources, &netpol::doc::Limits::default());
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == netpol::diag::Severity::Error)
        .map(|d| format!("{} {:?}: {}", d.rule, d.path, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", show(objects));
    loaded.model
}

/// Every number in a tier rule's ports, with its neighbours, and the NetworkPolicy
/// candidates: the ports where an answer can change.
fn ports(built: &Model, objects: &[Value]) -> Vec<u16> {
    let mut out: BTreeSet<u16> = candidate_ports(built).into_iter().collect();
    fn walk(value: &Value, out: &mut BTreeSet<u16>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    if let ("number" | "port" | "start" | "end", Some(n)) =
                        (key.as_str(), v.as_u64())
                    {
                        let n = u16::try_from(n).unwrap();
                        out.extend([n.saturating_sub(1).max(1), n, n.saturating_add(1)]);
                    }
                    walk(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    for object in objects {
        if object["apiVersion"]
            .as_str()
            .unwrap_or("")
            .starts_with("policy.networking.k8s.io")
        {
            walk(&object["spec"], &mut out);
        }
    }
    out.into_iter().collect()
}

fn check(objects: &[Value]) -> Result<(), TestCaseError> {
    check_plane(objects, &Plane::GENERIC)
}

/// The naive outcome on `plane`: the tiers evaluator on the objects it enforces, or,
/// for a plane whose NetworkPolicy verdicts differ (it implements no tier), the
/// NetworkPolicy evaluator on that plane.
#[allow(clippy::too_many_arguments)]
fn naive_outcome(
    built: &Model,
    kept: &[Value],
    plane: &Plane,
    from: &naive::Endpoint,
    to: &naive::Endpoint,
    protocol: Protocol,
    port: u16,
) -> Outcome {
    if plane.policies_as_defined() {
        return naive::tiers::verdict(built, kept, from, to, protocol, port);
    }
    assert!(kept.iter().all(|o| !o["apiVersion"]
        .as_str()
        .unwrap_or("")
        .starts_with("policy.networking.k8s.io")));
    if naive::verdict_on(built, plane, from, to, protocol, port) {
        Outcome::Allow
    } else {
        Outcome::Deny
    }
}

fn check_plane(objects: &[Value], plane: &Plane) -> Result<(), TestCaseError> {
    let kept: Vec<Value> = objects
        .iter()
        .filter(|o| plane.enforces(o))
        .cloned()
        .collect();
    let built = manifest::model(&kept);
    let decoded = decode(objects);
    let engine = Engine::with_cni(&decoded, plane.cni);
    let ports = ports(&built, objects);
    let pairs = endpoints(&engine);
    for ((from, naive_from), (to, naive_to)) in flow_pairs(&pairs) {
        let sets = engine.flow_sets(from, to);
        let (allowed, uncertain) = (sets.allowed(), sets.uncertain());
        for protocol in Protocol::ALL {
            for &port in &ports {
                let want =
                    naive_outcome(&built, &kept, plane, naive_from, naive_to, protocol, port);
                let got = if uncertain.allows(protocol, port) {
                    "uncertain"
                } else if allowed.allows(protocol, port) {
                    "allow"
                } else {
                    "deny"
                };
                let expected = match want {
                    Outcome::Allow => "allow",
                    Outcome::Deny => "deny",
                    Outcome::Uncertain { .. } => "uncertain",
                };
                prop_assert_eq!(
                    got,
                    expected,
                    "{} -> {} {}/{}: naive {:?}\ninput:\n{}",
                    engine.display(from),
                    engine.display(to),
                    port,
                    protocol.as_str(),
                    want,
                    show(objects)
                );
                prop_assert_eq!(
                    engine.allows(from, to, protocol, port),
                    want == Outcome::Allow
                );
            }
        }
    }
    check_matrix(&engine, objects)
}

fn check_matrix(engine: &Engine<'_>, objects: &[Value]) -> Result<(), TestCaseError> {
    let matrix = engine.matrix();
    let count = engine.endpoints().len();
    for i in 0..count {
        let from = EndpointRef::Endpoint(EndpointId::from_index(i));
        for j in 0..count {
            let to = EndpointRef::Endpoint(EndpointId::from_index(j));
            prop_assert_eq!(
                matrix.allowed(i, j),
                &engine.allowed_ports(&from, &to),
                "matrix {} -> {}\n{}",
                engine.display(&from),
                engine.display(&to),
                show(objects)
            );
            if i != j {
                prop_assert_eq!(
                    matrix.uncertain(i, j),
                    &engine.flow_sets(&from, &to).uncertain(),
                    "uncertain {} -> {}\n{}",
                    engine.display(&from),
                    engine.display(&to),
                    show(objects)
                );
            }
        }
        for k in count..matrix.endpoints().len() {
            let Some(net) = matrix.endpoints()[k].cidrs.last() else {
                continue;
            };
            let address: IpAddr = net.broadcast();
            let out = EndpointRef::External(address);
            prop_assert_eq!(matrix.allowed(i, k), &engine.allowed_ports(&from, &out));
            prop_assert_eq!(matrix.allowed(k, i), &engine.allowed_ports(&out, &from));
            prop_assert_eq!(
                matrix.uncertain(i, k),
                &engine.flow_sets(&from, &out).uncertain()
            );
            prop_assert_eq!(
                matrix.uncertain(k, i),
                &engine.flow_sets(&out, &from).uncertain()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config(32))]

    /// Small clusters with up to three tier policies: ties, Pass, DNS all appear.
    #[test]
    fn engine_agrees_with_naive_on_tiers(objects in cluster_with_tiers(4, 2, 3)) {
        check(&objects)?;
    }

    /// More pods, policies and tier policies.
    #[test]
    fn engine_agrees_with_naive_on_larger_tiered_clusters(objects in cluster_with_tiers(5, 3, 5)) {
        check(&objects)?;
    }

    /// Every data-plane profile, chosen at random.
    #[test]
    fn engine_agrees_with_naive_on_every_data_plane(
        objects in cluster_with_tiers(4, 2, 3),
        name in proptest::sample::select(Plane::NAMES.to_vec()),
    ) {
        check_plane(&objects, &Plane::named(name))?;
    }
}
