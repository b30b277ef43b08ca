//! `netpol replay`: recorded flows in Hubble's schema (tests/data/flows/) answered by
//! the policies of the article's example, cross-checked flow by flow with `query`;
//! the array and CSV forms; unreadable records as findings with their line; the
//! command line's output and exit codes; a log that repeats its records, every copy
//! answered as the record alone is.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "cli/memfs.rs"]
mod memfs;

use std::path::Path;

use memfs::MemFs;
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

/// (index, verdict, fromBy, toBy) of every flow.
fn outline(answer: &Value) -> Vec<(u64, String, String, String)> {
    let text = |f: &Value, key: &str| f[key].as_str().unwrap_or("-").to_string();
    answer["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["index"].as_u64().unwrap(),
                text(f, "verdict"),
                text(f, "fromBy"),
                text(f, "toBy"),
            )
        })
        .collect()
}

#[test]
fn hubble_lines_are_replayed_with_mapping_and_verdicts() {
    let workspace = workspace();
    let answer = replay(&workspace, read("tests/data/flows/article.jsonl"));
    let expected = [
        (1, "allow", "workload", "workload"),
        (2, "allow", "workload", "workload"),
        (3, "allow", "workload", "workload"),
        (4, "deny", "workload", "workload"),
        (5, "allow", "workload", "workload"),
        (6, "allow", "outside", "workload"),
        (8, "deny", "labels", "workload"),
        (10, "uncertain", "-", "-"),
        (11, "deny", "ip", "workload"),
        (12, "uncertain", "-", "-"),
    ];
    let expected: Vec<(u64, String, String, String)> = expected
        .iter()
        .map(|(i, v, f, t)| (*i, v.to_string(), f.to_string(), t.to_string()))
        .collect();
    assert_eq!(outline(&answer), expected);
    assert_eq!(
        answer["summary"],
        serde_json::json!({"allow": 5, "deny": 3, "uncertain": 2, "wouldBreak": 2})
    );
    let flows = answer["flows"].as_array().unwrap();
    // The reply (backend:8080 -> frontend) is replayed as its connection.
    assert_eq!(flows[1]["from"], "shop/deployment/frontend");
    assert_eq!(flows[1]["to"], "shop/deployment/backend");
    assert_eq!(flows[1]["port"], 8080);
    assert_eq!(flows[1]["reply"], true);
    assert_eq!(flows[6]["observed"], "dropped");
    assert!(flows[7]["reason"].as_str().unwrap().contains("ICMPv4"));
    assert!(flows[9]["reason"]
        .as_str()
        .unwrap()
        .contains("shop/ghost-6f7"));
    assert_eq!(flows[3]["policies"][0], "shop/default-deny-all");
    // Unreadable records and other Hubble events: findings with their line.
    let problems: Vec<u64> = answer["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(problems, [7, 9]);
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

#[test]
fn csv_flows_name_endpoints_as_query_does() {
    let workspace = workspace();
    let csv = "from,to,port,protocol,verdict\n\
               shop/frontend,shop/backend,8080,TCP,forwarded\n\
               shop/backend,\"identity/deployment/keycloak\",9090,,forwarded\n\
               10.0.3.7,kube-system/coredns,53,UDP,dropped\n\
               shop/frontend,shop/nowhere,80,TCP,forwarded\n\
               shop/frontend,shop/backend,http,TCP,forwarded\n";
    let answer = replay(&workspace, csv.into());
    let outline = outline(&answer);
    assert_eq!(outline[0].1, "allow");
    assert_eq!(outline[1].1, "deny");
    assert_eq!(
        (outline[2].1.as_str(), outline[2].2.as_str()),
        ("allow", "ip")
    );
    assert_eq!(outline[3].1, "uncertain");
    assert_eq!(answer["summary"]["wouldBreak"], 1);
    assert_eq!(answer["problems"][0]["line"], 6);
    assert!(answer["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("port `http`"));
}

#[test]
fn allowed_connections_never_observed_are_listed_per_pair() {
    let workspace = workspace();
    let csv = "from,to,port,protocol\nshop/frontend,kube-system/coredns,53,UDP\n";
    let answer = replay(&workspace, csv.into());
    // The article's allow-dns opens 53 on TCP as well: allowed, never observed.
    assert_eq!(
        answer["unobserved"],
        serde_json::json!([{"from": "shop/deployment/frontend",
                            "to": "kube-system/deployment/coredns", "ports": ["TCP:53"]}])
    );
    let all_seen = "from,to,port,protocol\nshop/frontend,kube-system/coredns,53,UDP\n\
                    shop/frontend,kube-system/coredns,53,TCP\n";
    assert_eq!(
        replay(&workspace, all_seen.into())["unobserved"],
        serde_json::json!([])
    );
}

fn memfs() -> MemFs {
    INPUTS
        .iter()
        .fold(MemFs::new(), |fs, p| fs.file(p, &read(p)))
        .file("flows.jsonl", &read("tests/data/flows/article.jsonl"))
        .file(
            "ok.csv",
            "from,to,port,protocol\nshop/frontend,shop/backend,8080,TCP\n",
        )
}

#[test]
fn the_command_exits_1_when_a_forwarded_flow_would_break() {
    let fs = memfs();
    let mut args = vec!["replay", "--flows", "flows.jsonl"];
    args.extend(INPUTS);
    let outcome = fs.run(&args);
    assert_eq!(outcome.code, 1, "{outcome:?}");
    assert!(outcome.stdout.contains("#4 line 4: shop/deployment/backend -> identity/deployment/keycloak TCP/9090 (forwarded): deny, WOULD BREAK"));
    assert!(outcome
        .stdout
        .contains("10 flows: 5 allowed, 3 denied, 2 uncertain; 2 would break"));
    assert!(outcome
        .stderr
        .contains("flows.jsonl:7: error: not a JSON flow record"));
    assert!(outcome.stderr.contains("flows.jsonl:9: error: not a flow"));
    args.extend(["--format", "json"]);
    let json: Value = serde_json::from_str(&fs.run(&args).stdout).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["flows", "problems", "summary", "unobserved", "version"]
    );
    for key in [
        "index", "from", "to", "port", "protocol", "observed", "verdict", "reason",
    ] {
        assert!(json["flows"][0].get(key).is_some(), "{key}");
    }
}

#[test]
fn the_command_exits_0_when_nothing_breaks_and_2_without_flows() {
    let fs = memfs();
    let mut args = vec!["replay", "--flows", "ok.csv"];
    args.extend(INPUTS);
    let outcome = fs.run(&args);
    assert_eq!(outcome.code, 0, "{outcome:?}");
    assert!(outcome.stdout.contains("0 would break"));
    let missing = fs.run(&["replay", "examples/article/policies.yaml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("missing --flows"));
    let unreadable = fs.run(&["replay", "--flows", "none.json", "ok.csv"]);
    assert_eq!(unreadable.code, 2);
    assert!(unreadable.stderr.contains("cannot read flows 'none.json'"));
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
