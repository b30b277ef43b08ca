//! Decoding tests over small JSON texts.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::*;
use crate::model::{Expectation, Peer, PortValue, Protocol};
use crate::source::Source;

fn load_json(text: &str) -> Loaded {
    let mut set = SourceSet::new();
    set.add(Source::new("t.json", text));
    load(&set, &Limits::default())
}

fn found(loaded: &Loaded) -> Vec<(&'static str, String)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.path.clone().unwrap_or_default()))
        .collect()
}

fn policy(spec: &str) -> String {
    String::from(
        r#"{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"p","namespace":"shop"},"spec":"#,
    ) + spec
        + "}"
}

#[test]
fn a_valid_policy_reaches_the_model() {
    let loaded = load_json(&policy(
        r#"{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Ingress"],
            "ingress":[{"from":[{"ipBlock":{"cidr":"10.0.0.0/8","except":["10.1.0.0/16"]}},
                                {"namespaceSelector":{},"podSelector":{"matchExpressions":[{"key":"tier","operator":"In","values":["a"]}]}}],
                        "ports":[{"port":80,"endPort":90},{"protocol":"UDP","port":"dns"}]}]}"#,
    ));
    assert_eq!(found(&loaded), []);
    assert_eq!((loaded.objects, loaded.skipped), (1, 0));
    let p = &loaded.model.policies[0];
    assert_eq!(p.meta.namespace_name(), "shop");
    assert!(p.pod_selector_written);
    let rule = &p.rules(crate::model::Direction::Ingress)[0];
    assert!(matches!(&rule.peer_list()[0], Peer::IpBlock(b) if b.except.len() == 1));
    assert!(matches!(
        &rule.peer_list()[1],
        Peer::Selectors {
            pods: Some(_),
            namespaces: Some(_),
            ..
        }
    ));
    let ports = rule.port_list();
    assert_eq!(
        ports[0].port.as_ref().map(|p| &p.value),
        Some(&PortValue::Number(80))
    );
    assert_eq!(ports[0].end_port.as_ref().map(|p| p.value), Some(90));
    assert_eq!(ports[1].protocol(), Protocol::Udp);
}

#[test]
fn invalid_objects_are_left_out_with_their_errors() {
    let loaded = load_json(&policy(
        r#"{"ingress":[{"from":[{"ipBlock":{"cidr":"10.0.0.0"}}]}]}"#,
    ));
    assert_eq!(
        found(&loaded),
        [(
            "invalid-cidr",
            "spec.ingress[0].from[0].ipBlock.cidr".to_string()
        )]
    );
    assert_eq!(
        loaded.diagnostics[0].message,
        "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
    );
    assert!(loaded.model.policies.is_empty());
    assert_eq!(loaded.objects, 1);
}

#[test]
fn unknown_fields_are_reported_and_dropped() {
    let text = policy(r#"{"podSelector":{},"ingress":[{"form":[{"podSelector":{}}]}]}"#);
    let loaded = load_json(&text);
    assert_eq!(
        found(&loaded),
        [("unknown-field", "spec.ingress[0].form".to_string())]
    );
    let d = &loaded.diagnostics[0];
    assert_eq!(
        d.message,
        "strict decoding error: unknown field \"spec.ingress[0].form\""
    );
    let span = d.location.unwrap().span;
    assert_eq!(&text[span.start as usize..span.end as usize], "\"form\"");
    assert_eq!(d.resource.as_ref().map(|r| r.name.as_str()), Some("p"));
    // Kept as the server would store it: a rule without `from`, open to everyone.
    let rule = &loaded.model.policies[0].rules(crate::model::Direction::Ingress)[0];
    assert!(rule.peers.is_none());
}

#[test]
fn wrong_types_are_errors() {
    let loaded = load_json(&policy(
        r#"{"podSelector":{"matchLabels":{"app":true}},"ingress":{}}"#,
    ));
    assert_eq!(
        found(&loaded),
        [
            (
                "invalid-type",
                "spec.podSelector.matchLabels.app".to_string()
            ),
            ("invalid-type", "spec.ingress".to_string())
        ]
    );
    assert!(loaded.diagnostics[0].message.contains("boolean"));
    assert!(loaded.diagnostics[0].message.contains("string"));
    // The reader still gave the (truncated) document: the object was decoded, then
    // left out because of the reading error inside it.
    assert_eq!(loaded.objects, 1);
    assert!(loaded.model.policies.is_empty());
}

#[test]
fn removed_versions_and_other_kinds() {
    let loaded = load_json(
        r#"[{"apiVersion":"extensions/v1beta1","kind":"NetworkPolicy","metadata":{"name":"a"}},
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}},
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"team":"a"}}}]"#,
    );
    assert_eq!(
        found(&loaded),
        [("removed-api-version", "apiVersion".to_string())]
    );
    assert_eq!(
        loaded.diagnostics[0].message,
        "no matches for kind \"NetworkPolicy\" in version \"extensions/v1beta1\""
    );
    assert_eq!((loaded.objects, loaded.skipped), (2, 1));
    assert_eq!(loaded.model.namespaces.len(), 1);
}

