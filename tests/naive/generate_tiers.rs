//! proptest strategies for the cluster-wide tiers: `ClusterNetworkPolicy` (Admin and
//! Baseline), `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` and `Node` objects,
//! valid as their CRDs require (named ports never with networks, nodes or domainNames
//! peers; domainNames only in Accept rules; ranges with start < end), drawn from the
//! same tiny vocabularies as the rest of the cluster so that they collide with it.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

use super::generate::{
    namespace_selector, pick, pod_selector, with_labels, PORT_NAMES, PORT_NUMBERS, V4_CIDRS,
    V6_CIDRS,
};

/// Priorities collide on purpose: equal priorities with overlapping subjects are
/// the "order undefined" case.
const PRIORITIES: [u64; 3] = [1, 2, 3];
const DOMAINS: [&str; 2] = ["example.com", "*.example.org"];
/// Node addresses: `10.0.9.1` is where the generated hostNetwork pods live, the others
/// are outside the pod network or inside a pod's range.
const NODE_ADDRESSES: [&str; 4] = ["10.0.9.1", "192.168.0.7", "fd00::9:1", "10.0.0.2"];

/// Which API a generated tier policy speaks.
#[derive(Clone, Copy, Debug)]
enum Api {
    /// `ClusterNetworkPolicy` v1alpha2.
    V1alpha2,
    /// `AdminNetworkPolicy` / `BaselineAdminNetworkPolicy` v1alpha1.
    V1alpha1,
}

fn subject() -> impl Strategy<Value = Value> {
    prop_oneof![
        namespace_selector().prop_map(|n| json!({ "namespaces": n })),
        (namespace_selector(), pod_selector())
            .prop_map(|(n, p)| json!({"pods": {"namespaceSelector": n, "podSelector": p}})),
    ]
}

fn networks() -> impl Strategy<Value = Value> {
    prop_oneof![
        proptest::sample::subsequence(V4_CIDRS.to_vec(), 1..3),
        proptest::sample::subsequence(V6_CIDRS.to_vec(), 1..2),
    ]
    .prop_map(|cidrs| json!(cidrs))
}

/// One peer; `addressed` peers (networks, nodes, domainNames) are flagged so that the
/// rule can leave named ports out.
fn peer(egress: bool, accept: bool, api: Api) -> BoxedStrategy<(Value, bool)> {
    let selectors = prop_oneof![
        namespace_selector().prop_map(|n| (json!({ "namespaces": n }), false)),
        (namespace_selector(), pod_selector()).prop_map(|(n, p)| (
            json!({"pods": {"namespaceSelector": n, "podSelector": p}}),
            false
        )),
    ];
    if !egress {
        return selectors.boxed();
    }
    let nodes = node_selector().prop_map(|s| (json!({ "nodes": s }), true));
    let nets = networks().prop_map(|n| (json!({ "networks": n }), true));
    match (api, accept) {
        (Api::V1alpha2, true) => prop_oneof![
            2 => selectors,
            1 => nets,
            1 => nodes,
            1 => proptest::sample::subsequence(DOMAINS.to_vec(), 1..3)
                .prop_map(|d| (json!({ "domainNames": d }), true)),
        ]
        .boxed(),
        _ => prop_oneof![2 => selectors, 1 => nets, 1 => nodes].boxed(),
    }
}

/// A selector over the node labels.
fn node_selector() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({})),
        pick(&["a", "b"]).prop_map(|v| json!({"matchLabels": {"zone": v}})),
    ]
}

