//! The seeded generator of realistic clusters of a given size: a number of Pods,
//! NetworkPolicies and Deployments chosen exactly, for the engine, lint and peer
//! benchmarks (the reading benchmark's generator in `benches/netpol/corpus.rs` sizes
//! its output by bytes instead).
//!
//! Shape (docs/spec/performance.md): `kube-system` with the DNS pods, `ingress-nginx` with
//! the controller, then application namespaces, each with, in this order, a default
//! deny, DNS egress to kube-system, ingress from the ingress controller, then
//! alternately app-to-app allows (pod selectors, and in a third of them a namespace
//! selector with match expressions) and ipBlock egress with an except, until the
//! policy budget is spent. Apps are Deployments whose Pods carry the template labels
//! plus a `pod-template-hash`.
//!
//! [`stream`] writes policy-only streams sized by bytes, for the lint scaling bench.
//!
//! Use it from another bench with `#[path = "../cluster/mod.rs"] mod cluster;`.

use std::collections::BTreeSet;

use netpol::decode::{self, Loaded};
use netpol::doc::Limits;
use netpol::source::{Source, SourceSet};
use serde_json::{json, Value};

#[allow(dead_code)] // shared with the reading benchmark, which uses all of it
#[path = "../netpol/rng.rs"]
mod rng;
pub mod stream;
#[path = "../netpol/yaml.rs"]
mod yaml;

use rng::Rng;

/// How big a cluster to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    /// Pods, the two system namespaces' three pods included.
    pub pods: usize,
    /// NetworkPolicies (at least 3 per application namespace are generated).
    pub policies: usize,
}

/// A generated cluster, by kind.
pub struct Cluster {
    /// The size asked for.
    pub size: Size,
    /// Namespace objects.
    pub namespaces: Vec<Value>,
    /// Pod objects (with `status.podIP`).
    pub pods: Vec<Value>,
    /// Deployment objects, one per app per namespace.
    pub deployments: Vec<Value>,
    /// NetworkPolicy objects.
    pub policies: Vec<Value>,
}

/// Policies per application namespace: deny, DNS, ingress controller, and two more.
const POLICIES_PER_NAMESPACE: usize = 5;
/// Pods per app (Deployment), at most ten apps per namespace.
const PODS_PER_APP: usize = 5;
const MAX_APPS: usize = 10;
/// Teams and environments, for namespace labels and selectors.
const TEAMS: &[&str] = &["shop", "payments", "search", "identity", "media", "ops"];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const PORTS: &[u16] = &[80, 8080, 8443, 9090, 5432, 6379, 3000];

impl Cluster {
    /// Generates a cluster of `size` from `seed` (the same seed and size give the same
    /// objects on every machine).
    pub fn generate(seed: u64, size: Size) -> Cluster {
        let mut rng = Rng::new(seed);
        let mut cluster = Cluster {
            size,
            namespaces: Vec::new(),
            pods: Vec::new(),
            deployments: Vec::new(),
            policies: Vec::new(),
        };
        cluster.system_namespaces();
        let namespaces = (size.policies / POLICIES_PER_NAMESPACE).max(1);
        let app_pods = size.pods.saturating_sub(cluster.pods.len());
        for index in 0..namespaces {
            let pods = share(app_pods, namespaces, index);
            let policies = share(size.policies, namespaces, index);
            cluster.namespace(&mut rng, index, pods, policies);
        }
        cluster
    }

    /// Namespaces, Pods and NetworkPolicies as one YAML stream (what the matrix
    /// needs, and what the peer reads).
    pub fn yaml_without_workloads(&self) -> String {
        let mut out = String::new();
        for objects in [&self.namespaces, &self.pods, &self.policies] {
            yaml::emit_stream(objects, &mut out);
        }
        out
    }

    /// Every object, Deployments included, as one YAML stream.
    pub fn yaml(&self) -> String {
        let mut out = self.yaml_without_workloads();
        yaml::emit_stream(&self.deployments, &mut out);
        out
    }

