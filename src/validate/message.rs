//! Field-error messages exactly as the API server prints them
//! (`k8s.io/apimachinery/pkg/util/validation/field`): `<path>: <Type>[: <value>][: <detail>]`.
//!
//! ```
//! use netpol::validate::message;
//! assert_eq!(
//!     message::invalid_str("spec.ingress[0].ports[0].port", "http_", "bad"),
//!     "spec.ingress[0].ports[0].port: Invalid value: \"http_\": bad"
//! );
//! assert_eq!(message::required("spec.x", ""), "spec.x: Required value");
//! ```

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

/// `<path>: Required value[: <detail>]`.
pub fn required(path: &str, detail: &str) -> String {
    with_detail(format!("{path}: Required value"), detail)
}

/// `<path>: Forbidden[: <detail>]`.
pub fn forbidden(path: &str, detail: &str) -> String {
    with_detail(format!("{path}: Forbidden"), detail)
}

/// `<path>: Invalid value: "<value>": <detail>` for a string value (Go `%q` quoting).
pub fn invalid_str(path: &str, value: &str, detail: &str) -> String {
    invalid_raw(path, &go_quote(value), detail)
}

/// `<path>: Invalid value: <n>: <detail>` for a number.
pub fn invalid_num(path: &str, value: i64, detail: &str) -> String {
    invalid_raw(path, &format!("{value}"), detail)
}

/// `<path>: Invalid value: <rendered>: <detail>` with the value already rendered.
pub fn invalid_raw(path: &str, rendered: &str, detail: &str) -> String {
    with_detail(format!("{path}: Invalid value: {rendered}"), detail)
}

/// `<path>: Unsupported value: "<v>": supported values: "A", "B"`.
pub fn unsupported(path: &str, value: &str, supported: &[&str]) -> String {
    let mut detail = String::from("supported values: ");
    for (i, v) in supported.iter().enumerate() {
        if i > 0 {
            detail.push_str(", ");
        }
        detail.push_str(&go_quote(v));
    }
    with_detail(
        format!("{path}: Unsupported value: {}", go_quote(value)),
        &detail,
    )
}

/// `must be between 1 and 65535, inclusive` (apimachinery's `InclusiveRangeError`).
pub fn inclusive_range(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

/// `must be no more than N characters` (apimachinery's `MaxLenError`).
pub fn max_len(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `must be non-empty` (apimachinery's `EmptyError`).
pub const EMPTY: &str = "must be non-empty";

/// apimachinery's `RegexError`: `msg (e.g. 'a' or 'b', regex used for validation is 're')`.
pub fn regex_error(msg: &str, regex: &str, examples: &[&str]) -> String {
    let mut out = String::from(msg);
    if examples.is_empty() {
        let _ = write!(out, " (regex used for validation is '{regex}')");
        return out;
    }
    out.push_str(" (e.g. ");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        let _ = write!(out, "'{example}', ");
    }
    let _ = write!(out, "regex used for validation is '{regex}')");
    out
}

/// Quotes `s` the way Go's `%q` does (printable characters kept, escapes for
/// quotes, backslashes and control characters).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn with_detail(mut head: String, detail: &str) -> String {
    if !detail.is_empty() {
        head.push_str(": ");
        head.push_str(detail);
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_follow_the_field_error_format() {
        assert_eq!(
            unsupported("spec.policyTypes[0]", "ingress", &["Ingress", "Egress"]),
            "spec.policyTypes[0]: Unsupported value: \"ingress\": supported values: \"Ingress\", \"Egress\""
        );
        assert_eq!(
            required("spec.ingress[0].from[0]", "must specify a peer"),
            "spec.ingress[0].from[0]: Required value: must specify a peer"
        );
        assert_eq!(forbidden("a", ""), "a: Forbidden");
        assert_eq!(
            invalid_num("p", 0, &inclusive_range(1, 65535)),
            "p: Invalid value: 0: must be between 1 and 65535, inclusive"
        );
    }

    #[test]
    fn go_quote_escapes_like_go() {
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(go_quote("café😀"), "\"café😀\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
    }

    #[test]
    fn regex_error_lists_examples() {
        assert_eq!(
            regex_error("m", "r", &["a", "b"]),
            "m (e.g. 'a',  or 'b', regex used for validation is 'r')"
        );
        assert_eq!(
            regex_error("m", "r", &[]),
            "m (regex used for validation is 'r')"
        );
    }
}
