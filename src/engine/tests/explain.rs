//! Explanations: isolation, the allowing rule with its paths, closest rules with
//! their mismatch, and positions in the source.

use alloc::vec;
use serde_json::json;

use super::support::*;
use crate::engine::Engine;
use crate::model::{Direction, Protocol};

fn shop() -> (crate::model::Model, crate::source::SourceSet) {
    model_with_sources(vec![
        ns("a", json!({"team": "a"})),
        ns("b", json!({"team": "b"})),
        pod(
            "a",
            "client",
            json!({"app": "client"}),
            &["10.0.0.1"],
            json!([]),
        ),
        pod(
            "b",
            "server",
            json!({"app": "server"}),
            &["10.0.1.1"],
            json!([{"name": "http", "containerPort": 8080}]),
        ),
        policy(
            "b",
            "deny",
            json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
        ),
        policy(
            "b",
            "allow",
            json!({"podSelector": {"matchLabels": {"app": "server"}}, "ingress": [
            {"from": [{"podSelector": {"matchLabels": {"app": "client"}}},
                      {"namespaceSelector": {"matchLabels": {"team": "a"}}}],
             "ports": [{"port": 80}, {"port": "http"}]},
            {"from": [{"ipBlock": {"cidr": "192.0.2.0/24", "except": ["192.0.2.128/25"]}}]}]}),
        ),
    ])
}

#[test]
fn allowed_flow_names_the_rule_peer_and_port_entry() {
    let (m, sources) = shop();
    let e = Engine::new(&m);
    let v = verdict(&e, "a/client", "b/server", 8080, Protocol::Tcp);
    assert!(v.allowed);
    assert!(!v.egress.isolated && v.egress.allowed && v.egress.in_cluster);
    assert!(v.ingress.isolated);
    let names: alloc::vec::Vec<&str> = v
        .ingress
        .isolated_by
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["deny", "allow"]);
    let rule = &v.ingress.allowed_by[0];
    assert_eq!(rule.direction, Direction::Ingress);
    assert_eq!(rule.path, "spec.ingress[0].from[1]");
    assert_eq!(rule.port_path.as_deref(), Some("spec.ingress[0].ports[1]"));
    assert_eq!((rule.peer, rule.port), (Some(1), Some(1)));
    assert!(v.ingress.closest.is_empty());
    // The span points at the peer in the source.
    let src = sources.get(rule.policy.source).unwrap();
    assert!(
        src.slice(rule.span).contains("namespaceSelector"),
        "{}",
        src.slice(rule.span)
    );
    assert!(v.reason.starts_with("allowed:"), "{}", v.reason);
}

#[test]
fn denied_port_says_peer_matched_but_port_not_listed() {
    let (m, _) = shop();
    let e = Engine::new(&m);
    let v = verdict(&e, "a/client", "b/server", 9090, Protocol::Tcp);
    assert!(!v.allowed && v.egress.allowed && !v.ingress.allowed);
    let closest = &v.ingress.closest[0];
    assert_eq!(closest.rule, 0);
    let mismatch = closest.mismatch.as_deref().unwrap();
    assert!(mismatch.starts_with("peer matched but port 9090/TCP not in ports: 80/TCP, `http`/TCP (= 8080 on `b/server`)"), "{mismatch}");
    assert!(
        v.reason
            .starts_with("denied: ingress to `b/server` is isolated by `b/deny`, `b/allow`"),
        "{}",
        v.reason
    );
}

