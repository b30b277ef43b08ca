//! The JSON document of `query` (docs/spec/interfaces.md shape): the verdict, each
//! side's explanation and the policies and rules behind it.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use super::location;
use super::tiers_json::{steps_json, uncertainty_json, TierStepJson, UncertaintyJson};
use crate::engine::{PolicyRef, RuleRef, SideExplanation, Verdict};
use crate::source::SourceSet;

/// POLICYREF.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "PolicyRef"))]
pub struct PolicyRefJson {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Source file.
    pub file: String,
    /// 1-based line of the policy.
    pub line: u32,
}

/// RULEREF.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "RuleRef"))]
pub struct RuleRefJson {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Source file.
    pub file: String,
    /// 1-based line of `path`.
    pub line: u32,
    /// `spec.ingress[0].from[1]` (or the rule's path when no peer matched).
    pub path: String,
    /// The matching port entry's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port_path: Option<String>,
    /// For a closest rule, what did not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub mismatch: Option<String>,
}

/// One side of a query.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "SideExplanation")
)]
pub struct SideJson {
    /// Whether a policy isolates this side.
    pub isolated: bool,
    /// Whether this side allows the flow.
    pub allowed: bool,
    /// The isolating policies.
    pub isolated_by: Vec<PolicyRefJson>,
    /// The rules allowing the flow.
    pub allowed_by: Vec<RuleRefJson>,
    /// The closest rules of a denied side.
    pub closest: Vec<RuleRefJson>,
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
pub struct QueryJson {
    /// Tool version.
    pub version: &'static str,
    /// Source id.
    pub from: String,
    /// Destination id.
    pub to: String,
    /// Port number.
    pub port: u16,
    /// Port name, when the query named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port_name: Option<String>,
    /// Protocol.
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Protocol"))]
    pub protocol: &'static str,
    /// The verdict.
    pub allowed: bool,
    /// Why.
    pub reason: String,
    /// An endpoint talking to itself.
    pub self_traffic: bool,
    /// The IP family explained, when addresses took part.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(type = "\"IPv4\" | \"IPv6\"", optional))]
    pub family: Option<&'static str>,
    /// The source's egress.
    pub egress: SideJson,
    /// The destination's ingress.
    pub ingress: SideJson,
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

fn policy_json(p: &PolicyRef, sources: &SourceSet) -> PolicyRefJson {
    let (file, line) = location(sources, p.source, p.span);
    PolicyRefJson {
        namespace: p.namespace.clone(),
        name: p.name.clone(),
        file,
        line,
    }
}

fn rule_json(r: &RuleRef, sources: &SourceSet) -> RuleRefJson {
    let (file, line) = location(sources, r.policy.source, r.span);
    RuleRefJson {
        namespace: r.policy.namespace.clone(),
        name: r.policy.name.clone(),
        file,
        line,
        path: r.path.clone(),
        port_path: r.port_path.clone(),
        mismatch: r.mismatch.clone(),
    }
}

fn side_json(side: &SideExplanation, sources: &SourceSet) -> SideJson {
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
pub fn query_json(verdict: &Verdict, sources: &SourceSet) -> QueryJson {
    QueryJson {
        version: crate::VERSION,
        from: verdict.from.clone(),
        to: verdict.to.clone(),
        port: verdict.port,
        port_name: verdict.port_name.clone(),
        protocol: verdict.protocol.as_str(),
        allowed: verdict.allowed,
        reason: verdict.reason.clone(),
        self_traffic: verdict.self_traffic,
        family: verdict.family.map(|f| f.as_str()),
        egress: side_json(&verdict.egress, sources),
        ingress: side_json(&verdict.ingress, sources),
        representative: verdict.representative,
        uncertain: verdict.uncertain.as_ref().map(uncertainty_json),
    }
}
