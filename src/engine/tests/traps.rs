//! The numbered traps of docs/spec/semantics.md, one test (or more) each.

use alloc::vec;
use serde_json::json;

use super::support::*;
use crate::engine::{EndpointRef, Engine};
use crate::model::{Direction, Protocol};

#[test]
fn trap1_ingress_without_rules_denies_all_ingress() {
    for spec in [
        json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
        json!({"podSelector": {}, "ingress": []}),
        json!({"podSelector": {}}),
    ] {
        let m = two_pods(vec![policy("b", "deny", spec)]);
        let e = Engine::new(&m);
        assert!(!tcp(&e, "a/client", "b/server", 8080));
        assert!(!allowed(&e, "a/client", "b/server", 53, Protocol::Udp));
        assert!(!tcp(&e, "203.0.113.9", "b/server", 443));
        // The other direction is not isolated.
        assert!(tcp(&e, "b/server", "a/client", 8080));
    }
}

#[test]
fn trap2_missing_policy_types_ingress_always_egress_only_with_rules() {
    // Egress rules, no policyTypes: isolated both ways.
    let m = two_pods(vec![policy(
        "b",
        "egress-only-rules",
        json!({"podSelector": {}, "egress": [{"ports": [{"port": 53, "protocol": "UDP"}]}]}),
    )]);
    let e = Engine::new(&m);
    let server = e.resolve("b/server").unwrap();
    let EndpointRef::Endpoint(id) = server else {
        panic!()
    };
    assert!(e.is_isolated(id, Direction::Ingress) && e.is_isolated(id, Direction::Egress));
    assert!(!tcp(&e, "a/client", "b/server", 8080));
    assert!(allowed(&e, "b/server", "a/client", 53, Protocol::Udp));
    assert!(!tcp(&e, "b/server", "a/client", 53));
    // `egress: []` without policyTypes does not isolate egress.
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "egress": []}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "b/server", "a/client", 1234));
    assert!(!tcp(&e, "a/client", "b/server", 8080));
    // Explicit policyTypes [Egress] with no egress rules: egress denied, ingress open.
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "policyTypes": ["Egress"]}),
    )]);
    let e = Engine::new(&m);
    assert!(!tcp(&e, "b/server", "a/client", 1234));
    assert!(tcp(&e, "a/client", "b/server", 8080));
}

#[test]
fn trap3_named_port_needs_name_and_protocol() {
    // `dns` is UDP on the server: a TCP entry named `dns` matches nothing.
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": "dns"}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(!tcp(&e, "a/client", "b/server", 53));
    assert!(!allowed(&e, "a/client", "b/server", 53, Protocol::Udp));
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": "dns", "protocol": "UDP"}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(allowed(&e, "a/client", "b/server", 53, Protocol::Udp));
    assert!(!allowed(&e, "a/client", "b/server", 54, Protocol::Udp));
    assert!(!tcp(&e, "a/client", "b/server", 53));
}

#[test]
fn trap3_port_name_suffix_is_not_a_protocol() {
    let m = model(vec![
        pod("a", "c", json!({"app": "c"}), &["10.0.0.1"], json!([])),
        pod(
            "a",
            "s",
            json!({"app": "s"}),
            &["10.0.0.2"],
            json!([{"name": "metrics-udp", "containerPort": 9100}]),
        ),
        policy(
            "a",
            "p",
            json!({"podSelector": {"matchLabels": {"app": "s"}},
            "ingress": [{"ports": [{"port": "metrics-udp"}]}]}),
        ),
    ]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/c", "a/s", 9100));
    assert!(!allowed(&e, "a/c", "a/s", 9100, Protocol::Udp));
}

#[test]
fn trap4_metadata_name_label_is_always_there() {
    let allow_from_a = policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector":
            {"matchLabels": {"kubernetes.io/metadata.name": "a"}}}]}]}),
    );
    let m = two_pods(vec![allow_from_a.clone()]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 8080));
    assert_eq!(
        e.namespace("a")
            .unwrap()
            .labels
            .get("kubernetes.io/metadata.name")
            .unwrap(),
        "a"
    );
    // A declared label with another value is overridden.
    let m = model(vec![
        ns("a", json!({"kubernetes.io/metadata.name": "not-a"})),
        pod("a", "client", json!({}), &["10.0.0.1"], json!([])),
        pod("b", "server", json!({}), &["10.0.1.1"], json!([])),
        allow_from_a.clone(),
    ]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 8080));
    // An undeclared namespace exists with the label alone.
    let m = model(vec![
        pod("a", "client", json!({}), &["10.0.0.1"], json!([])),
        pod("c", "other", json!({}), &["10.0.2.1"], json!([])),
        pod("b", "server", json!({}), &["10.0.1.1"], json!([])),
        allow_from_a,
    ]);
    let e = Engine::new(&m);
    assert!(e.namespace("a").unwrap().declared.is_none());
    assert!(tcp(&e, "a/client", "b/server", 8080));
    assert!(!tcp(&e, "c/other", "b/server", 8080));
}

