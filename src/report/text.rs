//! Compiler-style text: `severity[rule-id]: message`, ` --> file:line:column`, the
//! source line with carets under the span, `= help: ...`, and a summary line; a
//! long report (or one cut by `max_findings`) ends with the findings counted per
//! rule.
//!
//! Carets line up under the span on a terminal: columns count characters, wide
//! characters (CJK, emoji) take two cells, combining marks none, and tabs are shown
//! as four spaces.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::context::{resource_display, RenderContext};
use super::output::Output;
use super::rule_counts::count_by_rule;
use super::{Finding, LintReport, SkippedCount, Summary};
use crate::diag::Severity;
use crate::sorted::SortedMap;
use crate::source::Source;

/// Findings beyond which a text report ends with the per-rule table.
pub const RULE_TABLE_MIN_FINDINGS: usize = 10;

/// Renders the findings of `report` (at most `ctx.max_findings`), then, for a long
/// or cut report, the per-rule table over all findings, then the summary line.
pub fn render(report: &LintReport, ctx: &RenderContext<'_>) -> String {
    let mut out = Output::collect();
    write(report, ctx, &mut out);
    out.finish()
}

/// [`render`] into `out`, one finding at a time.
pub fn write(report: &LintReport, ctx: &RenderContext<'_>, out: &mut Output<'_>) {
    let paint = Paint { on: ctx.color };
    let total = report.findings.len();
    let shown = ctx.max_findings.map_or(total, |max| max.min(total));
    write_list(report.findings.iter().take(shown), ctx, out);
    if shown < total {
        let hidden = total - shown;
        let _ = writeln!(
            out,
            "{} not shown (--max-findings {shown}); the counts below include them\n",
            plural(hidden, "more finding", "more findings")
        );
    }
    if total > RULE_TABLE_MIN_FINDINGS || shown < total {
        out.push_str(&rule_table(&report.findings, paint));
    }
    out.push_str(&summary_line(&report.summary, paint));
}

/// Renders every finding of `report`, each followed by a blank line, without the
/// summary line.
pub fn render_findings(report: &LintReport, ctx: &RenderContext<'_>) -> String {
    let mut out = Output::collect();
    write_list(report.findings.iter(), ctx, &mut out);
    out.finish()
}

/// Writes `findings`, each followed by a blank line.
fn write_list<'f>(
    findings: impl Iterator<Item = &'f Finding>,
    ctx: &RenderContext<'_>,
    out: &mut Output<'_>,
) {
    let paint = Paint { on: ctx.color };
    let by_name: SortedMap<&str, &Source> =
        ctx.sources.iter().map(|(_, s)| (s.name(), s)).collect();
    let mut text = String::new();
    for finding in findings {
        let source = by_name.get(finding.file.as_str()).copied();
        text.clear();
        render_finding(&mut text, finding, source, paint);
        text.push('\n');
        out.push_str(&text);
    }
}

/// `findings by rule:` and one row per rule and severity (count, severity, rule id),
/// then a blank line.
fn rule_table(findings: &[Finding], paint: Paint) -> String {
    let rows = count_by_rule(findings);
    let width = rows.first().map_or(1, |r| r.count.to_string().len());
    let mut out = format!("{}\n", paint.bold("findings by rule:"));
    for row in rows {
        let severity = format!("{:<7}", row.severity.as_str());
        let _ = writeln!(
            out,
            "  {:>width$}  {}  {}",
            row.count,
            paint.severity(row.severity, &severity),
            row.rule_id
        );
    }
    out.push('\n');
    out
}

/// One finding: header, location, snippet, help and note.
fn render_finding(out: &mut String, finding: &Finding, source: Option<&Source>, paint: Paint) {
    let severity = finding.severity;
    let _ = writeln!(
        out,
        "{}: {}",
        paint.severity(
            severity,
            &format!("{}[{}]", severity.as_str(), finding.rule_id)
        ),
        paint.bold(&finding.message)
    );
    let gutter = digits(finding.line);
    let pad = " ".repeat(gutter);
    let arrow = paint.frame("-->");
    if finding.line > 0 {
        let _ = writeln!(
            out,
            "{pad}{arrow} {}:{}:{}",
            finding.file, finding.line, finding.column
        );
    } else if !finding.file.is_empty() {
        let _ = writeln!(out, "{pad}{arrow} {}", finding.file);
    }
    if let Some(source) = source.filter(|_| finding.line > 0) {
        let bar = paint.frame("|");
        let (text, underline) = snippet(source, finding);
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(
            out,
            "{} {bar} {text}",
            paint.frame(&format!("{:>gutter$}", finding.line))
        );
        let _ = writeln!(out, "{pad} {bar} {}", paint.severity(severity, &underline));
    }
    if !finding.help.is_empty() {
        let _ = writeln!(out, "{pad} = {}: {}", paint.bold("help"), finding.help);
    }
    if let Some(note) = note(finding) {
        let _ = writeln!(out, "{pad} = {}: {note}", paint.bold("note"));
    }
}

