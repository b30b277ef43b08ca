//! The lint API beyond the spec files: configuration (files, `--rule`, `--fail-on`),
//! the rule catalogue, suppression counts, configuration-dependent rules and
//! determinism. Rule behaviour itself is in `tests/spec/lint/*.yaml`.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use netpol::decode;
use netpol::diag::{Diagnostic, Severity};
use netpol::doc::Limits;
use netpol::lint::{self, Category, Config, Outcome};
use netpol::source::{Source, SourceId, SourceSet};

/// Lints `text` (read as `name`) with `config`.
fn lint_with(name: &str, text: &str, config: &Config) -> (Outcome, SourceSet) {
    let mut sources = SourceSet::new();
    sources.add(Source::new(name, text));
    let loaded = decode::load(&sources, &Limits::default());
    (lint::run(&loaded, config), sources)
}

/// `rule line:column` of every finding of `rule`.
fn positions(outcome: &Outcome, sources: &SourceSet, rule: &str) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| position(d, sources))
        .collect()
}

fn position(d: &Diagnostic, sources: &SourceSet) -> String {
    let location = d.location.expect("a located finding");
    let p = sources
        .get(location.source)
        .unwrap()
        .position(location.span.start);
    format!("{} {}:{}", d.rule, p.line, p.column)
}

fn parse_config(name: &str, text: &str) -> Result<Config, Vec<Diagnostic>> {
    Config::parse(&Source::new(name, text), SourceId(0))
}

/// `line:column` of each configuration error, with its message.
fn config_errors(name: &str, text: &str) -> Vec<(String, String)> {
    let source = Source::new(name, text);
    let errors = Config::parse(&source, SourceId(0)).expect_err("an invalid configuration");
    errors
        .iter()
        .map(|d| {
            let p = source.position(d.location.expect("located").span.start);
            (
                format!("{} {}:{}", d.rule, p.line, p.column),
                d.message.clone(),
            )
        })
        .collect()
}

const OPEN_POLICY: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: open
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: lb
";

#[test]
fn a_full_configuration_file_is_read() {
    let config = parse_config(
        ".netpol.yaml",
        "rules:\n  rule-without-ports: off\n  missing-policytypes: warning\n\
         podCIDRs: [10.244.0.0/16]\nserviceCIDRs: [10.96.0.0/12]\n\
         metadataAddresses: [169.254.169.254/32, 100.100.100.200]\n\
         systemNamespaces: [kube-system, platform]\nportRangeThreshold: 100\nfailOn: warning\n",
    )
    .expect("a valid configuration");
    assert_eq!(config.level("rule-without-ports"), None);
    assert_eq!(config.level("missing-policytypes"), Some(Severity::Warning));
    assert_eq!(config.level("allow-all-ingress"), Some(Severity::Warning));
    assert_eq!(config.pod_cidrs, ["10.244.0.0/16".parse().unwrap()]);
    assert_eq!(config.service_cidrs, ["10.96.0.0/12".parse().unwrap()]);
    assert_eq!(
        config.metadata_addresses,
        [
            "169.254.169.254/32".parse().unwrap(),
            "100.100.100.200/32".parse().unwrap()
        ]
    );
    assert!(config.is_system_namespace("platform"));
    assert_eq!(config.port_range_threshold, 100);
    assert_eq!(config.fail_on(), Some(Severity::Warning));
}

#[test]
fn json_and_empty_configurations_are_read() {
    let config = parse_config(
        "netpol.json",
        r#"{"rules": {"allow-all-ingress": "error"}, "failOn": "none"}"#,
    )
    .expect("valid JSON configuration");
    assert_eq!(config.level("allow-all-ingress"), Some(Severity::Error));
    assert_eq!(config.fail_on(), None);
    assert_eq!(parse_config(".netpol.yaml", "").unwrap(), Config::default());
    assert_eq!(
        parse_config(".netpol.yaml", "# nothing\n").unwrap(),
        Config::default()
    );
}

#[test]
fn defaults_match_the_interface_contract() {
    let config = Config::default();
    let metadata: Vec<String> = config
        .metadata_addresses
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        metadata,
        [
            "169.254.169.254/32",
            "fd00:ec2::254/128",
            "100.100.100.200/32"
        ]
    );
    assert_eq!(config.system_namespaces, ["kube-system"]);
    assert_eq!(config.port_range_threshold, 1024);
    assert_eq!(config.fail_on(), Some(Severity::Error));
    assert!(config.pod_cidrs.is_empty() && config.service_cidrs.is_empty());
}

