//! The shipped deployment (`deploy/`): valid objects of their kinds, wired to each
//! other (labels, ports, paths, names), netpol's own NetworkPolicies clean under
//! `netpol lint`, and the Helm chart rendering exactly the same objects.
//!
//! Helm itself is not installable on the build machines, so the chart is rendered
//! here: its templates only substitute values and switch whole files on, and
//! anything else in them fails this test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "support/doc_json.rs"]
mod doc_json;

use doc_json::to_json;
use netpol::api::{LintOptions, SourceFile, Workspace};
use netpol::doc::{self, Limits};
use netpol::lint::Config;
use netpol::source::{Source, SourceSet};
use serde_json::{json, Value};

fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy")
}

/// The manifests of `deploy/` (not the chart), relative path → text.
fn manifests() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for dir in [
        deploy_dir(),
        deploy_dir().join("gatekeeper"),
        deploy_dir().join("kyverno"),
    ] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let name = path
                    .strip_prefix(deploy_dir())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

/// The documents of a YAML text, as JSON.
fn yaml_documents(name: &str, text: &str) -> Vec<Value> {
    let mut sources = SourceSet::new();
    let id = sources.add(Source::new(name, text));
    let read = doc::read(sources.get(id).unwrap(), id, &Limits::default());
    assert!(
        read.diagnostics.is_empty(),
        "{name}: {:?}",
        read.diagnostics
    );
    read.documents.iter().map(|d| to_json(&d.root)).collect()
}

/// Every object of `deploy/`, by kind.
fn objects() -> BTreeMap<String, Vec<Value>> {
    let mut by_kind: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (name, text) in manifests() {
        for object in yaml_documents(&name, &text) {
            let kind = object["kind"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no kind"))
                .to_string();
            assert!(object["apiVersion"].is_string(), "{name}: no apiVersion");
            assert!(object["metadata"]["name"].is_string(), "{name}: no name");
            by_kind.entry(kind).or_default().push(object);
        }
    }
    by_kind
}

fn one<'a>(objects: &'a BTreeMap<String, Vec<Value>>, kind: &str) -> &'a Value {
    let list = objects.get(kind).unwrap_or_else(|| panic!("no {kind}"));
    assert_eq!(list.len(), 1, "{kind}");
    &list[0]
}

