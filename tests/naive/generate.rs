//! proptest strategies for small random clusters and policies, as Kubernetes manifests
//! (`serde_json::Value`s, so a failing case prints as something one can read and
//! replay with `netpol`).
//!
//! Vocabularies are tiny on purpose: selectors, labels, names and CIDRs collide often,
//! so most generated rules match something.

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Namespaces pods, workloads and policies live in (`n3` is never declared; `""`
/// leaves `metadata.namespace` out, which means `default`).
pub const NAMESPACES: [&str; 4] = ["n1", "n2", "n3", ""];
pub const LABEL_KEYS: [&str; 3] = ["app", "tier", "env"];
pub const LABEL_VALUES: [&str; 3] = ["a", "b", "c"];
const NS_LABEL_KEYS: [&str; 2] = ["team", "kubernetes.io/metadata.name"];
const NS_LABEL_VALUES: [&str; 5] = ["a", "b", "n1", "n2", "default"];
pub const PORT_NAMES: [&str; 3] = ["http", "dns", "metrics"];
pub const PORT_NUMBERS: [u16; 6] = [53, 80, 81, 443, 8080, 9090];
pub const PROTOCOLS: [&str; 3] = ["TCP", "UDP", "SCTP"];
const WORKLOAD_KINDS: [&str; 7] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];
pub const V4_CIDRS: [&str; 9] = [
    "0.0.0.0/0",
    "10.0.0.0/8",
    "10.0.0.0/16",
    "10.0.0.0/24",
    "10.0.1.0/24",
    "10.0.0.2/32",
    "10.0.1.3/31",
    "10.0.0.1/24",
    "192.168.0.0/16",
];
pub const V6_CIDRS: [&str; 6] = [
    "::/0",
    "fd00::/8",
    "fd00::/120",
    "fd00::2/128",
    "fd00::4/126",
    "2001:db8::/32",
];

pub fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

pub fn labels() -> impl Strategy<Value = Map<String, Value>> {
    btree_map(pick(&LABEL_KEYS), pick(&LABEL_VALUES), 0..3).prop_map(|m| {
        m.into_iter()
            .map(|(k, v)| (k.to_string(), Value::from(v)))
            .collect()
    })
}

fn requirement(
    keys: &'static [&'static str],
    values: &'static [&'static str],
) -> impl Strategy<Value = Value> {
    (
        pick(keys),
        pick(&["In", "NotIn", "Exists", "DoesNotExist"]),
        proptest::sample::subsequence(values, 1..3),
    )
        .prop_map(|(key, op, vals)| match op {
            "Exists" | "DoesNotExist" => json!({"key": key, "operator": op}),
            _ => json!({"key": key, "operator": op, "values": vals}),
        })
}

/// A label selector over `keys`/`values`: `{}`, matchLabels, matchExpressions or both.
fn selector(
    keys: &'static [&'static str],
    values: &'static [&'static str],
) -> impl Strategy<Value = Value> {
    (
        btree_map(pick(keys), pick(values), 0..2),
        vec(requirement(keys, values), 0..2),
    )
        .prop_map(|(ml, me)| {
            let mut sel = Map::new();
            if !ml.is_empty() {
                let m: Map<String, Value> = ml
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), Value::from(v)))
                    .collect();
                sel.insert("matchLabels".into(), Value::Object(m));
            }
            if !me.is_empty() {
                sel.insert("matchExpressions".into(), Value::Array(me));
            }
            Value::Object(sel)
        })
}

pub fn pod_selector() -> impl Strategy<Value = Value> {
    selector(&LABEL_KEYS, &LABEL_VALUES)
}

pub fn namespace_selector() -> impl Strategy<Value = Value> {
    selector(&NS_LABEL_KEYS, &NS_LABEL_VALUES)
}

fn container_port() -> impl Strategy<Value = Value> {
    (
        option::of(pick(&PORT_NAMES)),
        pick(&PORT_NUMBERS),
        option::of(pick(&PROTOCOLS)),
    )
        .prop_map(|(name, port, protocol)| {
            let mut p = Map::new();
            if let Some(n) = name {
                p.insert("name".into(), n.into());
            }
            p.insert("containerPort".into(), port.into());
            if let Some(pr) = protocol {
                p.insert("protocol".into(), pr.into());
            }
            Value::Object(p)
        })
}