#[test]
fn denied_peer_says_what_did_not_match() {
    let (m, _) = shop();
    let e = Engine::new(&m);
    let v = verdict(&e, "192.0.2.200", "b/server", 80, Protocol::Tcp);
    assert!(!v.allowed && !v.egress.in_cluster);
    // Rule 1 (ipBlock, no ports) comes first: only its peer failed... both rules fail on
    // the peer; the ipBlock one says the address is excepted.
    let texts: alloc::vec::Vec<&str> = v
        .ingress
        .closest
        .iter()
        .filter_map(|r| r.mismatch.as_deref())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t
                .contains("192.0.2.200 is in except `192.0.2.128/25` of ipBlock `192.0.2.0/24`")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("`192.0.2.200` is an address outside the cluster")),
        "{texts:?}"
    );
    // A pod of another namespace: the podSelector-only peer explains the namespace.
    let m = client_in_c_server_in_b(policy(
        "b",
        "allow",
        json!({"podSelector": {}, "ingress": [{"from": [
            {"podSelector": {"matchLabels": {"app": "client"}}},
            {"namespaceSelector": {"matchLabels": {"team": "a"}}},
            {"namespaceSelector": {}, "podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]}}]}]}),
    ));
    let e = Engine::new(&m);
    let v = verdict(&e, "c/client", "b/server", 80, Protocol::Tcp);
    let text = v.ingress.closest[0].mismatch.clone().unwrap();
    assert!(text.contains("from[0]: a podSelector without namespaceSelector selects pods of the policy's namespace `b`, and `c/client` is in `c`"), "{text}");
    assert!(
        text.contains("from[1]: label `team=a` not on namespace `c` (it has `team=c`)"),
        "{text}"
    );
    assert!(
        text.contains("from[2]: `app In [web]` not satisfied: `c/client` has `app=client`"),
        "{text}"
    );
}

#[test]
fn every_selector_term_that_fails_is_told_in_its_own_words() {
    let m = client_in_c_server_in_b(policy(
        "b",
        "allow",
        json!({"podSelector": {}, "ingress": [{"from": [
            {"namespaceSelector": {"matchLabels": {"env": "prod"}}},
            {"namespaceSelector": {}, "podSelector": {"matchExpressions": [{"key": "tier", "operator": "Exists"}]}},
            {"namespaceSelector": {}, "podSelector": {"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}},
            {"namespaceSelector": {}, "podSelector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["client", "web"]}]}},
            {"namespaceSelector": {}, "podSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front"]}]}}]}]}),
    ));
    let e = Engine::new(&m);
    let v = verdict(&e, "c/client", "b/server", 80, Protocol::Tcp);
    let text = v.ingress.closest[0].mismatch.clone().unwrap();
    assert_eq!(
        text,
        "from[0]: label `env=prod` not on namespace `c`; \
         from[1]: `tier Exists` not satisfied: `c/client` has no label `tier`; \
         from[2]: `app DoesNotExist` not satisfied: `c/client` has `app=client`; \
         from[3]: `app NotIn [client, web]` not satisfied: `c/client` has `app=client`; \
         from[4]: `tier In [front]` not satisfied: `c/client` has no label `tier`"
    );
    assert_eq!(
        v.reason,
        "denied: ingress to `b/server` is isolated by `b/allow` and no rule allows 80/TCP"
    );
}

#[test]
fn closest_rules_rank_port_misses_first() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [
        {"from": [{"ipBlock": {"cidr": "192.0.2.0/24"}}], "ports": [{"port": 80}]},
        {"from": [{"podSelector": {}}]},
        {"from": [{"namespaceSelector": {}}], "ports": [{"port": 81}]}]}),
    )]);
    let e = Engine::new(&m);
    let v = verdict(&e, "a/client", "b/server", 80, Protocol::Tcp);
    let order: alloc::vec::Vec<usize> = v.ingress.closest.iter().map(|r| r.rule).collect();
    assert_eq!(order, [2, 0, 1]);
    assert_eq!(v.ingress.closest[0].path, "spec.ingress[2].from[0]");
    assert!(v.ingress.closest[1]
        .mismatch
        .as_deref()
        .unwrap()
        .contains("10.0.0.1 is not in ipBlock `192.0.2.0/24`"));
}

#[test]
fn egress_side_is_explained_with_its_own_paths() {
    let m = two_pods(vec![policy(
        "a",
        "dns",
        json!({"podSelector": {}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"namespaceSelector": {}}], "ports": [{"port": 53, "protocol": "UDP"}]}]}),
    )]);
    let e = Engine::new(&m);
    let v = verdict(&e, "a/client", "b/server", 53, Protocol::Udp);
    assert!(v.allowed);
    assert_eq!(v.egress.allowed_by[0].path, "spec.egress[0].to[0]");
    assert_eq!(
        v.egress.allowed_by[0].port_path.as_deref(),
        Some("spec.egress[0].ports[0]")
    );
    let v = verdict(&e, "a/client", "b/server", 53, Protocol::Tcp);
    assert!(!v.allowed);
    assert!(
        v.reason.starts_with(
            "denied: egress from `a/client` is isolated by `a/dns` and no rule allows 53/TCP"
        ),
        "{}",
        v.reason
    );
}

#[test]
fn the_reason_names_a_few_isolating_policies_and_counts_the_rest() {
    let policies = (0..5)
        .map(|i| policy("b", &alloc::format!("d{i}"), json!({"podSelector": {}})))
        .collect();
    let m = two_pods(policies);
    let e = Engine::new(&m);
    let v = verdict(&e, "a/client", "b/server", 80, Protocol::Tcp);
    assert_eq!(
        v.reason,
        "denied: ingress to `b/server` is isolated by `b/d0`, `b/d1`, `b/d2`, 2 more and no rule allows 80/TCP"
    );
    assert_eq!(v.ingress.isolated_by.len(), 5);
    assert!(v.ingress.closest.is_empty());
}

/// Namespace `c` (`team=c`) with pod `c/client` (`app=client`), pod `b/server`
/// (`app=server`), and `policy`.
fn client_in_c_server_in_b(policy: serde_json::Value) -> crate::model::Model {
    model(vec![
        ns("c", json!({"team": "c"})),
        pod(
            "c",
            "client",
            json!({"app": "client"}),
            &["10.0.2.1"],
            json!([]),
        ),
        pod(
            "b",
            "server",
            json!({"app": "server"}),
            &["10.0.1.1"],
            json!([]),
        ),
        policy,
    ])
}
