//! Decoding tests of the cluster-wide policy kinds, Nodes and Services.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::model::{
    ClusterSubject, Direction, PortRange, PortValue, Protocol, Tier, TierAction, TierPeer, TierPort,
};
use crate::source::Source;

fn load_json(text: &str) -> Loaded {
    let mut set = SourceSet::new();
    set.add(Source::new("t.json", text));
    load(&set, &Limits::default())
}

fn rules_found(loaded: &Loaded) -> Vec<(&'static str, String)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.path.clone().unwrap_or_default()))
        .collect()
}

const CNP: &str = r#"{"apiVersion":"policy.networking.k8s.io/v1alpha2","kind":"ClusterNetworkPolicy",
  "metadata":{"name":"cluster-wide"},
  "spec":{"tier":"Admin","priority":10,
    "subject":{"pods":{"podSelector":{"matchLabels":{"app":"db"}}}},
    "ingress":[{"name":"from-monitoring","action":"Pass","from":[{"namespaces":{"matchLabels":{"team":"mon"}}}],
                "protocols":[{"tcp":{"destinationPort":{"number":9090}}},{"destinationNamedPort":"metrics"}]}],
    "egress":[{"action":"Deny","to":[{"networks":["0.0.0.0/0","::/0"]},{"nodes":{}},{"domainNames":["*.example.com"]}],
               "protocols":[{"udp":{"destinationPort":{"range":{"start":5000,"end":5010}}}}]}]}}"#;

#[test]
fn a_cluster_network_policy_reaches_the_model() {
    let loaded = load_json(CNP);
    assert_eq!(rules_found(&loaded), []);
    assert_eq!((loaded.objects, loaded.skipped), (1, 0));
    assert!(loaded.model.foreign_policies.is_empty());
    let policy = &loaded.model.cluster_policies[0];
    assert_eq!(policy.tier.value, Tier::Admin);
    assert_eq!(policy.priority.value, 10);
    assert!(
        matches!(&policy.subject, ClusterSubject::Pods { namespaces, .. } if namespaces.is_empty())
    );
    let ingress = &policy.rules(Direction::Ingress)[0];
    assert_eq!(ingress.action.value, TierAction::Pass);
    assert_eq!(
        ingress.name.as_ref().map(|n| n.value.as_str()),
        Some("from-monitoring")
    );
    assert!(matches!(&ingress.peers[0], TierPeer::Namespaces { .. }));
    let ports = ingress.port_list();
    assert!(
        matches!(&ports[0], TierPort::Protocol { protocol: Protocol::Tcp, ports: Some(p), .. }
        if p.value == PortRange { start: 9090, end: 9090 })
    );
    assert!(matches!(&ports[1], TierPort::Named { name, .. } if name.value == "metrics"));
    let egress = &policy.rules(Direction::Egress)[0];
    assert_eq!(egress.action.value, TierAction::Deny);
    assert!(matches!(&egress.peers[0], TierPeer::Networks { cidrs, .. } if cidrs.len() == 2));
    assert!(matches!(&egress.peers[1], TierPeer::Nodes { .. }));
    assert!(
        matches!(&egress.peers[2], TierPeer::DomainNames { names, .. } if names[0].value == "*.example.com")
    );
    assert!(
        matches!(&egress.port_list()[0], TierPort::Protocol { protocol: Protocol::Udp, ports: Some(p), .. }
        if p.value == PortRange { start: 5000, end: 5010 })
    );
}

#[test]
fn admin_network_policies_are_read_on_the_same_model_and_still_named_as_not_evaluated() {
    let loaded = load_json(
        r#"[{"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"AdminNetworkPolicy",
            "metadata":{"name":"anp"},
            "spec":{"priority":3,"subject":{"namespaces":{}},
              "ingress":[{"action":"Allow","from":[{"pods":{"namespaceSelector":{},"podSelector":{}}}],
                          "ports":[{"portNumber":{"protocol":"UDP","port":53}},{"portRange":{"start":80,"end":90}},{"namedPort":"web"}]}]}},
           {"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"BaselineAdminNetworkPolicy",
            "metadata":{"name":"default"},
            "spec":{"subject":{"namespaces":{}},"egress":[{"action":"Deny","to":[{"networks":["10.0.0.0/8"]}]}]}}]"#,
    );
    assert_eq!(rules_found(&loaded), []);
    let [admin, baseline] = loaded.model.cluster_policies.as_slice() else {
        panic!("two policies expected: {:?}", loaded.model.cluster_policies);
    };
    assert_eq!((admin.tier.value, admin.priority.value), (Tier::Admin, 3));
    let rule = &admin.ingress[0];
    assert_eq!(rule.action.value, TierAction::Accept);
    assert!(
        matches!(&rule.port_list()[0], TierPort::Protocol { protocol: Protocol::Udp, ports: Some(p), .. }
        if p.value == PortRange { start: 53, end: 53 })
    );
    assert!(
        matches!(&rule.port_list()[1], TierPort::Protocol { protocol: Protocol::Tcp, ports: Some(p), .. }
        if p.value == PortRange { start: 80, end: 90 })
    );
    assert!(matches!(&rule.port_list()[2], TierPort::Named { .. }));
    assert_eq!(baseline.tier.value, Tier::Baseline);
    assert_eq!(baseline.egress[0].action.value, TierAction::Deny);
    // Not evaluated yet: the lint still names them.
    assert_eq!(loaded.model.foreign_policies.len(), 2);
}

