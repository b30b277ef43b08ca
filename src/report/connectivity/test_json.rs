//! The JSON document of `test` (docs/spec/interfaces.md shape).

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;
use serde_json::Value;

use super::location;
use super::tiers_json::{uncertainty_json, UncertaintyJson};
use crate::engine::TestReport;
use crate::model::PortValue;
use crate::source::SourceSet;

/// The test document.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "TestAnswer"))]
pub struct TestJson {
    /// Tool version.
    pub version: &'static str,
    /// One result per case.
    pub results: Vec<TestResultJson>,
    /// Cases passed.
    pub passed: usize,
    /// Cases failed (the uncertain ones included).
    pub failed: usize,
    /// Present when some case's verdict depends on DNS or on an undefined order: how
    /// many (each counts as failed).
    #[serde(skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<usize>", optional))]
    pub uncertain: usize,
    /// Present (`true`) when some case named a representative endpoint.
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub representative: bool,
}

/// One case's result.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "TestCaseResult")
)]
pub struct TestResultJson {
    /// Name as written, or `case N`.
    pub name: String,
    /// `from` as written.
    pub from: String,
    /// `to` as written.
    pub to: String,
    /// `port` as written (number or name).
    #[cfg_attr(feature = "typescript", ts(type = "number | string"))]
    pub port: Value,
    /// Protocol.
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Protocol"))]
    pub protocol: &'static str,
    /// `allow` or `deny`.
    #[cfg_attr(feature = "typescript", ts(type = "\"allow\" | \"deny\""))]
    pub expect: &'static str,
    /// `allow` or `deny` (absent when the case could not be evaluated).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(type = "\"allow\" | \"deny\"", optional))]
    pub actual: Option<&'static str>,
    /// Whether actual is expect.
    pub pass: bool,
    /// The case's file.
    pub file: String,
    /// The case's line.
    pub line: u32,
    /// Why the case could not be evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub error: Option<String>,
    /// The verdict's reason (when evaluated).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub reason: Option<String>,
    /// Present when the verdict depends on DNS or on an undefined order (as in the
    /// query document): the case fails whatever it expects.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub uncertain: Option<UncertaintyJson>,
}

/// Whether a count is zero (left out of the document).
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A test report as the test document.
pub fn test_json(report: &TestReport, sources: &SourceSet) -> TestJson {
    let results = report
        .results
        .iter()
        .map(|r| {
            let (file, line) = location(sources, r.source, r.span);
            TestResultJson {
                name: r.name.clone(),
                from: r.from.clone(),
                to: r.to.clone(),
                port: match &r.port {
                    PortValue::Number(n) => Value::from(*n),
                    PortValue::Name(s) => Value::from(s.as_str()),
                },
                protocol: r.protocol.as_str(),
                expect: r.expect.as_str(),
                actual: r.actual.map(|a| a.as_str()),
                pass: r.pass,
                file: file.into(),
                line,
                error: r.error.clone(),
                reason: r.verdict.as_ref().map(|v| v.reason.clone()),
                uncertain: r
                    .verdict
                    .as_ref()
                    .and_then(|v| v.uncertain.as_ref())
                    .map(uncertainty_json),
            }
        })
        .collect();
    TestJson {
        version: crate::VERSION,
        results,
        passed: report.passed,
        failed: report.failed,
        uncertain: report.uncertain,
        representative: super::tests::uses_representatives(report),
    }
}
