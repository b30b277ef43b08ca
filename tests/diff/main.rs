//! `netpol diff`: the library on hand-written changes (each one firing and, where it
//! matters, not firing, each checked to agree between the incremental and the full
//! computation, with their statistics), and a property test comparing the diff with a
//! brute-force difference of both sides' matrices. The renderers and the command line
//! are table-driven cases: tests/cases/diff/.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../naive/mod.rs"]
mod naive;
mod property;

use std::collections::{BTreeMap, BTreeSet};

use netpol::decode;
use netpol::diff::{diff, Diff, DiffOptions, Strategy as How};
use netpol::doc::Limits;
use netpol::engine::{EndpointRef, Engine, PortSet, ProtocolPorts};
use netpol::model::{Model, Protocol};
use netpol::source::{Source, SourceSet};
use proptest::prelude::*;
use serde_json::Value;

const CLUSTER: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]
status: {podIP: 10.0.0.2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c}]}
"#;

const API_FROM_WEB_8080: &str = r#"
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 8080}]
"#;

/// Reads YAML text as one source named `name`.
fn load(name: &str, text: &str) -> (SourceSet, Model) {
    let mut sources = SourceSet::new();
    sources.add(Source::new(name, text));
    let loaded = decode::load(&sources, &Limits::default());
    (sources, loaded.model)
}

/// The diff of `base` and `head` (YAML), checking that the incremental and the
/// full computation agree.
fn diff_of(base: &str, head: &str) -> Diff {
    let (_, b) = load("base.yaml", base);
    let (_, h) = load("head.yaml", head);
    diff_models_checked(&b, &h)
}

fn diff_models_checked(b: &Model, h: &Model) -> Diff {
    let (be, he) = (Engine::new(b), Engine::new(h));
    let options = |strategy| DiffOptions {
        strategy,
        explain_limit: 1000,
    };
    let incremental = diff(&be, &he, &options(How::Incremental));
    let full = diff(&be, &he, &options(How::Full));
    assert_eq!(incremental.endpoints, full.endpoints);
    assert_eq!(incremental.added, full.added);
    assert_eq!(incremental.removed, full.removed);
    assert!(incremental.stats.incremental && !full.stats.incremental);
    incremental
}

/// `(from, to, ports text)` of a change list.
fn changes(d: &Diff, added: bool) -> Vec<(String, String, String)> {
    let list = if added { &d.added } else { &d.removed };
    list.iter()
        .map(|c| {
            (
                d.id(c.from).to_string(),
                d.id(c.to).to_string(),
                netpol::report::connectivity::ports_text(&c.ports),
            )
        })
        .collect()
}

fn change(from: &str, to: &str, ports: &str) -> (String, String, String) {
    (from.into(), to.into(), ports.into())
}

fn tcp(ranges: &[(u16, u16)]) -> ProtocolPorts {
    ProtocolPorts::only(Protocol::Tcp, PortSet::from_ranges(ranges.iter().copied()))
}

#[test]
fn identical_versions_differ_in_nothing_and_touch_nothing() {
    let text = format!("{CLUSTER}{API_FROM_WEB_8080}");
    // The same objects at other byte offsets: no semantic change.
    let moved = format!("# a comment moving every span\n{text}");
    let d = diff_of(&text, &moved);
    assert!(d.is_empty());
    assert_eq!(d.stats.touched_groups, 0);
    assert_eq!(d.stats.changed_policies, 0);
    assert_eq!(d.stats.evaluated_pairs, 0);
}

#[test]
fn a_policy_added_removes_connections_and_names_the_isolating_policy() {
    let base = CLUSTER.to_string();
    let head = format!("{CLUSTER}{API_FROM_WEB_8080}");
    let d = diff_of(&base, &head);
    assert!(d.added.is_empty());
    let removed = changes(&d, false);
    assert!(removed.contains(&change(
        "shop/web",
        "shop/api",
        "TCP 1-8079, 8081-65535; UDP all; SCTP all"
    )));
    assert!(removed.contains(&change("shop/deployment/db", "shop/api", "all")));
    assert!(removed.contains(&change("0.0.0.0/0 (except 2 pod IPs)", "shop/api", "all")));
    // Nothing else changed: web and db still reach each other, api reaches out.
    assert!(removed.iter().all(|(_, to, _)| to == "shop/api"));
    assert!(!removed.iter().any(|(from, _, _)| from == "shop/api"));
    let why = d.removed[0].why.as_ref().expect("explained");
    assert!(why.base.as_ref().unwrap().allowed);
    let head_verdict = why.head.as_ref().unwrap();
    assert!(!head_verdict.allowed);
    assert_eq!(head_verdict.ingress.isolated_by[0].name, "api-in");
}

