//! Rendering results for people and for other tools.
//!
//! Every lint format renders from one record, the [`Finding`]: a
//! [`Diagnostic`] with its location resolved to file, line and column. Renderers
//! depend on these types only, never on the engine or the rules.

pub mod catalogue;
pub mod conftest;
pub mod connectivity;
pub mod diff;
pub mod formats;
pub mod gatekeeper;
pub mod junit;
pub mod policy_report;
pub mod rule_counts;
pub mod sarif;
mod yaml_stream;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use crate::decode::{is_recognised_kind, is_unsupported_policy, SkippedKind};
use crate::diag::{Diagnostic, ResourceRef, Severity};
use crate::source::SourceSet;

pub mod context;
pub mod json;
pub mod output;
pub mod text;

/// The object a finding is about, as every format prints it.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Resource {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace` (`None` when not written).
    pub namespace: Option<String>,
    /// `metadata.name`.
    pub name: String,
}

impl From<ResourceRef> for Resource {
    fn from(r: ResourceRef) -> Self {
        Resource {
            api_version: r.api_version,
            kind: r.kind,
            namespace: r.namespace,
            name: r.name,
        }
    }
}

/// A diagnostic resolved for output: the one record every lint format renders.
/// Lines and columns are 1-based; columns count characters. `utf16_column` and
/// `utf16_end_column` serve JavaScript editors. Field order is the JSON order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "FindingFields")
)]
pub struct Finding {
    /// Stable rule id.
    pub rule_id: &'static str,
    /// Severity after configuration.
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Severity"))]
    pub severity: Severity,
    /// One-line message.
    pub message: String,
    /// What to do (empty when the rule gives none).
    pub help: String,
    /// The source's display name (a path relative to where netpol ran, `-`, or a
    /// caller's name).
    pub file: String,
    /// 1-based line of the start (0 when the finding has no location).
    pub line: u32,
    /// 1-based column of the start, in characters.
    pub column: u32,
    /// 1-based line of the end.
    pub end_line: u32,
    /// 1-based column just past the end, in characters.
    pub end_column: u32,
    /// Field path inside the object (empty when none).
    pub path: String,
    /// The object at fault (`None` for problems of a whole file).
    pub resource: Option<Resource>,
    /// Start column in UTF-16 code units (not in the CLI's JSON).
    #[serde(skip)]
    pub utf16_column: u32,
    /// End column in UTF-16 code units (not in the CLI's JSON).
    #[serde(skip)]
    pub utf16_end_column: u32,
}

impl Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Finding {
    /// Resolves `diagnostic` against `sources` (its texts move into the finding).
    pub fn resolve(diagnostic: Diagnostic, sources: &SourceSet) -> Finding {
        let mut finding = Finding {
            rule_id: diagnostic.rule,
            severity: diagnostic.severity,
            message: diagnostic.message,
            help: diagnostic.help.unwrap_or_default(),
            file: String::new(),
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            path: diagnostic.path.unwrap_or_default(),
            resource: diagnostic.resource.map(Resource::from),
            utf16_column: 0,
            utf16_end_column: 0,
        };
        if let Some(location) = diagnostic.location {
            if let Some(source) = sources.get(location.source) {
                let start = source.position(location.span.start);
                let end = source.position(location.span.end);
                finding.file = source.name().into();
                finding.line = start.line;
                finding.column = start.column;
                finding.end_line = end.line;
                finding.end_column = end.column;
                finding.utf16_column = start.utf16_column;
                finding.utf16_end_column = end.utf16_column;
            }
        }
        finding
    }

    /// The sort key of every output: file, line, column, rule, message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.file,
            self.line,
            self.column,
            self.rule_id,
            &self.message,
        )
    }
}

/// Counts printed under the findings (the `summary` of the lint JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Summary {
    /// Findings of severity error.
    pub error: usize,
    /// Findings of severity warning.
    pub warning: usize,
    /// Findings of severity info.
    pub info: usize,
    /// Findings suppressed by `netpol/ignore` annotations (not shown).
    pub suppressed: usize,
    /// Sources read.
    pub files: usize,
    /// Objects of a recognised kind decoded.
    pub objects: usize,
    /// Objects skipped, by kind (see [`SkippedCount::list`]).
    pub skipped: Vec<SkippedCount>,
}

/// Skipped objects of one kind: an entry of `summary.skipped` in the lint JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SkippedCount {
    /// The kind as written (empty for a value that is not an object or has no kind).
    pub kind: String,
    /// The API group (empty for the core group).
    pub group: String,
    /// How many objects.
    pub count: usize,
    /// Whether it is a policy kind netpol cannot evaluate
    /// (`unsupported-policy-kind`), rather than a kind that holds no policy.
    pub unsupported_policy: bool,
}

impl SkippedCount {
    /// The entries of `kinds` (as decoding counts them), sorted by group and kind.
    pub fn list(kinds: &BTreeMap<SkippedKind, usize>) -> Vec<SkippedCount> {
        kinds
            .iter()
            .map(|(key, &count)| SkippedCount {
                kind: key.kind.clone(),
                group: key.group.clone(),
                count,
                unsupported_policy: is_unsupported_policy(&key.group, &key.kind),
            })
            .collect()
    }

    /// How people read the kind: the kind, qualified by its group
    /// (`NetworkPolicy.crd.antrea.io`) when the bare name is a kind netpol evaluates,
    /// `without kind` when it has none.
    pub fn label(&self) -> String {
        if self.kind.is_empty() {
            String::from("without kind")
        } else if self.unsupported_policy && is_recognised_kind(&self.kind) {
            alloc::format!("{}.{}", self.kind, self.group)
        } else {
            self.kind.clone()
        }
    }
}

/// Everything a lint format renders: the findings, sorted, and the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintReport {
    /// Findings in output order (see [`Finding::sort_key`]).
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
    /// The threshold: findings at or above it fail the run (`None`: never).
    pub fail_on: Option<Severity>,
}

impl LintReport {
    /// Resolves and sorts `diagnostics`, and counts them into `summary` (whose
    /// `files`, `objects` and `suppressed` the caller fills).
    pub fn new(
        diagnostics: Vec<Diagnostic>,
        sources: &SourceSet,
        mut summary: Summary,
        fail_on: Option<Severity>,
    ) -> LintReport {
        let mut findings: Vec<Finding> = diagnostics
            .into_iter()
            .map(|d| Finding::resolve(d, sources))
            .collect();
        crate::order::sort_by(&mut findings, |a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup();
        summary.error = 0;
        summary.warning = 0;
        summary.info = 0;
        for f in &findings {
            match f.severity {
                Severity::Error => summary.error += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Info => summary.info += 1,
            }
        }
        LintReport {
            findings,
            summary,
            fail_on,
        }
    }

    /// Whether some finding is at or above the threshold.
    pub fn fails(&self) -> bool {
        self.fail_on
            .is_some_and(|t| self.findings.iter().any(|f| f.severity >= t))
    }
}
