//! The upstream network-policy-api conformance suite for the cluster-wide tiers,
//! translated to data (`tests/conformance/tiers/`, format in its README), run through
//! the engine (`Engine::allows`, `Engine::flow_sets`, `Engine::query`, on the manifests
//! as `netpol::decode::load` reads them) and through the naive evaluator
//! (`naive::tiers`).
//!
//! Every step of every test applies its mutations to the cluster (rules swapped, an
//! action or priority changed, a rule prepended, namespace labels replaced, a
//! NetworkPolicy deleted), then checks each probe. All mismatches are collected and
//! reported together.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/doc_json.rs"]
mod doc_json;
mod naive;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netpol::doc::{self, Limits};
use netpol::engine::Engine;
use netpol::model::{Model, PortValue, Protocol};
use netpol::source::{Source, SourceId, SourceSet};
use serde_json::Value;

use doc_json::to_json;
use naive::tiers::Outcome;
use naive::{manifest, Endpoint};

/// The namespaces' common prefix: the case files name namespaces without it.
const NAMESPACE_PREFIX: &str = "network-policy-conformance-";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/tiers")
}

/// The objects of one YAML file of `manifests/`.
fn read_manifests(name: &str) -> Vec<Value> {
    let path = dir().join("manifests").join(name);
    let text = std::fs::read_to_string(&path).expect("manifest file");
    let read = doc::read(&Source::new(name, text), SourceId(0), &Limits::default());
    assert!(
        read.diagnostics.is_empty(),
        "{name}: {:?}",
        read.diagnostics
    );
    read.documents
        .iter()
        .map(|d| to_json(&d.root))
        .filter(|v| !v.is_null())
        .collect()
}

/// The cluster of one case: the base objects, then the case's policies.
pub fn cluster_objects(case: &Value) -> Vec<Value> {
    let mut objects = read_manifests("cluster.yaml");
    for name in case["manifests"].as_array().expect("manifests") {
        objects.extend(read_manifests(name.as_str().expect("name")));
    }
    objects
}

fn find<'a>(objects: &'a mut [Value], kind: &str, name: &str) -> &'a mut Value {
    objects
        .iter_mut()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

fn rules<'a>(objects: &'a mut [Value], m: &Value) -> &'a mut Vec<Value> {
    let policy = find(
        objects,
        "ClusterNetworkPolicy",
        m["policy"].as_str().unwrap(),
    );
    policy["spec"][m["direction"].as_str().unwrap()]
        .as_array_mut()
        .expect("rules")
}

/// Applies one mutation of the README's list.
pub fn mutate(objects: &mut Vec<Value>, m: &Value) {
    let index = |v: &Value| v.as_u64().unwrap() as usize;
    match m["op"].as_str().unwrap() {
        "swapRules" => rules(objects, m).swap(index(&m["rules"][0]), index(&m["rules"][1])),
        "setAction" => rules(objects, m)[index(&m["rule"])]["action"] = m["action"].clone(),
        "setProtocols" => {
            rules(objects, m)[index(&m["rule"])]["protocols"] = m["protocols"].clone();
        }
        "prependRule" => rules(objects, m).insert(0, m["rule"].clone()),
        "setPriority" => {
            let policy = find(
                objects,
                "ClusterNetworkPolicy",
                m["policy"].as_str().unwrap(),
            );
            policy["spec"]["priority"] = m["priority"].clone();
        }
        "setNamespaceLabels" => {
            let name = format!("{NAMESPACE_PREFIX}{}", m["namespace"].as_str().unwrap());
            find(objects, "Namespace", &name)["metadata"]["labels"] = m["labels"].clone();
        }
        "delete" => {
            let namespace = format!("{NAMESPACE_PREFIX}{}", m["namespace"].as_str().unwrap());
            let before = objects.len();
            objects.retain(|o| {
                !(o["kind"] == m["kind"]
                    && o["metadata"]["name"] == m["name"]
                    && o["metadata"]["namespace"] == namespace.as_str())
            });
            assert_eq!(objects.len() + 1, before, "deleted one object");
        }
        other => panic!("unknown mutation {other}"),
    }
}

/// A probe's endpoint in the naive evaluator's terms: a pod, or for a host-networked
/// `centaur` pod the address of the node it runs on.
fn naive_endpoint(objects: &[Value], model: &netpol::model::Model, name: &str) -> Endpoint {
    let (ns, pod) = name.split_once('/').expect("ns/pod");
    if let Some(replica) = pod.strip_prefix("centaur-") {
        let node = find(&mut objects.to_vec(), "Node", &format!("node-{replica}")).clone();
        let ip = node["status"]["addresses"][0]["address"].as_str().unwrap();
        return Endpoint::External(ip.parse().unwrap());
    }
    let namespace = format!("{NAMESPACE_PREFIX}{ns}");
    let i = model
        .pods
        .iter()
        .position(|p| p.meta.name.value == pod && naive::namespace_of(&p.meta) == namespace)
        .unwrap_or_else(|| panic!("no pod {name}"));
    Endpoint::Pod(i)
}