#[test]
fn bad_configurations_are_errors_with_a_line() {
    let errors = config_errors(
        ".netpol.yaml",
        "rules:\n  rule-without-port: off\n  allow-all-ingress: loud\npodCIDR: [10.0.0.0/8]\n\
         serviceCIDRs: [10.96.0.0]\nmetadataAddresses: [not-an-ip]\nportRangeThreshold: wide\n\
         failOn: sometimes\nsystemNamespaces: kube-system\n",
    );
    let at: Vec<&str> = errors.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        at,
        [
            "invalid-config 2:3",
            "invalid-config 3:22",
            "invalid-config 4:1",
            "invalid-config 6:21",
            "invalid-config 7:21",
            "invalid-config 8:9",
            "invalid-config 9:19",
        ]
    );
    assert!(
        errors[0].1.contains("did you mean `rule-without-ports`?"),
        "{}",
        errors[0].1
    );
    assert!(
        errors[1].1.contains("unknown level `loud`"),
        "{}",
        errors[1].1
    );
    assert!(
        errors[2].1.contains("did you mean `podCIDRs`"),
        "{}",
        errors[2].1
    );
}

#[test]
fn a_bare_address_is_a_host_prefix_but_a_cidr_list_needs_prefixes_or_addresses() {
    let config = parse_config(".netpol.yaml", "serviceCIDRs: [10.96.0.1]\n").unwrap();
    assert_eq!(config.service_cidrs, ["10.96.0.1/32".parse().unwrap()]);
}

#[test]
fn configuration_syntax_errors_come_back_as_reading_findings() {
    let source = Source::new(".netpol.yaml", "rules: [unclosed\n");
    let errors = Config::parse(&source, SourceId(0)).expect_err("a syntax error");
    assert!(errors.iter().all(|d| d.severity == Severity::Error));
    assert!(!errors.is_empty());
}

#[test]
fn rule_options_set_levels_and_reject_unknown_ids() {
    let mut config = Config::default();
    config.set_rule("rule-without-ports=off").unwrap();
    config.set_rule("missing-namespace=error").unwrap();
    config.set_rule("invalid-cidr=warning").unwrap();
    assert_eq!(config.level("rule-without-ports"), None);
    assert_eq!(config.level("missing-namespace"), Some(Severity::Error));
    assert_eq!(config.level("invalid-cidr"), Some(Severity::Warning));
    let error = config.set_rule("allow-all-ingres=off").unwrap_err();
    assert!(error.contains("`allow-all-ingress`"), "{error}");
    assert!(config.set_rule("rule-without-ports").is_err());
    assert!(config.set_rule("rule-without-ports=loud").is_err());
    assert!(config
        .set_rule("totally-unrelated=off")
        .unwrap_err()
        .contains("netpol rules"));
}

#[test]
fn fail_on_accepts_levels_and_none() {
    let mut config = Config::default();
    config.set_fail_on("warning").unwrap();
    assert_eq!(config.fail_on(), Some(Severity::Warning));
    config.set_fail_on("none").unwrap();
    assert_eq!(config.fail_on(), None);
    assert!(config.set_fail_on("off").is_err());
}

#[test]
fn configured_levels_change_severity_or_remove_findings() {
    let (outcome, sources) = lint_with("p.yaml", OPEN_POLICY, &Config::default());
    assert_eq!(
        positions(&outcome, &sources, "rule-without-ports"),
        ["rule-without-ports 12:7"]
    );
    let mut config = Config::default();
    config.set_rule("rule-without-ports=error").unwrap();
    let (outcome, _) = lint_with("p.yaml", OPEN_POLICY, &config);
    let finding = outcome
        .diagnostics
        .iter()
        .find(|d| d.rule == "rule-without-ports")
        .unwrap();
    assert_eq!(finding.severity, Severity::Error);
    config.set_rule("rule-without-ports=off").unwrap();
    let (outcome, _) = lint_with("p.yaml", OPEN_POLICY, &config);
    assert!(outcome
        .diagnostics
        .iter()
        .all(|d| d.rule != "rule-without-ports"));
}

