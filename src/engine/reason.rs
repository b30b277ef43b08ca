//! The one-sentence reason of a verdict: each side's isolation and the rule that
//! allowed it, or the policies that isolate it; with cluster-wide policies, the chain
//! of tier rules met (see `tiers::explain`).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::explain::SideExplanation;
use super::query::Flow;
use super::tiers::explain::Layer;
use crate::model::Direction;

/// How many isolating policies the reason sentence names (the side lists them all).
const REASON_POLICIES: usize = 3;

/// The one-sentence reason of a verdict.
pub(crate) fn reason(
    flow: &Flow,
    from_id: &str,
    to_id: &str,
    self_traffic: bool,
    egress: &SideExplanation,
    ingress: &SideExplanation,
) -> String {
    let what = format!("{}/{}", flow.port, flow.protocol.as_str());
    if self_traffic {
        return format!("allowed: `{from_id}` talks to itself, which policies never block");
    }
    let side_text = |side: &SideExplanation, subject: &str| -> String {
        let verb = match side.direction {
            Direction::Egress => "egress from",
            Direction::Ingress => "ingress to",
        };
        let text = if !side.in_cluster {
            format!("{verb} `{subject}` is not governed by policies (outside the cluster)")
        } else if side.layer.is_some_and(|l| l != Layer::NetworkPolicy) {
            format!("{verb} `{subject}`")
        } else if !side.isolated {
            format!("{verb} `{subject}` is not isolated")
        } else if let Some(rule) = side.allowed_by.first() {
            format!(
                "{verb} `{subject}` is allowed by `{}/{}` {}",
                rule.policy.namespace, rule.policy.name, rule.path
            )
        } else {
            let mut names: Vec<String> = side
                .isolated_by
                .iter()
                .take(REASON_POLICIES)
                .map(|p| format!("`{}/{}`", p.namespace, p.name))
                .collect();
            let more = side.isolated_by.len().saturating_sub(REASON_POLICIES);
            if more > 0 {
                names.push(format!("{more} more"));
            }
            format!(
                "{verb} `{subject}` is isolated by {} and no rule allows {what}",
                names.join(", ")
            )
        };
        super::tiers::explain::chain_text(side, text)
    };
    let e = side_text(egress, from_id);
    let i = side_text(ingress, to_id);
    match (egress.allowed, ingress.allowed) {
        (true, true) => format!("allowed: {e}; {i}"),
        (false, true) => format!("denied: {e}"),
        (true, false) => format!("denied: {i}"),
        (false, false) => format!("denied: {e}; {i}"),
    }
}
