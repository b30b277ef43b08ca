//! The tiers through the engine's public answers, on decoded manifests.

use alloc::vec;
use alloc::vec::Vec;

use serde_json::{json, Value};

use crate::engine::tests::support::{model, ns, pod, policy, verdict};
use crate::engine::{EndpointRef, Engine, Layer};
use crate::model::Protocol;

fn web(namespace: &str, name: &str, app: &str, ip: &str) -> Value {
    pod(
        namespace,
        name,
        json!({ "app": app }),
        &[ip],
        json!([{"name": "http", "containerPort": 80, "protocol": "TCP"}]),
    )
}

fn cnp(name: &str, tier: &str, priority: u32, spec: Value) -> Value {
    let mut spec = spec;
    spec["tier"] = json!(tier);
    spec["priority"] = json!(priority);
    json!({"apiVersion": "policy.networking.k8s.io/v1alpha2", "kind": "ClusterNetworkPolicy",
           "metadata": {"name": name}, "spec": spec})
}

fn cluster(extra: Vec<Value>) -> Vec<Value> {
    let mut objects = vec![
        ns("a", json!({"team": "a"})),
        ns("b", json!({"team": "b"})),
        web("a", "client", "client", "10.0.0.1"),
        web("b", "server", "server", "10.0.1.1"),
    ];
    objects.extend(extra);
    objects
}

fn refs(engine: &Engine<'_>, from: &str, to: &str) -> (EndpointRef, EndpointRef) {
    (engine.resolve(from).unwrap(), engine.resolve(to).unwrap())
}

fn deny_ingress_from_a(priority: u32, action: &str) -> Value {
    cnp(
        "guard",
        "Admin",
        priority,
        json!({"subject": {"namespaces": {"matchLabels": {"team": "b"}}},
               "ingress": [{"name": "from-a", "action": action,
                            "from": [{"namespaces": {"matchLabels": {"team": "a"}}}]}]}),
    )
}

#[test]
fn an_admin_deny_beats_everything_below_and_is_explained() {
    let m = model(cluster(vec![deny_ingress_from_a(10, "Deny")]));
    let engine = Engine::new(&m);
    let (from, to) = refs(&engine, "a/client", "b/server");
    assert!(!engine.allows(&from, &to, Protocol::Tcp, 80));
    assert!(engine.allowed_ports(&from, &to).is_empty());
    // The other direction is not the subject's ingress from `a`.
    assert!(engine.allows(&to, &from, Protocol::Tcp, 80));
    let answer = verdict(&engine, "a/client", "b/server", 80, Protocol::Tcp);
    assert!(!answer.allowed);
    assert_eq!(answer.ingress.layer, Some(Layer::Admin));
    assert_eq!(answer.ingress.tiers.len(), 1);
    assert_eq!(answer.ingress.tiers[0].rule, 0);
    assert!(
        answer
            .reason
            .contains("Deny in admin `guard` rule 0 (from-a)"),
        "{}",
        answer.reason
    );
    assert_eq!(answer.egress.layer, Some(Layer::Default));
}

#[test]
fn pass_hands_over_to_network_policies_then_baseline() {
    let np = policy(
        "b",
        "allow-a",
        json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "a"}}}]}]}),
    );
    let baseline = cnp(
        "floor",
        "Baseline",
        1,
        json!({"subject": {"namespaces": {}},
               "ingress": [{"action": "Deny", "from": [{"namespaces": {}}]}]}),
    );
    // Pass, then the NetworkPolicy allows.
    let m = model(cluster(vec![
        deny_ingress_from_a(10, "Pass"),
        np,
        baseline.clone(),
    ]));
    let engine = Engine::new(&m);
    let answer = verdict(&engine, "a/client", "b/server", 80, Protocol::Tcp);
    assert!(answer.allowed, "{}", answer.reason);
    assert_eq!(answer.ingress.layer, Some(Layer::NetworkPolicy));
    assert!(
        answer.reason.contains("Pass in admin `guard` rule 0 (from-a) → ingress to `b/server` is allowed by `b/allow-a`"),
        "{}",
        answer.reason
    );
    // Pass without a NetworkPolicy: the baseline denies.
    let m = model(cluster(vec![deny_ingress_from_a(10, "Pass"), baseline]));
    let engine = Engine::new(&m);
    let answer = verdict(&engine, "a/client", "b/server", 80, Protocol::Tcp);
    assert!(!answer.allowed);
    assert_eq!(answer.ingress.layer, Some(Layer::Baseline));
}