fn ip_block() -> impl Strategy<Value = Value> {
    prop_oneof![
        (
            pick(&V4_CIDRS),
            proptest::sample::subsequence(V4_CIDRS.to_vec(), 0..3)
        ),
        (
            pick(&V6_CIDRS),
            proptest::sample::subsequence(V6_CIDRS.to_vec(), 0..3)
        ),
    ]
    .prop_map(|(cidr, except)| {
        // The API server accepts only except entries strictly inside the cidr.
        let net: ipnet::IpNet = cidr.parse().expect("cidr");
        let except: Vec<&str> = except
            .into_iter()
            .filter(|e| {
                let e: ipnet::IpNet = e.parse().expect("cidr");
                e.prefix_len() > net.prefix_len() && net.trunc().contains(&e.trunc().network())
            })
            .collect();
        if except.is_empty() {
            json!({"cidr": cidr})
        } else {
            json!({"cidr": cidr, "except": except})
        }
    })
}

fn peer() -> impl Strategy<Value = Value> {
    prop_oneof![
        pod_selector().prop_map(|s| json!({"podSelector": s})),
        namespace_selector().prop_map(|s| json!({"namespaceSelector": s})),
        (pod_selector(), namespace_selector())
            .prop_map(|(p, n)| json!({"podSelector": p, "namespaceSelector": n})),
        ip_block().prop_map(|b| json!({"ipBlock": b})),
    ]
}

fn port_entry() -> impl Strategy<Value = Value> {
    let port = prop_oneof![
        Just(None),
        pick(&PORT_NUMBERS).prop_map(|p| Some(Value::from(p))),
        pick(&PORT_NAMES).prop_map(|n| Some(Value::from(n))),
    ];
    (option::of(pick(&PROTOCOLS)), port, option::of(0u16..2000)).prop_map(
        |(protocol, port, end)| {
            let mut e = Map::new();
            if let Some(pr) = protocol {
                e.insert("protocol".into(), pr.into());
            }
            if let Some(p) = port {
                if let (Some(n), Some(extra)) = (p.as_u64(), end) {
                    e.insert("endPort".into(), (n + u64::from(extra)).min(65535).into());
                }
                e.insert("port".into(), p);
            }
            Value::Object(e)
        },
    )
}

/// A list that may be missing (`None`), empty, or hold 1..max items.
fn list(item: impl Strategy<Value = Value>, max: usize) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(Value::Array(Vec::new()))),
        3 => vec(item, 1..max).prop_map(|v| Some(Value::Array(v))),
    ]
}

fn rule(peer_field: &'static str) -> impl Strategy<Value = Value> {
    (list(peer(), 3), list(port_entry(), 3)).prop_map(move |(peers, ports)| {
        let mut r = Map::new();
        if let Some(p) = peers {
            r.insert(peer_field.into(), p);
        }
        if let Some(p) = ports {
            r.insert("ports".into(), p);
        }
        Value::Object(r)
    })
}

fn policy_types() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(json!([]))),
        1 => Just(Some(json!(["Ingress"]))),
        1 => Just(Some(json!(["Egress"]))),
        1 => Just(Some(json!(["Ingress", "Egress"]))),
        1 => Just(Some(json!(["Egress", "Ingress"]))),
    ]
}

/// `metadata` with `name`, and `namespace` unless it is `""`.
pub fn metadata(name: &str, namespace: &str) -> Value {
    if namespace.is_empty() {
        json!({ "name": name })
    } else {
        json!({"name": name, "namespace": namespace})
    }
}

pub fn with_labels(mut metadata: Value, labels: Map<String, Value>) -> Value {
    metadata["labels"] = Value::Object(labels);
    metadata
}

/// A NetworkPolicy named `name` in one of [`NAMESPACES`].
pub fn policy(name: String) -> impl Strategy<Value = Value> {
    (
        pick(&NAMESPACES),
        prop_oneof![1 => Just(None), 4 => pod_selector().prop_map(Some)],
        policy_types(),
        list(rule("from"), 3),
        list(rule("to"), 3),
    )
        .prop_map(move |(ns, sel, types, ingress, egress)| {
            let mut spec = Map::new();
            if let Some(s) = sel {
                spec.insert("podSelector".into(), s);
            }
            if let Some(t) = types {
                spec.insert("policyTypes".into(), t);
            }
            if let Some(i) = ingress {
                spec.insert("ingress".into(), i);
            }
            if let Some(e) = egress {
                spec.insert("egress".into(), e);
            }
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": metadata(&name, ns), "spec": spec})
        })
}

