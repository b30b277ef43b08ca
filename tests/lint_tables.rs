//! The lint levels live in two tables, the root crate's `[lints]` (Cargo.toml) and
//! the adapters' workspace `[workspace.lints]` (adapters/Cargo.toml), because the
//! adapters are a workspace of their own: the two must say the same.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::Path;

/// The `key = value` lines of the table `[header]` in the manifest at `path`.
fn table(path: &str, header: &str) -> BTreeMap<String, String> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).expect("a manifest");
    let mut lines = text
        .lines()
        .skip_while(|l| l.trim() != format!("[{header}]"));
    assert!(lines.next().is_some(), "{path} has [{header}]");
    lines
        .map(str::trim)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, value) = l.split_once('=').expect("key = value");
            (key.trim().to_string(), value.trim().to_string())
        })
        .collect()
}

#[test]
fn both_tables_set_the_same_levels() {
    for section in ["rust", "clippy"] {
        let root = table("Cargo.toml", &format!("lints.{section}"));
        let adapters = table("adapters/Cargo.toml", &format!("workspace.lints.{section}"));
        assert_eq!(root, adapters, "{section}");
    }
    let clippy = table("Cargo.toml", "lints.clippy");
    for lint in ["unwrap_used", "expect_used", "panic", "indexing_slicing"] {
        assert_eq!(
            clippy.get(lint).map(String::as_str),
            Some("\"deny\""),
            "{lint}"
        );
    }
    let rust = table("Cargo.toml", "lints.rust");
    assert_eq!(
        rust.get("unsafe_code").map(String::as_str),
        Some("\"deny\"")
    );
}

#[test]
fn every_adapter_uses_the_workspace_table() {
    for member in ["opa", "kubewarden", "opa-postlink"] {
        let lints = table(&format!("adapters/{member}/Cargo.toml"), "lints");
        assert_eq!(
            lints.get("workspace").map(String::as_str),
            Some("true"),
            "{member}"
        );
    }
}
