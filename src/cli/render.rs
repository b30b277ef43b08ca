//! The one place a lint report becomes output: the render context (colour, sources,
//! rule catalogue, checked objects, time) and the format dispatch.

use alloc::string::String;
use alloc::vec::Vec;

use super::Invocation;
use crate::lint;
use crate::model::{Model, ObjectMeta};
use crate::report::context::{CheckedObject, RenderContext, RuleMeta};
use crate::report::formats::{self, LintFormat};
use crate::report::output::Output;
use crate::report::{LintReport, Resource};
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

/// The lint catalogue as the renderers need it. Rules about one object or a policy
/// set check NetworkPolicies; file-scope rules check no object.
fn rule_metadata() -> Vec<RuleMeta> {
    lint::catalogue()
        .iter()
        .map(|doc| RuleMeta {
            id: doc.id.into(),
            default_severity: doc.default_severity,
            short: doc.summary.into(),
            full: doc.rationale.into(),
            help: doc.fix.into(),
            tags: Vec::from([String::from(doc.category.as_str())]),
            category: String::from(doc.category.as_str()),
            kinds: match doc.scope {
                lint::Scope::File => Vec::new(),
                _ => Vec::from([String::from("NetworkPolicy")]),
            },
        })
        .collect()
}

/// The NetworkPolicies that were checked (valid ones reach the model).
fn checked_objects(model: &Model, sources: &SourceSet) -> Vec<CheckedObject> {
    model
        .policies
        .iter()
        .map(|policy| checked_object(&policy.meta, sources))
        .collect()
}

fn checked_object(meta: &ObjectMeta, sources: &SourceSet) -> CheckedObject {
    let source = sources.get(meta.source);
    CheckedObject {
        resource: Resource::from(&meta.resource()),
        file: source.map(|s| String::from(s.name())).unwrap_or_default(),
        line: source.map_or(0, |s| s.position(meta.span.start).line),
    }
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
