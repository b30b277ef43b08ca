//! PolicyReport / ClusterPolicyReport and OpenReports Report / ClusterReport: the
//! YAML stream read back by an independent YAML parser and each object validated
//! against its CRD's openAPIV3Schema.

use netpol::diag::Severity;
use netpol::report::formats::LintFormat;
use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{json, Map, Value};

use super::{assert_valid, schemas_dir, Fixture, NASTY};

/// Reads a YAML stream into JSON values, resolving plain scalars the way
/// Kubernetes' YAML 1.1 decoder does for the cases these files hold.
fn load_yaml(text: &str) -> Vec<Value> {
    let mut parser = Parser::new_from_str(text);
    let mut documents = Vec::new();
    // Open collections: a map with its pending key, or a sequence.
    let mut stack: Vec<(Value, Option<String>)> = Vec::new();
    while let Some(event) = parser.next_event() {
        let (event, _) = event.expect("valid YAML");
        let value = match event {
            Event::MappingStart(..) => {
                stack.push((Value::Object(Map::new()), None));
                continue;
            }
            Event::SequenceStart(..) => {
                stack.push((Value::Array(Vec::new()), None));
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => stack.pop().unwrap().0,
            Event::Scalar(text, style, _, _) => scalar(&text, style),
            Event::Alias(_) => panic!("no aliases expected"),
            _ => continue,
        };
        match stack.last_mut() {
            None => documents.push(value),
            Some((Value::Array(items), _)) => items.push(value),
            Some((Value::Object(map), key)) => match key.take() {
                Some(k) => {
                    assert!(map.insert(k.clone(), value).is_none(), "duplicate key {k}");
                }
                None => *key = Some(value.as_str().expect("string key").to_string()),
            },
            Some(_) => unreachable!(),
        }
    }
    documents
}

fn scalar(text: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(text.to_string())),
    }
}

/// A Kubernetes structural schema as a JSON Schema: `nullable` becomes a `null`
/// type, `x-kubernetes-*` extensions are dropped, and objects with `properties`
/// reject unknown fields (what `kubectl apply` with strict field validation does)
/// unless they preserve unknown fields.
fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            "properties" | "patternProperties" | "definitions" => Value::Object(
                value
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), to_json_schema(v)))
                    .collect(),
            ),
            "items" | "additionalProperties" | "not" => to_json_schema(value),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(to_json_schema)
                    .collect(),
            ),
            "nullable" => continue,
            k if k.starts_with("x-kubernetes-") => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(t) = map.get("type") {
            out.insert("type".into(), json!([t, "null"]));
        }
    }
    let preserves = map.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
    if map.contains_key("properties") && !map.contains_key("additionalProperties") && !preserves {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    Value::Object(out)
}

/// A CRD's kind, `group/version` and validator for `version`.
pub(super) struct Crd {
    kind: String,
    api_version: String,
    namespaced: bool,
    validator: jsonschema::Validator,
}