#[test]
fn suppressed_findings_are_counted_not_shown() {
    let text = OPEN_POLICY.replace(
        "  namespace: shop\n",
        "  namespace: shop\n  annotations:\n    netpol/ignore: rule-without-ports,namespace-missing-default-deny\n",
    );
    let (outcome, _) = lint_with("p.yaml", &text, &Config::default());
    assert_eq!(outcome.suppressed, 2);
    assert!(outcome
        .diagnostics
        .iter()
        .all(|d| d.rule != "rule-without-ports" && d.rule != "namespace-missing-default-deny"));
    // A rule that is off is not counted as suppressed.
    let mut config = Config::default();
    config.set_rule("rule-without-ports=off").unwrap();
    let (outcome, _) = lint_with("p.yaml", &text, &config);
    assert_eq!(outcome.suppressed, 1);
}

const WIDE_BLOCK: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: out
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/8
            except: [10.96.0.0/12]
      ports:
        - port: 5432
          endPort: 5500
";

#[test]
fn cluster_ranges_come_from_the_configuration() {
    let (outcome, sources) = lint_with("p.yaml", WIDE_BLOCK, &Config::default());
    assert!(positions(&outcome, &sources, "ipblock-allows-cluster-ranges").is_empty());
    assert!(
        positions(&outcome, &sources, "cni-portability").len() == 1,
        "endPort only"
    );
    let config = parse_config(
        ".netpol.yaml",
        "podCIDRs: [10.244.0.0/16]\nserviceCIDRs: [10.96.0.0/12]\n",
    )
    .unwrap();
    let (outcome, sources) = lint_with("p.yaml", WIDE_BLOCK, &config);
    assert_eq!(
        positions(&outcome, &sources, "ipblock-allows-cluster-ranges"),
        ["ipblock-allows-cluster-ranges 14:19"]
    );
    let message = &outcome
        .diagnostics
        .iter()
        .find(|d| d.rule == "ipblock-allows-cluster-ranges")
        .unwrap()
        .message;
    assert!(message.contains("`10.244.0.0/16`"), "{message}");
    assert_eq!(
        positions(&outcome, &sources, "cni-portability"),
        ["cni-portability 14:19", "cni-portability 18:20"]
    );
}

#[test]
fn the_port_range_threshold_is_configurable() {
    let (outcome, sources) = lint_with("p.yaml", WIDE_BLOCK, &Config::default());
    assert!(positions(&outcome, &sources, "port-range-too-wide").is_empty());
    let config = parse_config(".netpol.yaml", "portRangeThreshold: 50\n").unwrap();
    let (outcome, sources) = lint_with("p.yaml", WIDE_BLOCK, &config);
    assert_eq!(
        positions(&outcome, &sources, "port-range-too-wide"),
        ["port-range-too-wide 18:20"]
    );
}

#[test]
fn metadata_addresses_and_system_namespaces_are_configurable() {
    let config = parse_config(
        ".netpol.yaml",
        "metadataAddresses: [10.1.2.3]\nsystemNamespaces: [shop]\n",
    )
    .unwrap();
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: d\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n";
    let text = format!("{WIDE_BLOCK}---\n{deny}");
    let (outcome, sources) = lint_with("p.yaml", &text, &config);
    assert_eq!(
        positions(&outcome, &sources, "ipblock-allows-metadata"),
        ["ipblock-allows-metadata 14:19"]
    );
    assert_eq!(
        positions(&outcome, &sources, "default-deny-system-namespace"),
        ["default-deny-system-namespace 26:16"]
    );
    let (outcome, sources) = lint_with("p.yaml", &text, &Config::default());
    assert!(positions(&outcome, &sources, "ipblock-allows-metadata").is_empty());
    assert!(positions(&outcome, &sources, "default-deny-system-namespace").is_empty());
}

#[test]
fn output_is_deterministic_and_sorted() {
    let text = format!("{WIDE_BLOCK}---\n{OPEN_POLICY}");
    let (first, _) = lint_with("p.yaml", &text, &Config::default());
    let (second, _) = lint_with("p.yaml", &text, &Config::default());
    assert_eq!(first, second);
    let starts: Vec<u32> = first
        .diagnostics
        .iter()
        .map(|d| d.location.unwrap().span.start)
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
}

