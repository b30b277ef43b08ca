//! The API server's validation, in its own words.
//!
//! - [`names`]: the grammar checks of apimachinery (DNS-1123 subdomain and label,
//!   qualified names = label keys, label values, port names and numbers), each
//!   returning the server's detail messages.
//! - [`cidr`]: CIDR and IP parsing the way Go's (sloppy, legacy) parser does it, and
//!   the `except ⊂ cidr` test of `ValidateIPBlock`.
//! - [`message`]: the field-error constructors (`<path>: Invalid value: ...`,
//!   `Required value`, `Forbidden`, `Unsupported value`) with Go's value quoting.
//!
//! The decoder ([`crate::decode`]) calls these while it walks each object; the rule
//! ids it reports are listed in [`RULES`].

pub mod cidr;
pub mod message;
pub mod names;
pub mod schema;

/// Every rule id that validation (decoding included) can report, sorted.
pub const RULES: &[&str] = &[
    "duplicate-field",
    "invalid-action",
    "invalid-cidr",
    "invalid-connectivity-test",
    "invalid-domain-name",
    "invalid-end-port",
    "invalid-except",
    "invalid-label-key",
    "invalid-label-value",
    "invalid-name",
    "invalid-namespace",
    "invalid-peer",
    "invalid-policy-type",
    "invalid-port",
    "invalid-priority",
    "invalid-protocol",
    "invalid-rule",
    "invalid-selector",
    "invalid-spec",
    "invalid-subject",
    "invalid-tier",
    "invalid-type",
    "removed-api-version",
    "unknown-field",
    "yaml-syntax",
];

/// Whether `rule` is one of [`RULES`].
pub fn is_validation_rule(rule: &str) -> bool {
    RULES.binary_search(&rule).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_sorted_for_binary_search() {
        let mut sorted = RULES.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, RULES);
        assert!(is_validation_rule("invalid-cidr"));
        assert!(!is_validation_rule("rule-without-ports"));
    }
}
