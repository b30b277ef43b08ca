//! conftest-style JSON, so CI glue written for conftest reads it unchanged.
//!
//! `[{"filename", "namespace": "netpol", "successes", "warnings": [RESULT],
//! "failures": [RESULT]}]` with one entry per file (sorted by name) that has a
//! finding or a checked object, and `RESULT = {"msg", "loc": {"file", "line"},
//! "metadata": {"ruleId", "severity", "path", "resource"}}`. Findings at or above the
//! report's `fail_on` are failures, the others warnings; `successes` counts the
//! checked (rule, resource) pairs of the file without finding (see
//! [`super::context`]).

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::context::{at_or_above_fail_on, checks, RenderContext};
use super::{Finding, LintReport};
use crate::sorted::SortedMap;

/// The `namespace` of every entry (conftest's policy namespace).
pub const NAMESPACE: &str = "netpol";

/// One file's entry while it is being filled.
#[derive(Default)]
struct FileEntry {
    successes: usize,
    warnings: Vec<Value>,
    failures: Vec<Value>,
}

/// Renders `report` as a conftest results array (pretty JSON, final newline).
pub fn render(report: &LintReport, ctx: &RenderContext<'_>) -> String {
    let passed: Vec<&str> = checks(report, ctx)
        .into_iter()
        .filter(|check| check.findings.is_empty())
        .map(|check| check.file)
        .collect();
    let mut files: SortedMap<&str, FileEntry> = passed
        .iter()
        .copied()
        .chain(report.findings.iter().map(|f| f.file.as_str()))
        .map(|file| (file, FileEntry::default()))
        .collect();
    for file in passed {
        if let Some(entry) = files.get_mut(file) {
            entry.successes += 1;
        }
    }
    for f in &report.findings {
        let Some(entry) = files.get_mut(f.file.as_str()) else {
            continue;
        };
        if at_or_above_fail_on(report, f.severity) {
            entry.failures.push(result(f));
        } else {
            entry.warnings.push(result(f));
        }
    }
    let entries: Vec<Value> = files
        .into_iter()
        .map(|(file, e)| {
            json!({
                "filename": file,
                "namespace": NAMESPACE,
                "successes": e.successes,
                "warnings": e.warnings,
                "failures": e.failures,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&entries).unwrap_or_default();
    out.push('\n');
    out
}

/// One RESULT.
fn result(f: &Finding) -> Value {
    json!({
        "msg": f.message,
        "loc": {"file": f.file, "line": f.line},
        "metadata": {
            "ruleId": f.rule_id,
            "severity": f.severity,
            "path": f.path,
            "resource": f.resource,
        },
    })
}