    /// How many different label selectors the policies use: pod and namespace
    /// selectors compared as written, per namespace of the policy (a pod selector
    /// means other pods in another namespace).
    pub fn distinct_selectors(&self) -> usize {
        let mut seen = BTreeSet::new();
        for policy in &self.policies {
            let ns = policy["metadata"]["namespace"].as_str().unwrap_or_default();
            collect_selectors(ns, policy, &mut seen);
        }
        seen.len()
    }

    /// `kube-system` with two DNS pods, `ingress-nginx` with the controller.
    fn system_namespaces(&mut self) {
        for (ns, app, count) in [
            ("kube-system", "kube-dns", 2),
            ("ingress-nginx", "ingress-nginx", 1),
        ] {
            self.namespaces.push(namespace(ns, "platform", "prod"));
            let labels = json!({"k8s-app": app, "app": app});
            for replica in 0..count {
                let pod = self.pod(ns, &format!("{app}-{replica}"), &labels, 53);
                self.pods.push(pod);
            }
        }
    }

    /// One application namespace with `pods` pods and `policies` policies.
    fn namespace(&mut self, rng: &mut Rng, index: usize, pods: usize, policies: usize) {
        let team = *rng.pick(TEAMS);
        let env = *rng.pick(ENVS);
        let ns = format!("{team}-{index}");
        self.namespaces.push(namespace(&ns, team, env));
        let apps = (pods / PODS_PER_APP).clamp(1, MAX_APPS);
        let ports: Vec<u16> = (0..apps).map(|_| *rng.pick(PORTS)).collect();
        for (app, &port) in ports.iter().enumerate() {
            let labels = json!({"app": app_name(app), "tier": rng.pick(&["web", "api", "data"]),
                                "app.kubernetes.io/part-of": ns});
            self.deployments.push(deployment(&ns, app, &labels, port));
            for replica in 0..share(pods, apps, app) {
                let name = format!("{}-{:06x}-{replica}", app_name(app), rng.below(1 << 24));
                let mut pod_labels = labels.clone();
                pod_labels["pod-template-hash"] = json!(format!("{:08x}", index * 16 + app));
                let pod = self.pod(&ns, &name, &pod_labels, port);
                self.pods.push(pod);
            }
        }
        for k in 0..policies {
            let policy = match k {
                0 => default_deny(&ns),
                1 => dns_egress(&ns),
                2 => from_ingress_controller(&ns, 0, ports[0]),
                _ if k % 2 == 1 => app_to_app(rng, &ns, k, apps, &ports),
                _ => ip_block_egress(rng, &ns, k, apps),
            };
            self.policies.push(policy);
        }
    }

    /// A running Pod with the next free address in 10.244.0.0/16.
    fn pod(&self, ns: &str, name: &str, labels: &Value, port: u16) -> Value {
        let n = self.pods.len() + 2;
        let ip = format!("10.{}.{}.{}", 244 + n / 65_536, (n / 256) % 256, n % 256);
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {"containers": [{"name": "main", "image": "registry.example.com/app:1.0",
                "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}]}]},
            "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]},
        })
    }
}

/// Reads, decodes and validates `yaml` as netpol does (`decode::load`, default limits).
pub fn load(yaml: &str) -> Loaded {
    let mut sources = SourceSet::new();
    sources.add(Source::new("cluster.yaml", yaml));
    decode::load(&sources, &Limits::default())
}

/// Adds `ns`, the key and the text of every `podSelector` and `namespaceSelector`
/// under `value`.
fn collect_selectors(ns: &str, value: &Value, seen: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                if key == "podSelector" || key == "namespaceSelector" {
                    seen.insert(format!("{ns} {key}={item}"));
                }
                collect_selectors(ns, item, seen);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_selectors(ns, item, seen)),
        _ => {}
    }
}