/// Pod number `i`: IPs drawn from `10.0.<i%2>.<i+1>` and `fd00::<i+1>` (none, one,
/// or both families); a hostNetwork pod has the node's `10.0.9.1` / `fd00::9:1`, which
/// other hostNetwork pods share.
fn pod(i: usize) -> impl Strategy<Value = Value> {
    (
        pick(&NAMESPACES),
        labels(),
        vec(container_port(), 0..3),
        0u8..4,
        proptest::bool::weighted(0.1),
    )
        .prop_map(move |(ns, labels, ports, families, host_network)| {
            // hostNetwork pods share their node's addresses.
            let (v4, v6) = if host_network {
                ("10.0.9.1".to_string(), "fd00::9:1".to_string())
            } else {
                (
                    format!("10.0.{}.{}", i % 2, i + 1),
                    format!("fd00::{:x}", i + 1),
                )
            };
            let mut status = Map::new();
            match families {
                1 => {
                    status.insert("podIP".into(), v4.into());
                }
                2 => {
                    status.insert("podIP".into(), v6.into());
                }
                3 => {
                    status.insert("podIP".into(), v4.clone().into());
                    status.insert("podIPs".into(), json!([{"ip": v4}, {"ip": v6}]));
                }
                _ => {}
            }
            json!({"apiVersion": "v1", "kind": "Pod",
                   "metadata": with_labels(metadata(&format!("p{i}"), ns), labels),
                   "spec": {"containers": [{"name": "c", "ports": ports}],
                            "hostNetwork": host_network},
                   "status": status})
        })
}

fn workload(i: usize) -> impl Strategy<Value = Value> {
    (
        pick(&WORKLOAD_KINDS),
        pick(&NAMESPACES),
        labels(),
        vec(container_port(), 0..3),
    )
        .prop_map(move |(kind, ns, labels, ports)| {
            let template = json!({"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "c", "ports": ports}]}});
            let spec = if kind == "CronJob" {
                json!({"jobTemplate": {"spec": {"template": template}}})
            } else {
                json!({"template": template})
            };
            json!({"apiVersion": "apps/v1", "kind": kind,
                   "metadata": metadata(&format!("w{i}"), ns), "spec": spec})
        })
}

fn namespaces() -> impl Strategy<Value = Vec<Value>> {
    // n1 and n2 may be declared (with labels); n3 never is.
    (
        option::of(btree_map(
            pick(&NS_LABEL_KEYS),
            pick(&NS_LABEL_VALUES),
            0..3,
        )),
        option::of(btree_map(
            pick(&NS_LABEL_KEYS),
            pick(&NS_LABEL_VALUES),
            0..3,
        )),
    )
        .prop_map(|(n1, n2)| {
            let mut out = Vec::new();
            for (name, labels) in [("n1", n1), ("n2", n2)] {
                if let Some(l) = labels {
                    out.push(json!({"apiVersion": "v1", "kind": "Namespace",
                                    "metadata": {"name": name, "labels": l}}));
                }
            }
            out
        })
}

/// A whole input: namespaces, up to `max_pods` pods, up to 2 workloads and up to
/// `max_policies` policies.
pub fn cluster(max_pods: usize, max_policies: usize) -> impl Strategy<Value = Vec<Value>> {
    (0..=max_pods, 0..=2usize, 0..=max_policies)
        .prop_flat_map(|(pods, workloads, policies)| {
            (
                namespaces(),
                (0..pods).map(pod).collect::<Vec<_>>(),
                (0..workloads).map(workload).collect::<Vec<_>>(),
                (0..policies)
                    .map(|i| policy(format!("np{i}")))
                    .collect::<Vec<_>>(),
            )
        })
        .prop_map(|(ns, pods, workloads, policies)| {
            let mut all = ns;
            all.extend(pods);
            all.extend(workloads);
            all.extend(policies);
            all
        })
}

/// Renders manifests as one JSON list document, for failure messages.
pub fn show(objects: &[Value]) -> String {
    serde_json::to_string_pretty(&json!({"apiVersion": "v1", "kind": "List", "items": objects}))
        .unwrap_or_default()
}

/// `default_cases` cases, or `PROPTEST_CASES` for a deeper run; failures are not
/// persisted (the seed is in the failure message).
pub fn proptest_config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