fn crd(file: &str, version: &str) -> Crd {
    let text = std::fs::read_to_string(schemas_dir().join(file)).unwrap();
    let docs = load_yaml(&text);
    let spec = &docs[0]["spec"];
    let served = spec["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == version)
        .unwrap();
    assert_eq!(served["served"], true);
    let schema = to_json_schema(&served["schema"]["openAPIV3Schema"]);
    Crd {
        kind: spec["names"]["kind"].as_str().unwrap().into(),
        api_version: format!("{}/{version}", spec["group"].as_str().unwrap()),
        namespaced: spec["scope"] == "Namespaced",
        validator: jsonschema::draft4::new(&schema).expect("CRD schema compiles"),
    }
}

/// Whether `name` is a DNS-1123 label (namespaces, and the names used here).
fn is_dns_label(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

/// Checks every object of `stream` against `crds` (by kind): schema, apiVersion,
/// metadata, summary counts, string-valued properties. Returns the objects.
pub(super) fn check_stream(stream: &str, crds: &[Crd]) -> Vec<Value> {
    let docs = load_yaml(stream);
    assert_eq!(stream.matches("---\n").count(), docs.len());
    for doc in &docs {
        let kind = doc["kind"].as_str().unwrap();
        let crd = crds
            .iter()
            .find(|c| c.kind == kind)
            .unwrap_or_else(|| panic!("kind {kind}"));
        assert_valid(&crd.validator, doc, kind);
        assert_eq!(doc["apiVersion"], crd.api_version.as_str());
        let meta = &doc["metadata"];
        assert!(is_dns_label(meta["name"].as_str().unwrap()));
        assert_eq!(
            meta.get("namespace").is_some(),
            crd.namespaced,
            "{kind} namespace"
        );
        if let Some(ns) = meta["namespace"].as_str() {
            assert!(is_dns_label(ns), "{ns}");
        }
        let results = doc["results"].as_array().unwrap();
        for status in ["pass", "fail", "warn"] {
            let n = results.iter().filter(|r| r["result"] == status).count();
            assert_eq!(doc["summary"][status], n, "{kind} summary {status}");
        }
        for r in results {
            assert!(["high", "medium", "low"].contains(&r["severity"].as_str().unwrap()));
            let props = r.get("properties").and_then(Value::as_object);
            assert!(props.into_iter().flatten().all(|(_, v)| v.is_string()));
        }
    }
    docs
}

pub(super) fn policy_report_crds() -> Vec<Crd> {
    vec![
        crd("wgpolicyk8s.io_policyreports.yaml", "v1alpha2"),
        crd("wgpolicyk8s.io_clusterpolicyreports.yaml", "v1alpha2"),
    ]
}

pub(super) fn open_reports_crds() -> Vec<Crd> {
    vec![
        crd("openreports.io_reports.yaml", "v1alpha1"),
        crd("openreports.io_clusterreports.yaml", "v1alpha1"),
    ]
}

/// (kind, namespace, pass, fail, warn) of each report.
fn shape(docs: &[Value]) -> Vec<(String, String, u64, u64, u64)> {
    docs.iter()
        .map(|d| {
            let s = &d["summary"];
            (
                d["kind"].as_str().unwrap().to_string(),
                d["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                s["pass"].as_u64().unwrap(),
                s["fail"].as_u64().unwrap(),
                s["warn"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn policy_reports_are_valid_per_namespace_objects() {
    let stream = Fixture::new(Some(Severity::Warning)).render(LintFormat::PolicyReport);
    let docs = check_stream(&stream, &policy_report_crds());
    let expected = [
        ("ClusterPolicyReport", "", 0, 1, 2),
        ("PolicyReport", "pay", 4, 1, 0),
        ("PolicyReport", "shop", 7, 1, 2),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(k, n, p, f, w)| (k.to_string(), n.to_string(), *p, *f, *w))
        .collect();
    assert_eq!(shape(&docs), expected);
}

#[test]
fn policy_report_results_round_trip() {
    let stream = Fixture::new(Some(Severity::Warning)).render(LintFormat::PolicyReport);
    let docs = load_yaml(&stream);
    let shop = docs
        .iter()
        .find(|d| d["metadata"]["namespace"] == "shop")
        .unwrap();
    let results = shop["results"].as_array().unwrap();
    let allow = results
        .iter()
        .find(|r| r["rule"] == "allow-all-ingress" && r["result"] != "pass")
        .unwrap();
    assert_eq!(allow["message"], NASTY);
    assert_eq!(allow["source"], "netpol");
    assert_eq!(allow["policy"], "netpol-best-practices");
    assert_eq!(allow["category"], "Best Practices");
    assert_eq!(
        (allow["severity"].as_str(), allow["result"].as_str()),
        (Some("medium"), Some("warn"))
    );
    assert_eq!(
        allow["timestamp"],
        json!({"seconds": 1_764_151_200_i64, "nanos": 5})
    );
    assert_eq!(
        allow["resources"],
        json!([{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "namespace": "shop", "name": "web"}])
    );
    assert_eq!(
        allow["properties"],
        json!({"file": "deploy/shop.yaml", "line": "11", "column": "5", "path": "spec.ingress[0]", "help": "list the peers & ports <here>"})
    );
    let control = results
        .iter()
        .find(|r| r["rule"] == "selector-contradiction" && r["result"] != "pass")
        .unwrap();
    assert_eq!(control["message"], "control \u{1} char and tab\tin `team`");
    assert_eq!(
        (control["severity"].as_str(), control["result"].as_str()),
        (Some("high"), Some("fail"))
    );
    let info = results
        .iter()
        .find(|r| r["rule"] == "missing-policytypes" && r["result"] != "pass")
        .unwrap();
    assert_eq!(
        (info["severity"].as_str(), info["result"].as_str()),
        (Some("low"), Some("warn"))
    );
    let api_pass = results
        .iter()
        .filter(|r| r["resources"][0]["name"] == "api")
        .collect::<Vec<_>>();
    assert_eq!(api_pass.len(), 5);
    assert!(api_pass.iter().all(|r| r["result"] == "pass"));
    // Cluster report: the Namespace, the file-level finding, and the object whose
    // namespace is not a valid name (kept in its reference).
    let cluster = &docs[0];
    let bad = cluster["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "rule-without-ports")
        .unwrap();
    assert_eq!(bad["resources"][0]["namespace"], "Bad_NS");
    let file_level = cluster["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "yaml-syntax")
        .unwrap();
    assert!(file_level.get("resources").is_none());
    assert_eq!(file_level["properties"]["file"], "deploy/broken.yaml");
}

#[test]
fn open_reports_are_valid_with_top_level_source() {
    let stream = Fixture::new(Some(Severity::Warning)).render(LintFormat::OpenReports);
    let docs = check_stream(&stream, &open_reports_crds());
    let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["ClusterReport", "Report", "Report"]);
    assert!(docs.iter().all(|d| d["source"] == "netpol"));
    let policy = load_yaml(&Fixture::new(Some(Severity::Warning)).render(LintFormat::PolicyReport));
    for (open, wg) in docs.iter().zip(&policy) {
        assert_eq!(open["results"], wg["results"]);
        assert_eq!(open["summary"], wg["summary"]);
    }
}

#[test]
fn schema_conversion_rejects_what_the_api_server_would() {
    let crds = policy_report_crds();
    let stream = Fixture::new(Some(Severity::Warning)).render(LintFormat::PolicyReport);
    let mut doc = load_yaml(&stream).remove(1);
    doc["results"][0]["severity"] = json!("error");
    assert!(!crds[0].validator.is_valid(&doc));
    doc["results"][0]["severity"] = json!("high");
    assert!(crds[0].validator.is_valid(&doc));
    doc["results"][0]["properties"]["line"] = json!(11);
    assert!(!crds[0].validator.is_valid(&doc));
    doc["results"][0]["properties"]["line"] = json!("11");
    doc["results"][0]["unknownField"] = json!("x");
    assert!(!crds[0].validator.is_valid(&doc));
}

#[test]
fn empty_report_writes_no_objects() {
    let fixture = Fixture::new(Some(Severity::Error));
    let empty = netpol::report::LintReport::default();
    let ctx = netpol::report::context::RenderContext::new(&fixture.sources);
    for format in [LintFormat::PolicyReport, LintFormat::OpenReports] {
        assert_eq!(netpol::report::formats::render(format, &empty, &ctx), "");
    }
}

/// 600 checked NetworkPolicies in one namespace: more results than one report holds.
fn big_scope() -> Vec<netpol::report::context::CheckedObject> {
    (0..600)
        .map(|i| {
            super::checked(
                super::policy("big", &format!("policy-{i:03}")),
                "big.yaml",
                i + 1,
            )
        })
        .collect()
}

#[test]
fn large_scopes_split_into_objects_kubectl_apply_accepts() {
    let fixture = Fixture::new(Some(Severity::Error));
    let objects = big_scope();
    let mut ctx = netpol::report::context::RenderContext::new(&fixture.sources);
    ctx.rules = &fixture.rules;
    ctx.objects = &objects;
    let empty = netpol::report::LintReport::default();
    let stream = netpol::report::formats::render(LintFormat::PolicyReport, &empty, &ctx);
    let docs = check_stream(&stream, &policy_report_crds());
    assert!(docs.len() > 2, "{} objects", docs.len());
    let names: Vec<&str> = docs
        .iter()
        .map(|d| d["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[..3], ["netpol", "netpol-2", "netpol-3"]);
    let mut passes = 0;
    for doc in &docs {
        assert_eq!(doc["metadata"]["namespace"], "big");
        // Client-side apply stores the object in a 256 KiB annotation.
        assert!(serde_json::to_string(doc).unwrap().len() < 200 * 1024);
        passes += doc["summary"]["pass"].as_u64().unwrap();
    }
    assert_eq!(passes, 600 * 5);
}

#[test]
fn where_a_report_splits_does_not_depend_on_the_clock() {
    let fixture = Fixture::new(Some(Severity::Error));
    let objects = big_scope();
    let empty = netpol::report::LintReport::default();
    let split = |seconds: i64, nanos: i32| {
        let mut ctx = netpol::report::context::RenderContext::new(&fixture.sources);
        ctx.rules = &fixture.rules;
        ctx.objects = &objects;
        ctx.timestamp = netpol::report::context::Timestamp { seconds, nanos };
        let stream = netpol::report::formats::render(LintFormat::OpenReports, &empty, &ctx);
        load_yaml(&stream)
            .iter()
            .map(|doc| doc["summary"]["pass"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    let short = split(0, 0);
    assert!(short.len() > 2, "{short:?}");
    assert_eq!(split(1_796_590_905, 999_999_999), short);
    assert_eq!(split(-1_796_590_905, 1), short);
}
