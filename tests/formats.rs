//! Every lint output format, checked against its consumer's schema: SARIF against the
//! SARIF 2.1.0 JSON schema, the report kinds against their CRDs' openAPIV3Schema,
//! JUnit parsed back as XML; plus escaping, determinism and fingerprint stability.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use netpol::diag::{Diagnostic, ResourceRef, Severity};
use netpol::report::context::{CheckedObject, RenderContext, RuleMeta, Timestamp};
use netpol::report::formats::{render, LintFormat};
use netpol::report::{LintReport, Resource, Summary};
use netpol::source::{Source, SourceId, SourceSet, Span};
use serde_json::Value;

/// A message with everything that needs escaping somewhere.
const NASTY: &str = "policy `web` allows \"all\" <&> 'x' to `café` 😀\nsecond line\u{2028}end";

const SHOP: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
  labels:
    team: \"café😀\"
spec:
  podSelector: {}
  ingress:
    - {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
";

const PAY: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: pay
spec:
  podSelector: {}
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
";

const NS: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: pay
";

const BROKEN: &str = "a: [\nb: c\n";

const BAD: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: x
  namespace: Bad_NS
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {}}]}]
";

/// The byte span of the first `needle` in `text`.
fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).expect("needle in fixture");
    Span::new(start as u32, (start + needle.len()) as u32)
}

pub(crate) fn policy(namespace: &str, name: &str) -> ResourceRef {
    ResourceRef {
        api_version: "networking.k8s.io/v1".into(),
        kind: "NetworkPolicy".into(),
        namespace: Some(namespace.into()),
        name: name.into(),
    }
}

fn namespace_ref(name: &str) -> ResourceRef {
    ResourceRef {
        api_version: "v1".into(),
        kind: "Namespace".into(),
        namespace: None,
        name: name.into(),
    }
}

/// Sources, in the order they are added: shop, pay, ns, broken, bad.
fn sources(shop_prefix: &str) -> SourceSet {
    let mut set = SourceSet::new();
    set.add(Source::new(
        "deploy/shop.yaml",
        format!("{shop_prefix}{SHOP}"),
    ));
    set.add(Source::new("./deploy/pay db.yaml", PAY));
    set.add(Source::new("deploy/ns.yaml", NS));
    set.add(Source::new("deploy/broken.yaml", BROKEN));
    set.add(Source::new("deploy/bad.yaml", BAD));
    set
}

/// Seven findings: three on shop/web (warning, error, info), one on pay/db, one on
/// the Namespace pay, one about a whole file, one on an object whose namespace is
/// not a valid name.
fn diagnostics(set: &SourceSet) -> Vec<Diagnostic> {
    let text = |i: u32| set.get(SourceId(i)).unwrap().text().to_string();
    let shop = text(0);
    vec![
        Diagnostic::new("allow-all-ingress", Severity::Warning, NASTY)
            .at(SourceId(0), span_of(&shop, "- {}"))
            .with_help("list the peers & ports <here>")
            .with_path("spec.ingress[0]")
            .with_resource(policy("shop", "web")),
        Diagnostic::new(
            "selector-contradiction",
            Severity::Error,
            "control \u{1} char and tab\tin `team`",
        )
        .at(SourceId(0), span_of(&shop, "\"café😀\""))
        .with_path("metadata.labels.team")
        .with_resource(policy("shop", "web")),
        Diagnostic::new("missing-policytypes", Severity::Info, "policyTypes omitted")
            .at(SourceId(0), span_of(&shop, "spec:"))
            .with_path("spec")
            .with_resource(policy("shop", "web")),
        Diagnostic::new(
            "ipblock-allows-metadata",
            Severity::Error,
            "`0.0.0.0/0` allows metadata",
        )
        .at(SourceId(1), span_of(&text(1), "cidr: 0.0.0.0/0"))
        .with_path("spec.egress[0].to[0].ipBlock.cidr")
        .with_resource(policy("pay", "db")),
        Diagnostic::new(
            "namespace-missing-default-deny",
            Severity::Warning,
            "namespace `pay` has no default-deny for ingress and egress",
        )
        .at(SourceId(2), span_of(&text(2), "name: pay"))
        .with_resource(namespace_ref("pay")),
        Diagnostic::new(
            "yaml-syntax",
            Severity::Error,
            "did not find expected ',' or ']'",
        )
        .at(SourceId(3), span_of(&text(3), "b: c")),
        Diagnostic::new(
            "rule-without-ports",
            Severity::Warning,
            "rule allows every port",
        )
        .at(SourceId(4), span_of(&text(4), "{from:"))
        .with_path("spec.ingress[0]")
        .with_resource(policy("Bad_NS", "x")),
    ]
}

