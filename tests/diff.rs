//! `netpol diff`: the library on hand-written changes (each one firing and, where it
//! matters, not firing), the renderers and the command line, and a property test
//! comparing the diff with a brute-force difference of both sides' matrices.

mod naive;

use std::collections::{BTreeMap, BTreeSet};

use netpol::decode;
use netpol::diff::{diff, Diff, DiffOptions, Strategy as How};
use netpol::doc::Limits;
use netpol::engine::{EndpointRef, Engine, PortSet, ProtocolPorts};
use netpol::model::{Model, Protocol};
use netpol::report::diff::{render, DiffSources};
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
    let ids: Vec<&str> = d.endpoints.iter().map(|e| e.id.as_str()).collect();
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
        .find(|e| e.id == "192.168.0.0/16")
        .unwrap();
    assert_eq!(ext.cidrs, vec!["192.168.0.0/16".parse().unwrap()]);
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
        .any(|e| e.id == "0.0.0.0/0 (except 3 pod IPs)"));
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

// ----- renderers and the command line -------------------------------------------

#[test]
fn json_has_the_interface_keys() {
    let (bs, b) = load("base.yaml", CLUSTER);
    let (hs, h) = load("head.yaml", &format!("{CLUSTER}{API_FROM_WEB_8080}"));
    let d = netpol::diff::diff_models(&b, &h, &DiffOptions::default());
    let text = render(
        &d,
        DiffSources {
            base: &bs,
            head: &hs,
        },
        "json",
    )
    .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    for key in [
        "version",
        "endpoints",
        "endpointsAdded",
        "endpointsRemoved",
        "added",
        "removed",
        "summary",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["summary"]["added"], 0);
    assert_eq!(v["summary"]["removed"], d.removed.len());
    let first = &v["removed"][0];
    assert!(first["from"].is_string() && first["to"].is_string());
    assert!(first["allowed"][0]["protocol"].is_string());
    assert!(first["allowed"][0]["ports"][0].is_array());
    assert_eq!(
        first["why"]["head"]["ingress"]["isolatedBy"][0]["file"],
        "head.yaml"
    );
    let ext = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "External")
        .unwrap();
    assert!(ext["cidrs"].is_array());
}

#[test]
fn text_and_markdown_name_the_responsible_rules() {
    let head = API_FROM_WEB_8080.replace(
        "ports: [{port: 8080}]",
        "ports: [{port: 8080}, {port: 9090}]",
    );
    let (bs, b) = load("base.yaml", &format!("{CLUSTER}{API_FROM_WEB_8080}"));
    let (hs, h) = load("head.yaml", &format!("{CLUSTER}{head}"));
    let d = netpol::diff::diff_models(&b, &h, &DiffOptions::default());
    let sources = DiffSources {
        base: &bs,
        head: &hs,
    };
    let text = render(&d, sources, "text").unwrap();
    assert!(
        text.starts_with("1 connection added, 0 removed\n"),
        "{text}"
    );
    assert!(text.contains("+ shop/web -> shop/api: TCP 9090"), "{text}");
    assert!(
        text.contains("head allows TCP 9090 by shop/api-in spec.ingress[0].from[0] (head.yaml:"),
        "{text}"
    );
    assert!(text.contains("base denies it:"), "{text}");
    let md = render(&d, sources, "md").unwrap();
    assert!(
        md.starts_with("### netpol diff\n\n**1 connection added, 0 removed**"),
        "{md}"
    );
    assert!(
        md.contains("| ➕ added | `shop/web` | `shop/api` | TCP 9090 |"),
        "{md}"
    );
    assert!(!md.contains("<details>"));
    // A long table folds.
    let (bs2, b2) = load("base.yaml", CLUSTER);
    let d = netpol::diff::diff_models(&b2, &Model::default(), &DiffOptions::default());
    let md = render(
        &d,
        DiffSources {
            base: &bs2,
            head: &SourceSet::new(),
        },
        "md",
    )
    .unwrap();
    assert!(d.removed.len() > 20);
    assert!(md.contains("<details><summary>"), "{md}");
    let nothing = netpol::diff::diff_models(&b2, &b2, &DiffOptions::default());
    assert_eq!(
        render(
            &nothing,
            DiffSources {
                base: &bs2,
                head: &bs2
            },
            "text"
        )
        .unwrap(),
        "no change in connectivity\n"
    );
}

