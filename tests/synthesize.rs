//! `netpol synthesize`: round trips on the article's example (from its
//! ConnectivityTests and from recorded flows, with and without the cluster
//! baseline), output directories that cannot be made (read-only folders of the
//! in-memory file system) and the real binary making directories. Requirements
//! that cannot be met and the command line's outputs are table-driven cases:
//! tests/cases/engine/synthesize.yaml and tests/cases/cli/synthesize.yaml.
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
            ..SynthesizeRequest::default()
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
            ..SynthesizeRequest::default()
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
            ..SynthesizeRequest::default()
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

fn memfs() -> MemFs {
    CLUSTER
        .iter()
        .chain([&TESTS])
        .fold(MemFs::new(), |fs, p| fs.file(p, &read(p)))
}

#[test]
fn the_cluster_baseline_replaces_the_denies_per_namespace() {
    let workspace = load(&[CLUSTER[0], CLUSTER[1], CLUSTER[2], TESTS], &[]);
    let request = SynthesizeRequest {
        tests: true,
        cluster_baseline: true,
        ..SynthesizeRequest::default()
    };
    let answer = workspace.synthesize(&request).unwrap();
    assert_eq!(answer.error, None);
    assert_eq!((answer.proof.allowed, answer.proof.required), (7, 7));
    assert_eq!((answer.proof.denied, answer.proof.forbidden), (8, 8));
    // Validates with no error (checked by `warnings`) and lints with no warning.
    assert_eq!(warnings(&workspace, &answer), Vec::<String>::new());
    let cluster = answer.cluster.as_deref().unwrap();
    assert!(answer.stream.starts_with(cluster));
    for expected in [
        "kind: ClusterNetworkPolicy\n",
        "name: \"baseline-default-deny\"\n",
        "tier: Baseline\n  priority: 1000\n",
        "operator: NotIn\n          values: [\"kube-system\"]\n",
        "action: Accept",
        "- udp:\n            destinationPort:\n              number: 53\n",
        "networks: [\"0.0.0.0/0\", \"::/0\"]",
    ] {
        assert!(cluster.contains(expected), "{expected}\n{cluster}");
    }
    // No deny or DNS policy per namespace; each group policy has its own DNS rule.
    for file in &answer.files {
        assert!(
            !file.yaml.contains("name: \"default-deny\""),
            "{}",
            file.yaml
        );
        assert!(!file.yaml.contains("name: \"allow-dns\""), "{}", file.yaml);
        let policies = file.yaml.matches("kind: NetworkPolicy").count();
        assert_eq!(
            file.yaml.matches("# Serves DNS, for every pod.").count(),
            policies
        );
    }
    let mut with = workspace.clone();
    with.update(SourceFile::text("synthesized.yaml", answer.stream.clone()));
    assert!(with.test().report.all_passed());
    // A pod no group policy selects gets DNS from the baseline, and nothing else.
    let beyond = answer
        .proof
        .beyond
        .iter()
        .find(|b| b.policy == "baseline-default-deny")
        .unwrap();
    assert!(beyond.reason.starts_with("DNS egress"), "{beyond:?}");
    let without = workspace
        .synthesize(&SynthesizeRequest {
            tests: true,
            ..SynthesizeRequest::default()
        })
        .unwrap();
    assert_eq!(without.cluster, None);
}

#[test]
fn an_output_directory_that_cannot_be_made_is_a_clear_error() {
    let mut fs = memfs().file("taken", "a file");
    fs.read_only_dirs.insert("ro".into());
    fs.created.borrow_mut().insert("ro".into());
    for (dir, message) in [
        (
            "taken",
            "cannot write into 'taken': it exists and is not a directory",
        ),
        (
            "taken/sub",
            "cannot create directory 'taken/sub': Not a directory",
        ),
        (
            "ro/sub",
            "cannot create directory 'ro/sub': Permission denied",
        ),
    ] {
        let outcome = fs.run(&[
            "synthesize",
            "--tests",
            "--output",
            dir,
            CLUSTER[0],
            CLUSTER[1],
            TESTS,
        ]);
        assert_eq!(outcome.code, 2, "{outcome:?}");
        assert!(outcome.stderr.contains(message), "{}", outcome.stderr);
        assert!(fs.written.borrow().is_empty());
    }
}

#[test]
fn the_binary_creates_the_output_directory_and_its_parents() {
    let root = std::env::temp_dir().join(format!("netpol-synthesize-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |out: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_netpol"))
            .current_dir(repo)
            .args(["synthesize", "--tests", "--output"])
            .arg(out)
            .args([CLUSTER[0], CLUSTER[1], TESTS])
            .output()
            .unwrap()
    };
    let nested = root.join("a/b/c");
    let made = run(&nested);
    assert_eq!(made.status.code(), Some(0), "{made:?}");
    assert!(nested.join("shop.yaml").is_file());
    std::fs::write(root.join("file"), "x").unwrap();
    let blocked = run(&root.join("file/sub"));
    assert_eq!(blocked.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&blocked.stderr);
    // The system says why: a file where a directory must be.
    assert!(stderr.contains("file/sub': Not a directory"), "{stderr}");
    std::fs::remove_dir_all(&root).unwrap();
}
