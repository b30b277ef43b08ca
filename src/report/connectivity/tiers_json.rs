//! The cluster-wide tiers' part of the query JSON (additive: absent without
//! cluster-wide policies): per side the tier rules met (`tiers`) and the deciding
//! layer (`layer`); per verdict `uncertain` when DNS or an undefined order decides.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use super::location;
use crate::engine::{TierStep, Uncertainty};
use crate::model::Tier;
use crate::source::SourceSet;

/// One tier rule an explanation names.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "TierStep"))]
pub struct TierStepJson {
    /// `admin` or `baseline`.
    #[cfg_attr(feature = "typescript", ts(type = "\"admin\" | \"baseline\""))]
    pub tier: &'static str,
    /// `ClusterNetworkPolicy`, `AdminNetworkPolicy` or `BaselineAdminNetworkPolicy`.
    pub kind: String,
    /// The policy's name.
    pub name: String,
    /// The policy's priority.
    pub priority: i64,
    /// The rule's index in `spec.ingress` / `spec.egress`.
    pub rule: usize,
    /// The rule's `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub rule_name: Option<String>,
    /// `Accept`, `Deny` or `Pass`.
    #[cfg_attr(feature = "typescript", ts(type = "\"Accept\" | \"Deny\" | \"Pass\""))]
    pub action: &'static str,
    /// Present (`true`) when the rule matches only if DNS resolves one of its
    /// `domainNames` to the address.
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub depends_on_dns: bool,
    /// Source file.
    pub file: String,
    /// 1-based line of the rule.
    pub line: u32,
}

/// Why a flow has no definite answer.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Uncertainty"))]
pub struct UncertaintyJson {
    /// The answer depends on DNS.
    pub dns: bool,
    /// The answer depends on the order of equal-priority policies.
    pub order: bool,
}

/// The steps as JSON.
pub fn steps_json(steps: &[TierStep], sources: &SourceSet) -> Vec<TierStepJson> {
    steps
        .iter()
        .map(|s| {
            let (file, line) = location(sources, s.source, s.span);
            TierStepJson {
                tier: match s.tier {
                    Tier::Admin => "admin",
                    Tier::Baseline => "baseline",
                },
                kind: s.kind.clone(),
                name: s.policy.clone(),
                priority: s.priority,
                rule: s.rule,
                rule_name: s.rule_name.clone(),
                action: s.action.as_str(),
                depends_on_dns: s.depends_on_dns,
                file: file.into(),
                line,
            }
        })
        .collect()
}

/// The uncertainty as JSON.
pub fn uncertainty_json(u: &Uncertainty) -> UncertaintyJson {
    UncertaintyJson {
        dns: u.dns,
        order: u.order,
    }
}
