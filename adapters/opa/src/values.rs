//! The OPA ABI's values and result sets, as plain functions over
//! [`serde_json::Value`] (no memory access here; see `abi` for that).

use alloc::string::String;
use alloc::vec::Vec;

use netpol::admission::{evaluate, Entrypoint};
use serde_json::{Map, Value};

/// `opa_errc`: success.
pub const OPA_ERR_OK: i32 = 0;
/// `opa_errc`: a value has the wrong type (a path that is not an array of strings).
pub const OPA_ERR_INVALID_TYPE: i32 = 2;
/// `opa_errc`: a path that does not exist or crosses a non-object.
pub const OPA_ERR_INVALID_PATH: i32 = 3;

/// How `opa_eval` serialises the result set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `0`: JSON, `[{"result": value}]` (the npm host).
    Json,
    /// `1`: Rego value syntax, `{{"result": value}}` (OPA's Go SDK).
    Rego,
}

impl Format {
    /// The format numbered `n` (anything but 1 is JSON).
    pub fn from_code(n: i32) -> Format {
        if n == 1 {
            Format::Rego
        } else {
            Format::Json
        }
    }
}

/// Parses JSON bytes (`opa_json_parse`); `None` for anything else. Rego's value
/// syntax (`opa_value_parse`) is accepted for its JSON subset, which is all netpol
/// reads.
pub fn parse(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice(bytes).ok()
}

