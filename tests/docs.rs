//! Documentation that must not drift from the code: the per-rule pages under
//! `docs/rules/`, generated from the rule catalogue (`RuleDoc::markdown`: one page
//! per rule id, an index, and nothing else), and the npm package's README, which
//! documents every function the package exports.
//!
//! To regenerate the rule pages after changing the catalogue: `NETPOL_BLESS=1 cargo
//! test --test docs`.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netpol::lint::{self, RULE_DOCS_DIR};

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(RULE_DOCS_DIR)
}

/// `README.md` of the folder: every rule with its level and summary, linked to its
/// page.
fn index() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule catalogue (`netpol rules`); do not edit by hand.\n\n| rule | level | family | flags |\n| --- | --- | --- | --- |\n",
    );
    for doc in lint::catalogue() {
        let _ = writeln!(
            out,
            "| [`{id}`]({id}.md) | {level} | {family} | {summary} |",
            id = doc.id,
            level = doc.default_severity.as_str(),
            family = doc.category.as_str(),
            summary = doc.summary.replace('|', "\\|"),
        );
    }
    out
}

/// Every file the folder must hold, by name, with its content.
fn expected_pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = lint::catalogue()
        .iter()
        .map(|doc| (format!("{}.md", doc.id), doc.markdown()))
        .collect();
    pages.push(("README.md".into(), index()));
    pages.sort();
    pages
}

#[test]
fn every_rule_has_its_generated_page_and_nothing_else_is_there() {
    let dir = docs_dir();
    let expected = expected_pages();
    if std::env::var_os("NETPOL_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut present: Vec<String> = std::fs::read_dir(&dir)
        .expect("docs/rules exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    let names: Vec<String> = expected.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(present, names, "one page per rule id plus README.md");
    let stale: Vec<&str> = expected
        .iter()
        .filter(|(name, text)| std::fs::read_to_string(dir.join(name)).ok().as_ref() != Some(text))
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "pages differ from the catalogue (regenerate with NETPOL_BLESS=1): {stale:?}"
    );
}

#[test]
fn a_page_says_what_netpol_rules_documents() {
    let doc = lint::rule_doc("ipblock-allows-metadata").unwrap();
    assert_eq!(doc.docs_path(), "docs/rules/ipblock-allows-metadata.md");
    let page = doc.markdown();
    assert!(page.starts_with("# `ipblock-allows-metadata`\n\nDefault level: `error`."));
    for part in [doc.summary, doc.rationale, doc.example.trim_end(), doc.fix] {
        assert!(page.contains(part), "{part}");
    }
}

#[test]
fn the_npm_readme_documents_every_exported_function() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
    let declarations = std::fs::read_to_string(root.join("index.d.ts")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut functions: Vec<&str> = declarations
        .lines()
        .filter_map(|l| l.strip_prefix("export function "))
        .filter_map(|rest| rest.split('(').next())
        .collect();
    functions.dedup();
    assert!(functions.len() >= 9, "{functions:?}");
    let missing: Vec<&&str> = functions
        .iter()
        .filter(|f| !readme.contains(&format!("| `{f}(")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the README's function table: {missing:?}"
    );
}
