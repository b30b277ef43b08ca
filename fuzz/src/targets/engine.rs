//! The engine against the naive evaluator (`tests/naive/`) on small clusters built
//! from the fuzz bytes: the manifests go through the real reader and decoder, and
//! every verdict, allowed port set and matrix cell of the engine on the decoded model
//! must be the naive evaluator's.
//!
//! The bytes choose from tiny vocabularies (names, labels, ports, CIDRs collide
//! often, so most rules match something); some choices are invalid on purpose
//! (`endPort` below `port`, an `except` outside its `cidr`), which the decoder must
//! reject without disturbing the rest.

use arbitrary::{Result, Unstructured};
use serde_json::{json, Map, Value};

use super::load::load_as;
use crate::naive::compare::{disagreements, matrix_disagreements};

const NAMESPACES: [&str; 4] = ["n1", "n2", "n3", ""];
const LABEL_KEYS: [&str; 3] = ["app", "tier", "env"];
const LABEL_VALUES: [&str; 3] = ["a", "b", "c"];
const NS_LABEL_KEYS: [&str; 2] = ["team", "kubernetes.io/metadata.name"];
const NS_LABEL_VALUES: [&str; 4] = ["a", "n1", "n2", "default"];
const OPERATORS: [&str; 4] = ["In", "NotIn", "Exists", "DoesNotExist"];
const PORT_NAMES: [&str; 3] = ["http", "dns", "metrics"];
const PORT_NUMBERS: [u16; 7] = [1, 53, 80, 443, 8080, 9090, 65535];
const PROTOCOLS: [&str; 3] = ["TCP", "UDP", "SCTP"];
const WORKLOAD_KINDS: [&str; 7] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
];
const CIDRS: [&str; 12] = [
    "0.0.0.0/0",
    "10.0.0.0/8",
    "10.0.0.0/24",
    "10.0.1.0/24",
    "10.0.0.2/32",
    "10.0.1.3/31",
    "192.168.0.0/16",
    "::/0",
    "fd00::/8",
    "fd00::/120",
    "fd00::2/128",
    "2001:db8::/32",
];
const POLICY_TYPES: [&[&str]; 5] = [
    &[],
    &["Ingress"],
    &["Egress"],
    &["Ingress", "Egress"],
    &["Egress", "Ingress"],
];

/// Builds a cluster from the bytes, loads it and compares the engine with the naive
/// evaluator. Bytes that run out early just make a smaller cluster.
pub fn run(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(objects) = cluster(&mut u) else {
        return;
    };
    let list = json!({"apiVersion": "v1", "kind": "List", "items": objects});
    let text = serde_json::to_string_pretty(&list).unwrap_or_default();
    let (_, loaded) = load_as("cluster.json", &text);
    let mut found = disagreements(&loaded.model);
    found.extend(matrix_disagreements(&loaded.model));
    assert!(
        found.is_empty(),
        "{} disagreements, first ones:\n{}\ninput:\n{text}",
        found.len(),
        found
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Namespaces, up to 5 pods, up to 2 workloads and up to 4 policies.
pub fn cluster(u: &mut Unstructured) -> Result<Vec<Value>> {
    let mut objects = Vec::new();
    for name in ["n1", "n2"] {
        if u.arbitrary()? {
            let labels = labels(u, &NS_LABEL_KEYS, &NS_LABEL_VALUES)?;
            objects.push(json!({"apiVersion": "v1", "kind": "Namespace",
                                "metadata": {"name": name, "labels": labels}}));
        }
    }
    for i in 0..u.int_in_range(0..=5usize)? {
        objects.push(pod(u, i)?);
    }
    for i in 0..u.int_in_range(0..=2usize)? {
        objects.push(workload(u, i)?);
    }
    for i in 0..u.int_in_range(0..=4usize)? {
        objects.push(policy(u, i)?);
    }
    Ok(objects)
}

fn metadata(u: &mut Unstructured, name: String) -> Result<Value> {
    let namespace = *u.choose(&NAMESPACES)?;
    let labels = labels(u, &LABEL_KEYS, &LABEL_VALUES)?;
    let mut meta = json!({"name": name, "labels": labels});
    if !namespace.is_empty() {
        meta["namespace"] = namespace.into();
    }
    Ok(meta)
}

fn labels(u: &mut Unstructured, keys: &[&str], values: &[&str]) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for _ in 0..u.int_in_range(0..=2u8)? {
        out.insert(u.choose(keys)?.to_string(), (*u.choose(values)?).into());
    }
    Ok(out)
}

fn container_ports(u: &mut Unstructured) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(0..=2u8)? {
        let mut port = json!({"containerPort": *u.choose(&PORT_NUMBERS)?});
        if u.arbitrary()? {
            port["name"] = (*u.choose(&PORT_NAMES)?).into();
        }
        if u.arbitrary()? {
            port["protocol"] = (*u.choose(&PROTOCOLS)?).into();
        }
        out.push(port);
    }
    Ok(out)
}

/// Pod `i`: its own addresses `10.0.<i%2>.<i+1>` / `fd00::<i+1>` (none, one family or
/// both), or, with hostNetwork, the node's addresses which such pods share.
fn pod(u: &mut Unstructured, i: usize) -> Result<Value> {
    let meta = metadata(u, format!("p{i}"))?;
    let ports = container_ports(u)?;
    let host_network = u.ratio(1u8, 8u8)?;
    let (v4, v6) = if host_network {
        ("10.0.9.1".to_string(), "fd00::9:1".to_string())
    } else {
        (
            format!("10.0.{}.{}", i % 2, i + 1),
            format!("fd00::{:x}", i + 1),
        )
    };
    let status = match u.int_in_range(0..=3u8)? {
        1 => json!({"podIP": v4}),
        2 => json!({"podIP": v6}),
        3 => json!({"podIP": v4, "podIPs": [{"ip": v4}, {"ip": v6}]}),
        _ => json!({}),
    };
    Ok(json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta,
              "spec": {"containers": [{"name": "c", "ports": ports}],
                       "hostNetwork": host_network},
              "status": status}))
}

