//! Builders for test models and a flow check through every engine path.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::net::IpAddr;

use serde_json::{json, Value};

use crate::doc::Limits;
use crate::engine::{EndpointRef, Engine, Flow, Matrix, Verdict};
use crate::model::{Model, PortValue, Protocol};
use crate::source::{Source, SourceSet};

/// Decodes `objects` (one JSON list); panics on any error diagnostic.
pub fn model(objects: Vec<Value>) -> Model {
    let (model, _) = model_with_sources(objects);
    model
}

/// Like [`model`], also returning the sources (for file/line checks).
pub fn model_with_sources(objects: Vec<Value>) -> (Model, SourceSet) {
    let text = serde_json::to_string_pretty(
        &json!({"apiVersion": "v1", "kind": "List", "items": objects}),
    )
    .unwrap();
    let mut sources = SourceSet::new();
    sources.add(Source::new("test.json", text));
    let loaded = crate::decode::load(&sources, &Limits::default());
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "decode errors: {errors:#?}");
    (loaded.model, sources)
}

/// A Namespace with labels.
pub fn ns(name: &str, labels: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
}

/// A Pod with labels, IPs and container ports (`[{"name":..,"containerPort":..,"protocol":..}]`).
pub fn pod(namespace: &str, name: &str, labels: Value, ips: &[&str], ports: Value) -> Value {
    let mut status = json!({});
    if let Some(first) = ips.first() {
        status = json!({"podIP": first, "podIPs": ips.iter().map(|ip| json!({"ip": ip})).collect::<Vec<_>>()});
    }
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": {"containers": [{"name": "c", "image": "x", "ports": ports}]},
        "status": status})
}

/// A Deployment whose template has `labels` and container `ports`.
pub fn deployment(namespace: &str, name: &str, labels: Value, ports: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels},
                "spec": {"containers": [{"name": "c", "image": "x", "ports": ports}]}}}})
}

/// A NetworkPolicy.
pub fn policy(namespace: &str, name: &str, spec: Value) -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace}, "spec": spec})
}

/// The matrix endpoint index standing for `endpoint`.
fn matrix_index(engine: &Engine<'_>, matrix: &Matrix, endpoint: &EndpointRef) -> usize {
    match endpoint {
        EndpointRef::Endpoint(id) => matrix.index_of(&engine.endpoints()[id.index()].id).unwrap(),
        EndpointRef::External(ip) => matrix
            .endpoints()
            .iter()
            .position(|e| e.cidrs.iter().any(|c| c.contains(ip)))
            .unwrap_or_else(|| panic!("no external class holds {ip}")),
    }
}

/// Resolves a flow and checks it through every path; returns the verdict.
pub fn verdict(
    engine: &Engine<'_>,
    from: &str,
    to: &str,
    port: u16,
    protocol: Protocol,
) -> Verdict {
    let flow = engine
        .flow(from, to, &PortValue::Number(port), protocol)
        .unwrap_or_else(|e| panic!("{e}"));
    check_paths(engine, &flow)
}

/// Checks that query, allows, allowed_ports and the matrix agree on `flow`.
pub fn check_paths(engine: &Engine<'_>, flow: &Flow) -> Verdict {
    let verdict = engine.query(flow);
    let quick = engine.allows(&flow.from, &flow.to, flow.protocol, flow.port);
    let ports = engine.allowed_ports(&flow.from, &flow.to);
    let matrix = engine.matrix();
    let both_external = matches!(
        (&flow.from, &flow.to),
        (EndpointRef::External(_), EndpointRef::External(_))
    );
    assert_eq!(
        verdict.allowed, quick,
        "query vs allows: {}",
        verdict.reason
    );
    assert_eq!(
        ports.allows(flow.protocol, flow.port),
        quick,
        "allowed_ports vs allows: {ports:?}"
    );
    if !both_external {
        let (f, t) = (
            matrix_index(engine, &matrix, &flow.from),
            matrix_index(engine, &matrix, &flow.to),
        );
        assert_eq!(matrix.allowed(f, t), &ports, "matrix vs allowed_ports");
    }
    verdict
}

/// Whether `from` reaches `to` on `port`/`protocol` (all paths checked).
pub fn allowed(engine: &Engine<'_>, from: &str, to: &str, port: u16, protocol: Protocol) -> bool {
    verdict(engine, from, to, port, protocol).allowed
}

/// TCP shorthand of [`allowed`].
pub fn tcp(engine: &Engine<'_>, from: &str, to: &str, port: u16) -> bool {
    allowed(engine, from, to, port, Protocol::Tcp)
}

/// The allowed ports between two endpoint names, as `(protocol, ranges)` strings.
pub fn ports(engine: &Engine<'_>, from: &str, to: &str) -> Vec<String> {
    let (f, t) = (engine.resolve(from).unwrap(), engine.resolve(to).unwrap());
    engine
        .allowed_ports(&f, &t)
        .iter()
        .map(|(p, set)| alloc::format!("{} {:?}", p.as_str(), set.ranges()))
        .collect()
}

/// Two pods `a/client` (10.0.0.1) and `b/server` (10.0.1.1, port `http` 8080/TCP and
/// `dns` 53/UDP) plus `objects`.
pub fn two_pods(objects: Vec<Value>) -> Model {
    let mut all = vec![
        ns("a", json!({"team": "a"})),
        ns("b", json!({"team": "b"})),
        pod(
            "a",
            "client",
            json!({"app": "client"}),
            &["10.0.0.1"],
            json!([]),
        ),
        pod(
            "b",
            "server",
            json!({"app": "server", "tier": "backend"}),
            &["10.0.1.1"],
            json!([{"name": "http", "containerPort": 8080}, {"name": "dns", "containerPort": 53, "protocol": "UDP"}]),
        ),
    ];
    all.extend(objects);
    model(all)
}

/// Parses an address.
pub fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}
