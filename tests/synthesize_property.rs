//! The property of `netpol synthesize`: on random generated clusters with random
//! requirement sets (ConnectivityTest cases), the synthesized policies either are
//! refused with a reason, or allow every `allow` case and no `deny` case, judged by
//! the engine and by the naive evaluator of tests/naive, and lint with no finding
//! at warning or above. Half the cases ask for the cluster-wide baseline
//! (a Baseline-tier ClusterNetworkPolicy), judged by the naive tiers evaluator.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/doc_json.rs"]
mod doc_json;
mod naive;

use netpol::api::{LintOptions, SourceFile, SynthesizeRequest, Workspace};
use netpol::diag::Severity;
use netpol::doc::Limits;
use netpol::engine::{EndpointKind, EndpointRef, Engine};
use netpol::lint::Config;
use netpol::source::{Source, SourceId};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::Value;

use doc_json::to_json;
use naive::generate::{cluster, proptest_config, show};

/// Addresses outside the cluster a requirement may name.
const OUTSIDE: [&str; 2] = ["203.0.113.7", "2001:db8::5"];

/// One requirement: endpoint picks (modulo the endpoints), port, protocol, allow.
type Pick = (usize, usize, u16, &'static str, bool);

fn picks() -> impl Strategy<Value = Vec<Pick>> {
    proptest::collection::vec(
        (
            0usize..64,
            0usize..64,
            select(vec![53u16, 80, 443, 8080]),
            select(vec!["TCP", "UDP"]),
            any::<bool>(),
        ),
        1..8,
    )
}

/// The documents of a YAML stream as JSON.
fn documents(yaml: &str) -> Vec<Value> {
    let read = netpol::doc::read(
        &Source::new("cluster.yaml", yaml),
        SourceId(0),
        &Limits::default(),
    );
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    read.documents.iter().map(|d| to_json(&d.root)).collect()
}

/// The naive evaluator's endpoint for an endpoint of `engine`.
fn naive_endpoint(engine: &Engine, end: &EndpointRef) -> naive::Endpoint {
    match end {
        EndpointRef::External(ip) => naive::Endpoint::External(*ip),
        EndpointRef::Endpoint(id) => match engine.endpoint(*id).unwrap().kind {
            EndpointKind::Pod(p) => naive::Endpoint::Pod(p),
            EndpointKind::Workload(w) => naive::Endpoint::Workload(w),
        },
    }
}

proptest! {
    #![proptest_config(proptest_config(48))]

    #[test]
    fn synthesized_policies_meet_the_requirements(objects in cluster(6, 0), picks in picks(), cluster_baseline in any::<bool>()) {
        let base = Workspace::load([SourceFile::text("cluster.json", show(&objects))], Config::default());
        let ids: Vec<String> = {
            let engine = base.engine();
            engine.endpoints().iter().map(|e| e.id.clone()).chain(OUTSIDE.map(String::from)).collect()
        };
        let mut cases = String::new();
        for (from, to, port, protocol, allow) in &picks {
            let expect = if *allow { "allow" } else { "deny" };
            cases.push_str(&format!(
                "    - {{from: \"{}\", to: \"{}\", port: {port}, protocol: {protocol}, expect: {expect}}}\n",
                ids[from % ids.len()], ids[to % ids.len()]
            ));
        }
        let tests = format!("apiVersion: netpol/v1alpha1\nkind: ConnectivityTest\nmetadata: {{name: t}}\nspec:\n  cases:\n{cases}");
        let mut workspace = base.clone();
        workspace.update(SourceFile::text("tests.yaml", tests));
        let answer = workspace
            .synthesize(&SynthesizeRequest { flows: None, tests: true, cluster_baseline })
            .unwrap();
        if let Some(error) = &answer.error {
            prop_assert!(
                ["cannot be expressed", "contradictory requirements", "cannot be denied"]
                    .iter()
                    .any(|reason| error.contains(reason)),
                "{error}\n{}", show(&objects)
            );
            return Ok(());
        }
        prop_assert_eq!(answer.cluster.is_some(), cluster_baseline);
        let tiers = documents(answer.cluster.as_deref().unwrap_or(""));
        let mut with = workspace.clone();
        with.update(SourceFile::text("synthesized.yaml", answer.stream.clone()));
        prop_assert!(with.loaded().diagnostics.is_empty(), "{:?}", with.loaded().diagnostics);
        let model = &with.loaded().model;
        prop_assert_eq!(model.cluster_policies.len(), usize::from(cluster_baseline));
        let engine = Engine::new(model);
        for test in &model.tests {
            for case in &test.cases {
                let flow = engine
                    .flow(&case.from.value, &case.to.value, &case.port.value, case.protocol)
                    .unwrap();
                let expected = case.expect.value == netpol::model::Expectation::Allow;
                prop_assert_eq!(
                    engine.allows(&flow.from, &flow.to, flow.protocol, flow.port),
                    expected,
                    "engine, case {:?}\n{}", case.name, answer.stream
                );
                let (from, to) = (naive_endpoint(&engine, &flow.from), naive_endpoint(&engine, &flow.to));
                let naive_verdict = if cluster_baseline {
                    naive::tiers::verdict(model, &tiers, &from, &to, flow.protocol, flow.port)
                        == naive::tiers::Outcome::Allow
                } else {
                    naive::verdict(model, &from, &to, flow.protocol, flow.port)
                };
                prop_assert_eq!(naive_verdict, expected, "naive, {} -> {}\n{}", case.from.value, case.to.value, answer.stream);
            }
        }
        let findings: Vec<String> = with
            .lint(&LintOptions::default())
            .unwrap()
            .report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(|f| format!("{} {}:{}: {}", f.rule_id, f.file, f.line, f.message))
            .collect();
        prop_assert!(findings.is_empty(), "{findings:#?}\n{}\n{}", answer.stream, show(&objects));
    }
}
