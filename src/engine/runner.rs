//! Running `ConnectivityTest` cases (`netpol test`).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::explain::Verdict;
use super::Engine;
use crate::model::{ConnectivityTest, Expectation, PortValue, Protocol, TestCase};
use crate::source::{SourceId, Span};

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult {
    /// Index of the ConnectivityTest in `model.tests`.
    pub test: usize,
    /// The ConnectivityTest's `metadata.name`.
    pub test_name: String,
    /// Index of the case in its `spec.cases`.
    pub case: usize,
    /// The case's name as written, or `case N` (N counting from 1 in its test).
    pub name: String,
    /// `from` as written.
    pub from: String,
    /// `to` as written.
    pub to: String,
    /// `port` as written.
    pub port: PortValue,
    /// The protocol.
    pub protocol: Protocol,
    /// What the case expects.
    pub expect: Expectation,
    /// What the engine answers (`None` when the case could not be evaluated).
    pub actual: Option<Expectation>,
    /// Whether `actual` is `expect` (never for an uncertain verdict).
    pub pass: bool,
    /// Why the case could not be evaluated.
    pub error: Option<String>,
    /// The case's source.
    pub source: SourceId,
    /// The case's bytes.
    pub span: Span,
    /// The verdict with its explanation (when evaluated).
    pub verdict: Option<Verdict>,
}

impl TestResult {
    /// Whether the verdict depends on DNS or on an undefined order (see
    /// [`Verdict::uncertain`]).
    pub fn is_uncertain(&self) -> bool {
        self.verdict.as_ref().is_some_and(|v| v.uncertain.is_some())
    }
}

/// Every case's outcome, in input order, with the counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TestReport {
    /// One result per case.
    pub results: Vec<TestResult>,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed or could not be evaluated (the uncertain ones included).
    pub failed: usize,
    /// Cases whose verdict depends on DNS or on an undefined order: neither allowed
    /// nor denied for sure, so they fail whatever they expect.
    pub uncertain: usize,
}

impl TestReport {
    /// The summary line: `N passed, M failed`, then `(K uncertain)` when some case
    /// had no definite verdict.
    pub fn summary(&self) -> String {
        if self.uncertain == 0 {
            format!("{} passed, {} failed", self.passed, self.failed)
        } else {
            format!(
                "{} passed, {} failed ({} uncertain)",
                self.passed, self.failed, self.uncertain
            )
        }
    }

    /// Whether every case passed.
    pub fn all_passed(&self) -> bool {
        self.failed == 0
    }
}

/// See [`Engine::run_tests`].
pub(crate) fn run(engine: &Engine<'_>) -> TestReport {
    let mut report = TestReport::default();
    for (t, test) in engine.model.tests.iter().enumerate() {
        for (c, case) in test.cases.iter().enumerate() {
            let result = run_case(engine, t, test, c, case);
            if result.pass {
                report.passed += 1;
            } else {
                report.failed += 1;
            }
            if result.is_uncertain() {
                report.uncertain += 1;
            }
            report.results.push(result);
        }
    }
    report
}

/// Evaluates one case.
fn run_case(
    engine: &Engine<'_>,
    t: usize,
    test: &ConnectivityTest,
    c: usize,
    case: &TestCase,
) -> TestResult {
    let mut result = TestResult {
        test: t,
        test_name: test.meta.name.value.clone(),
        case: c,
        name: case
            .name
            .clone()
            .unwrap_or_else(|| format!("case {}", c + 1)),
        from: case.from.value.clone(),
        to: case.to.value.clone(),
        port: case.port.value.clone(),
        protocol: case.protocol,
        expect: case.expect.value,
        actual: None,
        pass: false,
        error: None,
        source: test.meta.source,
        span: case.span,
        verdict: None,
    };
    match engine.flow(
        &case.from.value,
        &case.to.value,
        &case.port.value,
        case.protocol,
    ) {
        Ok(flow) => {
            let verdict = engine.query(&flow);
            let actual = if verdict.allowed {
                Expectation::Allow
            } else {
                Expectation::Deny
            };
            result.actual = Some(actual);
            result.pass = actual == result.expect && verdict.uncertain.is_none();
            result.verdict = Some(verdict);
        }
        Err(e) => result.error = Some(format!("{e}")),
    }
    result
}