#[test]
fn networks_match_pod_addresses_and_domain_names_are_uncertain() {
    let egress = cnp(
        "egress",
        "Admin",
        5,
        json!({"subject": {"namespaces": {"matchLabels": {"team": "a"}}},
               "egress": [
                   {"action": "Accept", "to": [{"domainNames": ["example.com"]}]},
                   {"action": "Deny", "to": [{"networks": ["0.0.0.0/0"]}]}]}),
    );
    let m = model(cluster(vec![egress]));
    let engine = Engine::new(&m);
    let (from, to) = refs(&engine, "a/client", "b/server");
    // 0.0.0.0/0 matches the pod's address; a domain name never resolves to a pod.
    assert!(!engine.allows(&from, &to, Protocol::Tcp, 80));
    let sets = engine.flow_sets(&from, &to);
    assert!(sets.uncertain().is_empty());
    // Outside the cluster: allowed if DNS answers with that address, denied otherwise.
    let (from, out) = refs(&engine, "a/client", "203.0.113.9");
    let sets = engine.flow_sets(&from, &out);
    assert!(sets.uncertain().allows(Protocol::Tcp, 443));
    assert!(sets.dns && !sets.order);
    assert!(!engine.allows(&from, &out, Protocol::Tcp, 443));
    let answer = verdict(&engine, "a/client", "203.0.113.9", 443, Protocol::Tcp);
    assert!(!answer.allowed);
    assert!(answer.uncertain.is_some_and(|u| u.dns && !u.order));
    assert!(
        answer.reason.starts_with("uncertain: depends on DNS"),
        "{}",
        answer.reason
    );
}

#[test]
fn equal_priorities_that_disagree_are_undefined_and_that_agree_are_not() {
    let accept = cnp(
        "one",
        "Admin",
        7,
        json!({"subject": {"namespaces": {}}, "ingress": [{"action": "Accept", "from": [{"namespaces": {}}]}]}),
    );
    let mut deny = deny_ingress_from_a(7, "Deny");
    let m = model(cluster(vec![accept.clone(), deny.clone()]));
    let engine = Engine::new(&m);
    let (from, to) = refs(&engine, "a/client", "b/server");
    let sets = engine.flow_sets(&from, &to);
    assert!(sets.order && !sets.dns);
    assert!(sets.uncertain().allows(Protocol::Tcp, 80));
    // Different priorities: the lower one decides.
    deny["spec"]["priority"] = json!(6);
    let m = model(cluster(vec![accept, deny]));
    let engine = Engine::new(&m);
    let sets = engine.flow_sets(&from, &to);
    assert!(sets.uncertain().is_empty());
    assert!(!engine.allows(&from, &to, Protocol::Tcp, 80));
}

#[test]
fn the_matrix_agrees_with_the_flows() {
    let m = model(cluster(vec![deny_ingress_from_a(10, "Deny")]));
    let engine = Engine::new(&m);
    let matrix = engine.matrix();
    let from = matrix.index_of("a/client").unwrap();
    let to = matrix.index_of("b/server").unwrap();
    assert!(matrix.allowed(from, to).is_empty());
    assert!(matrix.allowed(to, from).is_all());
}

#[test]
fn a_changed_cluster_policy_shows_in_the_diff_by_both_strategies() {
    use crate::diff::{diff_models, DiffOptions, Strategy};
    let base = model(cluster(vec![deny_ingress_from_a(10, "Deny")]));
    let head = model(cluster(vec![deny_ingress_from_a(10, "Pass")]));
    for strategy in [Strategy::Incremental, Strategy::Full] {
        let options = DiffOptions {
            strategy,
            ..DiffOptions::default()
        };
        let d = diff_models(&base, &head, &options);
        assert_eq!(d.stats.changed_policies, 2, "{strategy:?}");
        assert!(d.removed.is_empty(), "{strategy:?}");
        let added: Vec<(&str, &str)> = d.added.iter().map(|c| (d.id(c.from), d.id(c.to))).collect();
        assert_eq!(added, vec![("a/client", "b/server")], "{strategy:?}");
        assert!(d.added[0].ports.is_all());
    }
    // The same policy on both sides: nothing to diff.
    let d = diff_models(&base, &base, &DiffOptions::default());
    assert!(d.is_empty());
    assert_eq!(d.stats.changed_policies, 0);
}
