//! `netpol synthesize` writes the same bytes as the recorded streams of
//! `tests/data/synthesized/`: the article's example synthesized from its
//! ConnectivityTests and from recorded flows, with a default deny per namespace and
//! with the cluster-wide baseline. A change to the output format shows here first;
//! regenerate the files on purpose (`NETPOL_BLESS=1 cargo test --test
//! synthesize_golden`) and review the difference.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use netpol::api::{SourceFile, SynthesizeRequest, Workspace};
use netpol::lint::Config;

const NAMESPACES: &str = "examples/article/namespaces.yaml";
const WORKLOADS: &str = "examples/article/workloads.yaml";
const PODS: &str = "tests/data/flows/pods.yaml";
const TESTS: &str = "examples/article/connectivity-test.yaml";
const FLOWS: &str = "tests/data/flows/article.jsonl";

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The stream synthesized from `inputs`, from their tests or from the recorded flows.
fn stream(inputs: &[&str], from_flows: bool, cluster_baseline: bool) -> String {
    let workspace = Workspace::load(
        inputs.iter().map(|p| SourceFile::text(*p, read(p))),
        Config::default(),
    );
    let answer = workspace
        .synthesize(&SynthesizeRequest {
            flows: from_flows.then(|| read(FLOWS)),
            tests: !from_flows,
            cluster_baseline,
        })
        .unwrap();
    assert_eq!(answer.error, None);
    answer.stream
}

/// `actual` equals the recorded file `name` (or replaces it with `NETPOL_BLESS=1`).
fn same_as_recorded(name: &str, actual: &str) {
    let path = format!("tests/data/synthesized/{name}");
    if std::env::var_os("NETPOL_BLESS").is_some() {
        std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path), actual).unwrap();
        return;
    }
    let expected = read(&path);
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .map_or(actual.lines().count().min(expected.lines().count()), |i| i);
        panic!(
            "{path} differs from line {}: {:?} instead of {:?}",
            line + 1,
            actual.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

#[test]
fn the_tests_synthesize_to_the_recorded_stream() {
    let inputs = [NAMESPACES, WORKLOADS, TESTS];
    same_as_recorded("article-tests.yaml", &stream(&inputs, false, false));
    same_as_recorded("article-tests-baseline.yaml", &stream(&inputs, false, true));
}

#[test]
fn the_flows_synthesize_to_the_recorded_stream() {
    let inputs = [NAMESPACES, WORKLOADS, PODS];
    same_as_recorded("article-flows.yaml", &stream(&inputs, true, false));
    same_as_recorded("article-flows-baseline.yaml", &stream(&inputs, true, true));
}
