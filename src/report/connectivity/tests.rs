//! `netpol test` results as text, JSON or JUnit XML.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::json::to_pretty;
use super::location;
use super::test_json::test_json;
use crate::engine::{TestReport, TestResult};
use crate::model::PortValue;
use crate::report::junit::{self, Case, Failure, Suite};
use crate::source::SourceSet;

/// The formats `netpol test` renders, the default first.
pub const FORMATS: &[&str] = &["text", "json", "junit"];

/// Renders `report` in `format` (one of [`FORMATS`]; `None` for another name).
pub fn render(report: &TestReport, sources: &SourceSet, format: &str) -> Option<String> {
    match format {
        "text" => Some(text(report, sources)),
        "json" => Some(to_pretty(&test_json(report, sources))),
        "junit" => Some(junit_xml(report, sources)),
        _ => None,
    }
}

/// One line per failing case with its explanation (`UNCERTAIN` for a verdict that
/// depends on DNS or on an undefined order), then `N passed, M failed`.
pub fn text(report: &TestReport, sources: &SourceSet) -> String {
    let mut out = String::new();
    for r in report.results.iter().filter(|r| !r.pass) {
        let _ = writeln!(out, "{}", failure_line(r, sources));
    }
    if uses_representatives(report) {
        let _ = writeln!(out, "note: {}", super::REPRESENTATIVE_FLOW_NOTE);
    }
    let _ = writeln!(out, "{}", report.summary());
    out
}

/// Whether some case named a representative endpoint.
pub fn uses_representatives(report: &TestReport) -> bool {
    report
        .results
        .iter()
        .any(|r| r.verdict.as_ref().is_some_and(|v| v.representative))
}

/// `FAIL file:line name: from -> to port/PROTO: expected allow, got deny (reason)`.
fn failure_line(r: &TestResult, sources: &SourceSet) -> String {
    let (file, line) = location(sources, r.source, r.span);
    let flow = format!(
        "{} -> {} {}/{}",
        r.from,
        r.to,
        port_text(&r.port),
        r.protocol.as_str()
    );
    match (&r.error, r.actual, &r.verdict) {
        (Some(error), _, _) => format!("ERROR {file}:{line} {}: {flow}: {error}", r.name),
        (None, _, Some(v)) if v.uncertain.is_some() => format!(
            "UNCERTAIN {file}:{line} {}: {flow}: expected {}, got no definite answer ({})",
            r.name,
            r.expect.as_str(),
            v.reason
        ),
        (None, Some(actual), Some(v)) => format!(
            "FAIL {file}:{line} {}: {flow}: expected {}, got {} ({})",
            r.name,
            r.expect.as_str(),
            actual.as_str(),
            v.reason
        ),
        _ => format!("FAIL {file}:{line} {}: {flow}", r.name),
    }
}

/// The port as written.
fn port_text(port: &PortValue) -> String {
    match port {
        PortValue::Number(n) => format!("{n}"),
        PortValue::Name(s) => s.clone(),
    }
}

/// One testsuite per source file, one testcase per case.
pub fn junit_xml(report: &TestReport, sources: &SourceSet) -> String {
    let mut suites: Vec<Suite> = Vec::new();
    for r in &report.results {
        let (file, line) = location(sources, r.source, r.span);
        let mut case = Case {
            classname: r.test_name.clone(),
            name: r.name.clone(),
            file: file.into(),
            line,
            failures: Vec::new(),
            system_out: r
                .verdict
                .as_ref()
                .map(|v| {
                    if v.representative {
                        format!("{}\nnote: {}", v.reason, super::REPRESENTATIVE_FLOW_NOTE)
                    } else {
                        v.reason.clone()
                    }
                })
                .unwrap_or_default(),
        };
        if !r.pass {
            let (kind, message) = match (&r.error, r.actual) {
                (Some(e), _) => ("error", e.clone()),
                (None, _) if r.is_uncertain() => (
                    "uncertain",
                    format!("expected {}, got no definite answer", r.expect.as_str()),
                ),
                (None, Some(a)) => (
                    "mismatch",
                    format!("expected {}, got {}", r.expect.as_str(), a.as_str()),
                ),
                _ => ("mismatch", String::from("not evaluated")),
            };
            case.failures.push(Failure {
                kind: kind.into(),
                message,
                details: failure_line(r, sources),
            });
        }
        match suites.iter_mut().find(|s| s.name == file) {
            Some(suite) => suite.cases.push(case),
            None => suites.push(Suite {
                name: file.into(),
                cases: alloc::vec![case],
            }),
        }
    }
    junit::write("netpol test", &suites)
}