#[test]
fn the_catalogue_documents_every_rule_once_in_order() {
    let catalogue = lint::catalogue();
    let ids: Vec<&str> = catalogue.iter().map(|d| d.id).collect();
    for category in [Category::Validation, Category::BestPractice] {
        let group: Vec<&str> = catalogue
            .iter()
            .filter(|d| d.category == category)
            .map(|d| d.id)
            .collect();
        let mut sorted = group.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(group, sorted, "{category:?} ids sorted and unique");
    }
    for doc in catalogue {
        assert!(
            doc.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "kebab-case id {}",
            doc.id
        );
        for text in [doc.summary, doc.rationale, doc.example, doc.fix] {
            assert!(!text.trim().is_empty(), "{} documented", doc.id);
        }
        assert_eq!(lint::rule_doc(doc.id), Some(doc));
    }
    for id in netpol::validate::RULES {
        assert!(ids.contains(id), "validation rule {id} documented");
    }
    for id in [
        "yaml-syntax",
        "duplicate-field",
        "input-too-large",
        "too-many-documents",
        "nesting-too-deep",
        "alias-expansion-limit",
        "invalid-config",
        "namespace-missing-default-deny",
        "broad-empty-podselector",
        "rule-without-ports",
        "port-range-too-wide",
        "peer-namespace-selector-only",
        "namespace-selector-custom-label",
        "ipblock-allows-metadata",
        "ipblock-allows-cluster-ranges",
        "allow-all-ingress",
        "allow-all-egress",
        "ipblock-anywhere",
        "workload-not-isolated",
        "policy-selects-no-pods",
        "peer-selects-nothing",
        "dns-egress-blocked",
        "named-port-unresolved",
        "named-port-with-ipblock",
        "policy-voided-by-allow-all",
        "redundant-rule",
        "redundant-policy",
        "rules-ignored-by-policytypes",
        "missing-policytypes",
        "empty-list-means-all",
        "ports-empty-item",
        "selector-contradiction",
        "duplicate-policy-name",
        "missing-namespace",
        "ipblock-host-bits",
        "ipblock-except-redundant",
        "dual-stack-gap",
        "default-deny-system-namespace",
        "cni-portability",
        "policy-name-intent-mismatch",
    ] {
        assert!(ids.contains(&id), "{id} in the catalogue");
    }
}

/// Example manifests that cannot run as a lint input (limits, configuration files,
/// bytes that are not UTF-8).
const NOT_MANIFESTS: [&str; 5] = [
    "input-too-large",
    "invalid-encoding",
    "too-many-documents",
    "alias-expansion-limit",
    "invalid-config",
];