fn protocol(name: &str) -> Protocol {
    match name {
        "TCP" => Protocol::Tcp,
        "UDP" => Protocol::Udp,
        "SCTP" => Protocol::Sctp,
        other => panic!("protocol {other}"),
    }
}

/// The model `netpol::decode::load` reads from `objects` (one JSON list); no error.
fn decode(objects: &[Value]) -> Model {
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": objects});
    let mut sources = SourceSet::new();
    sources.add(Source::new("cluster.json", list.to_string()));
    let loaded = netpol::decode::load(&sources, &Limits::default());
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == netpol::diag::Severity::Error)
        .map(|d| format!("{} {:?}: {}", d.rule, d.path, d.message))
        .collect();
    assert!(errors.is_empty(), "decode errors: {errors:#?}");
    loaded.model
}

/// A probe's endpoint as the command line writes it: `ns/pod`, or the node's address
/// for a host-networked `centaur` pod.
fn engine_name(objects: &[Value], name: &str) -> String {
    let (ns, pod) = name.split_once('/').expect("ns/pod");
    if let Some(replica) = pod.strip_prefix("centaur-") {
        let node = find(&mut objects.to_vec(), "Node", &format!("node-{replica}")).clone();
        return node["status"]["addresses"][0]["address"]
            .as_str()
            .unwrap()
            .to_string();
    }
    format!("{NAMESPACE_PREFIX}{ns}/{pod}")
}

/// The engine's answer for one probe, checked on three paths: `allows`, `flow_sets`
/// (nothing uncertain) and `query`.
fn engine_allows(engine: &Engine<'_>, objects: &[Value], probe: &Value) -> Result<bool, String> {
    let from = engine_name(objects, probe["from"].as_str().unwrap());
    let to = engine_name(objects, probe["to"].as_str().unwrap());
    let protocol = protocol(probe["protocol"].as_str().unwrap());
    let port = u16::try_from(probe["port"].as_u64().unwrap()).unwrap();
    let (f, t) = (engine.resolve(&from).unwrap(), engine.resolve(&to).unwrap());
    let allows = engine.allows(&f, &t, protocol, port);
    let sets = engine.flow_sets(&f, &t);
    if sets.uncertain().allows(protocol, port) {
        return Err("uncertain".into());
    }
    let flow = engine
        .flow(&from, &to, &PortValue::Number(port), protocol)
        .map_err(|e| format!("{e:?}"))?;
    let verdict = engine.query(&flow);
    if verdict.allowed != allows || sets.allowed().allows(protocol, port) != allows {
        return Err(format!(
            "paths disagree: allows {allows}, query {} ({})",
            verdict.allowed, verdict.reason
        ));
    }
    Ok(allows)
}

/// Every case file, sorted.
pub fn cases() -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir().join("cases"))
        .expect("cases dir")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let name = f.file_stem().unwrap().to_string_lossy().to_string();
            (name, serde_json::from_str(&text).expect("case JSON"))
        })
        .collect()
}

#[test]
fn engine_and_naive_evaluator_pass_the_upstream_tier_conformance_cases() {
    let mut failures = String::new();
    let mut probes = 0;
    let all = cases();
    for (name, case) in &all {
        let mut objects = cluster_objects(case);
        for step in case["steps"].as_array().unwrap() {
            for m in step["mutations"].as_array().into_iter().flatten() {
                mutate(&mut objects, m);
            }
            let model = manifest::model(&objects);
            let decoded = decode(&objects);
            let engine = Engine::new(&decoded);
            for probe in step["probes"].as_array().unwrap() {
                probes += 1;
                let from = naive_endpoint(&objects, &model, probe["from"].as_str().unwrap());
                let to = naive_endpoint(&objects, &model, probe["to"].as_str().unwrap());
                let port = u16::try_from(probe["port"].as_u64().unwrap()).unwrap();
                let got = naive::tiers::verdict(
                    &model,
                    &objects,
                    &from,
                    &to,
                    protocol(probe["protocol"].as_str().unwrap()),
                    port,
                );
                let allowed = probe["allowed"].as_bool().unwrap();
                let want = if allowed {
                    Outcome::Allow
                } else {
                    Outcome::Deny
                };
                let run = step["run"].as_str().unwrap_or("");
                if got != want {
                    let _ = writeln!(failures, "{name} / {run}: {probe}: naive {got:?}");
                }
                match engine_allows(&engine, &objects, probe) {
                    Ok(answer) if answer == allowed => {}
                    other => {
                        let _ = writeln!(failures, "{name} / {run}: {probe}: engine {other:?}");
                    }
                }
            }
        }
    }
    assert_eq!(all.len(), 24, "translated tests");
    assert_eq!(probes, 301, "translated probes");
    assert!(failures.is_empty(), "mismatches:\n{failures}");
}