#[test]
fn trap5_pod_selector_only_peer_means_the_policy_namespace() {
    let m = two_pods(vec![
        pod(
            "b",
            "client",
            json!({"app": "client"}),
            &["10.0.1.2"],
            json!([]),
        ),
        policy(
            "b",
            "p",
            json!({"podSelector": {"matchLabels": {"app": "server"}},
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "client"}}}]}]}),
        ),
    ]);
    let e = Engine::new(&m);
    assert!(!tcp(&e, "a/client", "b/server", 8080));
    assert!(tcp(&e, "b/client", "b/server", 8080));
}

#[test]
fn trap6_rule_ports_are_checked() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {}}],
            "ports": [{"port": 80}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 80));
    assert!(!tcp(&e, "a/client", "b/server", 8080));
    assert!(!allowed(&e, "a/client", "b/server", 80, Protocol::Udp));
}

#[test]
fn trap7_empty_rule_matches_everything_including_outside() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "203.0.113.7", "b/server", 1));
    assert!(allowed(
        &e,
        "2001:db8::7",
        "b/server",
        65535,
        Protocol::Sctp
    ));
    assert!(tcp(&e, "a/client", "b/server", 22));
    assert_eq!(ports(&e, "a/client", "b/server").len(), 3);
}

#[test]
fn trap8_workloads_keep_their_own_labels() {
    let m = model(vec![
        deployment(
            "shop",
            "web",
            json!({"app": "web", "tier": "front"}),
            json!([]),
        ),
        deployment(
            "shop",
            "api",
            json!({"app": "api"}),
            json!([{"name": "http", "containerPort": 8080}]),
        ),
        policy(
            "shop",
            "web-only",
            json!({"podSelector": {"matchLabels": {"app": "web", "tier": "front"}}, "policyTypes": ["Ingress"]}),
        ),
    ]);
    let e = Engine::new(&m);
    let ids: alloc::vec::Vec<&str> = e.endpoints().iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["shop/deployment/api", "shop/deployment/web"]);
    assert!(!tcp(&e, "shop/api", "shop/web", 80));
    assert!(tcp(&e, "shop/web", "shop/api", 8080));
}

#[test]
fn trap8_pods_represent_their_workload() {
    let m = model(vec![
        deployment("shop", "web", json!({"app": "web"}), json!([])),
        pod(
            "shop",
            "web-7d4-abcde",
            json!({"app": "web", "pod-template-hash": "7d4"}),
            &["10.0.0.5"],
            json!([]),
        ),
        deployment("shop", "api", json!({"app": "api", "tier": "b"}), json!([])),
        // Carries only part of the api template's labels: does not represent it.
        pod(
            "shop",
            "stray",
            json!({"app": "api"}),
            &["10.0.0.6"],
            json!([]),
        ),
    ]);
    let e = Engine::new(&m);
    let ids: alloc::vec::Vec<&str> = e.endpoints().iter().map(|x| x.id.as_str()).collect();
    assert_eq!(
        ids,
        ["shop/deployment/api", "shop/stray", "shop/web-7d4-abcde"]
    );
    assert_eq!(e.workload_endpoint(0), None);
    assert_eq!(e.represented_by(0).len(), 1);
    // The workload name resolves to its one pod.
    assert_eq!(
        e.display(&e.resolve("shop/web").unwrap()),
        "shop/web-7d4-abcde"
    );
    assert_eq!(
        e.display(&e.resolve("shop/deployment/api").unwrap()),
        "shop/deployment/api"
    );
}

#[test]
fn trap9_ip_blocks_match_pod_ips_and_never_pods_without_ip() {
    let m = model(vec![
        pod(
            "a",
            "client",
            json!({"app": "client"}),
            &["10.0.0.1"],
            json!([]),
        ),
        deployment("a", "job", json!({"app": "job"}), json!([])),
        pod("b", "server", json!({}), &["10.0.1.1"], json!([])),
        policy(
            "b",
            "p",
            json!({"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/24"}}]}]}),
        ),
    ]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 80));
    assert!(!tcp(&e, "a/deployment/job", "b/server", 80));
    assert!(tcp(&e, "10.0.0.99", "b/server", 80));
    assert!(!tcp(&e, "10.0.2.1", "b/server", 80));
}

#[test]
fn trap10_accepted_oddities_are_not_rejected() {
    // Host bits set: masked, not rejected.
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.77/24"}}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 80));
    // Rules of a direction not in policyTypes are ignored, not an error.
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "policyTypes": ["Egress"], "ingress": [{"ports": [{"port": 1}]}],
            "egress": [{}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 8080));
    assert!(tcp(&e, "b/server", "a/client", 8080));
}
