//! The Kubernetes policy working group's report kinds: `wgpolicyk8s.io/v1alpha2`
//! PolicyReport / ClusterPolicyReport and `openreports.io/v1alpha1` Report /
//! ClusterReport, as a YAML stream `kubectl apply -f -` accepts.
//!
//! One namespaced report per namespace (named `netpol`), holding the results about
//! the namespaced objects of that namespace (an object without `metadata.namespace`
//! is in `default`, where netpol evaluates it and the API server would put it); one
//! cluster report (also `netpol`) for the rest: cluster-scoped objects (Namespace,
//! cluster-wide policy kinds), objects whose namespace is not a valid name, and
//! findings about a whole file. The cluster report comes first, then namespaces in
//! name order, so the output is the same on every run. A scope whose results exceed
//! [`MAX_REPORT_BYTES`] of JSON is split into `netpol`, `netpol-2`, ... (all labelled
//! `app.kubernetes.io/managed-by: netpol`, so `kubectl apply --prune -l ...` removes
//! parts a later run no longer writes); the split points do not depend on the
//! timestamps, which differ from run to run.
//!
//! Each result: `source: netpol`, `policy: netpol-best-practices`, `rule`,
//! `category`, `severity` (error→high, warning→medium, info→low), `result` (error
//! findings→`fail`, warning and info→`warn`, a checked (rule, resource) pair without
//! finding→`pass`, see [`super::context`]), `scored`, `message`, `timestamp`,
//! `resources` and string-valued `properties` (file, line, column, path, help).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{json, Map, Value};

use super::context::{checks, Check, RenderContext};
use super::yaml_stream;
use super::{Finding, LintReport, Resource};
use crate::diag::Severity;
use crate::model::DEFAULT_NAMESPACE;
use crate::sorted::SortedMap;

/// The `policy` of every result.
pub const POLICY: &str = "netpol-best-practices";

/// The `source` of every result (and of OpenReports reports).
pub const SOURCE: &str = "netpol";

/// The `metadata.name` of a namespace's (or the cluster's) first report; further
/// reports of the same scope are `netpol-2`, `netpol-3`, ...
pub const REPORT_NAME: &str = "netpol";

/// The largest JSON size of the results of one report object (bytes).
pub const MAX_REPORT_BYTES: usize = 128 * 1024;

/// Which API group's kinds to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    /// `wgpolicyk8s.io/v1alpha2` PolicyReport / ClusterPolicyReport.
    PolicyReport,
    /// `openreports.io/v1alpha1` Report / ClusterReport.
    OpenReports,
}

impl Flavor {
    fn api_version(self) -> &'static str {
        match self {
            Flavor::PolicyReport => "wgpolicyk8s.io/v1alpha2",
            Flavor::OpenReports => "openreports.io/v1alpha1",
        }
    }

    fn kind(self, cluster: bool) -> &'static str {
        match (self, cluster) {
            (Flavor::PolicyReport, false) => "PolicyReport",
            (Flavor::PolicyReport, true) => "ClusterPolicyReport",
            (Flavor::OpenReports, false) => "Report",
            (Flavor::OpenReports, true) => "ClusterReport",
        }
    }
}

/// Renders `report` as PolicyReport / ClusterPolicyReport objects.
pub fn render_policy_reports(report: &LintReport, ctx: &RenderContext<'_>) -> String {
    yaml_stream::stream(&reports(report, ctx, Flavor::PolicyReport))
}

/// Renders `report` as OpenReports Report / ClusterReport objects.
pub fn render_open_reports(report: &LintReport, ctx: &RenderContext<'_>) -> String {
    yaml_stream::stream(&reports(report, ctx, Flavor::OpenReports))
}

/// The PolicyReport severity of a finding severity.
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "high",
        Severity::Warning => "medium",
        Severity::Info => "low",
    }
}

