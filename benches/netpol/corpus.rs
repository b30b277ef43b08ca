//! The seeded generator of realistic manifest streams: per namespace a Namespace,
//! Deployments with their Pods, a default deny, app-to-app allows with pod and
//! namespace selectors, ingress from an ingress controller, DNS egress to
//! kube-system and ipBlock egress with excepts. The same objects are written as a
//! YAML stream and as one JSON `List`.

use serde_json::{json, Value};

use super::rng::Rng;
use super::yaml::emit_stream;

/// The generated inputs and what they hold.
pub struct Corpus {
    /// The objects as a `---`-separated YAML stream.
    pub yaml: String,
    /// The same objects as one JSON `List`.
    pub json: String,
    /// Namespaces generated.
    pub namespaces: usize,
    /// Deployments generated.
    pub deployments: usize,
    /// Pods generated.
    pub pods: usize,
    /// NetworkPolicies generated.
    pub policies: usize,
    /// The seed.
    pub seed: u64,
}

impl Corpus {
    /// Generates namespaces until the YAML form reaches `target_bytes`.
    pub fn generate(seed: u64, target_bytes: usize) -> Corpus {
        let mut rng = Rng::new(seed);
        let mut objects: Vec<Value> = Vec::new();
        let mut corpus = Corpus {
            yaml: String::with_capacity(target_bytes + (1 << 20)),
            json: String::new(),
            namespaces: 0,
            deployments: 0,
            pods: 0,
            policies: 0,
            seed,
        };
        while corpus.yaml.len() < target_bytes {
            let start = objects.len();
            corpus.namespace(&mut rng, &mut objects);
            emit_stream(&objects[start..], &mut corpus.yaml);
        }
        let list = json!({"apiVersion": "v1", "kind": "List", "items": objects});
        corpus.json = serde_json::to_string(&list).unwrap_or_default();
        corpus
    }

    /// One namespace with its apps and policies.
    fn namespace(&mut self, rng: &mut Rng, out: &mut Vec<Value>) {
        let index = self.namespaces;
        self.namespaces += 1;
        let team = rng.pick(TEAMS);
        let ns = format!("{team}-{index}");
        let env = rng.pick(&["prod", "staging", "dev"]);
        out.push(json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": ns, "labels": {
                "kubernetes.io/metadata.name": ns, "team": team, "env": env}},
        }));
        out.push(default_deny(&ns));
        self.policies += 1;
        let apps: Vec<&str> = (0..6 + rng.below(7))
            .map(|i| APPS[(index + i) % APPS.len()])
            .collect();
        for (i, app) in apps.iter().enumerate() {
            let port = *rng.pick(&[80, 8080, 8443, 9090, 5432, 6379, 3000]);
            self.deployment(rng, &ns, app, port, out);
            let client = apps[(i + 1) % apps.len()];
            out.push(allow_from_app(rng, &ns, app, client, port));
            out.push(allow_egress(rng, &ns, app));
            self.policies += 2;
            if i == 0 {
                out.push(allow_ingress_controller(&ns, app, port));
                self.policies += 1;
            }
        }
    }

    /// A Deployment and 1–4 of its Pods.
    fn deployment(&mut self, rng: &mut Rng, ns: &str, app: &str, port: u16, out: &mut Vec<Value>) {
        self.deployments += 1;
        let tier = rng.pick(&["frontend", "backend", "data"]);
        let labels = json!({"app": app, "tier": tier, "app.kubernetes.io/part-of": ns});
        let container = json!({
            "name": app,
            "image": format!("registry.example.com/{ns}/{app}:1.{}.{}", rng.below(20), rng.below(10)),
            "ports": [{"name": "http", "containerPort": port, "protocol": "TCP"},
                      {"name": "metrics", "containerPort": 9100}],
            "env": [{"name": "LOG_LEVEL", "value": "info"}],
            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
        });
        out.push(json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": app, "namespace": ns, "labels": labels},
            "spec": {
                "replicas": 1 + rng.below(4),
                "selector": {"matchLabels": {"app": app}},
                "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
            },
        }));
        for _ in 0..1 + rng.below(4) {
            self.pods += 1;
            let ip = format!(
                "10.{}.{}.{}",
                244 + rng.below(4),
                rng.below(256),
                1 + rng.below(254)
            );
            out.push(json!({
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": format!("{app}-{:08x}", rng.next_u64() as u32),
                             "namespace": ns, "labels": labels},
                "spec": {"containers": [container]},
                "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}]},
            }));
        }
    }
}

const TEAMS: &[&str] = &[
    "shop", "payments", "search", "identity", "media", "billing", "ops",
];
const APPS: &[&str] = &[
    "web",
    "api",
    "worker",
    "cache",
    "db",
    "auth",
    "gateway",
    "queue",
    "search",
    "cart",
    "checkout",
    "catalog",
    "inventory",
    "notifier",
];

fn default_deny(ns: &str) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "default-deny", "namespace": ns},
        "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]},
    })
}

fn allow_from_app(rng: &mut Rng, ns: &str, app: &str, client: &str, port: u16) -> Value {
    let mut peer = json!({"podSelector": {"matchLabels": {"app": client}}});
    if rng.chance(30) {
        peer = json!({
            "namespaceSelector": {"matchExpressions": [
                {"key": "team", "operator": "In", "values": ["shop", "payments"]},
                {"key": "env", "operator": "NotIn", "values": ["dev"]}]},
            "podSelector": {"matchExpressions": [{"key": "app", "operator": "Exists"}]},
        });
    }
    let mut ports = json!([{"protocol": "TCP", "port": port}]);
    if rng.chance(20) {
        ports = json!([{"protocol": "TCP", "port": 30000, "endPort": 30100}, {"port": "http"}]);
    }
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": format!("allow-{client}-to-{app}"), "namespace": ns,
                     "labels": {"app": app}},
        "spec": {
            "podSelector": {"matchLabels": {"app": app}},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [peer], "ports": ports}],
        },
    })
}

fn allow_egress(rng: &mut Rng, ns: &str, app: &str) -> Value {
    let cidr = format!("{}.{}.0.0/16", 100 + rng.below(100), rng.below(256));
    let except = format!(
        "{}/24",
        cidr.trim_end_matches(".0.0/16").to_string() + ".7.0"
    );
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": format!("{app}-egress"), "namespace": ns},
        "spec": {
            "podSelector": {"matchLabels": {"app": app}},
            "policyTypes": ["Egress"],
            "egress": [
                {"to": [{"namespaceSelector": {"matchLabels": {
                            "kubernetes.io/metadata.name": "kube-system"}},
                         "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                 "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
                {"to": [{"ipBlock": {"cidr": cidr, "except": [except]}}],
                 "ports": [{"protocol": "TCP", "port": 443}]},
            ],
        },
    })
}

fn allow_ingress_controller(ns: &str, app: &str, port: u16) -> Value {
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "allow-ingress-controller", "namespace": ns},
        "spec": {
            "podSelector": {"matchLabels": {"app": app}},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {
                "kubernetes.io/metadata.name": "ingress-nginx"}}}],
                "ports": [{"protocol": "TCP", "port": port}]}],
        },
    })
}
