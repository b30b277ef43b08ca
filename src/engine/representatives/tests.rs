//! Which representatives a policy set yields, case by case, and how they are named
//! and resolved.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::{canonical_name, complete, complete_pair, uses_representatives};
use crate::engine::tests::support::{model, ns, pod};
use crate::engine::{EndpointRef, Engine};
use crate::model::Protocol;

/// A NetworkPolicy in `namespace` with `spec`.
fn policy(namespace: &str, name: &str, spec: Value) -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace}, "spec": spec})
}

/// The ids of the endpoints of the completed `objects`.
fn ids(objects: Vec<Value>) -> Vec<String> {
    let model = model(objects);
    let completed = complete(&model);
    let engine = Engine::new(&completed);
    engine.endpoints().iter().map(|e| e.id.clone()).collect()
}

#[test]
fn selectors_become_representatives() {
    // (what, objects, expected endpoint ids)
    let cases: Vec<(&str, Vec<Value>, Vec<&str>)> = vec![
        (
            "own podSelector and a same-namespace peer",
            vec![policy(
                "shop",
                "web",
                json!({"podSelector": {"matchLabels": {"app": "web"}},
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "lb"}}}]}]}),
            )],
            vec!["shop/{app=lb}", "shop/{app=web}"],
        ),
        (
            "an empty podSelector stands for a pod without labels",
            vec![policy("shop", "deny", json!({"podSelector": {}}))],
            vec!["shop/{}"],
        ),
        (
            "a namespace named by kubernetes.io/metadata.name",
            vec![policy(
                "shop",
                "dns",
                json!({"podSelector": {}, "egress": [{"to": [{
                "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}]}]}),
            )],
            vec!["kube-system/{k8s-app=kube-dns}", "shop/{}"],
        ),
        (
            "a namespace matched by a Namespace object's labels; namespaceSelector alone",
            vec![
                ns("mon", json!({"team": "ops"})),
                ns("other", json!({"team": "dev"})),
                policy(
                    "shop",
                    "api",
                    json!({"podSelector": {"matchLabels": {"app": "api"}},
                    "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "ops"}}}]}]}),
                ),
            ],
            vec!["mon/{}", "shop/{app=api}"],
        ),
        (
            "In picks its first value; NotIn and DoesNotExist leave the key out",
            vec![policy(
                "shop",
                "x",
                json!({"podSelector": {"matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["db", "cache"]},
                {"key": "env", "operator": "NotIn", "values": ["test"]},
                {"key": "canary", "operator": "DoesNotExist"}]}}),
            )],
            vec!["shop/{tier=cache}"],
        ),
        (
            "Exists takes the empty value; NotIn on it takes another",
            vec![policy(
                "shop",
                "x",
                json!({"podSelector": {"matchExpressions": [
                {"key": "a", "operator": "Exists"},
                {"key": "b", "operator": "Exists"},
                {"key": "b", "operator": "NotIn", "values": [""]}]}}),
            )],
            vec!["shop/{a=,b=other}"],
        ),
        (
            "an unsatisfiable selector stands for no pod",
            vec![policy(
                "shop",
                "x",
                json!({"podSelector": {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}}),
            )],
            vec![],
        ),
        (
            "a namespace with real pods gets none",
            vec![
                pod("shop", "web-1", json!({"app": "web"}), &[], json!([])),
                policy(
                    "shop",
                    "x",
                    json!({"podSelector": {"matchLabels": {"app": "api"}}}),
                ),
            ],
            vec!["shop/web-1"],
        ),
    ];
    for (what, objects, expected) in cases {
        assert_eq!(ids(objects), expected, "{what}");
    }
}

#[test]
fn representatives_resolve_in_any_spelling() {
    let model = model(vec![policy(
        "shop",
        "web",
        json!({"podSelector": {"matchLabels": {"app": "web", "app.kubernetes.io/part-of": "shop"}}}),
    )]);
    let completed = complete(&model);
    assert!(uses_representatives(&completed));
    let engine = Engine::new(&completed);
    let canonical = engine.resolve("shop/{app=web,app.kubernetes.io/part-of=shop}");
    let reordered = engine.resolve("shop/{ app.kubernetes.io/part-of = shop , app=web }");
    assert!(matches!(canonical, Ok(EndpointRef::Endpoint(_))));
    assert_eq!(canonical, reordered);
    assert!(engine.resolve("shop/{app=api}").is_err());
    assert!(engine.resolve("shop/{app}").is_err());
    assert_eq!(canonical_name("{b=2, a=1}").as_deref(), Some("{a=1,b=2}"));
    assert_eq!(canonical_name("{}").as_deref(), Some("{}"));
    assert_eq!(canonical_name("{=1}"), None);
    assert_eq!(canonical_name("app=web"), None);
}

#[test]
fn a_model_with_pods_everywhere_is_borrowed_unchanged() {
    let model = model(vec![
        pod("shop", "web-1", json!({"app": "web"}), &[], json!([])),
        policy("shop", "x", json!({"podSelector": {}})),
    ]);
    assert!(matches!(complete(&model), alloc::borrow::Cow::Borrowed(_)));
    assert!(!uses_representatives(&model));
}

#[test]
fn both_sides_of_a_diff_get_the_same_representatives() {
    let base = model(vec![policy("shop", "deny", json!({"podSelector": {}}))]);
    let head = model(vec![
        policy("shop", "deny", json!({"podSelector": {}})),
        policy(
            "shop",
            "web",
            json!({"podSelector": {"matchLabels": {"app": "web"}},
            "ingress": [{"ports": [{"port": 80}]}]}),
        ),
    ]);
    let (base, head) = complete_pair(&base, &head);
    let names = |m: &crate::model::Model| -> Vec<String> {
        m.pods.iter().map(|p| p.meta.name.value.clone()).collect()
    };
    assert_eq!(names(&base), ["{}", "{app=web}"]);
    assert_eq!(names(&base), names(&head));
    // The representative answers like a pod with its labels: head opens port 80 to
    // it, base's default deny does not.
    let (base, head) = (Engine::new(&base), Engine::new(&head));
    let outside = EndpointRef::External("203.0.113.7".parse().unwrap());
    let port_80 = |engine: &Engine<'_>| {
        let web = engine.resolve("shop/{app=web}").unwrap();
        engine.allows(&outside, &web, Protocol::Tcp, 80)
    };
    assert!(!port_80(&base));
    assert!(port_80(&head));
}
