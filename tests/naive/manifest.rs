//! Builds model values from Kubernetes manifests held as `serde_json::Value`s, for
//! tests that must not depend on the decoder (spans are all empty).
//!
//! Only well-formed input is expected: a malformed manifest makes the test fail
//! loudly with the path of what was missing.

use std::net::IpAddr;

use netpol::model::{
    ContainerPort, IpBlock, LabelSelector, Labels, Model, Namespace, NetworkPolicy, ObjectMeta,
    Operator, Peer, PolicyType, PortEntry, PortValue, Protocol, Requirement, Rule, Spanned,
    Workload, WorkloadKind,
};
use netpol::source::{SourceId, Span};
use serde_json::Value;

fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

fn str_map(value: Option<&Value>) -> Labels {
    let mut out = Labels::new();
    if let Some(Value::Object(map)) = value {
        for (k, v) in map {
            out.insert(
                k.clone(),
                v.as_str().expect("label value is a string").to_string(),
            );
        }
    }
    out
}

fn meta(object: &Value) -> ObjectMeta {
    let m = &object["metadata"];
    ObjectMeta {
        source: SourceId(0),
        span: Span::default(),
        api_version: object["apiVersion"].as_str().unwrap_or("v1").to_string(),
        kind: object["kind"].as_str().expect("kind").to_string(),
        name: sp(m["name"].as_str().expect("metadata.name").to_string()),
        namespace: m["namespace"].as_str().map(|s| sp(s.to_string())),
        labels: str_map(m.get("labels")),
        annotations: str_map(m.get("annotations")),
    }
}

/// A label selector from its JSON form.
pub fn selector(value: &Value) -> LabelSelector {
    let mut sel = LabelSelector::everything(Span::default());
    if let Some(Value::Object(labels)) = value.get("matchLabels") {
        for (k, v) in labels {
            sel.match_labels.push((
                sp(k.clone()),
                sp(v.as_str().expect("matchLabels value").to_string()),
            ));
        }
    }
    if let Some(Value::Array(exprs)) = value.get("matchExpressions") {
        for e in exprs {
            let op = Operator::parse(e["operator"].as_str().expect("operator")).expect("operator");
            let values = e
                .get("values")
                .and_then(Value::as_array)
                .map(|vs| {
                    vs.iter()
                        .map(|v| sp(v.as_str().expect("value").to_string()))
                        .collect()
                })
                .unwrap_or_default();
            sel.match_expressions.push(Requirement {
                span: Span::default(),
                key: sp(e["key"].as_str().expect("key").to_string()),
                operator: sp(op),
                values,
            });
        }
    }
    sel
}

fn protocol(value: Option<&Value>) -> Option<Protocol> {
    value
        .and_then(Value::as_str)
        .map(|s| Protocol::parse(s).expect("protocol"))
}

fn peer(value: &Value) -> Peer {
    if let Some(block) = value.get("ipBlock") {
        let parse = |v: &Value| sp(v.as_str().expect("cidr").parse().expect("a CIDR"));
        return Peer::IpBlock(IpBlock {
            peer_span: Span::default(),
            cidr: parse(&block["cidr"]),
            except: block
                .get("except")
                .and_then(Value::as_array)
                .map(|es| es.iter().map(parse).collect())
                .unwrap_or_default(),
        });
    }
    Peer::Selectors {
        span: Span::default(),
        pods: value.get("podSelector").map(selector),
        namespaces: value.get("namespaceSelector").map(selector),
    }
}

fn port_entry(value: &Value) -> PortEntry {
    PortEntry {
        span: Span::default(),
        protocol: protocol(value.get("protocol")).map(sp),
        port: value.get("port").map(|p| match p {
            Value::String(name) => sp(PortValue::Name(name.clone())),
            other => sp(PortValue::Number(other.as_u64().expect("port") as u16)),
        }),
        end_port: value
            .get("endPort")
            .map(|e| sp(e.as_u64().expect("endPort") as u16)),
    }
}

