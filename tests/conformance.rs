//! The upstream Kubernetes NetworkPolicy e2e suite, translated to data
//! (`tests/conformance/cases/*.json`, format in `tests/conformance/README.md`), run
//! through the engine's public API and through the naive evaluator.
//!
//! Every probe of every state of every test is checked pair by pair, on two models of
//! the same manifests: one built directly (`naive::manifest`), one read by
//! `netpol::decode::load`. On each: `Engine::allows`, `Engine::allowed_ports` and
//! `naive::verdict`. The decoded input also carries a `ConnectivityTest` stating every
//! flow twice (port number, port name), run by `Engine::run_tests`. All mismatches are
//! collected and reported together (test, state, protocol/port, pair, expected,
//! engine, naive).
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod naive;
#[path = "conformance/traps.rs"]
mod traps;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use netpol::decode;
use netpol::doc::Limits;
use netpol::engine::{EndpointRef, Engine};
use netpol::model::{Model, Protocol};
use netpol::source::{Source, SourceSet};
use serde_json::{json, Value};

use naive::manifest;

/// The conformance cluster: pod IPs follow `10.244.<ns>.<pod>` with x,y,z = 1,2,3 and
/// a,b,c = 1,2,3.
fn pod_ip(namespace: &str, pod: &str) -> String {
    let index = |s: &str, all: &str| all.find(s).map(|i| i + 1).expect("known name");
    format!("10.244.{}.{}", index(namespace, "xyz"), index(pod, "abc"))
}

/// One pod of the e2e model: label `pod=<name>`, one container port per probed
/// (port, protocol) named `serve-<port>-<protocol>`.
fn pod_manifest(
    pod: &str,
    labels: &BTreeMap<String, String>,
    ports: &[u64],
    protocols: &[String],
) -> Value {
    let (namespace, name) = pod.split_once('/').expect("ns/pod");
    let mut container_ports = Vec::new();
    for port in ports {
        for protocol in protocols {
            container_ports.push(json!({
                "name": format!("serve-{port}-{}", protocol.to_lowercase()),
                "containerPort": port,
                "protocol": protocol,
            }));
        }
    }
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "spec": {"containers": [{"name": "cont", "ports": container_ports}]},
        "status": {"podIP": pod_ip(namespace, name)},
    })
}

/// The mutable state of one test: namespace labels, pod labels, policies in creation
/// order.
struct Cluster {
    pods: Vec<String>,
    ports: Vec<u64>,
    protocols: Vec<String>,
    namespace_labels: BTreeMap<String, BTreeMap<String, String>>,
    pod_labels: BTreeMap<String, BTreeMap<String, String>>,
    policies: Vec<Value>,
}

impl Cluster {
    fn new(case: &Value) -> Cluster {
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .expect("a list")
                .iter()
                .map(|s| s.as_str().expect("a string").to_string())
                .collect()
        };
        let pods = strings(&case["pods"]);
        let mut pod_labels = BTreeMap::new();
        for pod in &pods {
            let name = pod.split_once('/').expect("ns/pod").1;
            pod_labels.insert(
                pod.clone(),
                BTreeMap::from([("pod".to_string(), name.to_string())]),
            );
        }
        let namespace_labels = ["x", "y", "z"]
            .into_iter()
            .map(|ns| (ns.to_string(), BTreeMap::new()))
            .collect();
        Cluster {
            pods,
            ports: case["ports"]
                .as_array()
                .expect("ports")
                .iter()
                .map(|p| p.as_u64().expect("port"))
                .collect(),
            protocols: strings(&case["protocols"]),
            namespace_labels,
            pod_labels,
            policies: Vec::new(),
        }
    }

    fn apply_step(&mut self, step: &Value) {
        if step["deleteAllPolicies"].as_bool().unwrap_or(false) {
            self.policies.clear();
        }
        for policy in step["apply"].as_array().into_iter().flatten() {
            let key = |p: &Value| {
                (
                    p["metadata"]["namespace"].clone(),
                    p["metadata"]["name"].clone(),
                )
            };
            match self.policies.iter_mut().find(|p| key(p) == key(policy)) {
                Some(existing) => *existing = policy.clone(),
                None => self.policies.push(policy.clone()),
            }
        }
        let merge = |target: &mut BTreeMap<String, BTreeMap<String, String>>, updates: &Value| {
            for (object, labels) in updates.as_object().into_iter().flatten() {
                let entry = target.get_mut(object).expect("a known namespace or pod");
                for (k, v) in labels.as_object().expect("labels") {
                    entry.insert(k.clone(), v.as_str().expect("label value").to_string());
                }
            }
        };
        merge(&mut self.namespace_labels, &step["labelNamespaces"]);
        merge(&mut self.pod_labels, &step["labelPods"]);
    }

    fn manifests(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for (ns, labels) in &self.namespace_labels {
            out.push(json!({"apiVersion": "v1", "kind": "Namespace",
                            "metadata": {"name": ns, "labels": labels}}));
        }
        for pod in &self.pods {
            out.push(pod_manifest(
                pod,
                &self.pod_labels[pod],
                &self.ports,
                &self.protocols,
            ));
        }
        out.extend(self.policies.iter().cloned());
        out
    }
}

