//! The admission decision: findings at or above `failOn` reject, the rest warn.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{json, Value};

use crate::report::gatekeeper::one_line_message;
use crate::report::{Finding, LintReport};

/// The longest warning, in characters: `kubectl` shows warnings under 120.
pub const MAX_WARNING_CHARS: usize = 119;

/// The HTTP code of a rejection.
pub const DENIED_CODE: u16 = 403;

/// The HTTP code of an admission.
pub const ALLOWED_CODE: u16 = 200;

/// What an admission controller answers for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The request's uid, echoed.
    pub uid: String,
    /// Whether the object is admitted (no finding at or above the threshold).
    pub allowed: bool,
    /// Every rejecting finding on one line each, joined by `; ` (a short note when
    /// admitted).
    pub message: String,
    /// The findings below the threshold, one line each, at most
    /// [`MAX_WARNING_CHARS`] characters.
    pub warnings: Vec<String>,
}

impl Decision {
    /// Decides on `report` (whose `fail_on` is the threshold) for request `uid`.
    pub fn new(uid: &str, report: &LintReport) -> Decision {
        let (rejecting, warning): (Vec<&Finding>, Vec<&Finding>) = report
            .findings
            .iter()
            .partition(|f| report.fail_on.is_some_and(|t| f.severity >= t));
        let allowed = rejecting.is_empty();
        let message = if allowed {
            String::from("no NetworkPolicy finding rejects this object")
        } else {
            let lines: Vec<String> = rejecting.iter().map(|f| one_line_message(f)).collect();
            let threshold = report.fail_on.map_or("none", |t| t.as_str());
            format!(
                "netpol: {} finding(s) at or above {threshold}: {}",
                lines.len(),
                lines.join("; ")
            )
        };
        Decision {
            uid: String::from(uid),
            allowed,
            message,
            warnings: warning.iter().map(|f| warning_line(f)).collect(),
        }
    }

    /// The AdmissionResponse: `{"uid", "allowed", "status": {"code", "reason",
    /// "message"}, "warnings"}` (`reason` only when rejected).
    pub fn response(&self) -> Value {
        let status = if self.allowed {
            json!({"code": ALLOWED_CODE, "message": self.message})
        } else {
            json!({"code": DENIED_CODE, "reason": "Forbidden", "message": self.message})
        };
        json!({
            "uid": self.uid,
            "allowed": self.allowed,
            "status": status,
            "warnings": self.warnings,
        })
    }
}

/// `[rule-id] message`, cut to [`MAX_WARNING_CHARS`] characters (ending in `…` when
/// cut). The object is the one under admission, so it is not repeated.
fn warning_line(f: &Finding) -> String {
    let line = one_line_message(&Finding {
        resource: None,
        ..f.clone()
    });
    truncate_chars(&line, MAX_WARNING_CHARS)
}

/// `text` if it has at most `max` characters, else its first `max - 1` and `…`.
pub fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return String::from(text);
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let long = "é".repeat(200);
        let cut = truncate_chars(&long, MAX_WARNING_CHARS);
        assert_eq!(cut.chars().count(), MAX_WARNING_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate_chars("short", MAX_WARNING_CHARS), "short");
    }
}