fn rule(id: &str, severity: Severity, kinds: &[&str]) -> RuleMeta {
    RuleMeta {
        id: id.into(),
        default_severity: severity,
        short: format!("short {id}"),
        full: format!("why {id} matters"),
        help: format!("fix {id}"),
        tags: vec!["networkpolicy".into()],
        category: "Best Practices".into(),
        kinds: kinds.iter().map(|k| k.to_string()).collect(),
    }
}

/// Five NetworkPolicy rules and one Namespace rule.
fn catalogue() -> Vec<RuleMeta> {
    let np = ["NetworkPolicy"];
    vec![
        rule("allow-all-ingress", Severity::Warning, &np),
        rule("ipblock-allows-metadata", Severity::Error, &np),
        rule("missing-policytypes", Severity::Info, &np),
        rule(
            "namespace-missing-default-deny",
            Severity::Warning,
            &["Namespace"],
        ),
        rule("rule-without-ports", Severity::Warning, &np),
        rule("selector-contradiction", Severity::Error, &np),
    ]
}

pub(crate) fn checked(r: ResourceRef, file: &str, line: u32) -> CheckedObject {
    CheckedObject {
        resource: Resource::from(r),
        file: file.into(),
        line,
    }
}

/// shop/web, shop/api, pay/db and the Namespace pay (Bad_NS/x is not listed).
fn objects() -> Vec<CheckedObject> {
    vec![
        checked(policy("shop", "web"), "deploy/shop.yaml", 1),
        checked(policy("shop", "api"), "deploy/shop.yaml", 13),
        checked(policy("pay", "db"), "./deploy/pay db.yaml", 1),
        checked(namespace_ref("pay"), "deploy/ns.yaml", 1),
    ]
}

struct Fixture {
    sources: SourceSet,
    report: LintReport,
    rules: Vec<RuleMeta>,
    objects: Vec<CheckedObject>,
}

impl Fixture {
    fn new(fail_on: Option<Severity>) -> Fixture {
        Fixture::build(fail_on, "", false)
    }

    fn build(fail_on: Option<Severity>, shop_prefix: &str, reversed: bool) -> Fixture {
        let sources = sources(shop_prefix);
        let mut diags = diagnostics(&sources);
        if reversed {
            diags.reverse();
        }
        let summary = Summary {
            files: 5,
            objects: 5,
            ..Summary::default()
        };
        let report = LintReport::new(diags.clone(), &sources, summary, fail_on);
        let mut objects = objects();
        if reversed {
            objects.reverse();
        }
        Fixture {
            sources,
            report,
            rules: catalogue(),
            objects,
        }
    }

    fn render(&self, format: LintFormat) -> String {
        let mut ctx = RenderContext::new(&self.sources);
        ctx.version = "1.2.3";
        ctx.rules = &self.rules;
        ctx.objects = &self.objects;
        ctx.timestamp = Timestamp {
            seconds: 1_764_151_200,
            nanos: 5,
        };
        render(format, &self.report, &ctx)
    }
}

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemas")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

/// Validates `instance` with `validator`, listing every error on failure.
fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not valid:\n{}",
        errors.join("\n")
    );
}

#[test]
fn format_names_parse_back() {
    for (format, name) in LintFormat::ALL.into_iter().zip(LintFormat::NAMES) {
        assert_eq!(format.name(), name);
        assert_eq!(LintFormat::parse(name), Some(format));
    }
    assert_eq!(LintFormat::parse("yaml"), None);
    assert_eq!(LintFormat::parse("SARIF"), None);
    assert_eq!(
        LintFormat::names(),
        "text|json|sarif|junit|policyreport|openreports|gatekeeper|conftest"
    );
}

#[cfg(feature = "yaml")]
#[path = "formats/corpus.rs"]
mod corpus;
#[path = "formats/junit_format.rs"]
mod junit_format;
#[path = "formats/machine_formats.rs"]
mod machine_formats;
#[cfg(feature = "yaml")]
#[path = "formats/report_kinds.rs"]
mod report_kinds;
#[path = "formats/sarif_format.rs"]
mod sarif_format;
#[cfg(feature = "yaml")]
#[path = "support/corpus.rs"]
mod support;
