//! Gatekeeper-style violations: the contract of a ConstraintTemplate's `violation`
//! rule, also what Kubewarden's `gatekeeper` mode reads.
//!
//! `[{"msg", "details": {"ruleId", "severity", "resource", "path", "file", "line"}}]`
//! with one entry per finding at or above the report's `fail_on` (none when it is
//! `None`), so an empty list means admitted. `msg` is one line: `[rule-id] message
//! (Kind namespace/name)`.

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::context::{at_or_above_fail_on, resource_display, RenderContext};
use super::{Finding, LintReport};

/// Renders `report` as a Gatekeeper violations array (pretty JSON, final newline).
pub fn render(report: &LintReport, _ctx: &RenderContext<'_>) -> String {
    let mut out = serde_json::to_string_pretty(&violations(report)).unwrap_or_default();
    out.push('\n');
    out
}

/// The violations of `report`: one per finding at or above its threshold.
pub fn violations(report: &LintReport) -> Vec<Value> {
    report
        .findings
        .iter()
        .filter(|f| at_or_above_fail_on(report, f.severity))
        .map(violation)
        .collect()
}

/// One violation.
fn violation(f: &Finding) -> Value {
    json!({
        "msg": one_line_message(f),
        "details": {
            "ruleId": f.rule_id,
            "severity": f.severity,
            "resource": f.resource,
            "path": f.path,
            "file": f.file,
            "line": f.line,
        },
    })
}

/// `[rule-id] message (Kind namespace/name)` on one line (control characters and
/// line or paragraph separators become spaces).
pub fn one_line_message(f: &Finding) -> String {
    let mut msg = String::new();
    msg.push('[');
    msg.push_str(f.rule_id);
    msg.push_str("] ");
    msg.push_str(&f.message);
    if let Some(r) = &f.resource {
        msg.push_str(" (");
        msg.push_str(&resource_display(r));
        msg.push(')');
    }
    msg.chars()
        .map(|c| {
            let breaks = c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
            if breaks {
                ' '
            } else {
                c
            }
        })
        .collect()
}