/// The expected verdicts of a probe: `(from, to) → Some(allowed)`, `None` on the
/// diagonal (ignored upstream).
fn parse_table(rows: &Value, pods: &[String]) -> BTreeMap<(String, String), Option<bool>> {
    let rows: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r.as_str().expect("row"))
        .collect();
    let header: Vec<&str> = rows[0].split_whitespace().skip(1).collect();
    assert_eq!(
        header,
        pods.iter().map(String::as_str).collect::<Vec<_>>(),
        "table header"
    );
    let mut out = BTreeMap::new();
    for (row, from) in rows[1..].iter().zip(pods) {
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cells[0], from, "row label");
        assert_eq!(cells.len(), pods.len() + 1, "row width of {from}");
        for (cell, to) in cells[1..].iter().zip(pods) {
            let value = match *cell {
                "." => Some(true),
                "X" => Some(false),
                "*" => None,
                other => panic!("unknown cell {other:?}"),
            };
            assert_eq!(
                value.is_none(),
                from == to,
                "'*' marks exactly the diagonal"
            );
            out.insert((from.clone(), to.clone()), value);
        }
    }
    assert_eq!(out.len(), pods.len() * pods.len(), "table size");
    out
}

fn naive_endpoint(model: &Model, pod: &str) -> naive::Endpoint {
    let (ns, name) = pod.split_once('/').expect("ns/pod");
    let index = model
        .pods
        .iter()
        .position(|p| p.meta.name.value == name && naive::namespace_of(&p.meta) == ns)
        .expect("pod in model");
    naive::Endpoint::Pod(index)
}

fn verdict_char(v: bool) -> char {
    if v {
        '.'
    } else {
        'X'
    }
}

struct Totals {
    tests: usize,
    states: usize,
    probes: usize,
    flows: usize,
    test_cases: usize,
}

/// Runs one probe; appends a line per disagreement to `report`.
fn check_probe(
    label: &str,
    model: &Model,
    pods: &[String],
    probe: &Value,
    report: &mut String,
    totals: &mut Totals,
) {
    let protocol =
        Protocol::parse(probe["protocol"].as_str().expect("protocol")).expect("protocol");
    let port = probe["port"].as_u64().expect("port") as u16;
    let expected = parse_table(&probe["reachability"], pods);
    let engine = Engine::new(model);
    for ((from, to), expect) in &expected {
        totals.flows += 1;
        let (from_ref, to_ref): (EndpointRef, EndpointRef) =
            match (engine.resolve(from), engine.resolve(to)) {
                (Ok(f), Ok(t)) => (f, t),
                (f, t) => {
                    let _ = writeln!(
                        report,
                        "{label} {from} -> {to}: engine cannot resolve: {f:?} / {t:?}"
                    );
                    continue;
                }
            };
        let by_engine = engine.allows(&from_ref, &to_ref, protocol, port);
        let by_engine_ports = engine
            .allowed_ports(&from_ref, &to_ref)
            .allows(protocol, port);
        let by_naive = naive::verdict(
            model,
            &naive_endpoint(model, from),
            &naive_endpoint(model, to),
            protocol,
            port,
        );
        // The diagonal is ignored upstream; the spec's Choice makes it allowed.
        let want = expect.unwrap_or(true);
        if by_engine != want || by_engine_ports != want || by_naive != want {
            let _ = writeln!(
                report,
                "{label} {}/{port} {from} -> {to}: expected {} engine.allows {} engine.allowed_ports {} naive {}",
                protocol.as_str(),
                verdict_char(want),
                verdict_char(by_engine),
                verdict_char(by_engine_ports),
                verdict_char(by_naive),
            );
        }
    }
}