#[test]
fn a_policy_removed_adds_connections() {
    let d = diff_of(&format!("{CLUSTER}{API_FROM_WEB_8080}"), CLUSTER);
    assert!(d.removed.is_empty());
    let added = changes(&d, true);
    assert!(added.contains(&change("shop/deployment/db", "shop/api", "all")));
    let why = d
        .added
        .iter()
        .find(|c| d.id(c.from) == "shop/deployment/db")
        .and_then(|c| c.why.as_ref())
        .unwrap();
    assert!(why.head.as_ref().unwrap().allowed);
    assert!(!why.base.as_ref().unwrap().allowed);
}

#[test]
fn a_rule_widened_with_a_port_adds_only_that_port() {
    let head = API_FROM_WEB_8080.replace(
        "ports: [{port: 8080}]",
        "ports: [{port: 8080}, {port: 9090}]",
    );
    let d = diff_of(
        &format!("{CLUSTER}{API_FROM_WEB_8080}"),
        &format!("{CLUSTER}{head}"),
    );
    assert_eq!(
        changes(&d, true),
        vec![change("shop/web", "shop/api", "TCP 9090")]
    );
    assert!(d.removed.is_empty());
    let c = &d.added[0];
    assert_eq!(c.ports, tcp(&[(9090, 9090)]));
    let why = c.why.as_ref().unwrap();
    assert_eq!((why.protocol, why.port), (Protocol::Tcp, 9090));
    let rule = &why.head.as_ref().unwrap().ingress.allowed_by[0];
    assert_eq!(rule.policy.name, "api-in");
    assert_eq!(rule.path, "spec.ingress[0].from[0]");
    assert_eq!(rule.port_path.as_deref(), Some("spec.ingress[0].ports[1]"));
}

#[test]
fn a_rule_widened_with_a_peer_adds_that_peer() {
    let head = API_FROM_WEB_8080.replace(
        "from: [{podSelector: {matchLabels: {app: web}}}]",
        "from: [{podSelector: {matchLabels: {app: web}}}, {podSelector: {matchLabels: {app: db}}}]",
    );
    let d = diff_of(
        &format!("{CLUSTER}{API_FROM_WEB_8080}"),
        &format!("{CLUSTER}{head}"),
    );
    assert_eq!(
        changes(&d, true),
        vec![change("shop/deployment/db", "shop/api", "TCP 8080")]
    );
    assert!(d.removed.is_empty());
}

#[test]
fn a_rule_narrowed_removes() {
    let wide = API_FROM_WEB_8080.replace(
        "ports: [{port: 8080}]",
        "ports: [{port: 8000, endPort: 8100}]",
    );
    let d = diff_of(
        &format!("{CLUSTER}{wide}"),
        &format!("{CLUSTER}{API_FROM_WEB_8080}"),
    );
    assert_eq!(
        changes(&d, false),
        vec![change("shop/web", "shop/api", "TCP 8000-8079, 8081-8100")]
    );
    assert!(d.added.is_empty());
    let why = d.removed[0].why.as_ref().unwrap();
    assert_eq!(why.port, 8000);
    let closest = &why.head.as_ref().unwrap().ingress.closest;
    assert_eq!(
        closest[0].policy.name, "api-in",
        "the rule that came closest in head"
    );
    let narrowed = API_FROM_WEB_8080.replace("ports: [{port: 8080}]", "ports: [{port: http}]");
    let d = diff_of(
        &format!("{CLUSTER}{API_FROM_WEB_8080}"),
        &format!("{CLUSTER}{narrowed}"),
    );
    assert!(d.is_empty(), "the named port is 8080: same meaning");
    let udp = API_FROM_WEB_8080.replace(
        "ports: [{port: 8080}]",
        "ports: [{port: 8080, protocol: UDP}]",
    );
    let d = diff_of(
        &format!("{CLUSTER}{API_FROM_WEB_8080}"),
        &format!("{CLUSTER}{udp}"),
    );
    assert_eq!(
        changes(&d, false),
        vec![change("shop/web", "shop/api", "TCP 8080")]
    );
    assert_eq!(
        changes(&d, true),
        vec![change("shop/web", "shop/api", "UDP 8080")]
    );
    let why = d.removed[0].why.as_ref().unwrap();
    assert!(why.base.as_ref().unwrap().allowed && !why.head.as_ref().unwrap().allowed);
}

#[test]
fn a_label_change_on_a_workload_changes_what_a_policy_selects() {
    let base = format!("{CLUSTER}{API_FROM_WEB_8080}");
    // (The template keeps a label the web Pod lacks, so that Pod does not come to
    // represent the Deployment.)
    let head = base.replace("labels: {app: db}", "labels: {app: web, tier: db}");
    let d = diff_of(&base, &head);
    assert_eq!(
        changes(&d, true),
        vec![change("shop/deployment/db", "shop/api", "TCP 8080")]
    );
    assert!(d.removed.is_empty());
    assert!(d.endpoints_added.is_empty() && d.endpoints_removed.is_empty());
}