fn v1alpha2_protocol(named_ports: bool) -> BoxedStrategy<Value> {
    let number = pick(&PORT_NUMBERS).prop_map(|n| json!({ "number": n }));
    let range = (pick(&PORT_NUMBERS), 1u16..3000)
        .prop_map(|(s, len)| json!({"range": {"start": s, "end": s + len}}));
    // The CRD requires a destinationPort in a protocol entry (`tcp: {}` is invalid).
    let by_protocol = (pick(&["tcp", "udp", "sctp"]), prop_oneof![number, range])
        .prop_map(|(protocol, port)| json!({ protocol: {"destinationPort": port} }));
    if named_ports {
        prop_oneof![
            3 => by_protocol,
            1 => pick(&PORT_NAMES).prop_map(|n| json!({ "destinationNamedPort": n })),
        ]
        .boxed()
    } else {
        by_protocol.boxed()
    }
}

fn v1alpha1_port(named_ports: bool) -> BoxedStrategy<Value> {
    let protocol = || pick(&["TCP", "UDP", "SCTP"]);
    let number = (protocol(), pick(&PORT_NUMBERS))
        .prop_map(|(p, n)| json!({"portNumber": {"protocol": p, "port": n}}));
    let range = (protocol(), pick(&PORT_NUMBERS), 1u16..3000)
        .prop_map(|(p, s, len)| json!({"portRange": {"protocol": p, "start": s, "end": s + len}}));
    if named_ports {
        prop_oneof![
            2 => number,
            1 => range,
            1 => pick(&PORT_NAMES).prop_map(|n| json!({ "namedPort": n })),
        ]
        .boxed()
    } else {
        prop_oneof![2 => number, 1 => range].boxed()
    }
}

fn rule(egress: bool, api: Api, actions: &'static [&'static str]) -> BoxedStrategy<Value> {
    pick(actions)
        .prop_flat_map(move |action| {
            let accept = matches!(action, "Accept" | "Allow");
            (Just(action), vec(peer(egress, accept, api), 1..3))
        })
        .prop_flat_map(move |(action, peers)| {
            let addressed = peers.iter().any(|(_, a)| *a);
            let entries = match api {
                Api::V1alpha2 => vec(v1alpha2_protocol(!addressed), 1..3).boxed(),
                Api::V1alpha1 => vec(v1alpha1_port(!addressed), 1..3).boxed(),
            };
            (Just(action), Just(peers), option::weighted(0.6, entries))
        })
        .prop_map(move |(action, peers, ports)| {
            let mut r = Map::new();
            r.insert("action".into(), action.into());
            let field = if egress { "to" } else { "from" };
            r.insert(
                field.into(),
                Value::Array(peers.into_iter().map(|(p, _)| p).collect()),
            );
            if let Some(p) = ports {
                let key = match api {
                    Api::V1alpha2 => "protocols",
                    Api::V1alpha1 => "ports",
                };
                r.insert(key.into(), Value::Array(p));
            }
            Value::Object(r)
        })
        .boxed()
}

fn rules(
    egress: bool,
    api: Api,
    actions: &'static [&'static str],
) -> impl Strategy<Value = Option<Value>> {
    option::of(vec(rule(egress, api, actions), 1..3).prop_map(Value::Array))
}

/// A `ClusterNetworkPolicy` named `name` in the Admin or Baseline tier.
pub fn cluster_network_policy(name: String) -> impl Strategy<Value = Value> {
    const ACTIONS: [&str; 3] = ["Accept", "Deny", "Pass"];
    (
        pick(&["Admin", "Baseline"]),
        pick(&PRIORITIES),
        subject(),
        rules(false, Api::V1alpha2, &ACTIONS),
        rules(true, Api::V1alpha2, &ACTIONS),
    )
        .prop_map(move |(tier, priority, subject, ingress, egress)| {
            let mut spec = json!({"tier": tier, "priority": priority, "subject": subject});
            if let Some(i) = ingress {
                spec["ingress"] = i;
            }
            if let Some(e) = egress {
                spec["egress"] = e;
            }
            json!({"apiVersion": "policy.networking.k8s.io/v1alpha2",
                   "kind": "ClusterNetworkPolicy", "metadata": {"name": name}, "spec": spec})
        })
}

