//! Representative endpoints against the naive evaluator (`tests/naive/`), on random
//! policy sets:
//!
//! - a representative answers exactly as a real pod carrying its labels would: the
//!   policies alone are completed with representatives, the engine evaluates them;
//!   the same policies plus real pods with those labels go to the naive evaluator;
//!   every pair (and every pair with an address outside the cluster) must agree on
//!   every port of every protocol;
//! - every policy's own podSelector, when some pod can satisfy it, is stood for by a
//!   representative it selects;
//! - a namespace holding real Pods or workloads never gets representatives.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod naive;

use std::collections::BTreeSet;
use std::net::IpAddr;

use netpol::engine::{representatives, EndpointId, EndpointRef, Engine};
use netpol::model::Protocol;
use proptest::prelude::*;
use serde_json::{json, Value};

use naive::compare::EXTERNALS;
use naive::generate::{cluster, proptest_config, show};
use naive::manifest;
use naive::matrix::{allowed_ports, candidate_ports};

/// The Namespaces and NetworkPolicies of `objects` (a policy repository).
fn policies_only(objects: &[Value]) -> Vec<Value> {
    objects
        .iter()
        .filter(|o| matches!(o["kind"].as_str(), Some("Namespace" | "NetworkPolicy")))
        .cloned()
        .collect()
}

/// Disagreements between representatives (engine) and real pods with their labels
/// (naive evaluator).
fn disagreements(objects: &[Value]) -> Vec<String> {
    let objects = policies_only(objects);
    let model = manifest::model(&objects);
    let completed = representatives::complete(&model);
    let engine = Engine::new(&completed);
    let mut real = objects.clone();
    let mut pairs: Vec<(EndpointRef, naive::Endpoint)> = Vec::new();
    let mut out = Vec::new();
    for (i, e) in engine.endpoints().iter().enumerate() {
        if !e.representative {
            out.push(format!(
                "{} is not representative in a policy-only input",
                e.id
            ));
        }
        pairs.push((
            EndpointRef::Endpoint(EndpointId::from_index(i)),
            naive::Endpoint::Pod(pairs.len()),
        ));
        real.push(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("p{i}"), "namespace": e.namespace, "labels": e.labels}}));
    }
    for text in EXTERNALS {
        let ip: IpAddr = text.parse().expect("address");
        pairs.push((EndpointRef::External(ip), naive::Endpoint::External(ip)));
    }
    let real = manifest::model(&real);
    let candidates = candidate_ports(&real);
    for (a, na) in &pairs {
        for (b, nb) in &pairs {
            if matches!((a, b), (EndpointRef::External(_), EndpointRef::External(_))) {
                continue;
            }
            let ports = engine.allowed_ports(a, b);
            for protocol in [Protocol::Tcp, Protocol::Udp, Protocol::Sctp] {
                let expected = allowed_ports(&real, &candidates, na, nb, protocol);
                if ports.get(protocol).ranges() != expected.as_slice() {
                    out.push(format!(
                        "{} -> {} {}: engine {:?}, naive {expected:?}",
                        engine.display(a),
                        engine.display(b),
                        protocol.as_str(),
                        ports.get(protocol).ranges()
                    ));
                }
            }
        }
    }
    for policy in &model.policies {
        let ns = policy.meta.namespace_name();
        let satisfiable = policy.pod_selector.match_expressions.is_empty();
        let stood_for = engine.endpoints().iter().any(|e| {
            e.namespace == ns && naive::select::selector_matches(&policy.pod_selector, e.labels)
        });
        if satisfiable && !stood_for {
            out.push(format!(
                "no representative for the podSelector of {ns}/{}",
                policy.meta.name.value
            ));
        }
    }
    out
}

/// Namespaces holding representatives although they hold real pods or workloads.
fn occupied_with_representatives(objects: &[Value]) -> Vec<String> {
    let model = manifest::model(objects);
    let occupied: BTreeSet<String> = model
        .pods
        .iter()
        .map(|p| p.meta.namespace_name().to_string())
        .chain(
            model
                .workloads
                .iter()
                .map(|w| w.meta.namespace_name().to_string()),
        )
        .collect();
    let completed = representatives::complete(&model);
    completed
        .pods
        .iter()
        .filter(|p| p.representative && occupied.contains(p.meta.namespace_name()))
        .map(|p| format!("{}/{}", p.meta.namespace_name(), p.meta.name.value))
        .collect()
}

proptest! {
    #![proptest_config(proptest_config(200))]

    /// Representatives answer like real pods with their labels.
    #[test]
    fn representatives_answer_like_real_pods(objects in cluster(0, 4)) {
        let found = disagreements(&objects);
        prop_assert!(found.is_empty(), "{}\n{}", found.join("\n"), show(&policies_only(&objects)));
    }

    /// Namespaces with real pods or workloads keep them alone.
    #[test]
    fn occupied_namespaces_get_no_representatives(objects in cluster(4, 4)) {
        let found = occupied_with_representatives(&objects);
        prop_assert!(found.is_empty(), "{}\n{}", found.join("\n"), show(&objects));
    }
}

/// The disagreement check fails when a representative does not answer like a pod
/// with its labels: here the naive side is given a pod without labels.
#[test]
fn a_wrong_stand_in_is_caught() {
    let objects = vec![
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
               "metadata": {"name": "web", "namespace": "n1"},
               "spec": {"podSelector": {"matchLabels": {"app": "a"}},
                        "ingress": [{"ports": [{"port": 80}]}]}}),
    ];
    assert!(disagreements(&objects).is_empty());
    let model = manifest::model(&objects);
    let completed = representatives::complete(&model);
    let engine = Engine::new(&completed);
    let rep = engine.resolve("n1/{app=a}").expect("the representative");
    let outside = EndpointRef::External("192.168.1.1".parse().expect("address"));
    let mut real = objects.clone();
    real.push(json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p0", "namespace": "n1", "labels": {}}}));
    let real = manifest::model(&real);
    let candidates = candidate_ports(&real);
    let naive_ports = allowed_ports(
        &real,
        &candidates,
        &naive::Endpoint::External("192.168.1.1".parse().expect("address")),
        &naive::Endpoint::Pod(0),
        Protocol::Tcp,
    );
    let engine_ports = engine.allowed_ports(&outside, &rep);
    assert_eq!(engine_ports.get(Protocol::Tcp).ranges(), &[(80, 80)]);
    assert_ne!(
        engine_ports.get(Protocol::Tcp).ranges(),
        naive_ports.as_slice()
    );
}