#[test]
fn list_kinds_unpack_their_items() {
    let loaded = load_json(
        r#"{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicyList","items":[
              {"metadata":{"name":"a"},"spec":{}},
              {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},
               "spec":{"hostNetwork":true,"containers":[{"ports":[{"name":"http","containerPort":8080},{"containerPort":53,"protocol":"UDP"}]}]},
               "status":{"podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"},{"ip":"fd00::5"}]}}]}"#,
    );
    assert_eq!(found(&loaded), []);
    assert_eq!(loaded.model.policies.len(), 1);
    let pod = &loaded.model.pods[0];
    assert!(pod.host_network);
    assert_eq!(pod.ips.len(), 2);
    assert_eq!(pod.ports.len(), 2);
    assert_eq!(pod.ports[0].name.as_deref(), Some("http"));
    assert_eq!(pod.ports[1].protocol, Protocol::Udp);
}

#[test]
fn workloads_use_their_pod_template() {
    let loaded = load_json(
        r#"{"kind":"List","items":[
             {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c"},"spec":{"jobTemplate":{"spec":{"template":{"metadata":{"labels":{"job":"c"}},"spec":{"containers":[{"ports":[{"containerPort":9000}]}]}}}}}},
             {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"template":{"metadata":{"labels":{"app":"d"}}}}},
             {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"Bad"},"spec":{"template":{"spec":{"hostNetwork":"yes"}}}}]}"#,
    );
    assert_eq!(
        found(&loaded),
        [
            ("invalid-name", "metadata.name".to_string()),
            ("invalid-type", "spec.template.spec.hostNetwork".to_string())
        ]
    );
    let w = &loaded.model.workloads;
    assert_eq!(w.len(), 2);
    assert_eq!(w[0].template_labels.get("job"), Some("c"));
    assert_eq!(w[0].ports[0].port, 9000);
    assert_eq!(w[1].kind, crate::model::WorkloadKind::Deployment);
}

#[test]
fn connectivity_tests_decode_strictly() {
    let loaded = load_json(
        r#"[{"apiVersion":"netpol/v1alpha1","kind":"ConnectivityTest","metadata":{"name":"t"},
             "spec":{"cases":[{"from":"shop/web","to":"shop/api","port":8080,"expect":"allow"},
                              {"name":"dns","from":"shop/web","to":"10.0.0.1","port":"dns","protocol":"UDP","expect":"deny"}]}},
            {"apiVersion":"netpol/v1alpha1","kind":"ConnectivityTest","metadata":{"name":"u"},
             "spec":{"cases":[{"from":"","to":"a/b","port":0,"expect":"maybe","prot":"TCP"}]}}]"#,
    );
    assert_eq!(
        found(&loaded),
        [
            (
                "invalid-connectivity-test",
                "spec.cases[0].from".to_string()
            ),
            (
                "invalid-connectivity-test",
                "spec.cases[0].port".to_string()
            ),
            (
                "invalid-connectivity-test",
                "spec.cases[0].expect".to_string()
            ),
            ("unknown-field", "spec.cases[0].prot".to_string()),
        ]
    );
    assert_eq!(loaded.model.tests.len(), 1);
    let cases = &loaded.model.tests[0].cases;
    assert_eq!(cases[1].port.value, PortValue::Name("dns".into()));
    assert_eq!(cases[1].expect.value, Expectation::Deny);
    assert_eq!(cases[0].protocol, Protocol::Tcp);
}

