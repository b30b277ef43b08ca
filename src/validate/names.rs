//! apimachinery's grammar checks. Each function returns the server's detail messages
//! (empty when the value is valid), in the server's order.
//!
//! ```
//! use netpol::validate::names;
//! assert!(names::dns1123_subdomain("web.shop").is_empty());
//! assert_eq!(names::port_name("http_1"), vec![
//!     "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string()
//! ]);
//! ```

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::message::{inclusive_range, max_len, regex_error, EMPTY};

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// Longest DNS-1123 label.
pub const DNS1123_LABEL_MAX: usize = 63;
/// Longest DNS-1123 subdomain.
pub const DNS1123_SUBDOMAIN_MAX: usize = 253;
/// Longest name part of a qualified name, and longest label value.
pub const LABEL_MAX: usize = 63;

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn matches_dns_label(s: &str) -> bool {
    matches_ends_and_interior(
        s,
        |b| b.is_ascii_lowercase() || b.is_ascii_digit(),
        |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-',
    )
}

/// One or more DNS labels joined by dots.
fn matches_dns_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns_label)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn matches_qualified_name_part(s: &str) -> bool {
    matches_ends_and_interior(
        s,
        |b| b.is_ascii_alphanumeric(),
        |b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'),
    )
}

/// Non-empty, `end` at both ends, `interior` everywhere.
fn matches_ends_and_interior(s: &str, end: fn(u8) -> bool, interior: fn(u8) -> bool) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => {
            end(first) && end(last) && bytes.iter().all(|&b| interior(b))
        }
        _ => false,
    }
}

/// `IsDNS1123Label`: at most 63 characters of `[a-z0-9-]`, alphanumeric at both ends.
pub fn dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errs.push(max_len(DNS1123_LABEL_MAX));
    }
    if !matches_dns_label(value) {
        if matches_dns_subdomain(value) {
            errs.push(String::from("must not contain dots"));
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `IsDNS1123Subdomain`: at most 253 characters, dot-separated DNS labels.
pub fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(max_len(DNS1123_SUBDOMAIN_MAX));
    }
    if !matches_dns_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `NameIsDNSSubdomain(name, prefix)`: with `prefix` (a `generateName`), a trailing
/// `-` is allowed.
pub fn object_name(value: &str, prefix: bool) -> Vec<String> {
    if prefix {
        if let Some(stem) = value.strip_suffix('-') {
            let mut masked = String::from(stem);
            masked.push('a');
            return dns1123_subdomain(&masked);
        }
    }
    dns1123_subdomain(value)
}

/// `IsQualifiedName` (a label key): an optional DNS-subdomain prefix and `/`, then a
/// name of at most 63 characters.
pub fn qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts = match value.split_once('/') {
        None => Some((None, value)),
        Some((prefix, name)) if !name.contains('/') => Some((Some(prefix), name)),
        Some(_) => None,
    };
    let name = match parts {
        Some((None, name)) => name,
        Some((Some(prefix), name)) => {
            if prefix.is_empty() {
                errs.push(String::from("prefix part ") + EMPTY);
            } else {
                for msg in dns1123_subdomain(prefix) {
                    errs.push(String::from("prefix part ") + &msg);
                }
            }
            name
        }
        None => {
            let mut msg = String::from("a qualified name ");
            msg.push_str(&regex_error(
                QUALIFIED_NAME_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"],
            ));
            msg.push_str(
                " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
            );
            return vec![msg];
        }
    };
    if name.is_empty() {
        errs.push(String::from("name part ") + EMPTY);
    } else if name.len() > LABEL_MAX {
        errs.push(String::from("name part ") + &max_len(LABEL_MAX));
    }
    if !matches_qualified_name_part(name) {
        errs.push(
            String::from("name part ")
                + &regex_error(
                    QUALIFIED_NAME_MSG,
                    QUALIFIED_NAME_FMT,
                    &["MyName", "my.name", "123-abc"],
                ),
        );
    }
    errs
}

/// `IsValidLabelValue`: empty, or at most 63 characters of alphanumerics, `-`, `_`,
/// `.`, alphanumeric at both ends.
pub fn label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_MAX {
        errs.push(max_len(LABEL_MAX));
    }
    if !value.is_empty() && !matches_qualified_name_part(value) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `IsValidPortName`: at most 15 characters of `[-a-z0-9]`, at least one letter, no