/// An `AdminNetworkPolicy` named `name`.
pub fn admin_network_policy(name: String) -> impl Strategy<Value = Value> {
    const ACTIONS: [&str; 3] = ["Allow", "Deny", "Pass"];
    (
        pick(&PRIORITIES),
        subject(),
        rules(false, Api::V1alpha1, &ACTIONS),
        rules(true, Api::V1alpha1, &ACTIONS),
    )
        .prop_map(move |(priority, subject, ingress, egress)| {
            let mut spec = json!({"priority": priority, "subject": subject});
            if let Some(i) = ingress {
                spec["ingress"] = i;
            }
            if let Some(e) = egress {
                spec["egress"] = e;
            }
            json!({"apiVersion": "policy.networking.k8s.io/v1alpha1",
                   "kind": "AdminNetworkPolicy", "metadata": {"name": name}, "spec": spec})
        })
}

/// The `BaselineAdminNetworkPolicy` (a singleton named `default`).
pub fn baseline_admin_network_policy() -> impl Strategy<Value = Value> {
    const ACTIONS: [&str; 2] = ["Allow", "Deny"];
    (
        subject(),
        rules(false, Api::V1alpha1, &ACTIONS),
        rules(true, Api::V1alpha1, &ACTIONS),
    )
        .prop_map(|(subject, ingress, egress)| {
            let mut spec = json!({ "subject": subject });
            if let Some(i) = ingress {
                spec["ingress"] = i;
            }
            if let Some(e) = egress {
                spec["egress"] = e;
            }
            json!({"apiVersion": "policy.networking.k8s.io/v1alpha1",
                   "kind": "BaselineAdminNetworkPolicy", "metadata": {"name": "default"},
                   "spec": spec})
        })
}

/// Node number `i` with a `zone` label and one or two addresses.
pub fn node(i: usize) -> impl Strategy<Value = Value> {
    (
        option::of(pick(&["a", "b"])),
        proptest::sample::subsequence(NODE_ADDRESSES.to_vec(), 1..3),
    )
        .prop_map(move |(zone, addresses)| {
            let mut labels = Map::new();
            if let Some(z) = zone {
                labels.insert("zone".into(), z.into());
            }
            let addresses: Vec<Value> = addresses
                .into_iter()
                .map(|a| json!({"type": "InternalIP", "address": a}))
                .collect();
            json!({"apiVersion": "v1", "kind": "Node",
                   "metadata": with_labels(json!({"name": format!("node{i}")}), labels),
                   "status": {"addresses": addresses}})
        })
}

/// The cluster-wide part of an input: up to `max` tier policies (ClusterNetworkPolicies
/// and AdminNetworkPolicies), maybe the BaselineAdminNetworkPolicy, up to two Nodes.
pub fn tiers(max: usize) -> impl Strategy<Value = Vec<Value>> {
    (0..=max, 0..=2usize)
        .prop_flat_map(|(policies, nodes)| {
            (
                (0..policies)
                    .map(|i| {
                        prop_oneof![
                            2 => cluster_network_policy(format!("cnp{i}")),
                            1 => admin_network_policy(format!("anp{i}")),
                        ]
                    })
                    .collect::<Vec<_>>(),
                option::weighted(0.3, baseline_admin_network_policy()),
                (0..nodes).map(node).collect::<Vec<_>>(),
            )
        })
        .prop_map(|(mut policies, baseline, nodes)| {
            policies.extend(baseline);
            policies.extend(nodes);
            policies
        })
}

/// A whole input with tiers: [`super::generate::cluster`] plus [`tiers`].
pub fn cluster_with_tiers(
    max_pods: usize,
    max_policies: usize,
    max_tiers: usize,
) -> impl Strategy<Value = Vec<Value>> {
    (
        super::generate::cluster(max_pods, max_policies),
        tiers(max_tiers),
    )
        .prop_map(|(mut objects, tiers)| {
            objects.extend(tiers);
            objects
        })
}