fn workload(u: &mut Unstructured, i: usize) -> Result<Value> {
    let kind = *u.choose(&WORKLOAD_KINDS)?;
    let mut meta = metadata(u, format!("w{i}"))?;
    let labels = meta
        .as_object_mut()
        .and_then(|m| m.remove("labels"))
        .unwrap_or_default();
    let template = json!({"metadata": {"labels": labels},
                          "spec": {"containers": [{"name": "c", "ports": container_ports(u)?}]}});
    let spec = if kind == "CronJob" {
        json!({"jobTemplate": {"spec": {"template": template}}})
    } else {
        json!({"template": template})
    };
    Ok(json!({"apiVersion": "apps/v1", "kind": kind, "metadata": meta, "spec": spec}))
}

fn selector(u: &mut Unstructured, keys: &[&str], values: &[&str]) -> Result<Value> {
    let mut sel = Map::new();
    let match_labels = labels(u, keys, values)?;
    if !match_labels.is_empty() {
        sel.insert("matchLabels".into(), Value::Object(match_labels));
    }
    let mut expressions = Vec::new();
    for _ in 0..u.int_in_range(0..=2u8)? {
        let key = *u.choose(keys)?;
        let operator = *u.choose(&OPERATORS)?;
        let mut e = json!({"key": key, "operator": operator});
        if matches!(operator, "In" | "NotIn") {
            e["values"] = json!([*u.choose(values)?, *u.choose(values)?]);
        }
        expressions.push(e);
    }
    if !expressions.is_empty() {
        sel.insert("matchExpressions".into(), Value::Array(expressions));
    }
    Ok(Value::Object(sel))
}

fn peer(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => json!({"podSelector": selector(u, &LABEL_KEYS, &LABEL_VALUES)?}),
        1 => json!({"namespaceSelector": selector(u, &NS_LABEL_KEYS, &NS_LABEL_VALUES)?}),
        2 => json!({"podSelector": selector(u, &LABEL_KEYS, &LABEL_VALUES)?,
                    "namespaceSelector": selector(u, &NS_LABEL_KEYS, &NS_LABEL_VALUES)?}),
        _ => {
            let mut block = json!({"cidr": *u.choose(&CIDRS)?});
            let except: Vec<&str> = (0..u.int_in_range(0..=2u8)?)
                .map(|_| u.choose(&CIDRS).copied())
                .collect::<Result<_>>()?;
            if !except.is_empty() {
                block["except"] = json!(except);
            }
            json!({"ipBlock": block})
        }
    })
}

fn port_entry(u: &mut Unstructured) -> Result<Value> {
    let mut entry = Map::new();
    if u.arbitrary()? {
        entry.insert("protocol".into(), (*u.choose(&PROTOCOLS)?).into());
    }
    match u.int_in_range(0..=2u8)? {
        0 => {}
        1 => {
            let port = *u.choose(&PORT_NUMBERS)?;
            entry.insert("port".into(), port.into());
            if u.arbitrary()? {
                let end = port.saturating_add(u.int_in_range(0..=1000u16)?);
                let end = if u.ratio(1u8, 16u8)? {
                    port.saturating_sub(1)
                } else {
                    end
                };
                entry.insert("endPort".into(), end.into());
            }
        }
        _ => {
            entry.insert("port".into(), (*u.choose(&PORT_NAMES)?).into());
        }
    }
    Ok(Value::Object(entry))
}

/// A list that may be missing (`None`), empty, or hold up to `max` items.
fn list(
    u: &mut Unstructured,
    max: u8,
    mut item: impl FnMut(&mut Unstructured) -> Result<Value>,
) -> Result<Option<Value>> {
    if u.arbitrary()? {
        return Ok(None);
    }
    let items = (0..u.int_in_range(0..=max)?)
        .map(|_| item(u))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Value::Array(items)))
}

fn rule(u: &mut Unstructured, peer_field: &str) -> Result<Value> {
    let mut rule = Map::new();
    if let Some(peers) = list(u, 2, peer)? {
        rule.insert(peer_field.into(), peers);
    }
    if let Some(ports) = list(u, 2, port_entry)? {
        rule.insert("ports".into(), ports);
    }
    Ok(Value::Object(rule))
}

fn policy(u: &mut Unstructured, i: usize) -> Result<Value> {
    let mut meta = metadata(u, format!("np{i}"))?;
    if let Some(m) = meta.as_object_mut() {
        m.remove("labels");
    }
    let mut spec = Map::new();
    if u.ratio(4u8, 5u8)? {
        spec.insert(
            "podSelector".into(),
            selector(u, &LABEL_KEYS, &LABEL_VALUES)?,
        );
    }
    if u.arbitrary()? {
        spec.insert("policyTypes".into(), json!(*u.choose(&POLICY_TYPES)?));
    }
    if let Some(ingress) = list(u, 2, |u| rule(u, "from"))? {
        spec.insert("ingress".into(), ingress);
    }
    if let Some(egress) = list(u, 2, |u| rule(u, "to"))? {
        spec.insert("egress".into(), egress);
    }
    Ok(
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
              "metadata": meta, "spec": spec}),
    )
}
