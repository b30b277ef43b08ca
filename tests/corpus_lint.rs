//! Lint findings over the real-world corpus (`tests/corpus`), one snapshot per
//! source folder in `tests/corpus/lint/<source>.txt`: one line per finding,
//! `file:line:column rule message`, sorted. Every line was reviewed by hand: a wrong
//! finding is fixed in the rule, never in the snapshot.
//!
//! How files are grouped into one lint run follows how each source is used: files of
//! one product that are applied together (`argo-cd`, `kube-prometheus`,
//! `kubeflow-manifests`, `microservices-demo`) are linted together; the scenarios of
//! `np-guard-netpol-analyzer` (its top-level upstream folders) are linted one
//! scenario at a time; every other source is a collection of independent examples
//! and is linted file by file, so that before/after variants of one policy do not
//! meet.
//!
//! To regenerate after a reviewed change: `NETPOL_BLESS=1 cargo test --test
//! corpus_lint`, then review the diff.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netpol::doc::Limits;
use netpol::lint::{self, Config};
use netpol::source::{Source, SourceSet};

#[path = "support/corpus.rs"]
mod support;

use support::{manifest_files, source_folders};

/// Sources whose files are applied together and so linted as one input.
const PRODUCTS: [&str; 4] = [
    "argo-cd",
    "kube-prometheus",
    "kubeflow-manifests",
    "microservices-demo",
];

/// The source whose top-level upstream folders are scenarios.
const SCENARIOS: &str = "np-guard-netpol-analyzer";

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("corpus")
        .join("lint")
}

/// Which lint run a file of `source` belongs to.
fn group_of(source: &str, file: &str) -> String {
    if PRODUCTS.contains(&source) {
        return String::new();
    }
    if source == SCENARIOS {
        // `bad_netpols__subdirN__...`: each subfolder is its own scenario.
        let segments: Vec<&str> = file.split("__").collect();
        let depth = if segments.first() == Some(&"bad_netpols") {
            2
        } else {
            1
        };
        if segments.len() > depth {
            return segments[..depth].join("__");
        }
    }
    file.to_string()
}

/// The snapshot text of one source folder.
fn lint_source(dir: &Path) -> String {
    let source = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut groups: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for path in manifest_files(dir) {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        groups
            .entry(group_of(&source, &file))
            .or_default()
            .push(path);
    }
    let mut lines = Vec::new();
    for files in groups.values() {
        let mut sources = SourceSet::new();
        for path in files {
            let text = std::fs::read_to_string(path).expect("corpus files are UTF-8");
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            sources.add(Source::new(name, text));
        }
        let loaded = netpol::decode::load(&sources, &Limits::default());
        let outcome = lint::run(&loaded, &Config::default());
        for d in &outcome.diagnostics {
            assert!(
                lint::rule_doc(d.rule).is_some(),
                "{} is in the catalogue",
                d.rule
            );
            let (file, line, column) = match d
                .location
                .and_then(|l| sources.get(l.source).map(|s| (l, s)))
            {
                Some((l, s)) => {
                    let p = s.position(l.span.start);
                    (s.name().to_string(), p.line, p.column)
                }
                None => (String::from("-"), 0, 0),
            };
            lines.push((file, line, column, d.rule, d.message.clone()));
        }
    }
    lines.sort();
    let mut out = String::new();
    for (file, line, column, rule, message) in lines {
        let _ = writeln!(out, "{file}:{line}:{column} {rule} {message}");
    }
    out
}

#[test]
fn corpus_findings_match_the_reviewed_snapshots() {
    let bless = std::env::var_os("NETPOL_BLESS").is_some();
    let sources = source_folders();
    assert!(sources.len() >= 10, "the corpus has its source folders");
    let mut failures = Vec::new();
    for dir in sources {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let actual = lint_source(&dir);
        let snapshot = snapshot_dir().join(format!("{name}.txt"));
        if bless {
            std::fs::create_dir_all(snapshot_dir()).unwrap();
            std::fs::write(&snapshot, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if expected != actual {
            failures.push(diff(&name, &expected, &actual));
        }
    }
    assert!(
        failures.is_empty(),
        "corpus lint snapshots differ:\n{}",
        failures.join("\n")
    );
}

/// The lines only in `expected` (`-`) and only in `actual` (`+`).
fn diff(name: &str, expected: &str, actual: &str) -> String {
    let mut out = format!("{name}:\n");
    for line in expected
        .lines()
        .filter(|l| !actual.lines().any(|a| a == *l))
    {
        let _ = writeln!(out, "  - {line}");
    }
    for line in actual
        .lines()
        .filter(|l| !expected.lines().any(|e| e == *l))
    {
        let _ = writeln!(out, "  + {line}");
    }
    out
}

/// The per-source lint cache of the workspace (`api::Workspace::update`) rests on
/// this: the rules that [`lint::reads_one_object`] find the same on each file read
/// alone as on all the files of a corpus folder read together.
#[test]
fn one_object_rules_find_the_same_on_each_file_alone() {
    let config = Config::default();
    let limits = Limits::default();
    let load = |files: &[(String, String)]| {
        let mut sources = SourceSet::new();
        for (name, text) in files {
            sources.add(Source::new(name.clone(), text.clone()));
        }
        netpol::decode::load(&sources, &limits)
    };
    for dir in source_folders() {
        let files: Vec<(String, String)> = manifest_files(&dir)
            .iter()
            .map(|path| {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (
                    name,
                    std::fs::read_to_string(path).expect("corpus files are UTF-8"),
                )
            })
            .collect();
        let together = lint::object_findings(&load(&files).model, &config);
        for (i, file) in files.iter().enumerate() {
            let alone = lint::object_findings(&load(std::slice::from_ref(file)).model, &config);
            let mut of_file: Vec<_> = together
                .iter()
                .filter(|d| d.location.is_some_and(|l| l.source.0 as usize == i))
                .cloned()
                .collect();
            for d in &mut of_file {
                let labels = d.labels.iter_mut().map(|l| &mut l.location);
                for location in d.location.iter_mut().chain(labels) {
                    location.source = netpol::source::SourceId(0);
                }
            }
            assert_eq!(alone, of_file, "{} in {}", file.0, dir.display());
        }
    }
}
