//! The answers of a [`super::Workspace`]: typed values that the renderers of the
//! command line take, and that serialise to exactly the JSON shapes of the
//! interface (what the JavaScript API returns).
//!
//! An answer that names places in sources borrows the workspace's source set, so
//! file names and lines are resolved only when it is serialised.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::{Serialize, Serializer};

use crate::diff::Diff;
use crate::engine::{Matrix, TestReport, Verdict};
use crate::model::Protocol;
use crate::report::connectivity::json::view_json;
use crate::report::connectivity::query_json::query_json;
use crate::report::connectivity::test_json::test_json;
use crate::report::connectivity::MatrixView;
use crate::report::diff::json::diff_json;
use crate::report::diff::DiffSources;
use crate::report::{Finding, LintReport, Summary};
use crate::source::SourceSet;

/// A question the workspace cannot answer (an unknown endpoint, a bad option); what
/// is wrong in the manifests is never an error but part of the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    message: String,
}

impl ApiError {
    /// An error saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        ApiError {
            message: message.into(),
        }
    }

    /// The message (one line, no trailing period).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The lint answer: findings sorted, counts, and the threshold.
///
/// Serialises to the lint JSON with, on every finding, `utf16Column` and
/// `utf16EndColumn` (columns in UTF-16 code units, for editors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintAnswer {
    /// The findings and the summary, as every lint format renders them.
    pub report: LintReport,
}

impl LintAnswer {
    /// Whether some finding is at or above the threshold.
    pub fn fails(&self) -> bool {
        self.report.fails()
    }
}

/// A finding with its UTF-16 columns (the JavaScript API's finding).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Finding"))]
pub(super) struct EditorFinding<'a> {
    /// The finding as the command line writes it.
    #[serde(flatten)]
    finding: &'a Finding,
    /// 1-based start column in UTF-16 code units (JavaScript strings, editors).
    utf16_column: u32,
    /// 1-based end column in UTF-16 code units.
    utf16_end_column: u32,
}

/// The lint answer as JSON.
#[derive(Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "LintAnswer"))]
pub(super) struct LintDocument<'a> {
    /// The version of netpol.
    version: &'static str,
    /// The findings, in output order.
    findings: Vec<EditorFinding<'a>>,
    /// The counts.
    summary: &'a Summary,
}

impl Serialize for LintAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let findings = self
            .report
            .findings
            .iter()
            .map(|finding| EditorFinding {
                finding,
                utf16_column: finding.utf16_column,
                utf16_end_column: finding.utf16_end_column,
            })
            .collect();
        LintDocument {
            version: crate::VERSION,
            findings,
            summary: &self.report.summary,
        }
        .serialize(serializer)
    }
}

/// The matrix answer: the whole matrix and what of it was asked for.
#[derive(Clone, Debug)]
pub struct MatrixAnswer {
    /// Every endpoint pair.
    pub matrix: Matrix,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) namespaces: Vec<String>,
    pub(crate) protocol: Option<Protocol>,
    pub(crate) port: Option<u16>,
}

impl MatrixAnswer {
    /// The part of the matrix the filter asked for (what every matrix format renders).
    pub fn view(&self) -> MatrixView<'_> {
        let shown = |e: &crate::engine::MatrixEndpoint, only: &Option<String>| {
            let in_namespaces = self.namespaces.is_empty()
                || e.namespace
                    .as_ref()
                    .is_none_or(|ns| self.namespaces.contains(ns));
            in_namespaces && only.as_ref().is_none_or(|id| &e.id == id)
        };
        MatrixView::all(&self.matrix)
            .sources(|e| shown(e, &self.from))
            .destinations(|e| shown(e, &self.to))
            .ports(self.protocol, self.port)
    }
}

impl Serialize for MatrixAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        view_json(&self.view()).serialize(serializer)
    }
}

/// The query answer: the verdict with its explanation.
#[derive(Clone, Debug)]
pub struct QueryAnswer<'w> {
    /// Allowed or not, and why, per direction.
    pub verdict: Verdict,
    /// The sources the explanation points into.
    pub sources: &'w SourceSet,
}

impl Serialize for QueryAnswer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        query_json(&self.verdict, self.sources).serialize(serializer)
    }
}

/// The answer of the `ConnectivityTest` cases.
#[derive(Clone, Debug)]
pub struct TestAnswer<'w> {
    /// One result per case, and the counts.
    pub report: TestReport,
    /// The sources the cases were read from.
    pub sources: &'w SourceSet,
}

impl Serialize for TestAnswer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        test_json(&self.report, self.sources).serialize(serializer)
    }
}

/// The diff answer: connections added and removed between two workspaces.
#[derive(Clone, Debug)]
pub struct DiffAnswer<'w> {
    /// The changes, with the rules responsible.
    pub diff: Diff,
    /// The sources of both sides.
    pub sources: DiffSources<'w>,
}

impl Serialize for DiffAnswer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        diff_json(&self.diff, self.sources).serialize(serializer)
    }
}
