//! The diff document: `{"version", "endpoints", "endpointsAdded", "endpointsRemoved",
//! "added", "removed", "summary": {"added", "removed"}}` (docs/spec/interfaces.md), and
//! `uncertain` when head has ports without a definite verdict that base had not; each
//! connection with an extra `why` (both sides' verdicts on a representative flow,
//! with the responsible rules as in the query document).

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use super::DiffSources;
use crate::diff::{Change, Diff, Side, Why};
use crate::engine::Verdict;
use crate::report::connectivity::json::{allowed_json, AllowedJson, EndpointJson};
use crate::report::connectivity::query_json::{query_json, SideJson};

/// The diff document.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "DiffAnswer"))]
pub struct DiffJson<'a> {
    /// Tool version.
    pub version: &'static str,
    /// The union of both sides' endpoints.
    pub endpoints: Vec<EndpointJson>,
    /// Ids of endpoints in head only.
    pub endpoints_added: Vec<String>,
    /// Ids of endpoints in base only.
    pub endpoints_removed: Vec<String>,
    /// What head allows and base did not.
    pub added: Vec<ChangeJson<'a>>,
    /// What base allowed and head does not.
    pub removed: Vec<ChangeJson<'a>>,
    /// Present when some ports' verdict on head depends on DNS or on the order of
    /// equal-priority policies and did not on base (`allowed`: those ports).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<ChangeJson>>", optional))]
    pub uncertain: Vec<ChangeJson<'a>>,
    /// Counts.
    pub summary: SummaryJson,
    /// Present (`true`) when representative endpoints stand for pods the inputs do
    /// not hold.
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub representative: bool,
    /// The controllers (`ns/kind/name`) whose pods were left apart (only with
    /// grouping).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub split_owners: Vec<String>,
    /// The notes the other formats print.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub notes: Vec<String>,
}

/// A CONNECTION of the diff, with its explanation.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Change"))]
pub struct ChangeJson<'a> {
    /// Source id.
    pub from: String,
    /// Destination id.
    pub to: String,
    /// The ports gained (in `added`) or lost (in `removed`).
    pub allowed: Vec<AllowedJson>,
    /// Both sides' verdicts on a representative flow.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub why: Option<WhyJson<'a>>,
}

/// The explanation of one change.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Why"))]
pub struct WhyJson<'a> {
    /// The representative flow's protocol.
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Protocol"))]
    pub protocol: &'static str,
    /// Its port.
    pub port: u16,
    /// Base's verdict (`null`: an endpoint is absent in base).
    pub base: Option<VerdictJson<'a>>,
    /// Head's verdict.
    pub head: Option<VerdictJson<'a>>,
}

/// One side's verdict, as in the query document.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "DiffVerdict"))]
pub struct VerdictJson<'a> {
    /// Whether the flow is allowed.
    pub allowed: bool,
    /// Why.
    pub reason: &'a str,
    /// The source's egress side (isolation, allowing rules, closest rules).
    pub egress: SideJson<'a>,
    /// The destination's ingress side.
    pub ingress: SideJson<'a>,
}

/// The counts.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "DiffSummary"))]
pub struct SummaryJson {
    /// Connections in `added`.
    pub added: usize,
    /// Connections in `removed`.
    pub removed: usize,
    /// Endpoints in head only.
    pub endpoints_added: usize,
    /// Endpoints in base only.
    pub endpoints_removed: usize,
}

/// `diff` as its JSON document.
pub fn diff_json<'a>(diff: &'a Diff, sources: DiffSources<'a>) -> DiffJson<'a> {
    let ids = |list: &[usize]| list.iter().map(|&i| String::from(diff.id(i))).collect();
    let changes = |list: &'a [Change]| {
        list.iter()
            .map(|c| ChangeJson {
                from: diff.id(c.from).into(),
                to: diff.id(c.to).into(),
                allowed: allowed_json(&c.ports),
                why: c.why.as_ref().map(|w| why_json(w, sources)),
            })
            .collect()
    };
    DiffJson {
        version: crate::VERSION,
        endpoints: diff
            .endpoints
            .iter()
            .map(|e| EndpointJson::of(&e.matrix))
            .collect(),
        endpoints_added: ids(&diff.endpoints_added),
        endpoints_removed: ids(&diff.endpoints_removed),
        added: changes(&diff.added),
        removed: changes(&diff.removed),
        uncertain: changes(&diff.uncertain),
        summary: SummaryJson {
            added: diff.added.len(),
            removed: diff.removed.len(),
            endpoints_added: diff.endpoints_added.len(),
            endpoints_removed: diff.endpoints_removed.len(),
        },
        representative: diff.uses_representatives(),
        split_owners: diff.split_owners.clone(),
        notes: super::diff_notes(diff),
    }
}

fn why_json<'a>(why: &'a Why, sources: DiffSources<'a>) -> WhyJson<'a> {
    let verdict = |v: &'a Option<Verdict>, side| v.as_ref().map(|v| verdict_json(v, sources, side));
    WhyJson {
        protocol: why.protocol.as_str(),
        port: why.port,
        base: verdict(&why.base, Side::Base),
        head: verdict(&why.head, Side::Head),
    }
}

fn verdict_json<'a>(verdict: &'a Verdict, sources: DiffSources<'a>, side: Side) -> VerdictJson<'a> {
    let query = query_json(verdict, sources.of(side));
    VerdictJson {
        allowed: query.allowed,
        reason: query.reason,
        egress: query.egress,
        ingress: query.ingress,
    }
}