#[test]
fn decode_value_works_on_a_tree() {
    let mut set = SourceSet::new();
    let id = set.add(Source::new("t.json", policy("{}")));
    let read = crate::doc::read(set.get(id).unwrap(), id, &Limits::default());
    let mut loaded = Loaded::default();
    decode_value(&read.documents[0].root, id, &mut loaded);
    assert_eq!(loaded.model.policies.len(), 1);
    assert!(!loaded.model.policies[0].pod_selector_written);
}

#[test]
fn duplicate_keys_keep_the_last_value_and_name_their_place() {
    let loaded = load_json(&policy(
        r#"{"podSelector":{},"podSelector":{"matchLabels":{"app":"a","app":"b"}}}"#,
    ));
    let rules: Vec<_> = loaded.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["duplicate-field", "duplicate-field"]);
    let paths: Vec<_> = loaded.diagnostics.iter().map(|d| d.path.clone()).collect();
    assert_eq!(
        paths,
        [
            Some("spec.podSelector".to_string()),
            Some("spec.podSelector.matchLabels.app".to_string())
        ]
    );
    assert!(loaded
        .diagnostics
        .iter()
        .all(|d| d.resource.as_ref().is_some_and(|r| r.name == "p")));
    let selector = &loaded.model.policies[0].pod_selector;
    assert_eq!(selector.match_labels.len(), 1);
    assert_eq!(selector.match_labels[0].1.value, "b");
}