/// `in Kind ns/name at path`, for what the message does not already say.
fn note(finding: &Finding) -> Option<String> {
    let resource = finding.resource.as_ref().map(resource_display);
    let path =
        Some(finding.path.as_str()).filter(|p| !p.is_empty() && !finding.message.contains(*p));
    match (resource, path) {
        (Some(r), Some(p)) => Some(format!("in {r} at {p}")),
        (Some(r), None) => Some(format!("in {r}")),
        (None, Some(p)) => Some(format!("at {p}")),
        (None, None) => None,
    }
}

/// Characters of a source line shown at most; longer lines (minified JSON) are
/// cut to a window around the span, marked with `…`.
const MAX_SNIPPET_CHARS: usize = 160;

/// Characters shown before the span when a long line is cut.
const CONTEXT_BEFORE: usize = 40;

/// The finding's first line as displayed (tabs expanded, long lines cut around the
/// span) and the caret line under its span (to the end of the line when the span
/// goes on).
fn snippet(source: &Source, finding: &Finding) -> (String, String) {
    let line = source.line_text(finding.line);
    let start = finding.column.max(1) as usize;
    let end = if finding.end_line == finding.line {
        finding.end_column as usize
    } else {
        usize::MAX
    };
    let count = line.chars().count();
    let first = if count > MAX_SNIPPET_CHARS {
        (start - 1).saturating_sub(CONTEXT_BEFORE)
    } else {
        0
    };
    let last = count.min(first + MAX_SNIPPET_CHARS);
    let (mut text, mut underline) = (String::new(), String::new());
    if first > 0 {
        text.push('…');
        underline.push(' ');
    }
    let mut carets = 0usize;
    for (index, ch) in line.chars().enumerate().take(last).skip(first) {
        let column = index + 1;
        let (shown, width) = if ch == '\t' {
            ("    ".into(), 4)
        } else {
            (String::from(ch), char_width(ch))
        };
        text.push_str(&shown);
        if column < start {
            underline.push_str(&" ".repeat(width));
        } else if column < end {
            underline.push_str(&"^".repeat(width));
            carets += width;
        }
    }
    if last < count {
        text.push('…');
    }
    if carets == 0 {
        underline.push('^');
    }
    (text, underline)
}

/// Terminal cells taken by `ch`: 0 for combining marks and zero-width characters,
/// 2 for East Asian wide and fullwidth characters and emoji, 1 otherwise.
fn char_width(ch: char) -> usize {
    let c = u32::from(ch);
    let zero = matches!(c,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200B..=0x200F
        | 0x20D0..=0x20FF | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F);
    let wide = matches!(c,
        0x1100..=0x115F | 0x231A..=0x231B | 0x2329..=0x232A | 0x23E9..=0x23EC
        | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD);
    if zero {
        0
    } else if wide {
        2
    } else {
        1
    }
}

/// Number of decimal digits of `n` (at least 1).
fn digits(n: u32) -> usize {
    let mut count = 1;
    let mut rest = n / 10;
    while rest > 0 {
        count += 1;
        rest /= 10;
    }
    count
}

/// The last line: counts by severity, files and objects.
fn summary_line(summary: &Summary, paint: Paint) -> String {
    let scope = format!(
        "{} ({})",
        plural(summary.files, "file", "files"),
        plural(summary.objects, "object", "objects")
    );
    let mut line = if summary.error + summary.warning + summary.info == 0 {
        format!("no problems found in {scope}")
    } else {
        format!(
            "{}, {}, {} in {scope}",
            plural(summary.error, "error", "errors"),
            plural(summary.warning, "warning", "warnings"),
            plural(summary.info, "info", "info")
        )
    };
    if summary.suppressed > 0 {
        let _ = write!(line, "; {} suppressed", summary.suppressed);
    }
    format!("{}\n{}", paint.bold(&line), skipped_line(&summary.skipped))
}

