//! The one place a lint report becomes output: the render context (colour, sources,
//! rule catalogue, checked objects, time) and the format dispatch.

use alloc::string::String;
use alloc::vec::Vec;

use super::Invocation;
use crate::model::Model;
use crate::report::catalogue::{checked_objects, rule_metadata};
use crate::report::context::{CheckedObject, RenderContext};
use crate::report::formats::{self, LintFormat};
use crate::report::output::Output;
use crate::report::LintReport;
use crate::source::SourceSet;

/// The formats `netpol lint` renders, as [`LintFormat::name`] spells them (the first
/// is the default).
pub const LINT_FORMATS: &[&str] = &[
    "text",
    "json",
    "sarif",
    "junit",
    "policyreport",
    "openreports",
    "gatekeeper",
    "conftest",
];

/// The NetworkPolicies of `model` that the invocation's `--format` lists as
/// checked (only the formats listing passes read them; empty for the others), so
/// that the model can be dropped before [`render_lint`].
pub fn listed_objects(
    invocation: &Invocation<'_>,
    model: &Model,
    sources: &SourceSet,
) -> Vec<CheckedObject> {
    if lint_format(invocation).lists_passes() {
        checked_objects(model, sources)
    } else {
        Vec::new()
    }
}

/// The invocation's `--format` as a lint format (text when it names none).
fn lint_format(invocation: &Invocation<'_>) -> LintFormat {
    LintFormat::parse(invocation.format()).unwrap_or(LintFormat::Text)
}

/// Renders `report` in the invocation's `--format`, with `objects` from
/// [`listed_objects`]; the `text` format prints at most `max_findings` findings
/// (the machine formats always carry all).
pub fn render_lint(
    invocation: &Invocation<'_>,
    report: &LintReport,
    sources: &SourceSet,
    objects: &[CheckedObject],
    max_findings: Option<usize>,
) -> String {
    let rules = rule_metadata();
    let format = lint_format(invocation);
    let mut ctx = RenderContext::new(sources);
    ctx.color = invocation.color();
    ctx.rules = &rules;
    ctx.objects = objects;
    ctx.timestamp = invocation.files.now();
    ctx.max_findings = max_findings;
    // Without `--output`, a host that streams standard output gets the report as
    // it is written; what it does not take comes back here.
    let mut to_stdout = |text: &str| invocation.files.write_stdout(text);
    let mut out = if invocation.args.common.output.is_none() {
        Output::streamed(&mut to_stdout)
    } else {
        Output::collect()
    };
    formats::write(format, report, &ctx, &mut out);
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lint_formats_are_the_renderers_formats() {
        let names: Vec<&str> = LintFormat::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names, LINT_FORMATS);
    }
}
