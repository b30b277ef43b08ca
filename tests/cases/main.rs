//! The table-driven behaviour cases: every `tests/cases/<area>/*.yaml` file holds
//! cases, each a set of files, one question (a command line or an API request) and
//! the expected answer. One test per area runs all its files and reports every
//! failing case by file and name. docs/testing.md describes the format.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod ask;
mod case;
#[path = "../support/doc_json.rs"]
mod doc_json;
mod expect;
// The command-line tests' in-memory file system; the cases use a part of it.
#[allow(dead_code)]
#[path = "../cli/memfs.rs"]
mod memfs;

use std::path::{Path, PathBuf};

/// Runs every case file of `tests/cases/<area>/`; panics listing all failures.
fn run_area(area: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/cases").join(area);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no case files in {}", dir.display());
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &paths {
        let shown = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        let file = match case::parse(path) {
            Ok(file) => file,
            Err(e) => {
                failures.push(format!("{shown}: {e}"));
                continue;
            }
        };
        for case in &file.cases {
            count += 1;
            let answer = ask::files(root, &file, case).and_then(|files| ask::ask(case, files));
            let problems = match answer {
                Ok(answer) => expect::mismatches(&case.expect, &answer, &dir),
                Err(e) => vec![e],
            };
            for problem in problems {
                failures.push(format!("{shown}: {}: {problem}", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems in the {count} cases of tests/cases/{area}:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn engine_cases() {
    run_area("engine");
}

#[test]
fn diff_cases() {
    run_area("diff");
}

#[test]
fn cli_cases() {
    run_area("cli");
}