/// `skipped 3 objects: 2 CiliumNetworkPolicy (not evaluated), 1 Service`, or nothing
/// when no object was skipped.
fn skipped_line(skipped: &[SkippedCount]) -> String {
    let total: usize = skipped.iter().map(|s| s.count).sum();
    if total == 0 {
        return String::new();
    }
    let mut kinds: Vec<&SkippedCount> = skipped.iter().collect();
    // Policy kinds first: they are what the reader must not miss.
    crate::order::sort_by_key(&mut kinds, |s| !s.unsupported_policy);
    let items: Vec<String> = kinds
        .iter()
        .map(|s| {
            let note = if s.unsupported_policy {
                " (not evaluated)"
            } else {
                ""
            };
            format!("{} {}{note}", s.count, s.label())
        })
        .collect();
    format!(
        "skipped {}: {}\n",
        plural(total, "object", "objects"),
        items.join(", ")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// ANSI colouring, or none.
#[derive(Clone, Copy)]
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            String::from(text)
        }
    }

    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    /// Arrows, bars and line numbers.
    fn frame(self, text: &str) -> String {
        self.wrap("1;34", text)
    }

    fn severity(self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.wrap(code, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, ResourceRef};
    use crate::report::LintReport;
    use crate::source::{SourceSet, Span};

    fn report_for(text: &str, needle: &str, severity: Severity) -> (SourceSet, LintReport) {
        let mut sources = SourceSet::new();
        let id = sources.add(Source::new("p.yaml", text));
        let start = text.find(needle).unwrap() as u32;
        let diagnostic = Diagnostic::new("bad-thing", severity, "something is wrong")
            .at(id, Span::new(start, start + needle.len() as u32))
            .with_help("do better")
            .with_path("spec.podSelector")
            .with_resource(ResourceRef {
                api_version: "networking.k8s.io/v1".into(),
                kind: "NetworkPolicy".into(),
                namespace: Some("shop".into()),
                name: "web".into(),
            });
        let summary = Summary {
            files: 1,
            objects: 2,
            ..Summary::default()
        };
        let report = LintReport::new(
            alloc::vec![diagnostic],
            &sources,
            summary,
            Some(Severity::Error),
        );
        (sources, report)
    }

    #[test]
    fn renders_like_a_compiler() {
        let (sources, report) = report_for("a: 1\nname: web\n", "web", Severity::Warning);
        let out = render(&report, &RenderContext::new(&sources));
        let expected = "warning[bad-thing]: something is wrong\n \
                        --> p.yaml:2:7\n  \
                        |\n\
                        2 | name: web\n  \
                        |       ^^^\n  \
                        = help: do better\n  \
                        = note: in NetworkPolicy shop/web at spec.podSelector\n\
                        \n\
                        0 errors, 1 warning, 0 info in 1 file (2 objects)\n";
        assert_eq!(out, expected);
        assert!(!out.contains('\x1b'), "no colour unless asked");
    }

    #[test]
    fn carets_line_up_under_non_ascii_text() {
        let (sources, report) = report_for("label: \"café 日本\" bad\n", "bad", Severity::Error);
        let out = render(&report, &RenderContext::new(&sources));
        let lines: alloc::vec::Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], " --> p.yaml:1:18");
        assert_eq!(lines[3], "1 | label: \"café 日本\" bad");
        // 17 characters before `bad`, two of them two cells wide.
        assert_eq!(lines[4], format!("  | {}^^^", " ".repeat(19)));
    }

    #[test]
    fn colour_only_when_asked() {
        let (sources, report) = report_for("x: y\n", "y", Severity::Error);
        let mut ctx = RenderContext::new(&sources);
        ctx.color = true;
        let out = render(&report, &ctx);
        assert!(out.contains("\x1b[1;31merror[bad-thing]\x1b[0m"));
    }

    #[test]
    fn summary_without_findings() {
        let sources = SourceSet::new();
        let summary = Summary {
            files: 3,
            objects: 1,
            suppressed: 2,
            ..Summary::default()
        };
        let report = LintReport::new(Vec::new(), &sources, summary, Some(Severity::Error));
        let out = render(&report, &RenderContext::new(&sources));
        assert_eq!(
            out,
            "no problems found in 3 files (1 object); 2 suppressed\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!(
            "{{\"a\": \"{}\", \"bad\": 1, \"b\": \"{}\"}}\n",
            "x".repeat(500),
            "y".repeat(500)
        );
        let (sources, report) = report_for(&text, "\"bad\"", Severity::Error);
        let source = sources.get(crate::source::SourceId(0)).unwrap();
        let (shown, underline) = snippet(source, &report.findings[0]);
        assert_eq!(shown.chars().count(), MAX_SNIPPET_CHARS + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(
            underline,
            format!("{}^^^^^", " ".repeat(CONTEXT_BEFORE + 1))
        );
        assert_eq!(&shown[shown.find("\"bad").unwrap()..][..5], "\"bad\"");
    }

    #[test]
    fn empty_span_at_end_of_line_gets_one_caret() {
        let (sources, mut report) = report_for("key:\n", "key", Severity::Info);
        let finding = &mut report.findings[0];
        finding.column = 5;
        finding.end_column = 5;
        let (text, underline) = snippet(sources.get(crate::source::SourceId(0)).unwrap(), finding);
        assert_eq!(text, "key:");
        assert_eq!(underline, "    ^");
    }
}
