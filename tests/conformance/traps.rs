//! The traps and choices of docs/spec/semantics.md with hand-computed verdicts
//! (`spec-traps.json`, next to this file): each flow through the engine on the built
//! and on the decoded model, and through the naive evaluator.

use std::fmt::Write as _;
use std::path::PathBuf;

use netpol::engine::Engine;
use netpol::model::{Model, Protocol};
use serde_json::Value;

use crate::naive::{self, manifest};

/// The naive reading of an endpoint as written (`ns/name`, `ns/kind/name`, an IP).
fn naive_resolve(model: &Model, text: &str) -> Option<naive::Endpoint> {
    if let Ok(ip) = text.parse::<std::net::IpAddr>() {
        let pod = model.pods.iter().position(|p| p.ips.contains(&ip));
        return Some(pod.map_or(naive::Endpoint::External(ip), naive::Endpoint::Pod));
    }
    let parts: Vec<&str> = text.split('/').collect();
    match parts.as_slice() {
        [ns, name] => {
            let pod = model
                .pods
                .iter()
                .position(|p| p.meta.name.value == *name && naive::namespace_of(&p.meta) == *ns);
            let workload = model
                .workloads
                .iter()
                .position(|w| w.meta.name.value == *name && naive::namespace_of(&w.meta) == *ns);
            pod.map(naive::Endpoint::Pod)
                .or(workload.map(naive::Endpoint::Workload))
        }
        [ns, kind, name] => model
            .workloads
            .iter()
            .position(|w| {
                w.meta.name.value == *name
                    && naive::namespace_of(&w.meta) == *ns
                    && w.kind.as_str().eq_ignore_ascii_case(kind)
            })
            .map(naive::Endpoint::Workload),
        _ => None,
    }
}

/// The traps and choices of docs/spec/semantics.md with hand-computed verdicts
/// (`tests/conformance/spec-traps.json`), through the engine on the built and the
/// decoded model, and through the naive evaluator.
#[test]
fn spec_traps() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/spec-traps.json");
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON");
    let mut report = String::new();
    let mut flows = 0;
    for case in data["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let objects = case["objects"].as_array().expect("objects");
        let built = manifest::model(objects);
        let (decoded, diagnostics) = crate::decoded_model(objects);
        for d in diagnostics.iter().filter(|d| d.starts_with("error")) {
            let _ = writeln!(report, "{name}: decoding: {d}");
        }
        for flow in case["flows"].as_array().expect("flows") {
            flows += 1;
            let (from, to) = (
                flow["from"].as_str().expect("from"),
                flow["to"].as_str().expect("to"),
            );
            let protocol =
                Protocol::parse(flow["protocol"].as_str().expect("protocol")).expect("protocol");
            let port = flow["port"].as_u64().expect("port") as u16;
            let want = flow["expect"] == "allow";
            let mut answers = Vec::new();
            for model in [&built, &decoded] {
                let engine = Engine::new(model);
                answers.push(match (engine.resolve(from), engine.resolve(to)) {
                    (Ok(f), Ok(t)) => Some(engine.allows(&f, &t, protocol, port)),
                    _ => None,
                });
            }
            answers.push(
                match (naive_resolve(&built, from), naive_resolve(&built, to)) {
                    (Some(f), Some(t)) => Some(naive::verdict(&built, &f, &t, protocol, port)),
                    _ => None,
                },
            );
            if answers.iter().any(|a| *a != Some(want)) {
                let _ = writeln!(
                    report,
                    "{name}: {from} -> {to} {}/{port}: expected {want}, engine (built, decoded) and naive: {answers:?}",
                    protocol.as_str()
                );
            }
        }
    }
    assert_eq!(flows, 78, "spec-traps.json changed");
    assert!(report.is_empty(), "spec trap mismatches:\n{report}");
}
