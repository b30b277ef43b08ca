//! The lint JSON of the command line and the JavaScript API:
//! `{"version", "findings": [...], "summary": {...}}` (keys camelCase, see
//! `docs/spec/interfaces.md`).

use alloc::string::String;

use serde::Serialize;

use super::context::RenderContext;
use super::output::Output;
use super::{Finding, LintReport, Summary};

/// The document `netpol lint --format json` prints.
#[derive(Serialize)]
pub struct LintJson<'a> {
    version: &'a str,
    findings: &'a [Finding],
    summary: &'a Summary,
}

/// The lint JSON document of `report` (tool version `version`).
pub fn document<'a>(report: &'a LintReport, version: &'a str) -> LintJson<'a> {
    LintJson {
        version,
        findings: &report.findings,
        summary: &report.summary,
    }
}

/// Renders `report` as pretty-printed JSON with a final newline (`version` from
/// `ctx`).
pub fn render(report: &LintReport, ctx: &RenderContext<'_>) -> String {
    let mut out = Output::collect();
    write(report, ctx, &mut out);
    out.finish()
}

/// The empty `findings` array as the pretty printer writes it.
const FINDINGS_MARKER: &str = "\n  \"findings\": []";

/// The indentation of a finding inside `findings`.
const FINDING_INDENT: &str = "    ";

/// [`render`] into `out`, one finding at a time: the same bytes as pretty-printing
/// the whole document, which is never held whole.
pub fn write(report: &LintReport, ctx: &RenderContext<'_>, out: &mut Output<'_>) {
    let skeleton_document = LintJson {
        version: ctx.version,
        findings: &[],
        summary: &report.summary,
    };
    // Serialising these plain structs to a string cannot fail (no maps with
    // non-string keys, no I/O); an empty string is never produced in practice.
    let skeleton = serde_json::to_string_pretty(&skeleton_document).unwrap_or_default();
    let Some(at) = skeleton.find(FINDINGS_MARKER) else {
        out.push_str(&skeleton);
        out.push('\n');
        return;
    };
    let (head, tail) = skeleton.split_at(at + FINDINGS_MARKER.len() - 1);
    out.push_str(head);
    for (n, finding) in report.findings.iter().enumerate() {
        out.push_str(if n == 0 { "\n" } else { ",\n" });
        let text = serde_json::to_string_pretty(finding).unwrap_or_default();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(FINDING_INDENT);
            out.push_str(line);
        }
    }
    if !report.findings.is_empty() {
        out.push_str("\n  ");
    }
    out.push_str(tail);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, ResourceRef, Severity};
    use crate::report::Summary;
    use crate::source::{Source, SourceSet, Span};

    #[test]
    fn written_one_finding_at_a_time_it_is_the_pretty_printed_document() {
        let mut sources = SourceSet::new();
        let id = sources.add(Source::new("a.yaml", "kind: NetworkPolicy\nname: x\n"));
        for count in 0..3u32 {
            let diagnostics: alloc::vec::Vec<Diagnostic> = (0..count)
                .map(|i| {
                    Diagnostic::new("some-rule", Severity::Warning, "a \"quoted\"\nmessage")
                        .at(id, Span::new(i, i + 1))
                        .with_path("spec")
                })
                .collect();
            let report = LintReport::new(
                diagnostics,
                &sources,
                Summary::default(),
                Some(Severity::Error),
            );
            let ctx = RenderContext::new(&sources);
            let whole = serde_json::to_string_pretty(&document(&report, ctx.version)).unwrap();
            assert_eq!(render(&report, &ctx), whole + "\n", "{count} findings");
        }
    }

    #[test]
    fn lint_json_has_the_documented_shape() {
        let mut sources = SourceSet::new();
        let id = sources.add(Source::new("a.yaml", "kind: NetworkPolicy\nname: café x\n"));
        let diagnostic = Diagnostic::new("some-rule", Severity::Warning, "msg")
            .at(id, Span::new(32, 33))
            .with_help("fix it")
            .with_path("spec.podSelector")
            .with_resource(ResourceRef {
                api_version: "networking.k8s.io/v1".into(),
                kind: "NetworkPolicy".into(),
                namespace: None,
                name: "web".into(),
            });
        let summary = Summary {
            files: 1,
            objects: 1,
            ..Summary::default()
        };
        let report = LintReport::new(
            alloc::vec![diagnostic],
            &sources,
            summary,
            Some(Severity::Error),
        );
        let value: serde_json::Value =
            serde_json::from_str(&render(&report, &RenderContext::new(&sources))).unwrap();
        assert_eq!(value["version"], crate::VERSION);
        let finding = &value["findings"][0];
        let keys: alloc::vec::Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = [
            "ruleId",
            "severity",
            "message",
            "help",
            "file",
            "line",
            "column",
            "endLine",
            "endColumn",
            "path",
            "resource",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(finding["severity"], "warning");
        assert_eq!(finding["line"], 2);
        assert_eq!(finding["column"], 12, "columns count characters, not bytes");
        assert_eq!(finding["resource"]["namespace"], serde_json::Value::Null);
        assert_eq!(finding["resource"]["apiVersion"], "networking.k8s.io/v1");
        let summary = &value["summary"];
        assert_eq!(summary["warning"], 1);
        assert_eq!(summary["error"], 0);
        assert_eq!(summary["files"], 1);
        assert!(summary.get("suppressed").is_some() && summary.get("objects").is_some());
    }
}
