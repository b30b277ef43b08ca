//! `netpol replay`: recorded flows in Hubble's schema (tests/data/flows/) answered by
//! the policies of the article's example, cross-checked flow by flow with `query`;
//! the array form against the lines; garbled flow files (a property); a log that
//! repeats its records, every copy answered as the record alone is. The answers to
//! the fixture, CSV flows and the command line are table-driven cases:
//! tests/cases/cli/replay.yaml.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use netpol::api::{FlowRequest, Port, ReplayRequest, SourceFile, Workspace};
use netpol::lint::Config;
use proptest::prelude::*;
use serde_json::Value;

/// The files of the fixture: the article's manifests and a pod with an address.
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

fn workspace() -> Workspace {
    Workspace::load(
        INPUTS.iter().map(|p| SourceFile::text(*p, read(p))),
        Config::default(),
    )
}

fn replay(workspace: &Workspace, flows: String) -> Value {
    serde_json::to_value(workspace.replay(&ReplayRequest { flows })).unwrap()
}

#[test]
fn every_decided_flow_agrees_with_query() {
    let workspace = workspace();
    let answer = replay(&workspace, read("tests/data/flows/article.jsonl"));
    let mut decided = 0;
    for flow in answer["flows"].as_array().unwrap() {
        if flow["verdict"] == "uncertain" {
            continue;
        }
        decided += 1;
        let request = FlowRequest {
            from: flow["from"].as_str().unwrap().into(),
            to: flow["to"].as_str().unwrap().into(),
            port: Port::Number(u16::try_from(flow["port"].as_u64().unwrap()).unwrap()),
            protocol: flow["protocol"].as_str().map(String::from),
        };
        let query = workspace.query(&request).unwrap();
        assert_eq!(query.verdict.allowed, flow["verdict"] == "allow", "{flow}");
        let reason = flow["reason"].as_str().unwrap();
        let reason = reason
            .strip_prefix("a reply, replayed as its connection: ")
            .unwrap_or(reason);
        assert_eq!(query.verdict.reason, reason);
    }
    assert_eq!(decided, 8);
}

#[test]
fn the_array_form_answers_as_the_lines() {
    let workspace = workspace();
    let lines = replay(&workspace, read("tests/data/flows/article.jsonl"));
    let array = replay(&workspace, read("tests/data/flows/article-array.json"));
    let key = |answer: &Value| -> Vec<(Value, Value, Value, Value)> {
        answer["flows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["from"].clone(),
                    f["to"].clone(),
                    f["port"].clone(),
                    f["verdict"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(key(&lines), key(&array));
    assert_eq!(lines["summary"], array["summary"]);
    assert_eq!(array["problems"], serde_json::json!([]));
    assert_eq!(array["flows"][0]["line"], 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any text, and the fixture cut anywhere: an answer, never a panic, and every
    /// finding on a line of the text.
    #[test]
    fn garbled_flow_files_are_findings(noise in ".{0,200}", cut in 0usize..4000) {
        let workspace = workspace();
        let fixture = read("tests/data/flows/article.jsonl");
        let mut cut = cut.min(fixture.len());
        while !fixture.is_char_boundary(cut) {
            cut -= 1;
        }
        for text in [noise.clone(), format!("{}{noise}", &fixture[..cut]), format!("[{noise}")] {
            let lines = u64::try_from(text.lines().count().max(1)).unwrap();
            let answer = replay(&workspace, text);
            for problem in answer["problems"].as_array().unwrap() {
                let line = problem["line"].as_u64().unwrap();
                prop_assert!(line >= 1 && line <= lines + 1, "{problem}");
            }
        }
    }
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
    let workspace = workspace();
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

/// `record` with the number after `"key":` moved by `by`.
fn shifted(record: &str, key: &str, by: u64) -> String {
    let marker = format!("\"{key}\":");
    let Some(at) = record.find(&marker) else {
        return record.to_string();
    };
    let start = at + marker.len();
    let digits = record[start..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let number: u64 = record[start..start + digits].parse().unwrap();
    format!(
        "{}{}{}",
        &record[..start],
        number + by,
        &record[start + digits..]
    )
}

#[test]
fn records_differing_only_in_a_port_are_answered_as_each_alone() {
    let workspace = workspace();
    let fixture = read("tests/data/flows/article.jsonl");
    let mut texts = Vec::new();
    for record in fixture.lines() {
        texts.push(record.to_string());
        texts.push(shifted(record, "source_port", 7));
        texts.push(shifted(record, "destination_port", 7));
    }
    let answer = replay(&workspace, texts.join("\n"));
    let flows = answer["flows"].as_array().unwrap();
    let mut compared = 0;
    for flow in flows {
        let text = &texts[flow["line"].as_u64().unwrap() as usize - 1];
        let alone = replay(&workspace, text.clone());
        assert_eq!(answer_of(flow), answer_of(&alone["flows"][0]), "{text}");
        compared += 1;
    }
    assert!(compared >= 30, "{compared}");
}
