//! The points of docs/spec/semantics.md beyond the traps: selectors, peers, ports,
//! ipBlocks, families, self traffic, addresses outside the cluster.

use alloc::vec;
use serde_json::json;

use super::support::*;
use crate::engine::Engine;
use crate::model::Protocol;

/// `b/server` open to peers matching `peer` (ingress, all ports).
fn ingress_from(peer: serde_json::Value) -> crate::model::Model {
    two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [peer]}]}),
    )])
}

#[test]
fn selector_operators() {
    let cases = [
        (
            json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["client", "x"]}]}),
            true,
        ),
        (
            json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["x"]}]}),
            false,
        ),
        (
            json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["x"]}]}),
            true,
        ),
        (
            json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["client"]}]}),
            false,
        ),
        // NotIn matches when the key is absent.
        (
            json!({"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["x"]}]}),
            true,
        ),
        (
            json!({"matchExpressions": [{"key": "app", "operator": "Exists"}]}),
            true,
        ),
        (
            json!({"matchExpressions": [{"key": "zone", "operator": "Exists"}]}),
            false,
        ),
        (
            json!({"matchExpressions": [{"key": "zone", "operator": "DoesNotExist"}]}),
            true,
        ),
        (
            json!({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}),
            false,
        ),
        // matchLabels AND matchExpressions.
        (
            json!({"matchLabels": {"app": "client"}, "matchExpressions": [{"key": "app", "operator": "Exists"}]}),
            true,
        ),
        (
            json!({"matchLabels": {"app": "client"}, "matchExpressions": [{"key": "zone", "operator": "Exists"}]}),
            false,
        ),
        (json!({}), true),
    ];
    for (selector, expected) in cases {
        let m = ingress_from(json!({"namespaceSelector": {}, "podSelector": selector}));
        let e = Engine::new(&m);
        assert_eq!(
            tcp(&e, "a/client", "b/server", 8080),
            expected,
            "{selector}"
        );
    }
}

#[test]
fn namespace_and_pod_selectors_in_one_peer_are_anded() {
    let both = |ns: &str, app: &str| {
        ingress_from(json!({"namespaceSelector": {"matchLabels": {"team": ns}},
            "podSelector": {"matchLabels": {"app": app}}}))
    };
    let m = both("a", "client");
    assert!(tcp(&Engine::new(&m), "a/client", "b/server", 8080));
    let m = both("b", "client");
    assert!(!tcp(&Engine::new(&m), "a/client", "b/server", 8080));
    let m = both("a", "server");
    assert!(!tcp(&Engine::new(&m), "a/client", "b/server", 8080));
    // Namespace selector only: every pod of the matching namespaces.
    let m = ingress_from(json!({"namespaceSelector": {"matchLabels": {"team": "a"}}}));
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 8080));
    assert!(!tcp(&e, "203.0.113.1", "b/server", 8080));
}

#[test]
fn selectors_never_match_addresses_outside_the_cluster() {
    let m = ingress_from(json!({"namespaceSelector": {}, "podSelector": {}}));
    let e = Engine::new(&m);
    assert!(!tcp(&e, "203.0.113.1", "b/server", 8080));
    assert!(tcp(&e, "a/client", "b/server", 8080));
}

#[test]
fn rules_are_ored_across_policies_and_peers_and_ports_within_rules() {
    let m = two_pods(vec![
        policy(
            "b",
            "one",
            json!({"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "192.0.2.0/24"}},
            {"namespaceSelector": {"matchLabels": {"team": "a"}}}], "ports": [{"port": 80}, {"port": 443}]}]}),
        ),
        policy(
            "b",
            "two",
            json!({"podSelector": {"matchLabels": {"app": "server"}},
            "ingress": [{"ports": [{"port": 9000, "endPort": 9010}]}]}),
        ),
    ]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 80));
    assert!(tcp(&e, "a/client", "b/server", 443));
    assert!(tcp(&e, "192.0.2.4", "b/server", 443));
    assert!(tcp(&e, "198.51.100.1", "b/server", 9005));
    assert!(!tcp(&e, "198.51.100.1", "b/server", 443));
    assert!(!tcp(&e, "a/client", "b/server", 9011));
    assert_eq!(
        ports(&e, "a/client", "b/server"),
        ["TCP [(80, 80), (443, 443), (9000, 9010)]"]
    );
}

#[test]
fn empty_lists_mean_all() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [], "ports": []}]}),
    )]);
    let e = Engine::new(&m);
    assert!(allowed(&e, "203.0.113.1", "b/server", 7, Protocol::Sctp));
    assert!(allowed(&e, "a/client", "b/server", 7, Protocol::Udp));
}

#[test]
fn protocol_defaults_to_tcp() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{}]}]}),
    )]);
    let e = Engine::new(&m);
    assert_eq!(ports(&e, "a/client", "b/server"), ["TCP [(1, 65535)]"]);
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"protocol": "UDP"}]}]}),
    )]);
    let e = Engine::new(&m);
    assert_eq!(ports(&e, "a/client", "b/server"), ["UDP [(1, 65535)]"]);
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [{"port": 53}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(!allowed(&e, "a/client", "b/server", 53, Protocol::Udp));
    assert!(tcp(&e, "a/client", "b/server", 53));
}

