//! The API server's messages for custom resources: OpenAPI schema checks
//! (`k8s.io/kube-openapi` errors as `apiextensions-apiserver` turns them into field
//! errors) and CEL `x-kubernetes-validations` rules.
//!
//! ```
//! use netpol::validate::schema;
//! assert_eq!(
//!     schema::maximum("spec.priority", 1001, 1000),
//!     "spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000"
//! );
//! assert_eq!(
//!     schema::cel("spec.ingress[0]", "object", "bad"),
//!     "spec.ingress[0]: Invalid value: \"object\": bad"
//! );
//! ```

use alloc::format;
use alloc::string::String;

use super::message;

/// `maxItems` / `maxProperties`: `<path>: Too many: <n>: must have at most <max> items`.
pub fn too_many(path: &str, actual: usize, max: usize) -> String {
    format!("{path}: Too many: {actual}: must have at most {max} items")
}

/// `minItems`: `<path>: Invalid value: <n>: <path> in body should have at least <min> items`.
pub fn too_few_items(path: &str, actual: usize, min: usize) -> String {
    let detail = format!("{path} in body should have at least {min} items");
    message::invalid_raw(path, &format!("{actual}"), &detail)
}

/// `minProperties`: `<path>: Invalid value: <n>: <path> in body should have at least
/// <min> properties`.
pub fn too_few_properties(path: &str, actual: usize, min: usize) -> String {
    let detail = format!("{path} in body should have at least {min} properties");
    message::invalid_raw(path, &format!("{actual}"), &detail)
}

/// `maximum`: `... in body should be less than or equal to <max>`.
pub fn maximum(path: &str, value: i64, max: i64) -> String {
    let detail = format!("{path} in body should be less than or equal to {max}");
    message::invalid_num(path, value, &detail)
}

/// `minimum`: `... in body should be greater than or equal to <min>`.
pub fn minimum(path: &str, value: i64, min: i64) -> String {
    let detail = format!("{path} in body should be greater than or equal to {min}");
    message::invalid_num(path, value, &detail)
}

/// `maxLength`: `<path>: Too long: may not be more than <max> bytes`.
pub fn too_long(path: &str, max: usize) -> String {
    format!("{path}: Too long: may not be more than {max} bytes")
}

/// `pattern`: `<path>: Invalid value: "<v>": <path> in body should match '<re>'`.
pub fn pattern(path: &str, value: &str, regex: &str) -> String {
    let detail = format!("{path} in body should match '{regex}'");
    message::invalid_str(path, value, &detail)
}

/// `x-kubernetes-list-type: set`: `<path>: Duplicate value: "<v>"`.
pub fn duplicate(path: &str, value: &str) -> String {
    format!("{path}: Duplicate value: {}", message::go_quote(value))
}

/// A CEL rule that failed on a value of OpenAPI type `type_name` (`object`,
/// `string`): `<path>: Invalid value: "<type>": <message>`. A rule on the object's
/// root has the path `<nil>`.
pub fn cel(path: &str, type_name: &str, rule_message: &str) -> String {
    let path = if path.is_empty() { "<nil>" } else { path };
    message::invalid_str(path, type_name, rule_message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_in_the_servers_words() {
        assert_eq!(
            too_many("spec.ingress", 26, 25),
            "spec.ingress: Too many: 26: must have at most 25 items"
        );
        assert_eq!(
            too_few_items("spec.ingress[0].from", 0, 1),
            "spec.ingress[0].from: Invalid value: 0: spec.ingress[0].from in body should have at least 1 items"
        );
        assert_eq!(
            too_few_properties("spec.subject", 0, 1),
            "spec.subject: Invalid value: 0: spec.subject in body should have at least 1 properties"
        );
        assert_eq!(
            minimum("spec.priority", -1, 0),
            "spec.priority: Invalid value: -1: spec.priority in body should be greater than or equal to 0"
        );
        assert_eq!(
            too_long("spec.ingress[0].name", 100),
            "spec.ingress[0].name: Too long: may not be more than 100 bytes"
        );
        assert_eq!(
            pattern("d", "a", "^x$"),
            "d: Invalid value: \"a\": d in body should match '^x$'"
        );
        assert_eq!(duplicate("n[1]", "a"), "n[1]: Duplicate value: \"a\"");
        assert_eq!(
            cel("", "object", "m"),
            "<nil>: Invalid value: \"object\": m"
        );
    }
}