#[test]
fn a_repeated_label_takes_the_place_of_its_last_occurrence() {
    let loaded = load_json(&policy(
        r#"{"podSelector":{"matchLabels":{"app":"a","tier":"web","app":"b","zone":"z"}}}"#,
    ));
    let labels: Vec<(&str, &str)> = loaded.model.policies[0]
        .pod_selector
        .match_labels
        .iter()
        .map(|(k, v)| (k.value.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(labels, [("tier", "web"), ("app", "b"), ("zone", "z")]);
}

#[test]
fn unknown_fields_suggest_the_known_one() {
    let loaded = load_json(&policy(r#"{"ingress":[{"form":[]}]}"#));
    let help = loaded.diagnostics[0].help.as_deref().unwrap_or("");
    assert!(help.starts_with("did you mean `from`?"), "{help}");
}

#[test]
fn a_reading_error_inside_an_object_keeps_it_out() {
    let text = policy(r#"{"podSelector":{"matchLabels":{"app":"web"}}}"#);
    let mut set = SourceSet::new();
    let id = set.add(Source::new("t.json", text.as_str()));
    let read = crate::doc::read(set.get(id).unwrap(), id, &Limits::default());
    let at = text.find("\"web\"").unwrap() as u32;
    let problem = |rule| Diagnostic::new(rule, Severity::Error, "x").at(id, Span::new(at, at + 5));

    // A reading error inside the object: reported with the object and its path, and
    // the object stays out of the model.
    let mut loaded = Loaded::default();
    let mut reader = [problem("input-too-large")];
    decode_root(
        &read.documents[0].root,
        id,
        &mut reader,
        &mut loaded,
        &mut Interner::default(),
    );
    assert_eq!(loaded.objects, 1);
    assert!(loaded.model.policies.is_empty());
    assert_eq!(
        reader[0].path.as_deref(),
        Some("spec.podSelector.matchLabels.app")
    );
    assert_eq!(
        reader[0].resource.as_ref().map(|r| r.name.as_str()),
        Some("p")
    );

    // A duplicate key does not keep it out.
    let mut loaded = Loaded::default();
    decode_root(
        &read.documents[0].root,
        id,
        &mut [problem("duplicate-field")],
        &mut loaded,
        &mut Interner::default(),
    );
    assert_eq!(loaded.model.policies.len(), 1);
}

#[test]
fn documents_of_a_stream_keep_their_own_reading_problems() {
    let mut set = SourceSet::new();
    let text = "kind: Namespace\napiVersion: v1\nmetadata: {name: a}\n---\n\
                kind: Namespace\napiVersion: v1\nmetadata: {name: b, name: c}\n---\n\
                kind: Namespace\napiVersion: v1\nmetadata: {name: [}\n---\n\
                kind: Namespace\napiVersion: v1\nmetadata: {name: d}\n";
    set.add(Source::new("s.yaml", text));
    let loaded = load(&set, &Limits::default());
    let names: Vec<_> = loaded
        .model
        .namespaces
        .iter()
        .map(|n| n.meta.name.value.as_str())
        .collect();
    assert_eq!(names, ["a", "c", "d"]);
    let found: Vec<_> = loaded
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule,
                d.path.as_deref(),
                d.resource.as_ref().map(|r| r.name.as_str()),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("duplicate-field", Some("metadata.name"), Some("c")),
            ("yaml-syntax", None, None)
        ]
    );
}

/// `load` of one JSON text, and the same text decoded from its whole tree.
fn streamed_and_whole(text: &str) -> (String, String) {
    let mut set = SourceSet::new();
    let id = set.add(Source::new("t.json", text));
    let streamed = load(&set, &Limits::default());
    let mut whole = Loaded::default();
    let mut reading = load_documents(set.get(id).unwrap(), id, &Limits::default(), &mut whole);
    reading.sort_by_key(|d| d.location.map(|l| l.span.start));
    whole.diagnostics.append(&mut reading);
    whole
        .diagnostics
        .sort_by_key(|d| d.location.map_or(Span::default(), |l| l.span).start);
    (alloc::format!("{streamed:?}"), alloc::format!("{whole:?}"))
}

#[test]
fn json_lists_decoded_item_by_item_match_the_whole_tree() {
    let ns = |name: &str| {
        alloc::format!(
            r#"{{"kind":"Namespace","apiVersion":"v1","metadata":{{"name":"{name}","name":"{name}"}}}}"#
        )
    };
    let bare = r#"{"metadata":{"name":"x"},"spec":{"podSelector":{},"ingress":{}}}"#;
    let items = [ns("a"), String::from("7"), ns("Bad_Name"), ns("b")].join(",");
    let texts = [
        // kubectl and serde order: the kind after the items.
        alloc::format!(r#"{{"apiVersion":"v1","items":[{items}],"kind":"List"}}"#),
        alloc::format!(r#"{{"kind":"List","apiVersion":"v1","items":[{items}]}}"#),
        // Typed lists give their items a kind, known before or only after them.
        alloc::format!(
            r#"{{"kind":"NetworkPolicyList","apiVersion":"networking.k8s.io/v1","items":[{bare}]}}"#
        ),
        alloc::format!(
            r#"{{"apiVersion":"networking.k8s.io/v1","items":[{bare}],"kind":"NetworkPolicyList"}}"#
        ),
        // Not a list after all, a repeated `items` key, a kind that changes, a
        // document that ends broken.
        alloc::format!(r#"{{"apiVersion":"v1","items":[{items}],"kind":"Namespace"}}"#),
        alloc::format!(
            r#"{{"kind":"List","items":[{items}],"items":[{}]}}"#,
            ns("c")
        ),
        alloc::format!(r#"{{"kind":"List","items":[{items}],"kind":"PodList"}}"#),
        alloc::format!(r#"{{"kind":"List","items":[{items}]"#),
        alloc::format!(r#"{{"kind":"Pod","items":[{items}]}}"#),
    ];
    for text in &texts {
        let (streamed, whole) = streamed_and_whole(text);
        assert_eq!(streamed, whole, "{text}");
    }
    let loaded = load_json(&texts[0]);
    assert_eq!(loaded.model.namespaces.len(), 2);
    assert_eq!((loaded.objects, loaded.skipped), (3, 1));
    let rules: Vec<_> = loaded.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules.iter().filter(|r| **r == "duplicate-field").count(), 3);
    assert!(loaded.diagnostics.iter().all(|d| d.resource.is_some()));
}
