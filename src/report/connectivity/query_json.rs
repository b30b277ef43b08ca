//! The JSON document of `query` (docs/spec/interfaces.md shape): the verdict, each
//! side's explanation and the policies and rules behind it.

use alloc::vec::Vec;

use serde::Serialize;

use super::location;
use super::tiers_json::{steps_json, uncertainty_json, TierStepJson, UncertaintyJson};
use crate::engine::{PolicyRef, RuleRef, SideExplanation, Verdict};
use crate::source::SourceSet;

/// POLICYREF.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "PolicyRef"))]
pub struct PolicyRefJson<'a> {
    /// Namespace.
    pub namespace: &'a str,
    /// Name.
    pub name: &'a str,
    /// Source file.
    pub file: &'a str,
    /// 1-based line of the policy.
    pub line: u32,
}

/// RULEREF.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "RuleRef"))]
pub struct RuleRefJson<'a> {
    /// Namespace.
    pub namespace: &'a str,
    /// Name.
    pub name: &'a str,
    /// Source file.
    pub file: &'a str,
    /// 1-based line of `path`.
    pub line: u32,
    /// `spec.ingress[0].from[1]` (or the rule's path when no peer matched).
    pub path: &'a str,
    /// The matching port entry's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port_path: Option<&'a str>,
    /// For a closest rule, what did not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub mismatch: Option<&'a str>,
}

/// One side of a query.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "SideExplanation")
)]
pub struct SideJson<'a> {
    /// Whether a policy isolates this side.
    pub isolated: bool,
    /// Whether this side allows the flow.
    pub allowed: bool,
    /// The isolating policies.
    pub isolated_by: Vec<PolicyRefJson<'a>>,
    /// The rules allowing the flow.
    pub allowed_by: Vec<RuleRefJson<'a>>,
    /// The closest rules of a denied side.
    pub closest: Vec<RuleRefJson<'a>>,
    /// The cluster-wide tier rules met, in order (absent without them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<TierStepJson>>", optional))]
    pub tiers: Vec<TierStepJson>,
    /// Which layer decided: `admin`, `networkPolicy`, `baseline` or `default` (absent
    /// without cluster-wide policies).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "typescript",
        ts(
            type = "\"admin\" | \"networkPolicy\" | \"baseline\" | \"default\"",
            optional
        )
    )]
    pub layer: Option<&'static str>,
}

/// The query document.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "QueryAnswer"))]
pub struct QueryJson<'a> {
    /// Tool version.
    pub version: &'static str,
    /// Source id.
    pub from: &'a str,
    /// Destination id.
    pub to: &'a str,
    /// Port number.
    pub port: u16,
    /// Port name, when the query named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port_name: Option<&'a str>,
    /// Protocol.
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Protocol"))]
    pub protocol: &'static str,
    /// The verdict.
    pub allowed: bool,
    /// Why.
    pub reason: &'a str,
    /// An endpoint talking to itself.
    pub self_traffic: bool,
    /// The IP family explained, when addresses took part.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(type = "\"IPv4\" | \"IPv6\"", optional))]
    pub family: Option<&'static str>,
    /// The source's egress.
    pub egress: SideJson<'a>,
    /// The destination's ingress.
    pub ingress: SideJson<'a>,
    /// Present (`true`) when a side is a representative endpoint.
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub representative: bool,
    /// Present when the answer depends on DNS or on an undefined order (`allowed` is
    /// then `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub uncertain: Option<UncertaintyJson>,
}

fn policy_json<'a>(p: &'a PolicyRef, sources: &'a SourceSet) -> PolicyRefJson<'a> {
    let (file, line) = location(sources, p.source, p.span);
    PolicyRefJson {
        namespace: &p.namespace,
        name: &p.name,
        file,
        line,
    }
}

fn rule_json<'a>(r: &'a RuleRef, sources: &'a SourceSet) -> RuleRefJson<'a> {
    let (file, line) = location(sources, r.policy.source, r.span);
    RuleRefJson {
        namespace: &r.policy.namespace,
        name: &r.policy.name,
        file,
        line,
        path: &r.path,
        port_path: r.port_path.as_deref(),
        mismatch: r.mismatch.as_deref(),
    }
}

fn side_json<'a>(side: &'a SideExplanation, sources: &'a SourceSet) -> SideJson<'a> {
    SideJson {
        isolated: side.isolated,
        allowed: side.allowed,
        isolated_by: side
            .isolated_by
            .iter()
            .map(|p| policy_json(p, sources))
            .collect(),
        allowed_by: side
            .allowed_by
            .iter()
            .map(|r| rule_json(r, sources))
            .collect(),
        closest: side.closest.iter().map(|r| rule_json(r, sources)).collect(),
        tiers: steps_json(&side.tiers, sources),
        layer: side.layer.map(|l| l.as_str()),
    }
}

/// A verdict as the query document.
pub fn query_json<'a>(verdict: &'a Verdict, sources: &'a SourceSet) -> QueryJson<'a> {
    QueryJson {
        version: crate::VERSION,
        from: &verdict.from,
        to: &verdict.to,
        port: verdict.port,
        port_name: verdict.port_name.as_deref(),
        protocol: verdict.protocol.as_str(),
        allowed: verdict.allowed,
        reason: &verdict.reason,
        self_traffic: verdict.self_traffic,
        family: verdict.family.map(|f| f.as_str()),
        egress: side_json(&verdict.egress, sources),
        ingress: side_json(&verdict.ingress, sources),
        representative: verdict.representative,
        uncertain: verdict.uncertain.as_ref().map(uncertainty_json),
    }
}
