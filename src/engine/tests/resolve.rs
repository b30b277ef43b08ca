//! Endpoint names: `ns/name`, `ns/kind/name`, addresses, errors.

use alloc::string::ToString;
use alloc::vec;
use serde_json::json;

use super::support::*;
use crate::engine::{EndpointRef, Engine, QueryError, ResolveError};
use crate::model::{PortValue, Protocol};

fn cluster() -> crate::model::Model {
    model(vec![
        pod(
            "shop",
            "web",
            json!({"app": "web"}),
            &["10.0.0.1"],
            json!([{"name": "http", "containerPort": 8080}]),
        ),
        deployment("shop", "web", json!({"app": "other"}), json!([])),
        deployment("shop", "api", json!({"app": "api"}), json!([])),
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "api", "namespace": "shop"},
            "spec": {"selector": {"matchLabels": {"app": "db"}}, "serviceName": "db",
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}),
        deployment("shop", "cache", json!({"app": "cache"}), json!([])),
        pod(
            "kube-system",
            "n1",
            json!({"a": "1"}),
            &["192.168.0.10"],
            json!([]),
        ),
        pod(
            "kube-system",
            "n2",
            json!({"a": "2"}),
            &["192.168.0.10"],
            json!([]),
        ),
    ])
}

#[test]
fn names_kinds_and_addresses() {
    let m = cluster();
    let e = Engine::new(&m);
    let show = |t: &str| e.display(&e.resolve(t).unwrap());
    assert_eq!(show("shop/cache"), "shop/deployment/cache");
    assert_eq!(show("shop/Deployment/web"), "shop/deployment/web");
    assert_eq!(show("shop/pod/web"), "shop/web");
    assert_eq!(show("shop/statefulset/api"), "shop/statefulset/api");
    assert_eq!(show(" 10.0.0.1 "), "shop/web");
    assert_eq!(
        e.resolve("203.0.113.7").unwrap(),
        EndpointRef::External(ip("203.0.113.7"))
    );
    assert_eq!(
        e.resolve("2001:db8::1").unwrap(),
        EndpointRef::External(ip("2001:db8::1"))
    );
}

#[test]
fn ambiguity_lists_the_candidates() {
    let m = cluster();
    let e = Engine::new(&m);
    let err = e.resolve("shop/web").unwrap_err();
    assert_eq!(
        err,
        ResolveError::Ambiguous {
            text: "shop/web".into(),
            candidates: vec!["shop/deployment/web".into(), "shop/web".into()],
        }
    );
    assert!(err.to_string().contains("`shop/deployment/web`"));
    let err = e.resolve("shop/api").unwrap_err();
    assert!(matches!(&err, ResolveError::Ambiguous { candidates, .. }
        if candidates == &["shop/deployment/api", "shop/statefulset/api"]));
    let err = e.resolve("192.168.0.10").unwrap_err();
    assert!(matches!(&err, ResolveError::Ambiguous { candidates, .. }
        if candidates == &["kube-system/n1", "kube-system/n2"]));
}

#[test]
fn errors_never_panic() {
    let m = cluster();
    let e = Engine::new(&m);
    assert_eq!(e.resolve("").unwrap_err(), ResolveError::Empty);
    assert!(matches!(
        e.resolve("shop").unwrap_err(),
        ResolveError::Malformed { .. }
    ));
    assert!(matches!(
        e.resolve("a/b/c/d").unwrap_err(),
        ResolveError::Malformed { .. }
    ));
    assert!(matches!(
        e.resolve("/x").unwrap_err(),
        ResolveError::Malformed { .. }
    ));
    assert!(matches!(
        e.resolve("shop/nope").unwrap_err(),
        ResolveError::NotFound { .. }
    ));
    assert!(matches!(
        e.resolve("nope/web").unwrap_err(),
        ResolveError::NotFound { .. }
    ));
    assert!(matches!(
        e.resolve("shop/gizmo/web").unwrap_err(),
        ResolveError::UnknownKind { .. }
    ));
    assert!(matches!(
        e.resolve("10.0.0.300").unwrap_err(),
        ResolveError::Malformed { .. }
    ));
}

#[test]
fn flows_resolve_named_ports_on_the_destination() {
    let m = cluster();
    let e = Engine::new(&m);
    let f = e
        .flow(
            "shop/cache",
            "10.0.0.1",
            &PortValue::Name("http".into()),
            Protocol::Tcp,
        )
        .unwrap();
    assert_eq!((f.port, f.port_name.as_deref()), (8080, Some("http")));
    let err = e
        .flow(
            "shop/cache",
            "10.0.0.1",
            &PortValue::Name("http".into()),
            Protocol::Udp,
        )
        .unwrap_err();
    assert!(matches!(err, QueryError::NamedPortNotFound { .. }), "{err}");
    let err = e
        .flow(
            "shop/cache",
            "1.2.3.4",
            &PortValue::Name("http".into()),
            Protocol::Tcp,
        )
        .unwrap_err();
    assert!(matches!(err, QueryError::NamedPortOutsideCluster { .. }));
    let err = e
        .flow(
            "shop/cache",
            "1.2.3.4",
            &PortValue::Number(0),
            Protocol::Tcp,
        )
        .unwrap_err();
    assert_eq!(err, QueryError::InvalidPort);
    assert!(matches!(
        e.flow("x", "1.2.3.4", &PortValue::Number(1), Protocol::Tcp),
        Err(QueryError::From(_))
    ));
    assert!(matches!(
        e.flow("1.2.3.4", "shop/web", &PortValue::Number(1), Protocol::Tcp),
        Err(QueryError::To(_))
    ));
}