/// A `ConnectivityTest` stating every probe of a step, each flow twice: by port
/// number and by the destination's port name (`serve-80-tcp`).
fn connectivity_test(name: &str, pods: &[String], probes: &[Value]) -> Value {
    let mut cases = Vec::new();
    for probe in probes {
        let protocol = probe["protocol"].as_str().expect("protocol");
        let port = probe["port"].as_u64().expect("port");
        for ((from, to), expect) in parse_table(&probe["reachability"], pods) {
            let expect = if expect.unwrap_or(true) {
                "allow"
            } else {
                "deny"
            };
            let port_name = format!("serve-{port}-{}", protocol.to_lowercase());
            for port_value in [json!(port), json!(port_name)] {
                cases.push(json!({
                    "name": format!("{protocol}/{port_value} {from} -> {to}"),
                    "from": from, "to": to, "port": port_value,
                    "protocol": protocol, "expect": expect,
                }));
            }
        }
    }
    json!({"apiVersion": "netpol/v1alpha1", "kind": "ConnectivityTest",
           "metadata": {"name": name}, "spec": {"cases": cases}})
}

/// Runs the step's `ConnectivityTest` with `Engine::run_tests` on the decoded model;
/// returns how many cases ran.
fn check_connectivity_test(label: &str, model: &Model, report: &mut String) -> usize {
    let engine = Engine::new(model);
    let results = engine.run_tests();
    for r in results.results.iter().filter(|r| !r.pass) {
        let _ = writeln!(
            report,
            "{label} ConnectivityTest case {:?}: expected {}, got {:?} {}",
            r.name,
            r.expect.as_str(),
            r.actual.map(|a| a.as_str()),
            r.error.clone().unwrap_or_default()
        );
    }
    results.results.len()
}

/// The model `netpol::decode::load` reads from `manifests` (as one JSON list), and
/// every diagnostic it reported.
pub(crate) fn decoded_model(manifests: &[Value]) -> (Model, Vec<String>) {
    let list = json!({"apiVersion": "v1", "kind": "List", "items": manifests});
    let mut sources = SourceSet::new();
    sources.add(Source::new(
        "conformance.json",
        serde_json::to_string_pretty(&list).expect("JSON"),
    ));
    let loaded = decode::load(&sources, &Limits::default());
    let diagnostics = loaded
        .diagnostics
        .iter()
        .map(|d| format!("{} {}: {}", d.severity.as_str(), d.rule, d.message))
        .collect();
    (loaded.model, diagnostics)
}

fn case_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/conformance/cases")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn upstream_e2e_netpol_suite() {
    let mut report = String::new();
    let mut totals = Totals {
        tests: 0,
        states: 0,
        probes: 0,
        flows: 0,
        test_cases: 0,
    };
    for file in case_files() {
        let text = std::fs::read_to_string(&file).expect("readable case");
        let case: Value = serde_json::from_str(&text).expect("valid JSON");
        let file_name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        totals.tests += 1;
        let mut cluster = Cluster::new(&case);
        for step in case["steps"].as_array().expect("steps") {
            totals.states += 1;
            cluster.apply_step(step);
            let manifests = cluster.manifests();
            let built = manifest::model(&manifests);
            let label = format!("{file_name} [{}]", step["state"].as_str().expect("state"));
            let probes = step["probes"].as_array().expect("probes");
            let mut with_test = manifests.clone();
            with_test.push(connectivity_test(&file_name, &cluster.pods, probes));
            let (decoded, diagnostics) = decoded_model(&with_test);
            totals.test_cases += check_connectivity_test(&label, &decoded, &mut report);
            for d in diagnostics {
                let _ = writeln!(report, "{label} decoding: {d}");
            }
            for probe in probes {
                totals.probes += 1;
                check_probe(
                    &format!("{label} built"),
                    &built,
                    &cluster.pods,
                    probe,
                    &mut report,
                    &mut totals,
                );
                check_probe(
                    &format!("{label} decoded"),
                    &decoded,
                    &cluster.pods,
                    probe,
                    &mut report,
                    &mut totals,
                );
            }
        }
    }
    // The translation: 48 upstream tests (42 TCP, 3 UDP, 3 SCTP), 58 states, 65 probes.
    assert_eq!(
        (totals.tests, totals.states, totals.probes),
        (48, 58, 65),
        "case files changed"
    );
    // 711 flows, each checked on two models and stated as two ConnectivityTest cases.
    assert_eq!(
        (totals.flows, totals.test_cases),
        (1422, 1422),
        "flows checked"
    );
    assert!(report.is_empty(), "conformance mismatches:\n{report}");
}
