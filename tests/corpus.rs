//! The real-world corpus (`tests/corpus`, origins in `tests/corpus/SOURCES.md`): every file reads and decodes without
//! a panic; the deliberately invalid files, and the few files of the valid sets that
//! the API server rejects too, yield exactly the rule ids recorded (and reviewed by
//! hand) in `tests/corpus/invalid.txt`; every other file yields no validation error.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use netpol::diag::Severity;
use netpol::doc::Limits;
use netpol::source::{Source, SourceSet};

#[path = "support/corpus.rs"]
mod support;

use support::{corpus_root, manifest_files, source_folders};

/// Whether `relative` (`<source>/<file>`) is one of the deliberately invalid files.
fn is_invalid_set(relative: &str) -> bool {
    let (set, file) = relative.split_once('/').unwrap_or(("", relative));
    set == "np-guard-network-config-analyzer-invalid"
        || (set == "np-guard-netpol-analyzer"
            && (file.starts_with("bad_netpols__") || file.starts_with("np_bad_path_")))
}

/// The sorted, distinct validation rule ids of error diagnostics for one file.
fn error_rules(path: &Path) -> BTreeSet<&'static str> {
    let text = std::fs::read_to_string(path).expect("corpus files are UTF-8");
    let mut sources = SourceSet::new();
    sources.add(Source::new(path.to_string_lossy(), text));
    let loaded = netpol::decode::load(&sources, &Limits::default());
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && netpol::validate::is_validation_rule(d.rule))
        .map(|d| d.rule)
        .collect()
}

/// `tests/corpus/invalid.txt`: `<file>: rule, rule` or `<file>: none`, `#` comments.
fn expectations() -> BTreeMap<String, BTreeSet<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/invalid.txt");
    let text = std::fs::read_to_string(path).expect("tests/corpus/invalid.txt");
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (file, rules) = line.split_once(':').expect("`<file>: rules` lines");
        let rules = rules
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty() && *r != "none")
            .map(String::from)
            .collect();
        assert!(
            out.insert(file.trim().to_string(), rules).is_none(),
            "{file} listed twice"
        );
    }
    out
}

fn show(rules: &BTreeSet<impl AsRef<str>>) -> String {
    if rules.is_empty() {
        return "none".into();
    }
    rules
        .iter()
        .map(|r| r.as_ref())
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn corpus_decodes_as_the_api_server_would() {
    let root = corpus_root();
    let files: Vec<_> = source_folders()
        .iter()
        .flat_map(|folder| manifest_files(folder))
        .collect();
    assert!(files.len() > 300, "corpus not found at {}", root.display());
    let mut expected = expectations();
    let mut failures = Vec::new();
    for path in &files {
        let relative = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let rules = match std::panic::catch_unwind(|| error_rules(path)) {
            Ok(rules) => rules,
            Err(_) => {
                failures.push(format!("{relative}: panicked"));
                continue;
            }
        };
        let actual: BTreeSet<String> = rules.iter().map(|r| r.to_string()).collect();
        match expected.remove(&relative) {
            Some(want) if want == actual => {}
            Some(want) => failures.push(format!(
                "{relative}: expected {}, got\n    {relative}: {}",
                show(&want),
                show(&actual)
            )),
            None if is_invalid_set(&relative) => failures.push(format!(
                "not in invalid.txt:\n    {relative}: {}",
                show(&actual)
            )),
            None if !actual.is_empty() => {
                failures.push(format!("{relative} (valid set): {}", show(&actual)))
            }
            None => {}
        }
    }
    for stale in expected.keys() {
        failures.push(format!(
            "{stale}: listed in invalid.txt but not an invalid corpus file"
        ));
    }
    assert!(
        failures.is_empty(),
        "{} corpus problems:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