/// A read-only in-memory file system of plain files.
struct Files(BTreeMap<String, String>);

impl netpol::cli::FileSource for Files {
    fn read_file(&self, path: &str) -> Result<String, netpol::cli::FileError> {
        self.0
            .get(path)
            .cloned()
            .ok_or(netpol::cli::FileError::NotFound)
    }
    fn read_dir(&self, _: &str) -> Result<Vec<netpol::cli::DirEntry>, netpol::cli::FileError> {
        Err(netpol::cli::FileError::NotFound)
    }
    fn kind(&self, path: &str) -> Result<netpol::cli::EntryKind, netpol::cli::FileError> {
        if self.0.contains_key(path) {
            Ok(netpol::cli::EntryKind::File)
        } else {
            Err(netpol::cli::FileError::NotFound)
        }
    }
    fn read_stdin(&self) -> Result<String, netpol::cli::FileError> {
        Err(netpol::cli::FileError::NotFound)
    }
    fn write_file(&self, _: &str, _: &str) -> Result<(), netpol::cli::FileError> {
        Err(netpol::cli::FileError::NotFound)
    }
    fn is_terminal(&self, _: netpol::cli::Stream) -> bool {
        false
    }
    fn now(&self) -> netpol::cli::Timestamp {
        netpol::cli::Timestamp {
            seconds: 0,
            nanos: 0,
        }
    }
}

fn cli(args: &[&str]) -> netpol::cli::Outcome {
    let files = Files(BTreeMap::from([
        ("cluster.yaml".to_string(), CLUSTER.to_string()),
        ("old.yaml".to_string(), API_FROM_WEB_8080.to_string()),
        (
            "new.yaml".to_string(),
            API_FROM_WEB_8080.replace(
                "ports: [{port: 8080}]",
                "ports: [{port: 8080}, {port: 9090}]",
            ),
        ),
        (
            "mixed.yaml".to_string(),
            format!("{CLUSTER}{API_FROM_WEB_8080}"),
        ),
    ]));
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    netpol::cli::run(&args, &files)
}

