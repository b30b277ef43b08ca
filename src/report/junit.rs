//! JUnit XML: `testsuites > testsuite > testcase`.
//!
//! [`write`] prints any [`Suite`] list (the `netpol test` command builds one testcase
//! per connectivity case); [`render`] builds the suites of a lint report:
//!
//! One testsuite per file, one testcase per checked (rule, resource) pair (see
//! [`super::context`]): `classname` is the rule id, `name` the resource (`Kind
//! namespace/name`, or `file NAME` for findings about a whole file), with `file` and
//! `line` attributes.
//!
//! The mapping: every `error` and `warning` finding, and an `info` finding when
//! `--fail-on info`, is one `<failure type="RULE-ID" message="...">` whose text gives
//! rule, severity, resource and `file:line:column`, whatever the exit code: JUnit has
//! no level between pass and fail, and a warning shown as a passing test would be
//! lost (GitLab lists failed tests in the merge request; Jenkins marks a build with
//! failed tests *unstable*, not failed, which is what a warning means). Other `info`
//! findings are listed in the testcase's `<system-out>` and do not fail it.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::context::{at_or_above_fail_on, checks, resource_display, Check, RenderContext};
use super::{Finding, LintReport};
use crate::diag::Severity;
use crate::sorted::SortedMap;

/// One `<testsuite>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suite {
    /// `name` attribute.
    pub name: String,
    /// Its testcases, in output order.
    pub cases: Vec<Case>,
}

/// One `<testcase>`: it fails when it has failures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Case {
    /// `classname` attribute.
    pub classname: String,
    /// `name` attribute.
    pub name: String,
    /// `file` attribute (left out when empty).
    pub file: String,
    /// `line` attribute (left out when 0).
    pub line: u32,
    /// One `<failure>` each.
    pub failures: Vec<Failure>,
    /// `<system-out>` text (left out when empty).
    pub system_out: String,
}

/// One `<failure type=... message=...>details</failure>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failure {
    /// `type` attribute.
    pub kind: String,
    /// `message` attribute.
    pub message: String,
    /// Element text.
    pub details: String,
}

/// Renders `report` as JUnit XML (final newline).
pub fn render(report: &LintReport, ctx: &RenderContext<'_>) -> String {
    write("netpol", &lint_suites(report, ctx))
}

/// Writes `suites` under `<testsuites name="NAME">` with test and failure counts
/// (a test with several failures counts once).
pub fn write(name: &str, suites: &[Suite]) -> String {
    let count = |cases: &[Case]| cases.iter().filter(|c| !c.failures.is_empty()).count();
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(|s| count(&s.cases)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        escape_attr(name)
    );
    for suite in suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            escape_attr(&suite.name),
            suite.cases.len(),
            count(&suite.cases)
        );
        for case in &suite.cases {
            write_case(&mut out, case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// One `<testcase>` element.
fn write_case(out: &mut String, case: &Case) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        escape_attr(&case.classname),
        escape_attr(&case.name)
    );
    if !case.file.is_empty() {
        let _ = write!(out, " file=\"{}\"", escape_attr(&case.file));
    }
    if case.line > 0 {
        let _ = write!(out, " line=\"{}\"", case.line);
    }
    if case.failures.is_empty() && case.system_out.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    for failure in &case.failures {
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            escape_attr(&failure.kind),
            escape_attr(&failure.message),
            escape_text(&failure.details)
        );
    }
    if !case.system_out.is_empty() {
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            escape_text(&case.system_out)
        );
    }
    out.push_str("    </testcase>\n");
}

/// The suites of a lint report: one per file in name order, testcases by line, rule
/// and resource.
fn lint_suites(report: &LintReport, ctx: &RenderContext<'_>) -> Vec<Suite> {
    SortedMap::grouped(checks(report, ctx).into_iter().map(|c| (c.file, c)))
        .into_iter()
        .map(|(file, mut checks)| {
            crate::order::sort_by(&mut checks, |a, b| {
                (a.line, a.rule, a.resource).cmp(&(b.line, b.rule, b.resource))
            });
            Suite {
                name: if file.is_empty() { "(no file)" } else { file }.to_string(),
                cases: checks.iter().map(|c| lint_case(c, report)).collect(),
            }
        })
        .collect()
}

/// The testcase of one checked pair.
fn lint_case(check: &Check<'_>, report: &LintReport) -> Case {
    let mut case = Case {
        classname: check.rule.to_string(),
        name: match check.resource {
            Some(r) => resource_display(r),
            None => format!("file {}", check.file),
        },
        file: check.file.to_string(),
        line: check.line,
        ..Case::default()
    };
    for f in check
        .findings
        .iter()
        .filter_map(|&i| report.findings.get(i))
    {
        if is_failure(report, f.severity) {
            case.failures.push(Failure {
                kind: f.rule_id.to_string(),
                message: f.message.clone(),
                details: details(f),
            });
        } else {
            case.system_out.push_str(&details(f));
        }
    }
    case
}

/// Whether a finding of `severity` is a `<failure>`: warnings and errors always,
/// lower levels when `--fail-on` reaches them.
fn is_failure(report: &LintReport, severity: Severity) -> bool {
    severity >= Severity::Warning || at_or_above_fail_on(report, severity)
}

/// The text of a failure: the message, then rule, severity, resource, location,
/// field path and help, one per line.
fn details(f: &Finding) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", f.message);
    let _ = writeln!(out, "rule: {}", f.rule_id);
    let _ = writeln!(out, "severity: {}", f.severity);
    if let Some(r) = &f.resource {
        let _ = writeln!(out, "resource: {}", resource_display(r));
    }
    if !f.file.is_empty() {
        let _ = writeln!(out, "location: {}:{}:{}", f.file, f.line, f.column);
    }
    if !f.path.is_empty() {
        let _ = writeln!(out, "path: {}", f.path);
    }
    if !f.help.is_empty() {
        let _ = writeln!(out, "help: {}", f.help);
    }
    out
}

/// Escapes text content: `&`, `<`, `>`, carriage return as a character reference,
/// and characters XML 1.0 cannot hold at all (other control characters, U+FFFE,
/// U+FFFF) replaced by U+FFFD.
pub fn escape_text(text: &str) -> String {
    escape(text, false)
}

/// Escapes an attribute value: as text, plus both quotes, and tab and line feed as
/// character references (so they survive attribute normalisation).
pub fn escape_attr(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}