#[test]
fn kinds_of_the_same_name_in_other_groups_are_not_read() {
    let loaded = load_json(
        r#"{"apiVersion":"crd.antrea.io/v1beta1","kind":"ClusterNetworkPolicy","metadata":{"name":"a"},"spec":{}}"#,
    );
    assert!(loaded.model.cluster_policies.is_empty());
    assert_eq!((loaded.objects, loaded.skipped), (0, 1));
    assert_eq!(loaded.model.foreign_policies.len(), 1);
    let other = load_json(
        r#"{"apiVersion":"example.com/v1","kind":"ClusterNetworkPolicy","metadata":{"name":"a"}}"#,
    );
    assert_eq!((other.objects, other.skipped), (0, 1));
    assert!(other.model.foreign_policies.is_empty());
}

#[test]
fn a_version_the_server_does_not_serve_is_an_error() {
    let loaded = load_json(
        r#"{"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"ClusterNetworkPolicy","metadata":{"name":"a"}}"#,
    );
    assert_eq!(
        rules_found(&loaded),
        [("removed-api-version", "apiVersion".into())]
    );
    assert_eq!(
        loaded.diagnostics[0].message,
        "no matches for kind \"ClusterNetworkPolicy\" in version \"policy.networking.k8s.io/v1alpha1\""
    );
    assert!(loaded.model.cluster_policies.is_empty());
}

#[test]
fn nodes_and_services_are_read_leniently() {
    let loaded = load_json(
        r#"[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","labels":{"zone":"a"}},
             "status":{"addresses":[{"type":"InternalIP","address":"10.0.0.5"},{"type":"Hostname","address":"n1"},
                                    {"type":"ExternalIP","address":"2001:db8::5"},{"type":"InternalIP","address":"10.0.0.5"}]}},
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop"},
             "spec":{"selector":{"app":"web"},"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10","fd00::10"],
                     "ports":[{"name":"http","port":80,"targetPort":"http"},{"port":53,"protocol":"UDP"},{"port":443,"targetPort":8443}]}},
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"headless","namespace":"shop"},"spec":{"clusterIP":"None"}}]"#,
    );
    assert_eq!(rules_found(&loaded), []);
    let node = &loaded.model.nodes[0];
    assert_eq!(node.meta.labels.get("zone").map(String::as_str), Some("a"));
    let kinds: Vec<&str> = node.addresses.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(kinds, ["InternalIP", "ExternalIP"]);
    let [web, headless] = loaded.model.services.as_slice() else {
        panic!("two services expected");
    };
    assert_eq!(web.cluster_ips.len(), 2);
    assert!(web
        .selector
        .as_ref()
        .is_some_and(|s| s.get("app").is_some()));
    assert_eq!(web.ports[0].target_port, PortValue::Name("http".into()));
    assert_eq!(
        (web.ports[1].protocol, web.ports[1].target_port.clone()),
        (Protocol::Udp, PortValue::Number(53))
    );
    assert_eq!(web.ports[2].target_port, PortValue::Number(8443));
    assert!(headless.cluster_ips.is_empty() && headless.selector.is_none());
}

#[test]
fn a_source_with_cluster_policies_splits_back_and_relocates() {
    let mut whole = load_json(CNP);
    let share = whole.share();
    whole.append(load_json(CNP));
    let back = whole.split_back(&share);
    assert_eq!(back.model.cluster_policies.len(), 1);
    assert_eq!(whole.model.cluster_policies.len(), 1);
    whole.truncate_to(&Loaded::default().share());
    assert!(whole.model.cluster_policies.is_empty());
}