#[test]
fn cli_diff_with_a_shared_cluster_and_fail_on() {
    let out = cli(&[
        "diff",
        "--base",
        "old.yaml",
        "--head",
        "new.yaml",
        "--cluster",
        "cluster.yaml",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("+ shop/web -> shop/api: TCP 9090"),
        "{}",
        out.stdout
    );
    let added = cli(&[
        "diff",
        "--base",
        "old.yaml",
        "--head",
        "new.yaml",
        "--cluster",
        "cluster.yaml",
        "--fail-on",
        "added",
    ]);
    assert_eq!(added.code, 1);
    let removed = cli(&[
        "diff",
        "--fail-on",
        "removed",
        "--base",
        "old.yaml",
        "--head",
        "new.yaml",
        "--cluster",
        "cluster.yaml",
    ]);
    assert_eq!(removed.code, 0);
    let any = cli(&[
        "diff",
        "--base",
        "new.yaml",
        "--head",
        "old.yaml",
        "--cluster",
        "cluster.yaml",
        "--fail-on",
        "any",
        "--format",
        "json",
    ]);
    assert_eq!(any.code, 1);
    let v: Value = serde_json::from_str(&any.stdout).unwrap();
    assert_eq!(v["summary"]["removed"], 1);
    // With --cluster a side's own Pods are ignored: mixed.yaml's pods do not appear twice.
    let same = cli(&[
        "diff",
        "--base",
        "mixed.yaml",
        "--head",
        "old.yaml",
        "--cluster",
        "cluster.yaml",
        "--fail-on",
        "any",
    ]);
    assert_eq!(same.code, 0, "{}", same.stdout);
    // Without --cluster each side has its own cluster: old.yaml has no pods.
    let sides = cli(&[
        "diff",
        "--base",
        "mixed.yaml",
        "--head",
        "old.yaml",
        "--format",
        "md",
    ]);
    assert_eq!(sides.code, 0);
    assert!(
        sides
            .stdout
            .contains("Endpoints removed: `shop/api`, `shop/web`"),
        "{}",
        sides.stdout
    );
    assert!(
        sides
            .stdout
            .contains("head: `shop/api` does not exist in head"),
        "{}",
        sides.stdout
    );
}

#[test]
fn cli_diff_usage_errors_exit_2() {
    for args in [
        &["diff", "--base", "old.yaml"][..],
        &[
            "diff",
            "--base",
            "old.yaml",
            "--head",
            "new.yaml",
            "--fail-on",
            "error",
        ],
        &["diff", "--base", "old.yaml", "--head", "missing.yaml"],
        &[
            "diff", "--base", "old.yaml", "--head", "new.yaml", "--format", "sarif",
        ],
        &["diff", "old.yaml", "new.yaml"],
    ] {
        let out = cli(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains("error"), "{args:?}");
    }
}

// ----- property: the diff is the difference of the two matrices -----------------

/// Per pair of endpoint ids, what is allowed; external classes keyed by a sample
/// address in them.
struct Brute {
    matrix: netpol::engine::Matrix,
    index: BTreeMap<String, usize>,
}

impl Brute {
    fn new(model: &Model) -> Brute {
        let matrix = Engine::new(model).matrix();
        let index = matrix
            .endpoints()
            .iter()
            .enumerate()
            .filter(|(_, e)| e.endpoint.is_some())
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Brute { matrix, index }
    }

    /// The matrix index of a diff endpoint: by id, or the external class holding
    /// `address`.
    fn find(&self, id: &str, address: Option<std::net::IpAddr>) -> Option<usize> {
        match address {
            None => self.index.get(id).copied(),
            Some(a) => self
                .matrix
                .endpoints()
                .iter()
                .position(|e| e.endpoint.is_none() && e.cidrs.iter().any(|c| c.contains(&a))),
        }
    }
}

fn external_address(r: Option<EndpointRef>) -> Option<std::net::IpAddr> {
    match r {
        Some(EndpointRef::External(a)) => Some(a),
        _ => None,
    }
}

/// Checks `d` against the matrices of `b` and `h` pair by pair.
fn check_against_matrices(d: &Diff, b: &Model, h: &Model) -> Result<(), TestCaseError> {
    let sides = [Brute::new(b), Brute::new(h)];
    let mut expected_added = BTreeSet::new();
    let mut expected_removed = BTreeSet::new();
    let n = d.endpoints.len();
    let locate = |side: usize, i: usize| {
        let e = &d.endpoints[i];
        let r = if side == 0 { e.base } else { e.head };
        r.and_then(|r| sides[side].find(&e.id, external_address(Some(r))))
    };
    for x in 0..n {
        for y in 0..n {
            let ext = |i: usize| d.endpoints[i].namespace.is_none();
            if ext(x) && ext(y) {
                continue;
            }
            let value = |side: usize| match (locate(side, x), locate(side, y)) {
                (Some(a), Some(b)) => sides[side].matrix.allowed(a, b).clone(),
                _ => ProtocolPorts::none(),
            };
            let (base, head) = (value(0), value(1));
            let gained = head.difference(&base);
            if !gained.is_empty() {
                expected_added.insert((x, y, gained));
            }
            let lost = base.difference(&head);
            if !lost.is_empty() {
                expected_removed.insert((x, y, lost));
            }
        }
    }
    let got = |list: &[netpol::diff::Change]| -> BTreeSet<(usize, usize, ProtocolPorts)> {
        list.iter()
            .map(|c| (c.from, c.to, c.ports.clone()))
            .collect()
    };
    prop_assert_eq!(got(&d.added), expected_added);
    prop_assert_eq!(got(&d.removed), expected_removed);
    // Every external class lies inside one class of each side.
    for e in d.endpoints.iter().filter(|e| e.namespace.is_none()) {
        let rep = external_address(e.base);
        for (side, brute) in sides.iter().enumerate() {
            let class = brute.find("", rep);
            prop_assert!(class.is_some(), "side {} has no class for {:?}", side, rep);
            for c in &e.cidrs {
                prop_assert_eq!(brute.find("", Some(c.network())), class);
                prop_assert_eq!(brute.find("", Some(c.broadcast())), class);
            }
        }
    }
    Ok(())
}

/// Applies `mutation` to `objects`: replace, remove or add a policy, or relabel a
/// pod or workload.
fn mutate(objects: &[Value], mutation: &Mutation) -> Vec<Value> {
    let mut out = objects.to_vec();
    let policies: Vec<usize> = (0..out.len())
        .filter(|&i| out[i]["kind"] == "NetworkPolicy")
        .collect();
    let endpoints: Vec<usize> = (0..out.len())
        .filter(|&i| out[i]["kind"] != "NetworkPolicy" && out[i]["kind"] != "Namespace")
        .collect();
    match mutation.kind % 4 {
        0 if !policies.is_empty() => {
            let i = policies[mutation.index.index(policies.len())];
            let mut p = mutation.policy.clone();
            p["metadata"]["name"] = out[i]["metadata"]["name"].clone();
            out[i] = p;
        }
        1 if !policies.is_empty() => {
            out.remove(policies[mutation.index.index(policies.len())]);
        }
        3 if !endpoints.is_empty() => {
            let i = endpoints[mutation.index.index(endpoints.len())];
            let labels = Value::Object(mutation.labels.clone());
            if out[i]["kind"] == "Pod" {
                out[i]["metadata"]["labels"] = labels;
            } else if let Some(t) = out[i]["spec"].get_mut("template") {
                t["metadata"]["labels"] = labels;
            }
        }
        _ => out.push(mutation.policy.clone()),
    }
    out
}

#[derive(Clone, Debug)]
struct Mutation {
    kind: u8,
    index: proptest::sample::Index,
    policy: Value,
    labels: serde_json::Map<String, Value>,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (
        0u8..4,
        any::<proptest::sample::Index>(),
        naive::generate::policy("changed".into()),
        proptest::collection::btree_map(
            proptest::sample::select(vec!["app", "tier"]),
            proptest::sample::select(vec!["a", "b"]),
            0..3,
        ),
    )
        .prop_map(|(kind, index, policy, labels)| Mutation {
            kind,
            index,
            policy,
            labels: labels
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::from(v)))
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_diff_is_the_difference_of_the_matrices(
        objects in naive::generate::cluster(6, 4),
        first in mutation(),
        second in proptest::option::of(mutation()),
    ) {
        let mut head_objects = mutate(&objects, &first);
        if let Some(m) = &second {
            head_objects = mutate(&head_objects, m);
        }
        let b = naive::manifest::model(&objects);
        let h = naive::manifest::model(&head_objects);
        let (be, he) = (Engine::new(&b), Engine::new(&h));
        for strategy in [How::Incremental, How::Full] {
            let d = diff(&be, &he, &DiffOptions { strategy, explain_limit: 3 });
            check_against_matrices(&d, &b, &h).map_err(|e| {
                TestCaseError::fail(format!(
                    "{strategy:?}: {e}\nbase: {}\nhead: {}",
                    naive::generate::show(&objects),
                    naive::generate::show(&head_objects)
                ))
            })?;
        }
    }
}