#[test]
fn end_port_ranges_and_sctp() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"ports": [
        {"port": 32000, "endPort": 32768}, {"port": 9999, "protocol": "SCTP"}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 32000));
    assert!(tcp(&e, "a/client", "b/server", 32768));
    assert!(!tcp(&e, "a/client", "b/server", 32769));
    assert!(!tcp(&e, "a/client", "b/server", 31999));
    assert!(allowed(&e, "a/client", "b/server", 9999, Protocol::Sctp));
    assert!(!tcp(&e, "a/client", "b/server", 9999));
}

#[test]
fn named_ports_resolve_on_the_destination() {
    // Egress: the named port is looked up on the peer (the destination).
    let m = two_pods(vec![policy(
        "a",
        "p",
        json!({"podSelector": {}, "policyTypes": ["Egress"],
        "egress": [{"ports": [{"port": "http"}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "b/server", 8080));
    assert!(!tcp(&e, "a/client", "b/server", 80));
    // Never for an address outside the cluster.
    assert!(!tcp(&e, "a/client", "203.0.113.1", 8080));
    // Ingress: on the selected pod (the destination), not on the source.
    let m = two_pods(vec![
        pod(
            "a",
            "other",
            json!({}),
            &["10.0.0.2"],
            json!([{"name": "http", "containerPort": 9090}]),
        ),
        policy(
            "a",
            "p",
            json!({"podSelector": {"matchLabels": {"app": "client"}},
            "ingress": [{"ports": [{"port": "http"}]}]}),
        ),
    ]);
    let e = Engine::new(&m);
    assert!(!tcp(&e, "b/server", "a/client", 8080));
    assert!(tcp(&e, "b/server", "a/other", 9090));
}

#[test]
fn ip_block_except_and_families() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [
        {"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "169.254.169.254/32"]}},
        {"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]}}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "8.8.8.8", "b/server", 80));
    assert!(!tcp(&e, "169.254.169.254", "b/server", 80));
    assert!(!tcp(&e, "a/client", "b/server", 80));
    assert!(!tcp(&e, "10.200.0.1", "b/server", 80));
    assert!(tcp(&e, "2001:db8:2::1", "b/server", 80));
    assert!(!tcp(&e, "2001:db8:1::1", "b/server", 80));
    // 0.0.0.0/0 is IPv4 only.
    assert!(!tcp(&e, "2001:db9::1", "b/server", 80));
}

#[test]
fn dual_stack_is_allowed_if_some_family_allows() {
    let m = model(vec![
        pod("a", "c", json!({}), &["10.0.0.1", "fd00::1"], json!([])),
        pod("a", "v4only", json!({}), &["10.0.0.2"], json!([])),
        pod("b", "s", json!({}), &["10.0.1.1", "fd00::2"], json!([])),
        policy(
            "b",
            "p",
            json!({"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "fd00::/64"}}]}]}),
        ),
    ]);
    let e = Engine::new(&m);
    // c and s share both families; IPv6 allows.
    assert!(tcp(&e, "a/c", "b/s", 80));
    assert_eq!(
        e.query(
            &e.flow(
                "a/c",
                "b/s",
                &crate::model::PortValue::Number(80),
                Protocol::Tcp
            )
            .unwrap()
        )
        .family,
        Some(crate::engine::Family::V6)
    );
    // v4only shares IPv4 only with s; the IPv6 block cannot match it.
    assert!(!tcp(&e, "a/v4only", "b/s", 80));
}

#[test]
fn self_traffic_is_always_allowed() {
    let m = two_pods(vec![policy(
        "b",
        "deny",
        json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    )]);
    let e = Engine::new(&m);
    let v = verdict(&e, "b/server", "b/server", 8080, Protocol::Tcp);
    assert!(v.allowed && v.self_traffic);
    assert!(v.reason.contains("itself"), "{}", v.reason);
    assert!(!tcp(&e, "b/server", "a/client", 8080));
    // Two distinct pods of one class are not self traffic.
    let m = model(vec![
        pod("b", "s1", json!({"app": "s"}), &["10.0.1.1"], json!([])),
        pod("b", "s2", json!({"app": "s"}), &["10.0.1.2"], json!([])),
        policy("b", "deny", json!({"podSelector": {}})),
    ]);
    let e = Engine::new(&m);
    assert!(!tcp(&e, "b/s1", "b/s2", 80));
    assert!(tcp(&e, "b/s1", "b/s1", 80));
}

#[test]
fn addresses_outside_the_cluster_always_allow_their_side() {
    let m = two_pods(vec![policy(
        "a",
        "egress",
        json!({"podSelector": {}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "13.108.14.0/24"}}], "ports": [{"port": 80}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "a/client", "13.108.14.7", 80));
    assert!(!tcp(&e, "a/client", "13.108.14.7", 443));
    assert!(!tcp(&e, "a/client", "13.108.15.7", 80));
    assert!(tcp(&e, "13.108.15.7", "a/client", 80));
    assert!(tcp(&e, "13.108.15.7", "13.108.14.7", 80));
}

#[test]
fn ignored_direction_ipblocks_do_not_split_nor_match() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"ipBlock": {"cidr": "192.0.2.0/24"}}]}],
        "egress": [{"to": [{"ipBlock": {"cidr": "198.51.100.0/24"}}]}]}),
    )]);
    let e = Engine::new(&m);
    assert!(tcp(&e, "b/server", "203.0.113.1", 80));
    let externals = e
        .matrix()
        .endpoints()
        .iter()
        .filter(|x| x.namespace.is_none())
        .count();
    // 192.0.2.0/24, the rest of IPv4 (minus pod IPs), and ::/0.
    assert_eq!(externals, 3);
}
