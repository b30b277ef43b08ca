//! The one-sentence reason of a verdict: each side's isolation and the rule that
//! allowed it, or the policies that isolate it; with cluster-wide policies, the chain
//! of tier rules met (see `tiers::explain`).

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

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
    if self_traffic {
        return format!("allowed: `{from_id}` talks to itself, which policies never block");
    }
    let egress = (egress, from_id);
    let ingress = (ingress, to_id);
    // A denied flow names the sides that deny it; an allowed one both sides.
    let (head, sides): (&str, &[(&SideExplanation, &str)]) =
        match (egress.0.allowed, ingress.0.allowed) {
            (true, true) => ("allowed: ", &[egress, ingress]),
            (false, true) => ("denied: ", &[egress]),
            (true, false) => ("denied: ", &[ingress]),
            (false, false) => ("denied: ", &[egress, ingress]),
        };
    let mut out = String::with_capacity(256);
    out.push_str(head);
    for (k, (side, subject)) in sides.iter().enumerate() {
        if k > 0 {
            out.push_str("; ");
        }
        if side.layer.is_none() {
            write_side(&mut out, flow, side, subject);
        } else {
            let mut text = String::new();
            write_side(&mut text, flow, side, subject);
            out.push_str(&super::tiers::explain::chain_text(side, text));
        }
    }
    out
}

/// What decides one side of the flow (`subject` is the endpoint on that side), as
/// the reason sentence says it. Written piece by piece: these sentences are most of
/// the text of an explained query, and `write!` costs more than the copying.
fn write_side(out: &mut String, flow: &Flow, side: &SideExplanation, subject: &str) {
    let verb = match side.direction {
        Direction::Egress => "egress from",
        Direction::Ingress => "ingress to",
    };
    out.extend([verb, " `", subject, "`"]);
    if !side.in_cluster {
        out.push_str(" is not governed by policies (outside the cluster)");
    } else if side.layer.is_none_or(|l| l == Layer::NetworkPolicy) {
        // NetworkPolicies decide this side (else the tier chain says the rest).
        if !side.isolated {
            out.push_str(" is not isolated");
        } else if let Some(rule) = side.allowed_by.first() {
            let policy = &rule.policy;
            out.extend([
                " is allowed by `",
                &policy.namespace,
                "/",
                &policy.name,
                "` ",
            ]);
            out.push_str(&rule.path);
        } else {
            write_isolated(out, flow, side);
        }
    }
}

/// " is isolated by `ns/a`, `ns/b` and no rule allows 80/TCP", naming at most
/// [`REASON_POLICIES`] policies.
fn write_isolated(out: &mut String, flow: &Flow, side: &SideExplanation) {
    out.push_str(" is isolated by ");
    for (k, p) in side.isolated_by.iter().take(REASON_POLICIES).enumerate() {
        let comma = if k > 0 { ", " } else { "" };
        out.extend([comma, "`", &p.namespace, "/", &p.name, "`"]);
    }
    let more = side.isolated_by.len().saturating_sub(REASON_POLICIES);
    // Writing into a String cannot fail.
    if more > 0 {
        let _ = write!(out, ", {more} more");
    }
    let _ = write!(out, " and no rule allows {}/", flow.port);
    out.push_str(flow.protocol.as_str());
}
