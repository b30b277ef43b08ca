//! What renderers need besides the findings ([`RenderContext`]), and the checked
//! (rule, resource) pairs several formats count.
//!
//! **What "checked" means.** A (rule, resource) pair is *checked* when a finding of that
//! rule names that resource (or, for a finding without a resource, that file), or when
//! the resource is one of [`RenderContext::objects`] and the rule's
//! [`RuleMeta::kinds`] contain the resource's kind. Checked pairs without a finding
//! are the passes: passing JUnit testcases, PolicyReport `pass` results and conftest
//! `successes`.

use alloc::string::String;
use alloc::vec::Vec;

use super::{LintReport, Resource};
use crate::diag::Severity;
use crate::source::SourceSet;

/// What SARIF and the report kinds need to know about a rule. The caller converts
/// the lint catalogue into these, so `report` never depends on `lint`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable rule id.
    pub id: String,
    /// Severity when no configuration changes it.
    pub default_severity: Severity,
    /// One-line summary (SARIF `shortDescription`).
    pub short: String,
    /// Why it matters (SARIF `fullDescription`).
    pub full: String,
    /// What to do (SARIF `help`).
    pub help: String,
    /// Tags (SARIF `properties.tags`; `security` is always added).
    pub tags: Vec<String>,
    /// Category of PolicyReport results (empty: `NetworkPolicy`).
    pub category: String,
    /// Kinds of object the rule checks (`NetworkPolicy`, `Namespace`, ...): a checked
    /// object of one of these kinds without a finding of this rule is a pass.
    pub kinds: Vec<String>,
}

/// An object that was checked, for the passes of JUnit, the report kinds and
/// conftest.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct CheckedObject {
    /// The object.
    pub resource: Resource,
    /// The source's display name.
    pub file: String,
    /// 1-based line where the object starts.
    pub line: u32,
}

/// A point in time, as the report kinds write it (`{seconds, nanos}` since the Unix
/// epoch).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub seconds: i64,
    /// Nanoseconds within the second (`0..1_000_000_000`).
    pub nanos: i32,
}

/// Everything a renderer needs besides the findings.
#[derive(Clone, Copy, Debug)]
pub struct RenderContext<'a> {
    /// The sources the findings point into (text snippets, SARIF snippets).
    pub sources: &'a SourceSet,
    /// Whether the text format may use ANSI colours.
    pub color: bool,
    /// The tool version (SARIF `driver.version`).
    pub version: &'a str,
    /// The rule catalogue (SARIF `rules[]`, report categories, passes).
    pub rules: &'a [RuleMeta],
    /// The objects that were checked (passes); empty when unknown.
    pub objects: &'a [CheckedObject],
    /// When the run happened (report result timestamps).
    pub timestamp: Timestamp,
    /// The most findings the `text` format prints (`None`: all); the counts still
    /// cover every finding, and the machine formats ignore it.
    pub max_findings: Option<usize>,
    /// The project's repository URL (`repository` of the crate's manifest; empty
    /// when unknown): SARIF links each catalogue rule to its page there, see
    /// [`rule_help_uri`].
    pub repository: &'a str,
}

impl<'a> RenderContext<'a> {
    /// A context over `sources` with this crate's version, no colour, no rule
    /// metadata, no object list, the epoch as timestamp and no cap on findings; set
    /// the other fields directly.
    pub fn new(sources: &'a SourceSet) -> Self {
        RenderContext {
            sources,
            color: false,
            version: crate::VERSION,
            rules: &[],
            objects: &[],
            timestamp: Timestamp::default(),
            max_findings: None,
            repository: env!("CARGO_PKG_REPOSITORY"),
        }
    }

    /// The metadata of rule `id`, if the catalogue has it.
    pub fn rule(&self, id: &str) -> Option<&'a RuleMeta> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The page of rule `id` in the repository at the release `version`:
/// `REPOSITORY/blob/vVERSION/docs/rules/ID.md` (`None` when the repository is
/// unknown: SARIF needs an absolute URI).
pub fn rule_help_uri(repository: &str, version: &str, id: &str) -> Option<String> {
    let repository = repository.trim_end_matches('/');
    (!repository.is_empty()).then(|| {
        alloc::format!(
            "{repository}/blob/v{version}/{}/{id}.md",
            crate::lint::RULE_DOCS_DIR
        )
    })
}

/// Whether a finding of `severity` fails the run under `report.fail_on`.
pub(crate) fn at_or_above_fail_on(report: &LintReport, severity: Severity) -> bool {
    report.fail_on.is_some_and(|t| severity >= t)
}

/// One checked (rule, resource) pair and the indices of its findings in
/// `report.findings` (empty: a pass).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Check<'r> {
    /// Rule id.
    pub rule: &'r str,
    /// The resource (`None`: a finding about a whole file).
    pub resource: Option<&'r Resource>,
    /// File of the first finding, or of the checked object.
    pub file: &'r str,
    /// Line of the first finding, or of the checked object.
    pub line: u32,
    /// Indices into `report.findings`.
    pub findings: Vec<usize>,
}

/// Every checked (rule, resource) pair, sorted by rule id then resource (then file
/// for findings without a resource). See the module docs for what "checked" means.
pub(crate) fn checks<'r>(report: &'r LintReport, ctx: &RenderContext<'r>) -> Vec<Check<'r>> {
    type Key<'k> = (&'k str, Option<&'k Resource>, &'k str);
    // One check per finding, then one per (rule, object) pair; sorted stably by key,
    // the first check of each key stays and gathers the findings of its key.
    let mut seeds: Vec<(Key<'r>, Check<'r>)> = Vec::new();
    for (index, f) in report.findings.iter().enumerate() {
        let file = if f.resource.is_some() {
            ""
        } else {
            f.file.as_str()
        };
        let check = Check {
            rule: f.rule_id,
            resource: f.resource.as_ref(),
            file: &f.file,
            line: f.line,
            findings: alloc::vec![index],
        };
        seeds.push(((f.rule_id, f.resource.as_ref(), file), check));
    }
    for rule in ctx.rules {
        for object in ctx.objects {
            if !rule.kinds.contains(&object.resource.kind) {
                continue;
            }
            let check = Check {
                rule: &rule.id,
                resource: Some(&object.resource),
                file: &object.file,
                line: object.line,
                findings: Vec::new(),
            };
            seeds.push(((rule.id.as_str(), Some(&object.resource), ""), check));
        }
    }
    crate::order::sort_by(&mut seeds, |a, b| a.0.cmp(&b.0));
    let mut out: Vec<(Key<'r>, Check<'r>)> = Vec::new();
    for (key, check) in seeds {
        match out.last_mut() {
            Some((last, kept)) if *last == key => kept.findings.extend(check.findings),
            _ => out.push((key, check)),
        }
    }
    out.into_iter().map(|(_, check)| check).collect()
}

/// `Kind namespace/name` (or `Kind name` without a namespace), as messages print a
/// resource.
pub(crate) fn resource_display(resource: &Resource) -> String {
    let mut out = String::new();
    out.push_str(&resource.kind);
    out.push(' ');
    if let Some(ns) = &resource.namespace {
        out.push_str(ns);
        out.push('/');
    }
    out.push_str(&resource.name);
    out
}