/// The report objects: the cluster report (if it has results), then one per
/// namespace in name order.
fn reports(report: &LintReport, ctx: &RenderContext<'_>, flavor: Flavor) -> Vec<Value> {
    let mut results: Vec<(Option<&str>, Value)> = Vec::new();
    for check in checks(report, ctx) {
        let namespace = report_namespace(check.resource);
        if check.findings.is_empty() {
            results.push((namespace, pass_result(&check, ctx)));
        }
        for f in check
            .findings
            .iter()
            .filter_map(|&i| report.findings.get(i))
        {
            results.push((namespace, finding_result(f, ctx)));
        }
    }
    let buckets = SortedMap::grouped(results);
    let mut objects = Vec::new();
    for (namespace, results) in buckets {
        for (part, chunk) in chunks(results).into_iter().enumerate() {
            objects.push(report_object(flavor, namespace, &report_name(part), chunk));
        }
    }
    objects
}

/// Splits `results` into runs of at most [`MAX_REPORT_BYTES`] of JSON each (a
/// single larger result stays alone), so every object stays well under the 256 KiB
/// annotation that client-side `kubectl apply` writes, and under etcd's object size
/// limit.
fn chunks(results: Vec<Value>) -> Vec<Vec<Value>> {
    let mut chunks: Vec<Vec<Value>> = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut size = 0;
    for result in results {
        let bytes = size_without_timestamp(&result) + MAX_TIMESTAMP_BYTES;
        if !current.is_empty() && size + bytes > MAX_REPORT_BYTES {
            chunks.push(core::mem::take(&mut current));
            size = 0;
        }
        size += bytes;
        current.push(result);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The longest JSON a result's `timestamp` can take
/// (`{"seconds":-9223372036854775808,"nanos":-2147483648}`).
const MAX_TIMESTAMP_BYTES: usize = 52;

/// The JSON size of `result` without its `timestamp` value, so that where results
/// are split never depends on the time of the run.
fn size_without_timestamp(result: &Value) -> usize {
    let json_len = |value: &Value| serde_json::to_string(value).map_or(0, |s| s.len());
    let stamp = result.get("timestamp").map_or(0, json_len);
    json_len(result).saturating_sub(stamp)
}

/// `netpol` for the first object of a namespace, then `netpol-2`, `netpol-3`, ...
fn report_name(part: usize) -> String {
    if part == 0 {
        String::from(REPORT_NAME)
    } else {
        alloc::format!("{REPORT_NAME}-{}", part + 1)
    }
}

/// The namespace whose report holds results about `resource` (`None`: the cluster
/// report): its namespace, `default` when a namespaced object does not say.
fn report_namespace(resource: Option<&Resource>) -> Option<&str> {
    let resource = resource?;
    if is_cluster_scoped(&resource.kind) {
        return None;
    }
    match resource.namespace.as_deref() {
        None => Some(DEFAULT_NAMESPACE),
        Some(namespace) => is_dns_label(namespace).then_some(namespace),
    }
}

/// Whether objects of `kind` have no namespace: Namespace, Node, and the cluster-wide
/// policy kinds netpol reads or names.
fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "Node"
            | "AdminNetworkPolicy"
            | "BaselineAdminNetworkPolicy"
            | "ClusterNetworkPolicy"
            | "CiliumClusterwideNetworkPolicy"
            | "GlobalNetworkPolicy"
            | "StagedGlobalNetworkPolicy"
    )
}

/// Whether `name` is a valid namespace name (an RFC 1123 label).
pub fn is_dns_label(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    (1..=63).contains(&bytes.len())
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// One report object with its summary.
fn report_object(
    flavor: Flavor,
    namespace: Option<&str>,
    name: &str,
    results: Vec<Value>,
) -> Value {
    let count = |status: &str| {
        results
            .iter()
            .filter(|r| r.get("result").and_then(Value::as_str) == Some(status))
            .count()
    };
    let summary = json!({
        "pass": count("pass"),
        "fail": count("fail"),
        "warn": count("warn"),
        "error": 0,
        "skip": 0,
    });
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(name));
    if let Some(ns) = namespace {
        metadata.insert("namespace".into(), json!(ns));
    }
    metadata.insert(
        "labels".into(),
        json!({"app.kubernetes.io/managed-by": SOURCE}),
    );
    let mut object = Map::new();
    object.insert("apiVersion".into(), json!(flavor.api_version()));
    object.insert("kind".into(), json!(flavor.kind(namespace.is_none())));
    object.insert("metadata".into(), Value::Object(metadata));
    if flavor == Flavor::OpenReports {
        object.insert("source".into(), json!(SOURCE));
    }
    object.insert("summary".into(), summary);
    object.insert("results".into(), Value::Array(results));
    Value::Object(object)
}