/// Serialises `value` as JSON (Rego value syntax is identical for JSON values).
pub fn dump(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The result set of one evaluation, as a value: `[{"result": value}]`, or `[]`
/// (undefined) for an unknown entrypoint.
pub fn result_set(entrypoint: i32, input: &str) -> Value {
    match Entrypoint::from_id(entrypoint) {
        Some(entrypoint) => {
            let mut binding = Map::new();
            binding.insert(String::from("result"), evaluate(entrypoint, input));
            Value::Array(alloc::vec![Value::Object(binding)])
        }
        None => Value::Array(Vec::new()),
    }
}

/// The result set serialised in `format`: JSON `[{"result": ...}]`, or Rego's set of
/// bindings `{{"result": ...}}` (`set()` when empty).
pub fn render_result_set(set: &Value, format: Format) -> String {
    match (format, set) {
        (Format::Json, _) => dump(set),
        (Format::Rego, Value::Array(bindings)) if bindings.is_empty() => String::from("set()"),
        (Format::Rego, Value::Array(bindings)) => {
            let items: Vec<String> = bindings.iter().map(dump).collect();
            alloc::format!("{{{}}}", items.join(","))
        }
        (Format::Rego, other) => dump(other),
    }
}

/// The input text an evaluation reads: `null` when the host gave no input.
pub fn input_text(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::from("null");
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// `opa_value_add_path`: sets `base[path...] = value`, creating objects on the way.
pub fn add_path(base: &mut Value, path: &Value, value: Value) -> i32 {
    let Some(keys) = path_keys(path) else {
        return OPA_ERR_INVALID_TYPE;
    };
    let Some((last, parents)) = keys.split_last() else {
        *base = value;
        return OPA_ERR_OK;
    };
    let mut node = base;
    for key in parents {
        let Value::Object(map) = node else {
            return OPA_ERR_INVALID_PATH;
        };
        node = map
            .entry(String::from(*key))
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match node {
        Value::Object(map) => {
            map.insert(String::from(*last), value);
            OPA_ERR_OK
        }
        _ => OPA_ERR_INVALID_PATH,
    }
}

/// `opa_value_remove_path`: removes `base[path...]`.
pub fn remove_path(base: &mut Value, path: &Value) -> i32 {
    let Some(keys) = path_keys(path) else {
        return OPA_ERR_INVALID_TYPE;
    };
    let Some((last, parents)) = keys.split_last() else {
        *base = Value::Null;
        return OPA_ERR_OK;
    };
    let mut node = base;
    for key in parents {
        match node.get_mut(*key) {
            Some(next) => node = next,
            None => return OPA_ERR_INVALID_PATH,
        }
    }
    match node.as_object_mut().and_then(|map| map.remove(*last)) {
        Some(_) => OPA_ERR_OK,
        None => OPA_ERR_INVALID_PATH,
    }
}

/// A path value as its keys (an array of strings).
fn path_keys(path: &Value) -> Option<Vec<&str>> {
    path.as_array()?.iter().map(Value::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn result_sets_in_both_formats() {
        let set = result_set(0, r#"{"kind": "ConfigMap"}"#);
        assert_eq!(set, json!([{"result": []}]));
        assert_eq!(render_result_set(&set, Format::Json), r#"[{"result":[]}]"#);
        assert_eq!(render_result_set(&set, Format::Rego), r#"{{"result":[]}}"#);
        let undefined = result_set(9, "null");
        assert_eq!(render_result_set(&undefined, Format::Rego), "set()");
        assert_eq!(render_result_set(&undefined, Format::Json), "[]");
    }

    /// A pod, a policy with an invalid port and a policy that selects the pod.
    const MANIFESTS: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
      {"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}}},
      {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "bad", "namespace": "shop"},
        "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": 0}]}]}},
      {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{"ports": [{"port": 80}]}]}}]}"#;

    /// The one result of evaluating entrypoint `id` on [`MANIFESTS`].
    fn result(id: i32) -> Value {
        result_set(id, MANIFESTS)[0]["result"].clone()
    }

    #[test]
    fn the_answers_are_the_workspace_answers_for_the_same_objects() {
        use netpol::api::{LintOptions, MatrixFilter, SourceFile, Workspace};
        use netpol::lint::Config;
        use netpol::report::json::document;
        let text = Workspace::load(
            [SourceFile::text("input.json", MANIFESTS)],
            Config::default(),
        );
        let lint = text.lint(&LintOptions::default()).unwrap();
        let lint = serde_json::to_value(document(&lint.report, netpol::VERSION)).unwrap();
        assert!(lint["summary"]["error"].as_u64().unwrap() >= 1);
        assert_eq!(result(2), lint);

        let objects = parse(MANIFESTS.as_bytes()).unwrap();
        let objects = Workspace::load(
            [SourceFile::object("input.json", objects)],
            Config::default(),
        );
        let matrix = objects.matrix(&MatrixFilter::default()).unwrap();
        let matrix = serde_json::to_value(matrix).unwrap();
        assert!(!matrix["connections"].as_array().unwrap().is_empty());
        let mut answer = result(3);
        let errors = answer.as_object_mut().unwrap().remove("errors").unwrap();
        assert_eq!(answer, matrix);
        assert_eq!(
            errors[0].as_str().unwrap().split(']').next(),
            Some("[invalid-port")
        );
        let rules = |v: &Value| -> Vec<String> {
            let findings = v["findings"].as_array().unwrap().iter();
            let mut ids: Vec<String> = findings.map(|f| f["ruleId"].to_string()).collect();
            ids.sort();
            ids
        };
        let objects_lint = objects.lint(&LintOptions::default()).unwrap();
        assert_eq!(
            rules(&result(2)),
            rules(&serde_json::to_value(objects_lint).unwrap())
        );
    }

    #[test]
    fn paths_are_added_and_removed() {
        let mut data = json!({});
        assert_eq!(
            add_path(&mut data, &json!(["a", "b"]), json!(1)),
            OPA_ERR_OK
        );
        assert_eq!(data, json!({"a": {"b": 1}}));
        assert_eq!(
            add_path(&mut data, &json!(["a", "b", "c"]), json!(2)),
            OPA_ERR_INVALID_PATH
        );
        assert_eq!(
            add_path(&mut data, &json!([1]), json!(2)),
            OPA_ERR_INVALID_TYPE
        );
        assert_eq!(remove_path(&mut data, &json!(["a", "b"])), OPA_ERR_OK);
        assert_eq!(data, json!({"a": {}}));
        assert_eq!(remove_path(&mut data, &json!(["x"])), OPA_ERR_INVALID_PATH);
    }

    #[test]
    fn bytes_that_are_not_json_do_not_parse() {
        assert!(parse(b"{not json").is_none());
        assert_eq!(parse(b"[1]"), Some(json!([1])));
        assert_eq!(input_text(b""), "null");
    }
}