fn rules(value: Option<&Value>, peer_field: &str) -> Option<Spanned<Vec<Rule>>> {
    let list = value?.as_array().expect("rules are a list");
    Some(sp(list
        .iter()
        .map(|r| Rule {
            span: Span::default(),
            peers: r
                .get(peer_field)
                .map(|ps| sp(ps.as_array().expect("peers").iter().map(peer).collect())),
            ports: r.get("ports").map(|ps| {
                sp(ps
                    .as_array()
                    .expect("ports")
                    .iter()
                    .map(port_entry)
                    .collect())
            }),
        })
        .collect()))
}

/// A NetworkPolicy from its manifest.
pub fn policy(object: &Value) -> NetworkPolicy {
    let spec = &object["spec"];
    let pod_selector = spec.get("podSelector");
    NetworkPolicy {
        meta: meta(object),
        spec_span: Span::default(),
        pod_selector: pod_selector.map_or(LabelSelector::everything(Span::default()), selector),
        pod_selector_written: pod_selector.is_some(),
        policy_types: spec.get("policyTypes").map(|ts| {
            sp(ts
                .as_array()
                .expect("policyTypes")
                .iter()
                .map(|t| sp(PolicyType::parse(t.as_str().expect("type")).expect("type")))
                .collect())
        }),
        ingress: rules(spec.get("ingress"), "from"),
        egress: rules(spec.get("egress"), "to"),
    }
}

fn container_ports(pod_spec: &Value) -> Vec<ContainerPort> {
    let mut out = Vec::new();
    for c in pod_spec
        .get("containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for p in c
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push(ContainerPort {
                name: p.get("name").and_then(Value::as_str).map(str::to_string),
                port: p["containerPort"].as_u64().expect("containerPort") as u16,
                protocol: protocol(p.get("protocol")).unwrap_or(Protocol::Tcp),
            });
        }
    }
    out
}

/// A Pod from its manifest.
pub fn pod(object: &Value) -> netpol::model::Pod {
    let mut ips: Vec<IpAddr> = Vec::new();
    let status = object.get("status");
    let mut add = |v: Option<&Value>| {
        if let Some(s) = v.and_then(Value::as_str) {
            let ip: IpAddr = s.parse().expect("an IP");
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    };
    add(status.and_then(|s| s.get("podIP")));
    for item in status
        .and_then(|s| s.get("podIPs"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        add(item.get("ip"));
    }
    netpol::model::Pod {
        meta: meta(object),
        ports: container_ports(&object["spec"]),
        ips,
        host_network: object["spec"]["hostNetwork"].as_bool().unwrap_or(false),
        controller: None,
        representative: false,
    }
}

/// A workload from its manifest.
pub fn workload(object: &Value, kind: WorkloadKind) -> Workload {
    let template = if kind == WorkloadKind::CronJob {
        &object["spec"]["jobTemplate"]["spec"]["template"]
    } else {
        &object["spec"]["template"]
    };
    Workload {
        meta: meta(object),
        kind,
        template_labels: str_map(template["metadata"].get("labels")),
        ports: container_ports(&template["spec"]),
        host_network: template["spec"]["hostNetwork"].as_bool().unwrap_or(false),
        template_span: Span::default(),
    }
}

/// Adds one manifest to `model` (NetworkPolicy, Namespace, Pod or a workload kind).
pub fn add(model: &mut Model, object: &Value) {
    let kind = object["kind"].as_str().expect("kind");
    match kind {
        "NetworkPolicy" => model.policies.push(policy(object)),
        "Namespace" => model.namespaces.push(Namespace { meta: meta(object) }),
        "Pod" => model.pods.push(pod(object)),
        // The tiers and nodes are read from the manifests by `naive::tiers`.
        "ClusterNetworkPolicy" | "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "Node" => {}
        other => {
            let kind = WorkloadKind::parse(other).expect("a known kind");
            model.workloads.push(workload(object, kind));
        }
    }
}

/// A model from a list of manifests.
pub fn model(objects: &[Value]) -> Model {
    let mut model = Model::default();
    for o in objects {
        add(&mut model, o);
    }
    model
}
