//! The upstream network-policy-api conformance suite for the cluster-wide tiers,
//! translated to data (`tests/conformance/tiers/`, format in its README), run through
//! the naive evaluator (`naive::tiers`).
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

mod naive;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netpol::doc::{self, Limits};
use netpol::model::Protocol;
use netpol::source::{Source, SourceId};
use serde_json::{Map, Value};

use naive::tiers::Outcome;
use naive::{manifest, Endpoint};

/// The namespaces' common prefix: the case files name namespaces without it.
const NAMESPACE_PREFIX: &str = "network-policy-conformance-";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/tiers")
}

/// The netpol document tree as a `serde_json::Value`.
fn to_json(node: &doc::Node) -> Value {
    match &node.value {
        doc::Value::Null => Value::Null,
        doc::Value::Bool(b) => Value::Bool(*b),
        doc::Value::Int(i) => Value::from(*i),
        doc::Value::Float(f) => Value::from(*f),
        doc::Value::String(s) => Value::String(s.clone()),
        doc::Value::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        doc::Value::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_json(&e.value)))
                .collect::<Map<_, _>>(),
        ),
    }
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
fn naive_evaluator_passes_the_upstream_tier_conformance_cases() {
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
                let want = if probe["allowed"].as_bool().unwrap() {
                    Outcome::Allow
                } else {
                    Outcome::Deny
                };
                if got != want {
                    let _ = writeln!(
                        failures,
                        "{name} / {}: {probe}: naive {got:?}",
                        step["run"].as_str().unwrap_or("")
                    );
                }
            }
        }
    }
    assert_eq!(all.len(), 24, "translated tests");
    assert_eq!(probes, 301, "translated probes");
    assert!(failures.is_empty(), "mismatches:\n{failures}");
}