/// Part `index` of `total` split into `parts` nearly equal parts.
fn share(total: usize, parts: usize, index: usize) -> usize {
    total / parts + usize::from(index < total % parts)
}

fn app_name(app: usize) -> String {
    format!("app{app}")
}

fn namespace(ns: &str, team: &str, env: &str) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": ns, "labels": {
            "kubernetes.io/metadata.name": ns, "team": team, "env": env}},
    })
}

fn deployment(ns: &str, app: usize, labels: &Value, port: u16) -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": app_name(app), "namespace": ns, "labels": labels},
        "spec": {
            "replicas": PODS_PER_APP,
            "selector": {"matchLabels": {"app": app_name(app)}},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [
                {"name": "main", "image": "registry.example.com/app:1.0",
                 "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"}]}]}},
        },
    })
}

fn policy(ns: &str, name: &str, spec: Value) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": ns},
        "spec": spec,
    })
}

fn default_deny(ns: &str) -> Value {
    policy(
        ns,
        "default-deny",
        json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    )
}

fn dns_egress(ns: &str) -> Value {
    policy(
        ns,
        "allow-dns",
        json!({
            "podSelector": {},
            "policyTypes": ["Egress"],
            "egress": [{"to": [{
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}],
        }),
    )
}

fn from_ingress_controller(ns: &str, app: usize, port: u16) -> Value {
    policy(
        ns,
        "allow-ingress-controller",
        json!({
            "podSelector": {"matchLabels": {"app": app_name(app)}},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {
                "kubernetes.io/metadata.name": "ingress-nginx"}}}],
                "ports": [{"protocol": "TCP", "port": port}]}],
        }),
    )
}

/// A client app and its server: the server's ingress from the client (in a third of
/// the cases from any app of the namespaces of two teams instead) and the client's
/// egress to the server, in one policy selecting both.
fn app_to_app(rng: &mut Rng, ns: &str, k: usize, apps: usize, ports: &[u16]) -> Value {
    let to = k % apps;
    let from = (k + 1) % apps;
    let port = ports[to];
    let peer = if rng.chance(33) {
        json!({
            "namespaceSelector": {"matchExpressions": [
                {"key": "team", "operator": "In", "values": [rng.pick(TEAMS), rng.pick(TEAMS)]},
                {"key": "env", "operator": "NotIn", "values": ["dev"]}]},
            "podSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]},
        })
    } else {
        json!({"podSelector": {"matchLabels": {"app": app_name(from)}}})
    };
    let ports_json = if rng.chance(20) {
        json!([{"protocol": "TCP", "port": port}, {"protocol": "TCP", "port": 30000, "endPort": 30100}])
    } else {
        json!([{"protocol": "TCP", "port": port}])
    };
    policy(
        ns,
        &format!("allow-{}-to-{}-{k}", app_name(from), app_name(to)),
        json!({
            "podSelector": {"matchExpressions": [
                {"key": "app", "operator": "In", "values": [app_name(to), app_name(from)]}]},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [peer], "ports": ports_json}],
            "egress": [{"to": [{"podSelector": {"matchLabels": {"app": app_name(to)}}}],
                        "ports": [{"protocol": "TCP", "port": port}]}],
        }),
    )
}

/// HTTPS egress from one app to an external /16 (one of sixteen) minus one /24.
fn ip_block_egress(rng: &mut Rng, ns: &str, k: usize, apps: usize) -> Value {
    let app = k % apps;
    let second = rng.below(16);
    let hole = rng.below(256);
    policy(
        ns,
        &format!("egress-external-{}-{k}", app_name(app)),
        json!({
            "podSelector": {"matchLabels": {"app": app_name(app)}},
            "policyTypes": ["Egress"],
            "egress": [{"to": [{"ipBlock": {"cidr": format!("172.{}.0.0/16", 16 + second),
                                             "except": [format!("172.{}.{hole}.0/24", 16 + second)]}}],
                        "ports": [{"protocol": "TCP", "port": 443}]}],
        }),
    )
}
