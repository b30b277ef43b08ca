//! The one dispatch over every lint output format, and what renderers need besides
//! the findings ([`RenderContext`]).
//!
//! Every format renders from the same [`LintReport`]; the context adds the sources
//! (for snippets), the rule metadata (SARIF `rules[]`, report categories), the objects
//! that were checked (passing JUnit testcases, PolicyReport `pass` results, conftest
//! `successes`) and a timestamp passed in by the caller, so output is deterministic.
//! See [`super::context`] for what "checked" means.

use alloc::string::String;

use super::context::RenderContext;
use super::output::Output;
use super::LintReport;

/// A lint output format (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LintFormat {
    /// Compiler-style text with caret snippets.
    Text,
    /// The lint JSON of docs/spec/interfaces.md.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning, GitLab, Azure DevOps).
    Sarif,
    /// JUnit XML.
    Junit,
    /// `wgpolicyk8s.io/v1alpha2` PolicyReport / ClusterPolicyReport YAML stream.
    PolicyReport,
    /// `openreports.io/v1alpha1` Report / ClusterReport YAML stream.
    OpenReports,
    /// Gatekeeper-style violations JSON.
    Gatekeeper,
    /// conftest-style JSON.
    Conftest,
}

impl LintFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [LintFormat; 8] = [
        LintFormat::Text,
        LintFormat::Json,
        LintFormat::Sarif,
        LintFormat::Junit,
        LintFormat::PolicyReport,
        LintFormat::OpenReports,
        LintFormat::Gatekeeper,
        LintFormat::Conftest,
    ];

    /// The names of [`LintFormat::ALL`], for a command's list of accepted formats
    /// (`text` first: the default).
    pub const NAMES: [&'static str; 8] = [
        LintFormat::Text.name(),
        LintFormat::Json.name(),
        LintFormat::Sarif.name(),
        LintFormat::Junit.name(),
        LintFormat::PolicyReport.name(),
        LintFormat::OpenReports.name(),
        LintFormat::Gatekeeper.name(),
        LintFormat::Conftest.name(),
    ];

    /// The name `--format` takes (`text`, `json`, `sarif`, `junit`, `policyreport`,
    /// `openreports`, `gatekeeper`, `conftest`).
    pub const fn name(self) -> &'static str {
        match self {
            LintFormat::Text => "text",
            LintFormat::Json => "json",
            LintFormat::Sarif => "sarif",
            LintFormat::Junit => "junit",
            LintFormat::PolicyReport => "policyreport",
            LintFormat::OpenReports => "openreports",
            LintFormat::Gatekeeper => "gatekeeper",
            LintFormat::Conftest => "conftest",
        }
    }

    /// Parses a format name as [`LintFormat::name`] prints it.
    pub fn parse(name: &str) -> Option<LintFormat> {
        LintFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the format lists passes as well as findings, and so needs the checked
    /// objects of [`RenderContext::objects`] (JUnit, the report kinds, conftest).
    pub const fn lists_passes(self) -> bool {
        matches!(
            self,
            LintFormat::Junit
                | LintFormat::PolicyReport
                | LintFormat::OpenReports
                | LintFormat::Conftest
        )
    }

    /// The names joined for a help text: `text|json|sarif|...`.
    pub fn names() -> String {
        LintFormat::NAMES.join("|")
    }
}

/// [`render`] into `out`: the long formats (text, JSON, SARIF) one finding at a
/// time, the others whole.
pub fn write(
    format: LintFormat,
    report: &LintReport,
    ctx: &RenderContext<'_>,
    out: &mut Output<'_>,
) {
    match format {
        LintFormat::Text => super::text::write(report, ctx, out),
        LintFormat::Json => super::json::write(report, ctx, out),
        LintFormat::Sarif => super::sarif::write(report, ctx, out),
        _ => out.push_str(&render(format, report, ctx)),
    }
}

/// Renders `report` in `format`.
///
/// ```
/// use netpol::diag::{Diagnostic, Severity};
/// use netpol::report::context::RenderContext;
/// use netpol::report::formats::{render, LintFormat};
/// use netpol::report::{LintReport, Summary};
/// use netpol::source::{Source, SourceSet, Span};
///
/// let mut sources = SourceSet::new();
/// let id = sources.add(Source::new("p.yaml", "kind: NetworkPolicy\n"));
/// let finding = Diagnostic::new("missing-namespace", Severity::Info, "no namespace")
///     .at(id, Span::new(0, 4));
/// let report = LintReport::new(vec![finding], &sources, Summary::default(), Some(Severity::Error));
/// let ctx = RenderContext::new(&sources);
///
/// let format = LintFormat::parse("gatekeeper").unwrap();
/// assert_eq!(render(format, &report, &ctx), "[]\n"); // info is below `error`
/// let sarif = render(LintFormat::Sarif, &report, &ctx);
/// assert!(sarif.contains("\"ruleId\": \"missing-namespace\""));
/// ```
pub fn render(format: LintFormat, report: &LintReport, ctx: &RenderContext<'_>) -> String {
    match format {
        LintFormat::Text => super::text::render(report, ctx),
        LintFormat::Json => super::json::render(report, ctx),
        LintFormat::Sarif => super::sarif::render(report, ctx),
        LintFormat::Junit => super::junit::render(report, ctx),
        LintFormat::PolicyReport => super::policy_report::render_policy_reports(report, ctx),
        LintFormat::OpenReports => super::policy_report::render_open_reports(report, ctx),
        LintFormat::Gatekeeper => super::gatekeeper::render(report, ctx),
        LintFormat::Conftest => super::conftest::render(report, ctx),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, ResourceRef, Severity};
    use crate::report::context::CheckedObject;
    use crate::report::{LintReport, Resource, Summary};
    use crate::source::{Source, SourceSet, Span};

    #[test]
    fn only_formats_listing_passes_read_the_checked_objects() {
        let mut sources = SourceSet::new();
        let id = sources.add(Source::new("p.yaml", "kind: NetworkPolicy\n"));
        let resource = ResourceRef {
            api_version: "networking.k8s.io/v1".into(),
            kind: "NetworkPolicy".into(),
            namespace: Some("shop".into()),
            name: "web".into(),
        };
        let finding = Diagnostic::new("missing-namespace", Severity::Info, "no namespace")
            .at(id, Span::new(0, 4))
            .with_resource(resource.clone());
        let report = LintReport::new(alloc::vec![finding], &sources, Summary::default(), None);
        let rules = [crate::report::context::RuleMeta {
            id: "allow-all-ingress".into(),
            default_severity: Severity::Warning,
            short: "s".into(),
            full: "f".into(),
            help: "h".into(),
            tags: alloc::vec![],
            category: "best-practice".into(),
            kinds: alloc::vec!["NetworkPolicy".into()],
        }];
        let objects = [CheckedObject {
            resource: Resource::from(resource.clone()),
            file: "p.yaml".into(),
            line: 1,
        }];
        let mut without = RenderContext::new(&sources);
        without.rules = &rules;
        let mut with = without;
        with.objects = &objects;
        for format in LintFormat::ALL {
            let same = render(format, &report, &with) == render(format, &report, &without);
            assert_eq!(same, !format.lists_passes(), "{}", format.name());
        }
    }
}
