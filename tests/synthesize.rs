//! `netpol synthesize`: round trips on the article's example (from its
//! ConnectivityTests and from recorded flows), requirements that cannot be met, and
//! the command line's outputs.
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
use netpol::api::{
    LintOptions, ReplayRequest, SourceFile, SynthesizeAnswer, SynthesizeRequest, Workspace,
};
use netpol::diag::Severity;
use netpol::lint::Config;

/// The article's cluster and tests, without its policies.
const CLUSTER: [&str; 3] = [
    "examples/article/namespaces.yaml",
    "examples/article/workloads.yaml",
    "tests/data/flows/pods.yaml",
];
const TESTS: &str = "examples/article/connectivity-test.yaml";

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn load(paths: &[&str], extra: &[(&str, &str)]) -> Workspace {
    let files = paths
        .iter()
        .map(|p| SourceFile::text(*p, read(p)))
        .chain(extra.iter().map(|(n, t)| SourceFile::text(*n, *t)));
    Workspace::load(files, Config::default())
}

/// The findings at warning or above of `workspace` with `answer`'s policies added.
fn warnings(workspace: &Workspace, answer: &SynthesizeAnswer) -> Vec<String> {
    let mut with = workspace.clone();
    with.update(SourceFile::text("synthesized.yaml", answer.stream.clone()));
    assert!(
        with.loaded().diagnostics.is_empty(),
        "{:?}",
        with.loaded().diagnostics
    );
    with.lint(&LintOptions::default())
        .unwrap()
        .report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{}:{}: {}", f.file, f.line, f.message))
        .collect()
}

#[test]
fn the_article_tests_round_trip() {
    let workspace = load(&[CLUSTER[0], CLUSTER[1], TESTS], &[]);
    let answer = workspace
        .synthesize(&SynthesizeRequest {
            flows: None,
            tests: true,
        })
        .unwrap();
    assert_eq!(answer.error, None);
    let proof = &answer.proof;
    assert_eq!((proof.allowed, proof.required), (7, 7));
    assert_eq!((proof.denied, proof.forbidden), (8, 8));
    assert_eq!(warnings(&workspace, &answer), Vec::<String>::new());
    let mut with = workspace.clone();
    with.update(SourceFile::text("synthesized.yaml", answer.stream.clone()));
    assert!(with.test().report.all_passed());
    let namespaces: Vec<&str> = answer.files.iter().map(|f| f.namespace.as_str()).collect();
    assert_eq!(namespaces, ["identity", "ingress-nginx", "shop"]);
    let shop = &answer.files[2].yaml;
    assert!(shop.contains("name: \"default-deny\""));
    assert!(shop.contains("name: \"allow-frontend-web\""));
    assert!(shop.contains("# Serves test shop case frontend reaches the backend API."));
    assert!(shop.contains("cidr: \"13.108.14.20/32\""));
    assert!(!shop.contains("namespaceSelector: {}"));
    // Stable: the same inputs give the same bytes.
    let again = workspace
        .synthesize(&SynthesizeRequest {
            flows: None,
            tests: true,
        })
        .unwrap();
    assert_eq!(again.stream, answer.stream);
    // DNS egress is what the rules allow beyond the tests, with its reason.
    assert!(proof
        .beyond
        .iter()
        .all(|b| b.reason.starts_with("DNS egress")));
    assert!(!proof.beyond.is_empty());
}

#[test]
fn recorded_flows_round_trip_through_replay() {
    let workspace = load(&CLUSTER, &[]);
    let flows = read("tests/data/flows/article.jsonl");
    let answer = workspace
        .synthesize(&SynthesizeRequest {
            flows: Some(flows.clone()),
            tests: false,
        })
        .unwrap();
    assert_eq!(answer.error, None);
    // Forwarded and decidable: flows 1-6 and 11 (8 was dropped; 10 ICMP; 12 unknown).
    assert_eq!((answer.proof.allowed, answer.proof.required), (7, 7));
    let lines: Vec<u32> = answer.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [7, 9, 10, 12]);
    assert_eq!(warnings(&workspace, &answer), Vec::<String>::new());
    let mut with = workspace.clone();
    with.update(SourceFile::text("synthesized.yaml", answer.stream.clone()));
    let replayed = serde_json::to_value(with.replay(&ReplayRequest { flows })).unwrap();
    assert_eq!(replayed["summary"]["wouldBreak"], 0);
    assert_eq!(replayed["summary"]["allow"], 7);
    // The dropped flow stays denied: nothing was opened for it.
    assert_eq!(replayed["flows"][6]["verdict"], "deny");
    assert!(answer.stream.contains("# Serves flow 4 (line 4)."));
}

const TWINS: &str =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a1, namespace: x, labels: {app: a}}\n---\n\
apiVersion: v1\nkind: Pod\nmetadata: {name: a2, namespace: x, labels: {app: a}}\n---\n\
apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {app: b}}\n---\n\
apiVersion: v1\nkind: Pod\nmetadata: {name: bare, namespace: x}\n";

fn cases(cases: &str) -> String {
    format!("apiVersion: netpol/v1alpha1\nkind: ConnectivityTest\nmetadata: {{name: t}}\nspec:\n  cases:\n{cases}")
}

fn synthesize_tests(cases_yaml: &str) -> SynthesizeAnswer {
    let workspace = load(
        &[],
        &[("pods.yaml", TWINS), ("tests.yaml", &cases(cases_yaml))],
    );
    workspace
        .synthesize(&SynthesizeRequest {
            flows: None,
            tests: true,
        })
        .unwrap()
}