/// `--`, no leading or trailing `-`.
pub fn port_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 15 {
        errs.push(max_len(15));
    }
    let charset_ok = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !charset_ok {
        errs.push(String::from(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        ));
    }
    if !value.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push(String::from("must contain at least one letter (a-z)"));
    }
    if value.contains("--") {
        errs.push(String::from("must not contain consecutive hyphens"));
    }
    if value.starts_with('-') || value.ends_with('-') {
        errs.push(String::from("must not begin or end with a hyphen"));
    }
    errs
}

/// `IsValidPortNum`: 1..=65535.
pub fn port_number(value: i64) -> Vec<String> {
    if (1..=65535).contains(&value) {
        Vec::new()
    } else {
        vec![inclusive_range(1, 65535)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        assert!(dns1123_label("my-name").is_empty());
        assert!(dns1123_label("123").is_empty());
        assert_eq!(dns1123_label("a.b"), vec!["must not contain dots"]);
        assert!(dns1123_label("-a")[0].starts_with("a lowercase RFC 1123 label must consist"));
        assert!(dns1123_label("").len() == 1);
        let long = "a".repeat(64);
        assert_eq!(
            dns1123_label(&long),
            vec!["must be no more than 63 characters"]
        );
        assert!(dns1123_label(&"a".repeat(63)).is_empty());
    }

    #[test]
    fn dns_subdomains() {
        assert!(dns1123_subdomain("a.b-c.d").is_empty());
        assert_eq!(dns1123_subdomain("Web").len(), 1);
        assert_eq!(dns1123_subdomain("a..b").len(), 1);
        assert_eq!(dns1123_subdomain("a.").len(), 1);
        assert!(dns1123_subdomain(&"a".repeat(253)).is_empty());
        assert_eq!(dns1123_subdomain(&"a".repeat(254)).len(), 1);
        assert!(object_name("web-", true).is_empty());
        assert_eq!(object_name("web-", false).len(), 1);
        assert_eq!(
            dns1123_subdomain("A")[0],
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
    }

    #[test]
    fn qualified_names() {
        assert!(qualified_name("app").is_empty());
        assert!(qualified_name("kubernetes.io/metadata.name").is_empty());
        assert!(qualified_name("App_1.x").is_empty());
        assert_eq!(
            qualified_name("/app"),
            vec!["prefix part must be non-empty"]
        );
        assert_eq!(qualified_name("a/b/c").len(), 1);
        assert!(qualified_name("a/b/c")[0].starts_with("a qualified name must consist"));
        assert_eq!(qualified_name("Ex.com/app").len(), 1);
        assert!(qualified_name("Ex.com/app")[0]
            .starts_with("prefix part a lowercase RFC 1123 subdomain"));
        let empty = qualified_name("");
        assert_eq!(empty[0], "name part must be non-empty");
        assert_eq!(empty.len(), 2);
        assert_eq!(
            qualified_name(&"a".repeat(64))[0],
            "name part must be no more than 63 characters"
        );
        assert!(qualified_name("app-")[0].starts_with("name part must consist of alphanumeric"));
    }

    #[test]
    fn label_values() {
        assert!(label_value("").is_empty());
        assert!(label_value("My_value.1").is_empty());
        assert_eq!(label_value("-x").len(), 1);
        assert_eq!(label_value("café").len(), 1);
        assert_eq!(
            label_value(&"a".repeat(64)),
            vec!["must be no more than 63 characters"]
        );
    }

    #[test]
    fn port_names_and_numbers() {
        assert!(port_name("http").is_empty());
        assert!(port_name("h2-c").is_empty());
        assert_eq!(
            port_name("80"),
            vec!["must contain at least one letter (a-z)"]
        );
        assert_eq!(
            port_name("a--b"),
            vec!["must not contain consecutive hyphens"]
        );
        assert_eq!(
            port_name("-ab"),
            vec!["must not begin or end with a hyphen"]
        );
        assert_eq!(
            port_name("abcdefghijklmnop"),
            vec!["must be no more than 15 characters"]
        );
        assert_eq!(port_name("HTTP").len(), 2);
        assert!(port_number(1).is_empty() && port_number(65535).is_empty());
        assert_eq!(
            port_number(0),
            vec!["must be between 1 and 65535, inclusive"]
        );
        assert_eq!(port_number(65536).len(), 1);
    }
}