#[test]
fn netpols_own_network_policies_pass_its_lint_without_warnings() {
    let files: Vec<SourceFile> = manifests()
        .into_iter()
        .map(|(name, text)| SourceFile::text(name, text))
        .collect();
    let workspace = Workspace::load(files, Config::default());
    let answer = serde_json::to_value(workspace.lint(&LintOptions::default()).unwrap()).unwrap();
    let loud: Vec<&Value> = answer["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "warning" || f["severity"] == "error")
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
    assert_eq!(objects()["NetworkPolicy"].len(), 2);
}

#[test]
fn the_deployment_is_locked_down_and_highly_available() {
    let objects = objects();
    let deployment = one(&objects, "Deployment");
    assert_eq!(deployment["apiVersion"], "apps/v1");
    let spec = &deployment["spec"];
    assert_eq!(spec["replicas"], 2);
    let labels = &spec["template"]["metadata"]["labels"];
    assert_eq!(&spec["selector"]["matchLabels"], labels);
    let pod = &spec["template"]["spec"];
    assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
    assert_eq!(pod["automountServiceAccountToken"], false);
    let container = &pod["containers"][0];
    assert_eq!(container["args"][0], "serve");
    let security = &container["securityContext"];
    assert_eq!(security["readOnlyRootFilesystem"], true);
    assert_eq!(security["allowPrivilegeEscalation"], false);
    assert_eq!(security["capabilities"]["drop"], json!(["ALL"]));
    for key in ["requests", "limits"] {
        assert!(container["resources"][key]["cpu"].is_string(), "{key}");
        assert!(container["resources"][key]["memory"].is_string(), "{key}");
    }
    assert_eq!(container["readinessProbe"]["httpGet"]["path"], "/readyz");
    assert_eq!(container["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(container["ports"][0]["containerPort"], 8443);

    let pdb = one(&objects, "PodDisruptionBudget");
    assert_eq!(pdb["apiVersion"], "policy/v1");
    assert_eq!(&pdb["spec"]["selector"]["matchLabels"], labels);
    assert_eq!(pdb["spec"]["minAvailable"], 1);

    let service = one(&objects, "Service");
    assert_eq!(&service["spec"]["selector"], labels);
    assert_eq!(service["spec"]["ports"][0]["port"], 443);
    assert_eq!(
        service["spec"]["ports"][0]["targetPort"],
        container["ports"][0]["name"]
    );
    for object in objects.values().flatten() {
        if let Some(namespace) = object["metadata"]["namespace"].as_str() {
            assert_eq!(namespace, "netpol-system", "{}", object["metadata"]["name"]);
        }
    }
}

#[test]
fn the_webhook_covers_the_three_policy_kinds_at_the_service() {
    let objects = objects();
    let webhook = &one(&objects, "ValidatingWebhookConfiguration")["webhooks"][0];
    assert_eq!(webhook["admissionReviewVersions"], json!(["v1"]));
    assert_eq!(webhook["sideEffects"], "None");
    let service = &webhook["clientConfig"]["service"];
    assert_eq!(service["path"], "/validate");
    assert_eq!(
        service["name"],
        one(&objects, "Service")["metadata"]["name"]
    );
    assert!(webhook["name"].as_str().unwrap().split('.').count() >= 3);
    let covered: Vec<(String, String, String)> = webhook["rules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|rule| {
            assert_eq!(rule["operations"], json!(["CREATE", "UPDATE"]));
            let group = rule["apiGroups"][0].as_str().unwrap().to_string();
            let version = rule["apiVersions"][0].as_str().unwrap().to_string();
            rule["resources"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |r| {
                    (
                        group.clone(),
                        version.clone(),
                        r.as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for expected in [
        ("networking.k8s.io", "v1", "networkpolicies"),
        (
            "policy.networking.k8s.io",
            "v1alpha2",
            "clusternetworkpolicies",
        ),
        (
            "policy.networking.k8s.io",
            "v1alpha1",
            "adminnetworkpolicies",
        ),
        (
            "policy.networking.k8s.io",
            "v1alpha1",
            "baselineadminnetworkpolicies",
        ),
    ] {
        let expected = (
            expected.0.to_string(),
            expected.1.to_string(),
            expected.2.to_string(),
        );
        assert!(covered.contains(&expected), "{expected:?}");
    }
}

#[test]
fn gatekeeper_and_kyverno_call_the_service() {
    let objects = objects();
    let provider = one(&objects, "Provider");
    assert_eq!(provider["apiVersion"], "externaldata.gatekeeper.sh/v1beta1");
    assert_eq!(
        provider["spec"]["url"],
        "https://netpol.netpol-system.svc:443/gatekeeper/provider"
    );
    assert!(provider["spec"]["caBundle"].is_string());
    let template = one(&objects, "ConstraintTemplate");
    let kind = template["spec"]["crd"]["spec"]["names"]["kind"]
        .as_str()
        .unwrap();
    let rego = template["spec"]["targets"][0]["rego"].as_str().unwrap();
    assert!(rego.contains("external_data({\"provider\": \"netpol\""));
    assert_eq!(provider["metadata"]["name"], "netpol");
    assert!(rego.contains(&format!("package {}", kind.to_lowercase())));
    let constraint = one(&objects, kind);
    assert_eq!(
        constraint["apiVersion"],
        "constraints.gatekeeper.sh/v1beta1"
    );
    assert_eq!(
        constraint["spec"]["match"]["kinds"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let policy = one(&objects, "ClusterPolicy");
    assert_eq!(policy["apiVersion"], "kyverno.io/v1");
    let rule = &policy["spec"]["rules"][0];
    let call = &rule["context"][0]["apiCall"];
    assert_eq!(call["method"], "POST");
    assert_eq!(
        call["service"]["url"],
        "https://netpol.netpol-system.svc:443/validate"
    );
    assert_eq!(
        rule["match"]["any"][0]["resources"]["kinds"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert!(rule["validate"]["deny"]["conditions"]["any"][0]["key"]
        .as_str()
        .unwrap()
        .contains(&format!(
            "{}.allowed",
            rule["context"][0]["name"].as_str().unwrap()
        )));
}

/// Renders a chart template: `{{ .Values.a.b }}` (the value's text in values.yaml),
/// `{{ .Release.Namespace }}`, `` {{`literal`}} ``, and whole-file `{{ if .Values.x }}`
/// … `{{ end }}`. Any other template construct panics.
fn render(template: &str, values: &Value, namespace: &str) -> String {
    let mut body = template;
    if let Some(rest) = template.strip_prefix("{{ if ") {
        let (condition, rest) = rest.split_once(" }}\n").unwrap();
        let inner = rest
            .strip_suffix("{{ end }}\n")
            .expect("an if spans the whole file");
        if !lookup(values, condition).as_bool().unwrap() {
            return String::new();
        }
        body = inner;
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        if let Some(literal) = after.strip_prefix('`') {
            let (text, tail) = literal.split_once("`}}").unwrap();
            out.push_str(text);
            rest = tail;
            continue;
        }
        let (expression, tail) = after.split_once("}}").unwrap();
        let expression = expression.trim();
        if expression == ".Release.Namespace" {
            out.push_str(namespace);
        } else {
            let value = lookup(values, expression);
            match value {
                Value::String(s) => out.push_str(&s),
                other => out.push_str(&other.to_string()),
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn lookup(values: &Value, expression: &str) -> Value {
    let path = expression
        .strip_prefix(".Values.")
        .unwrap_or_else(|| panic!("unsupported template expression '{expression}'"));
    let mut value = values;
    for key in path.split('.') {
        value = value
            .get(key)
            .unwrap_or_else(|| panic!("no value {expression}"));
    }
    value.clone()
}

/// The text without comment lines.
fn without_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn the_chart_renders_the_objects_of_deploy() {
    let chart_dir = deploy_dir().join("chart");
    let chart = &yaml_documents(
        "Chart.yaml",
        &std::fs::read_to_string(chart_dir.join("Chart.yaml")).unwrap(),
    )[0];
    assert_eq!(chart["apiVersion"], "v2");
    assert_eq!(chart["name"], "netpol");
    assert_eq!(chart["version"], netpol::VERSION);
    let values_text = std::fs::read_to_string(chart_dir.join("values.yaml")).unwrap();
    let mut values = yaml_documents("values.yaml", &values_text).remove(0);
    values["gatekeeper"]["enabled"] = json!(true);
    values["kyverno"]["enabled"] = json!(true);
    let pairs = [
        ("deployment.yaml", "deployment.yaml"),
        ("pdb.yaml", "pdb.yaml"),
        ("service.yaml", "service.yaml"),
        ("networkpolicies.yaml", "networkpolicies.yaml"),
        ("webhook.yaml", "webhook.yaml"),
        ("gatekeeper-provider.yaml", "gatekeeper/provider.yaml"),
        ("gatekeeper-template.yaml", "gatekeeper/template.yaml"),
        ("gatekeeper-constraint.yaml", "gatekeeper/constraint.yaml"),
        ("kyverno-clusterpolicy.yaml", "kyverno/clusterpolicy.yaml"),
    ];
    let templates: Vec<String> = std::fs::read_dir(chart_dir.join("templates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(templates.len(), pairs.len(), "{templates:?}");
    for (template, shipped) in pairs {
        let text = std::fs::read_to_string(chart_dir.join("templates").join(template)).unwrap();
        let rendered = render(&text, &values, "netpol-system");
        let expected = std::fs::read_to_string(deploy_dir().join(shipped)).unwrap();
        assert_eq!(
            without_comments(&rendered),
            without_comments(&expected),
            "{template}"
        );
        assert_eq!(
            yaml_documents(template, &rendered),
            yaml_documents(shipped, &expected),
            "{template}"
        );
    }
    // Off by default: only the webhook integration.
    let defaults = yaml_documents("values.yaml", &values_text).remove(0);
    let kyverno =
        std::fs::read_to_string(chart_dir.join("templates/kyverno-clusterpolicy.yaml")).unwrap();
    assert_eq!(render(&kyverno, &defaults, "netpol-system"), "");
    let webhook = std::fs::read_to_string(chart_dir.join("templates/webhook.yaml")).unwrap();
    assert!(!render(&webhook, &defaults, "netpol-system").is_empty());
}