#[test]
fn every_documented_example_fires_its_rule() {
    let cluster = parse_config(".netpol.yaml", "podCIDRs: [10.244.0.0/16]\n").unwrap();
    let mut failures = Vec::new();
    for doc in lint::catalogue() {
        if NOT_MANIFESTS.contains(&doc.id) {
            continue;
        }
        let (outcome, _) = lint_with("example.yaml", doc.example, &cluster);
        if !outcome.diagnostics.iter().any(|d| d.rule == doc.id) {
            let found: Vec<&str> = outcome.diagnostics.iter().map(|d| d.rule).collect();
            failures.push(format!("{}: found {found:?}", doc.id));
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not fire:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_configuration_example_is_an_invalid_configuration() {
    let doc = lint::rule_doc("invalid-config").unwrap();
    let errors = Config::parse(&Source::new(".netpol.yaml", doc.example), SourceId(0)).unwrap_err();
    assert!(errors.iter().all(|d| d.rule == "invalid-config"));
    assert_eq!(errors.len(), 2);
}

#[test]
fn rule_findings_follow_the_message_style() {
    let mut failures = Vec::new();
    let cluster = parse_config(".netpol.yaml", "podCIDRs: [10.244.0.0/16]\n").unwrap();
    for doc in lint::catalogue()
        .iter()
        .filter(|d| d.category == Category::BestPractice)
    {
        let (outcome, _) = lint_with("example.yaml", doc.example, &cluster);
        for d in outcome.diagnostics.iter().filter(|d| d.rule == doc.id) {
            let first = d.message.chars().next().unwrap_or(' ');
            let styled = (first.is_ascii_lowercase() || first == '`')
                && !d.message.ends_with('.')
                && d.help.is_some()
                && d.path.is_some() == (d.rule != "namespace-missing-default-deny")
                && d.resource.is_some();
            if !styled {
                failures.push(format!("{}: {:?}", d.rule, d.message));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The founding article's policies on the demo shop (`examples/article/`): netpol
/// flags what the article warns about (the internet egress without ports, `0.0.0.0/0`
/// with only one metadata address excepted, namespaces without a default deny, a
/// workload left open) and nothing in the patterns it recommends (default deny,
/// allow-DNS, selector-scoped allows with ports).
#[test]
fn the_article_example_is_flagged_where_the_article_warns() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("article");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/article")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    let mut sources = SourceSet::new();
    for path in &names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        sources.add(Source::new(name, std::fs::read_to_string(path).unwrap()));
    }
    let loaded = decode::load(&sources, &Limits::default());
    let outcome = lint::run(&loaded, &Config::default());
    let mut found: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let l = d.location.unwrap();
            let source = sources.get(l.source).unwrap();
            format!(
                "{} {} {}",
                source.name(),
                d.rule,
                d.path.clone().unwrap_or_default()
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            // identity and ingress-nginx; kube-system is a system namespace.
            "namespaces.yaml namespace-missing-default-deny ",
            "namespaces.yaml namespace-missing-default-deny ",
            "policies.yaml dual-stack-gap spec.egress[0].to[0].ipBlock.cidr",
            "policies.yaml ipblock-allows-metadata spec.egress[0].to[0].ipBlock.cidr",
            "policies.yaml ipblock-anywhere spec.egress[0].to[0].ipBlock.cidr",
            "policies.yaml rule-without-ports spec.egress[0]",
            "workloads.yaml workload-not-isolated metadata.labels",
        ]
    );
    let metadata = outcome
        .diagnostics
        .iter()
        .find(|d| d.rule == "ipblock-allows-metadata")
        .unwrap();
    assert!(
        metadata.message.contains("`100.100.100.200`"),
        "{}",
        metadata.message
    );
    // The article's block excepts 169.254.169.254: the remaining (Alibaba Cloud)
    // address is worth knowing, not an error.
    assert_eq!(metadata.severity, Severity::Info);
}

#[test]
fn metadata_finding_is_info_only_when_another_metadata_address_is_excepted() {
    let policy = |except: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n{except}      ports:\n        - port: 443\n"
        )
    };
    let severities = |text: &str| -> Vec<Severity> {
        let (outcome, _) = lint_with("p.yaml", text, &Config::default());
        outcome
            .diagnostics
            .iter()
            .filter(|d| d.rule == "ipblock-allows-metadata")
            .map(|d| d.severity)
            .collect()
    };
    assert_eq!(severities(&policy("")), [Severity::Error]);
    assert_eq!(
        severities(&policy("            except: [169.254.169.254/32]\n")),
        [Severity::Info]
    );
    assert_eq!(
        severities(&policy(
            "            except: [169.254.169.254/32, 100.100.100.200/32]\n"
        )),
        Vec::<Severity>::new()
    );
}

/// An Admin-tier Pass for a pod no NetworkPolicy isolates: `warning` while the default
/// (allow) decides for it, `info` once a Baseline-tier policy does.
#[test]
fn a_pass_rule_is_a_warning_only_when_the_default_decides_below() {
    let pass = "apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: nginx
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: delegate
spec:
  tier: Admin
  priority: 10
  subject:
    namespaces: {}
  ingress:
    - action: Pass
      from:
        - namespaces: {}
";
    let baseline = "---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: default
spec:
  tier: Baseline
  priority: 0
  subject:
    namespaces: {}
  ingress:
    - action: Deny
      from:
        - namespaces: {}
";
    let severity = |text: &str| {
        let (outcome, _) = lint_with("cnp.yaml", text, &Config::default());
        let found: Vec<Severity> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.rule == "tier-pass-without-networkpolicy")
            .map(|d| d.severity)
            .collect();
        found
    };
    assert_eq!(severity(pass), [Severity::Warning]);
    assert_eq!(severity(&format!("{pass}{baseline}")), [Severity::Info]);
}
