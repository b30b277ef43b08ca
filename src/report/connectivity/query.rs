//! One query's verdict as text or JSON.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::json::to_pretty;
use super::location_text;
use super::query_json::query_json;
use crate::engine::{RuleRef, SideExplanation, Verdict};
use crate::model::Direction;
use crate::source::SourceSet;

/// The formats `netpol query` renders, the default first.
pub const FORMATS: &[&str] = &["text", "json"];

/// Renders `verdict` in `format` (one of [`FORMATS`]; `None` for another name).
pub fn render(verdict: &Verdict, sources: &SourceSet, format: &str) -> Option<String> {
    match format {
        "text" => Some(text(verdict, sources)),
        "json" => Some(to_pretty(&query_json(verdict, sources))),
        _ => None,
    }
}

/// The verdict, then each side: isolation, the allowing rules or the closest ones.
pub fn text(verdict: &Verdict, sources: &SourceSet) -> String {
    let mut out = String::new();
    let word = if verdict.allowed { "ALLOWED" } else { "DENIED" };
    let port = match &verdict.port_name {
        Some(name) => alloc::format!("{} ({name})", verdict.port),
        None => alloc::format!("{}", verdict.port),
    };
    let _ = writeln!(
        out,
        "{word}: {} -> {} on {port}/{}",
        verdict.from,
        verdict.to,
        verdict.protocol.as_str()
    );
    let _ = writeln!(out, "  {}", verdict.reason);
    if verdict.representative {
        let _ = writeln!(out, "  note: {}", super::REPRESENTATIVE_FLOW_NOTE);
    }
    if verdict.self_traffic {
        return out;
    }
    side(&mut out, &verdict.egress, &verdict.from, sources);
    side(&mut out, &verdict.ingress, &verdict.to, sources);
    out
}

/// One side's lines.
fn side(out: &mut String, side: &SideExplanation, who: &str, sources: &SourceSet) {
    let title = match side.direction {
        Direction::Egress => "egress from",
        Direction::Ingress => "ingress to",
    };
    if !side.in_cluster {
        let _ = writeln!(out, "{title} {who}: outside the cluster, no policy applies");
        return;
    }
    if !side.isolated {
        let _ = writeln!(
            out,
            "{title} {who}: not isolated (no policy selects it for {}), everything allowed",
            side.direction.field()
        );
        return;
    }
    let by: Vec<String> = side
        .isolated_by
        .iter()
        .map(|p| {
            alloc::format!(
                "{}/{} ({})",
                p.namespace,
                p.name,
                location_text(sources, p.source, p.span)
            )
        })
        .collect();
    let _ = writeln!(out, "{title} {who}: isolated by {}", by.join(", "));
    if side.allowed {
        for r in &side.allowed_by {
            let _ = writeln!(out, "  allowed by {}", rule_line(r, sources));
        }
    } else if side.closest.is_empty() {
        let _ = writeln!(
            out,
            "  denied: these policies have no {} rules",
            side.direction.field()
        );
    } else {
        let _ = writeln!(out, "  denied; closest rules:");
        for r in &side.closest {
            let _ = writeln!(out, "  - {}", rule_line(r, sources));
            if let Some(m) = &r.mismatch {
                let _ = writeln!(out, "      {m}");
            }
        }
    }
}

/// `ns/name spec.ingress[0].from[1] ports[1] (file:line)`.
fn rule_line(r: &RuleRef, sources: &SourceSet) -> String {
    let mut line = alloc::format!("{}/{} {}", r.policy.namespace, r.policy.name, r.path);
    if let Some(p) = &r.port_path {
        let _ = write!(line, " + {p}");
    }
    let at = location_text(sources, r.policy.source, r.span);
    if !at.is_empty() {
        let _ = write!(line, " ({at})");
    }
    line
}
