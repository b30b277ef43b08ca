//! Property tests of the JSON and YAML readers: they never panic, every span lies in
//! the text on character boundaries, and JSON written by serde_json reads back equal.
//! Inputs that once crashed a reader live in `tests/data/readers/` and are read here.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../fuzz/src/targets/checks.rs"]
mod checks;

use checks::{check_read, exactly};
use netpol::doc::{self, Limits, Node, ReadResult};
use netpol::source::{Source, SourceId};
use proptest::prelude::*;

/// Whether a read node equals a serde_json value, floats exactly.
fn same(node: &Node, json: &serde_json::Value) -> bool {
    checks::same(node, json, exactly)
}

/// Reads `text` with the reader chosen by `name`'s extension.
fn read_named(name: &str, text: &str) -> (Source, ReadResult) {
    let source = Source::new(name, text);
    let result = doc::read(&source, SourceId(0), &Limits::default());
    (source, result)
}

/// Arbitrary JSON values of modest size, with strings drawn from `text`.
fn json_value_with(
    text: impl Strategy<Value = String> + Clone + 'static,
) -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        any::<u64>().prop_map(J::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(J::from),
        text.clone().prop_map(J::String),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(J::Array),
            prop::collection::btree_map(text.clone(), inner, 0..8)
                .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

/// Arbitrary JSON values of modest size.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    json_value_with(any::<String>())
}

/// JSON values whose strings hold only characters YAML may carry raw (serde_json
/// writes DEL and C1 controls unescaped, which YAML forbids).
fn yaml_safe_json_value() -> impl Strategy<Value = serde_json::Value> {
    let text = any::<String>().prop_map(|s| {
        s.chars()
            .filter(|&c| matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..))
            .collect::<String>()
    });
    json_value_with(text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn json_written_by_serde_json_reads_back_equal(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let (_, result) = read_named("v.json", &text);
        prop_assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
        prop_assert_eq!(result.documents.len(), 1);
        prop_assert!(same(&result.documents[0].root, &value), "{} read as {:?}", text, result.documents[0].root);
        check_read(&text, &result);
    }

    #[test]
    fn json_reader_never_panics_on_strings(text in any::<String>()) {
        let (_, result) = read_named("a.json", &text);
        check_read(&text, &result);
    }

    #[test]
    fn json_reader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (_, result) = read_named("a.json", &text);
        check_read(&text, &result);
    }

    #[test]
    fn json_reader_never_panics_on_json_like_text(text in "[\\[\\]{}:,\"\\\\ntrufalse0-9.eE+ \r\n-]{0,64}") {
        let (_, result) = read_named("a.json", &text);
        check_read(&text, &result);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn yaml_reads_json_text_equal(value in yaml_safe_json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let (_, result) = read_named("v.yaml", &text);
        prop_assert!(result.diagnostics.is_empty(), "{} gave {:?}", text, result.diagnostics);
        prop_assert_eq!(result.documents.len(), 1);
        prop_assert!(same(&result.documents[0].root, &value), "{} read as {:?}", text, result.documents[0].root);
        check_read(&text, &result);
    }

    #[test]
    fn yaml_reader_never_panics_on_strings(text in any::<String>()) {
        let (_, result) = read_named("a.yaml", &text);
        check_read(&text, &result);
    }

    #[test]
    fn yaml_reader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (_, result) = read_named("a.yaml", &text);
        check_read(&text, &result);
    }

    #[test]
    fn yaml_reader_never_panics_on_yaml_like_text(
        text in "([-:?,#&*!|>'\"%@`{}\\[\\] \t\r\n<]|a|b|é|😀|---|\\.\\.\\.|&a|\\*a|<<|!!str|!!int|0x1|yes|~){0,48}"
    ) {
        let (_, result) = read_named("a.yaml", &text);
        check_read(&text, &result);
    }
}

/// Every regression input in `tests/data/readers/` is read by both readers without
/// panicking, with all spans in bounds.
#[test]
fn regression_inputs_read_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/readers");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no regression inputs in {dir:?}");
    for path in entries {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for name in ["input.json", "input.yaml"] {
            let (_, result) = read_named(name, &text);
            check_read(&text, &result);
        }
    }
}
