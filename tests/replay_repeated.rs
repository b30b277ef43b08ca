//! `netpol replay` on a log that repeats its records (as a day of traffic does): every
//! copy is answered as the record alone is, with its own position, line and observed
//! verdict.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use netpol::api::{ReplayRequest, SourceFile, Workspace};
use netpol::lint::Config;
use serde_json::Value;

const INPUTS: [&str; 5] = [
    "examples/article/namespaces.yaml",
    "examples/article/workloads.yaml",
    "examples/article/policies.yaml",
    "examples/article/connectivity-test.yaml",
    "tests/data/flows/pods.yaml",
];

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn replay(workspace: &Workspace, flows: String) -> Value {
    serde_json::to_value(workspace.replay(&ReplayRequest { flows })).unwrap()
}

/// The answer to one flow without what belongs to the record (position, line, what
/// it observed).
fn answer_of(flow: &Value) -> Value {
    let mut flow = flow.clone();
    for key in ["index", "line", "observed"] {
        flow.as_object_mut().unwrap().remove(key);
    }
    flow
}

#[test]
fn repeated_records_are_answered_as_each_record_alone() {
    let workspace = Workspace::load(
        INPUTS.iter().map(|p| SourceFile::text(*p, read(p))),
        Config::default(),
    );
    let fixture = read("tests/data/flows/article.jsonl");
    // The flow records (the fixture's other lines are events that are not flows).
    let records: Vec<&str> = fixture
        .lines()
        .filter(|l| {
            replay(&workspace, (*l).to_string())["flows"]
                .as_array()
                .unwrap()
                .len()
                == 1
        })
        .collect();
    assert!(records.len() > 3);
    // Each record three times, the copies apart; the second copy observed as dropped.
    let mut repeated = Vec::new();
    for copy in 0..3 {
        for record in &records {
            repeated.push(if copy == 1 {
                record.replace("\"FORWARDED\"", "\"DROPPED\"")
            } else {
                (*record).to_string()
            });
        }
    }
    let answer = replay(&workspace, repeated.join("\n"));
    let flows = answer["flows"].as_array().unwrap();
    assert_eq!(flows.len(), 3 * records.len());
    for (i, record) in records.iter().enumerate() {
        let alone = replay(&workspace, (*record).to_string());
        let alone = &alone["flows"][0];
        for copy in 0..3 {
            let flow = &flows[copy * records.len() + i];
            assert_eq!(answer_of(flow), answer_of(alone), "record {}", i + 1);
            let position = copy * records.len() + i + 1;
            assert_eq!(flow["index"], position);
            assert_eq!(flow["line"], position);
            if copy == 1 && alone["observed"] == "forwarded" {
                assert_eq!(flow["observed"], "dropped");
            } else {
                assert_eq!(flow["observed"], alone["observed"]);
            }
        }
    }
    let would_break = |v: &Value| v["summary"]["wouldBreak"].as_u64().unwrap();
    let single = replay(&workspace, records.join("\n"));
    assert_eq!(would_break(&answer), 2 * would_break(&single));
}