#[test]
fn pods_the_labels_cannot_tell_apart_are_named() {
    let answer = synthesize_tests(
        "    - {from: x/a1, to: x/b, port: 80, expect: allow}\n    - {from: x/a2, to: x/b, port: 80, expect: deny}\n",
    );
    let error = answer.error.unwrap();
    assert!(error.contains("cannot be expressed"), "{error}");
    assert!(error.contains("x/a1 and x/a2"), "{error}");
    assert!(answer.stream.is_empty() && answer.files.is_empty());
}

#[test]
fn contradictions_and_unselectable_pods_fail_clearly() {
    let contradictory = synthesize_tests(
        "    - {from: x/a1, to: x/b, port: 80, expect: allow}\n    - {from: x/a1, to: x/b, port: 80, expect: deny}\n",
    );
    assert!(contradictory
        .error
        .unwrap()
        .contains("contradictory requirements: x/a1 -> x/b on TCP/80"));
    let bare = synthesize_tests("    - {from: x/bare, to: x/b, port: 80, expect: allow}\n");
    assert!(bare.error.unwrap().contains("without labels"));
    let metadata =
        synthesize_tests("    - {from: x/b, to: 169.254.169.254, port: 80, expect: allow}\n");
    assert!(metadata
        .error
        .unwrap()
        .contains("metadata address 169.254.169.254"));
    let fine = synthesize_tests(
        "    - {from: x/a1, to: x/b, port: 80, expect: allow}\n    - {from: x/b, to: x/a1, port: 80, expect: deny}\n",
    );
    assert_eq!(fine.error, None);
    assert_eq!((fine.proof.denied, fine.proof.forbidden), (1, 1));
    // a2 shares a1's labels: it may reach b too, and the proof says why.
    let beyond = fine
        .proof
        .beyond
        .iter()
        .find(|b| b.example.starts_with("x/a2 -> x/b"))
        .unwrap();
    assert!(beyond.reason.starts_with("label granularity"), "{beyond:?}");
}

#[test]
fn names_do_not_clash_with_the_inputs_policies() {
    let existing = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: x}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
    let workspace = load(
        &[],
        &[
            ("pods.yaml", TWINS),
            ("np.yaml", existing),
            (
                "tests.yaml",
                &cases("    - {from: x/a1, to: x/b, port: 80, expect: allow}\n"),
            ),
        ],
    );
    let answer = workspace
        .synthesize(&SynthesizeRequest {
            flows: None,
            tests: true,
        })
        .unwrap();
    assert!(
        answer.stream.contains("name: \"default-deny-2\""),
        "{}",
        answer.stream
    );
}

fn memfs() -> MemFs {
    CLUSTER
        .iter()
        .chain([&TESTS])
        .fold(MemFs::new(), |fs, p| fs.file(p, &read(p)))
        .file("flows.jsonl", &read("tests/data/flows/article.jsonl"))
        .file("twins/pods.yaml", TWINS)
        .file(
            "twins/tests.yaml",
            &cases("    - {from: x/a1, to: x/b, port: 80, expect: allow}\n    - {from: x/a2, to: x/b, port: 80, expect: deny}\n"),
        )
}

#[test]
fn the_command_writes_a_stream_a_directory_or_json() {
    let fs = memfs();
    let stream = fs.run(&["synthesize", "--tests", CLUSTER[0], CLUSTER[1], TESTS]);
    assert_eq!(stream.code, 0, "{stream:?}");
    assert!(stream
        .stdout
        .starts_with("# Least-privilege NetworkPolicies for namespace identity"));
    assert!(stream
        .stderr
        .contains("netpol: proof: 7/7 required flows allowed, 8/8 forbidden flows denied"));
    let dash = fs.run(&[
        "synthesize",
        "--tests",
        "--output",
        "-",
        CLUSTER[0],
        CLUSTER[1],
        TESTS,
    ]);
    assert_eq!(dash.stdout, stream.stdout);
    let dir = fs.run(&[
        "synthesize",
        "--flows",
        "flows.jsonl",
        "--output",
        "out/",
        CLUSTER[0],
        CLUSTER[1],
        CLUSTER[2],
    ]);
    assert_eq!(dir.code, 0, "{dir:?}");
    assert!(dir.stdout.is_empty());
    let written: Vec<String> = fs.written.borrow().keys().cloned().collect();
    // kube-system is a system namespace: left alone.
    assert_eq!(
        written,
        [
            "out/identity.yaml",
            "out/ingress-nginx.yaml",
            "out/shop.yaml"
        ]
    );
    assert!(dir
        .stderr
        .contains("flows.jsonl:10: error: flow 10 left out: ICMPv4"));
    let json = fs.run(&[
        "synthesize",
        "--tests",
        "--format",
        "json",
        CLUSTER[0],
        CLUSTER[1],
        TESTS,
    ]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["proof"]["allowed"], 7);
    assert_eq!(value["files"][2]["namespace"], "shop");
}

#[test]
fn the_command_exits_2_naming_the_pods() {
    let fs = memfs();
    let outcome = fs.run(&["synthesize", "--tests", "twins"]);
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(outcome.stdout.is_empty());
    assert!(outcome
        .stderr
        .contains("nothing written: cannot be expressed"));
    assert!(outcome.stderr.contains("x/a1 and x/a2"));
    let json = fs.run(&["synthesize", "--tests", "--format", "json", "twins"]);
    assert_eq!(json.code, 2);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(value["error"].as_str().unwrap().contains("x/a1 and x/a2"));
    let neither = fs.run(&["synthesize", "twins"]);
    assert_eq!(neither.code, 2);
    assert!(neither.stderr.contains("give --flows FILE or --tests"));
}