#[test]
fn a_policytypes_change_turns_ignored_egress_rules_on() {
    let policy = r#"
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress: [{}]
  egress:
    - to: [{podSelector: {matchLabels: {app: api}}}]
"#;
    let base = format!("{CLUSTER}{policy}");
    let head = base.replace("policyTypes: [Ingress]", "policyTypes: [Ingress, Egress]");
    let d = diff_of(&base, &head);
    assert!(d.added.is_empty());
    let removed = changes(&d, false);
    assert!(removed.contains(&change("shop/web", "shop/deployment/db", "all")));
    assert!(removed.contains(&change("shop/web", "0.0.0.0/0 (except 2 pod IPs)", "all")));
    assert!(!removed.iter().any(|(_, to, _)| to == "shop/api"));
    assert!(removed.iter().all(|(from, _, _)| from == "shop/web"));
}

#[test]
fn an_ipblock_except_added_splits_the_external_classes() {
    let policy = r#"
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
"#;
    let base = format!("{CLUSTER}{policy}");
    let head = base.replace(
        "{cidr: 0.0.0.0/0}",
        "{cidr: 0.0.0.0/0, except: [192.168.0.0/16]}",
    );
    let d = diff_of(&base, &head);
    let ids: Vec<&str> = d.endpoints.iter().map(|e| e.matrix.id.as_str()).collect();
    assert!(
        ids.contains(&"0.0.0.0/0 except 192.168.0.0/16 (except 2 pod IPs)"),
        "{ids:?}"
    );
    assert!(ids.contains(&"192.168.0.0/16"));
    assert!(ids.contains(&"::/0"));
    assert_eq!(
        changes(&d, false),
        vec![change("shop/web", "192.168.0.0/16", "all")]
    );
    assert!(d.added.is_empty());
    let ext = d
        .endpoints
        .iter()
        .find(|e| e.matrix.id == "192.168.0.0/16")
        .unwrap();
    assert_eq!(ext.matrix.cidrs, vec!["192.168.0.0/16".parse().unwrap()]);
    let why = d.removed[0].why.as_ref().unwrap();
    assert!(why.head.as_ref().unwrap().egress.isolated);
}

#[test]
fn an_endpoint_added_brings_all_its_connections() {
    let pod = r#"
---
apiVersion: v1
kind: Pod
metadata: {name: cache, namespace: shop, labels: {app: cache}}
status: {podIP: 10.0.0.9}
"#;
    let base = format!("{CLUSTER}{API_FROM_WEB_8080}");
    let head = format!("{base}{pod}");
    let d = diff_of(&base, &head);
    let added_ids: Vec<&str> = d.endpoints_added.iter().map(|&i| d.id(i)).collect();
    assert_eq!(added_ids, vec!["shop/cache"]);
    assert!(d.endpoints_removed.is_empty());
    let added = changes(&d, true);
    assert!(added.contains(&change("shop/cache", "shop/cache", "all")));
    assert!(added.contains(&change("shop/cache", "shop/web", "all")));
    assert!(!added
        .iter()
        .any(|(f, t, _)| f == "shop/cache" && t == "shop/api"));
    assert!(added
        .iter()
        .all(|(f, t, _)| f == "shop/cache" || t == "shop/cache"));
    // The pod IP left the external class: its id counts one more pod IP.
    assert!(d
        .endpoints
        .iter()
        .any(|e| e.matrix.id == "0.0.0.0/0 (except 3 pod IPs)"));
    let why = d.added.iter().find_map(|c| c.why.as_ref()).unwrap();
    assert!(why.base.is_none());
}

#[test]
fn a_one_policy_change_is_incremental_under_auto() {
    let mut cluster = String::new();
    for ns in 0..6 {
        for app in 0..6 {
            cluster.push_str(&format!(
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{app}, namespace: ns{ns}, labels: {{app: a{app}}}}}\n"
            ));
        }
    }
    let (_, b) = load("base.yaml", &cluster);
    let (_, h) = load(
        "head.yaml",
        &format!(
            "{cluster}{}",
            API_FROM_WEB_8080
                .replace("shop", "ns0")
                .replace("app: api", "app: a1")
        ),
    );
    let d = netpol::diff::diff_models(&b, &h, &DiffOptions::default());
    assert!(d.stats.incremental);
    assert_eq!(d.stats.touched_groups, 1);
    assert!(d.stats.evaluated_pairs < d.stats.groups * d.stats.groups / 4);
    assert_eq!(
        d.removed.len(),
        36 - 1 + 2,
        "every other pod and both external classes lose ns0/p1"
    );
    assert_eq!(diff_models_checked(&b, &h), d);
}