/// The fields every result has.
fn result_base(
    rule: &str,
    status: &str,
    sev: Severity,
    message: &str,
    ctx: &RenderContext<'_>,
) -> Map<String, Value> {
    let category = ctx
        .rule(rule)
        .map(|r| r.category.as_str())
        .filter(|c| !c.is_empty())
        .unwrap_or("NetworkPolicy");
    let mut result = Map::new();
    result.insert("source".into(), json!(SOURCE));
    result.insert("policy".into(), json!(POLICY));
    result.insert("rule".into(), json!(rule));
    result.insert("category".into(), json!(category));
    result.insert("severity".into(), json!(severity(sev)));
    result.insert("result".into(), json!(status));
    result.insert("scored".into(), json!(true));
    result.insert("message".into(), json!(message));
    result.insert(
        "timestamp".into(),
        json!({"seconds": ctx.timestamp.seconds, "nanos": ctx.timestamp.nanos}),
    );
    result
}

/// The result of one finding.
fn finding_result(f: &Finding, ctx: &RenderContext<'_>) -> Value {
    let status = if f.severity == Severity::Error {
        "fail"
    } else {
        "warn"
    };
    let mut result = result_base(f.rule_id, status, f.severity, &f.message, ctx);
    if let Some(r) = &f.resource {
        result.insert("resources".into(), json!([object_reference(r)]));
    }
    let mut properties = Map::new();
    let mut put = |key: &str, value: String| {
        if !value.is_empty() {
            properties.insert(key.into(), Value::String(value));
        }
    };
    put("file", f.file.clone());
    if f.line > 0 {
        put("line", f.line.to_string());
        put("column", f.column.to_string());
    }
    put("path", f.path.clone());
    put("help", f.help.clone());
    if !properties.is_empty() {
        result.insert("properties".into(), Value::Object(properties));
    }
    Value::Object(result)
}

/// The `pass` result of a checked pair without finding.
fn pass_result(check: &Check<'_>, ctx: &RenderContext<'_>) -> Value {
    let default = ctx
        .rule(check.rule)
        .map_or(Severity::Info, |r| r.default_severity);
    let mut message = String::from("no `");
    message.push_str(check.rule);
    message.push_str("` finding");
    let mut result = result_base(check.rule, "pass", default, &message, ctx);
    if let Some(r) = check.resource {
        result.insert("resources".into(), json!([object_reference(r)]));
    }
    let mut properties = Map::new();
    if !check.file.is_empty() {
        properties.insert("file".into(), json!(check.file));
    }
    if check.line > 0 {
        properties.insert("line".into(), json!(check.line.to_string()));
    }
    if !properties.is_empty() {
        result.insert("properties".into(), Value::Object(properties));
    }
    Value::Object(result)
}

/// An object reference (`apiVersion`, `kind`, `namespace`, `name`; empty fields
/// left out).
fn object_reference(r: &Resource) -> Value {
    let mut reference = Map::new();
    for (key, value) in [
        ("apiVersion", r.api_version.as_str()),
        ("kind", r.kind.as_str()),
        ("namespace", r.namespace.as_deref().unwrap_or("")),
        ("name", r.name.as_str()),
    ] {
        if !value.is_empty() {
            reference.insert(key.into(), json!(value));
        }
    }
    Value::Object(reference)
}
