//! The matrix: endpoints, external classes, the diagonal, agreement with queries.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::json;

use super::support::*;
use crate::engine::{EndpointRef, Engine, MatrixEndpointKind, ProtocolPorts};

#[test]
fn external_classes_cover_both_families_split_by_blocks() {
    let m = two_pods(vec![policy(
        "a",
        "egress",
        json!({"podSelector": {}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}]}]}),
    )]);
    let e = Engine::new(&m);
    let x = e.matrix();
    let ids: Vec<&str> = x.endpoints().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "a/client",
            "b/server",
            "0.0.0.0/0 except 10.0.0.0/8",
            "10.0.0.0/8 (except 2 pod IPs)",
            "::/0"
        ]
    );
    let ext = &x.endpoints()[3];
    assert_eq!(ext.kind, MatrixEndpointKind::External);
    let cidrs: Vec<String> = ext.cidrs.iter().map(|c| alloc::format!("{c}")).collect();
    assert!(!cidrs
        .iter()
        .any(|c| c == "10.0.0.1/32" || c == "10.0.1.1/32"));
    assert!(
        cidrs.contains(&String::from("10.0.0.0/32"))
            && cidrs.contains(&String::from("10.128.0.0/9"))
    );
    assert!(x.is_external(2) && !x.is_external(1));
    // client → outside 10/8 allowed, → 10/8 denied, → ::/0 denied.
    assert!(x.allowed(0, 2).is_all());
    assert!(x.allowed(0, 3).is_empty() && x.allowed(0, 4).is_empty());
    // The diagonal is all; external pairs are nothing.
    assert!(x.allowed(0, 0).is_all() && x.allowed(2, 3).is_empty() && x.allowed(2, 2).is_empty());
    let pairs: Vec<(usize, usize)> = x.connections().map(|c| (c.from, c.to)).collect();
    assert!(
        pairs.contains(&(0, 0))
            && pairs.contains(&(0, 2))
            && !pairs.contains(&(0, 3))
            && !pairs.contains(&(2, 3))
    );
    assert!(pairs.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn matrix_agrees_with_allowed_ports_on_every_pair() {
    let m = model(vec![
        ns("web", json!({"team": "web"})),
        pod(
            "web",
            "f1",
            json!({"app": "f"}),
            &["10.0.0.1", "fd00::1"],
            json!([{"name": "http", "containerPort": 80}]),
        ),
        pod(
            "web",
            "f2",
            json!({"app": "f"}),
            &["10.0.0.2"],
            json!([{"name": "http", "containerPort": 81}]),
        ),
        pod(
            "web",
            "g",
            json!({"app": "g", "x": "1"}),
            &["10.0.0.3"],
            json!([]),
        ),
        deployment(
            "api",
            "api",
            json!({"app": "api"}),
            json!([{"name": "http", "containerPort": 8080}]),
        ),
        pod(
            "api",
            "db",
            json!({"app": "db"}),
            &["fd00::9"],
            json!([{"name": "pg", "containerPort": 5432}]),
        ),
        policy(
            "web",
            "deny",
            json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
        ),
        policy(
            "web",
            "f",
            json!({"podSelector": {"matchLabels": {"app": "f"}},
            "ingress": [{"from": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/24"]}}], "ports": [{"port": "http"}]}],
            "egress": [{"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "api"}}}],
                        "ports": [{"port": "http"}, {"port": "pg"}, {"protocol": "UDP"}]},
                       {"to": [{"ipBlock": {"cidr": "fd00::/120"}}]}]}),
        ),
        policy(
            "api",
            "api",
            json!({"podSelector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["db"]}]},
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "web"}},
                "podSelector": {"matchLabels": {"app": "f"}}}], "ports": [{"port": 8000, "endPort": 8100}]}]}),
        ),
    ]);
    let e = Engine::new(&m);
    let x = e.matrix();
    let mut refs: Vec<EndpointRef> = x
        .endpoints()
        .iter()
        .map(|p| match p.endpoint {
            Some(id) => EndpointRef::Endpoint(id),
            None => EndpointRef::External(p.cidrs[0].network()),
        })
        .collect();
    refs.truncate(x.endpoints().len());
    let mut checked = 0;
    for (i, a) in refs.iter().enumerate() {
        for (j, b) in refs.iter().enumerate() {
            if x.is_external(i) && x.is_external(j) {
                continue;
            }
            let want = e.allowed_ports(a, b);
            assert_eq!(
                x.allowed(i, j),
                &want,
                "{} -> {}",
                x.endpoints()[i].id,
                x.endpoints()[j].id
            );
            checked += 1;
        }
    }
    assert!(checked > 20);
    // The connections are exactly the pairs with something allowed, in order.
    let listed: Vec<(usize, usize, ProtocolPorts)> = x
        .connections()
        .map(|c| (c.from, c.to, c.allowed.clone()))
        .collect();
    let n = x.endpoints().len();
    let wanted: Vec<(usize, usize, ProtocolPorts)> = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .filter(|&(i, j)| !x.allowed(i, j).is_empty())
        .map(|(i, j)| (i, j, x.allowed(i, j).clone()))
        .collect();
    assert_eq!(listed, wanted);
    assert!(listed.len() > n && listed.len() < n * n);
    // Spot checks.
    let f1 = x.index_of("web/f1").unwrap();
    let api = x.index_of("api/deployment/api").unwrap();
    let db = x.index_of("api/db").unwrap();
    let mut want = ProtocolPorts::only(
        crate::model::Protocol::Tcp,
        crate::engine::PortSet::range(8000, 8080),
    );
    want = want.intersect(&ProtocolPorts::only(
        crate::model::Protocol::Tcp,
        crate::engine::PortSet::single(8080),
    ));
    assert_eq!(x.allowed(f1, api), &want);
    assert!(x.allowed(f1, db).is_all(), "{:?}", x.allowed(f1, db));
    let f2 = x.index_of("web/f2").unwrap();
    // f2 (IPv4 only) and db (IPv6 only) share no family: both families are tried,
    // and in IPv6 db's address is inside the `fd00::/120` rule.
    assert!(x.allowed(f2, db).is_all());
    let g = x.index_of("web/g").unwrap();
    assert!(x.allowed(g, db).is_empty() && x.allowed(db, g).is_empty());
    assert!(x.class_count() >= 5);
}

#[test]
fn a_block_holding_only_pod_ips_makes_no_external_class() {
    let m = two_pods(vec![policy(
        "b",
        "p",
        json!({"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.1/32"}},
            {"ipBlock": {"cidr": "2001:db8::/127"}}]}]}),
    )]);
    let e = Engine::new(&m);
    let x = e.matrix();
    let ids: Vec<&str> = x.endpoints().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "a/client",
            "b/server",
            "0.0.0.0/0 except 10.0.0.1/32 (except 1 pod IP)",
            "::/0 except 2001:db8::/127",
            "2001:db8::/127"
        ]
    );
    // The /32 is the client itself: it reaches the server, the rest of IPv4 does not.
    assert!(x.allowed(0, 1).is_all());
    assert!(x.allowed(2, 1).is_empty());
    assert!(x.allowed(4, 1).is_all() && x.allowed(3, 1).is_empty());
    assert!(tcp(&e, "2001:db8::1", "b/server", 80));
    assert!(!tcp(&e, "2001:db8::2", "b/server", 80));
}
