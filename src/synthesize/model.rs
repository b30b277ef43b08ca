//! The planned policies as model objects: the NetworkPolicies the YAML of
//! `yaml.rs` decodes to, built directly so the proof evaluates them without
//! rendering and reading the YAML back.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use super::plan::{Peer, Plan, PolicyPlan, RulePlan};
use crate::model::{
    IpBlock, LabelSelector, Labels, NetworkPolicy, ObjectMeta, Peer as ModelPeer, PolicyType,
    PortEntry, PortValue, Rule, Spanned, NAMESPACE_NAME_LABEL,
};
use crate::source::{SourceId, Span};

/// Every planned policy as a NetworkPolicy of `source`, namespaces in name order
/// and policies in plan order (as the YAML stream lists them).
pub fn network_policies(plan: &Plan, source: SourceId) -> Vec<NetworkPolicy> {
    plan.namespaces
        .values()
        .flatten()
        .map(|policy| network_policy(policy, source))
        .collect()
}

/// One planned policy: `podSelector: {}` with both policy types for the default
/// deny, egress only for the DNS policy (empty selector), both types otherwise.
fn network_policy(policy: &PolicyPlan, source: SourceId) -> NetworkPolicy {
    let types: &[PolicyType] = match &policy.selector {
        Some(labels) if labels.is_empty() => &[PolicyType::Egress],
        _ => &[PolicyType::Ingress, PolicyType::Egress],
    };
    let no_labels = Labels::new();
    let selector = policy.selector.as_ref().unwrap_or(&no_labels);
    let rules = |plans: &[RulePlan]| -> Option<Spanned<Vec<Rule>>> {
        (!plans.is_empty()).then(|| spanned(plans.iter().map(rule).collect()))
    };
    NetworkPolicy {
        meta: ObjectMeta {
            source,
            span: Span::default(),
            api_version: String::from("networking.k8s.io/v1"),
            kind: String::from("NetworkPolicy"),
            name: spanned(policy.name.clone()),
            namespace: Some(spanned(policy.namespace.clone())),
            labels: Labels::new(),
            annotations: Labels::new(),
        },
        spec_span: Span::default(),
        pod_selector: selector_of(selector),
        pod_selector_written: true,
        policy_types: Some(spanned(types.iter().map(|t| spanned(*t)).collect())),
        ingress: rules(&policy.ingress),
        egress: rules(&policy.egress),
    }
}

/// One rule: its peer, and a port entry per protocol and port.
fn rule(plan: &RulePlan) -> Rule {
    let peer = match &plan.peer {
        Peer::Pods { namespace, labels } => ModelPeer::Selectors {
            span: Span::default(),
            pods: Some(selector_of(labels)),
            namespaces: Some(selector_of(&Labels::from_iter([(
                NAMESPACE_NAME_LABEL,
                namespace.as_str(),
            )]))),
        },
        Peer::Address(ip) => ModelPeer::IpBlock(IpBlock {
            peer_span: Span::default(),
            cidr: spanned(single_address(*ip)),
            except: Vec::new(),
        }),
    };
    let ports = plan
        .ports
        .iter()
        .map(|(protocol, port)| PortEntry {
            span: Span::default(),
            protocol: Some(spanned(*protocol)),
            port: Some(spanned(PortValue::Number(*port))),
            end_port: None,
        })
        .collect();
    Rule {
        span: Span::default(),
        peers: Some(spanned(vec![peer])),
        ports: Some(spanned(ports)),
    }
}

/// A selector of exactly `labels` (`matchLabels`, no expressions).
pub(super) fn selector_of(labels: &Labels) -> LabelSelector {
    LabelSelector {
        span: Span::default(),
        match_labels: labels
            .iter()
            .map(|(k, v)| (spanned(String::from(k)), spanned(String::from(v))))
            .collect(),
        match_expressions: Vec::new(),
    }
}

/// `ip/32` or `ip/128`.
fn single_address(ip: IpAddr) -> IpNet {
    IpNet::from(ip)
}

pub(super) fn spanned<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use alloc::collections::{BTreeMap, BTreeSet};
    use alloc::format;

    use super::*;
    use crate::api::{SourceFile, Workspace};
    use crate::lint::Config;
    use crate::model::{Direction, Protocol};
    use crate::synthesize::render_stream;

    /// What the engine reads of a policy, without spans and sources.
    fn meaning(policy: &NetworkPolicy) -> String {
        let peer = |peer: &ModelPeer| match peer {
            ModelPeer::Selectors {
                pods, namespaces, ..
            } => format!(
                "pods {:?} namespaces {:?}",
                pods.as_ref().map(LabelSelector::canonical_terms),
                namespaces.as_ref().map(LabelSelector::canonical_terms)
            ),
            ModelPeer::IpBlock(block) => format!("{} except {:?}", block.cidr.value, block.except),
        };
        let rules = |direction| {
            let rules: Vec<String> = policy
                .rules(direction)
                .iter()
                .map(|r| {
                    let peers: Vec<String> = r.peer_list().iter().map(peer).collect();
                    let ports: Vec<String> = r
                        .port_list()
                        .iter()
                        .map(|p| {
                            let port = p.port.as_ref().map(|v| &v.value);
                            format!(
                                "{:?} {port:?} {:?}",
                                p.protocol(),
                                p.end_port.as_ref().map(|e| e.value)
                            )
                        })
                        .collect();
                    format!("{peers:?} {ports:?}")
                })
                .collect();
            (policy.applies_to(direction), rules)
        };
        format!(
            "{}/{} {:?} {:?} {:?}",
            policy.meta.namespace_name(),
            policy.meta.name.value,
            policy.pod_selector.canonical_terms(),
            rules(Direction::Ingress),
            rules(Direction::Egress)
        )
    }

    fn rule(peer: Peer, ports: &[(Protocol, u16)]) -> RulePlan {
        RulePlan {
            peer,
            ports: ports.iter().copied().collect::<BTreeSet<_>>(),
            serves: vec![String::from("flow 1 (line 2)")],
        }
    }

    fn policy(
        name: &str,
        selector: Option<Labels>,
        ingress: Vec<RulePlan>,
        egress: Vec<RulePlan>,
    ) -> PolicyPlan {
        PolicyPlan {
            namespace: String::from("shop"),
            name: String::from(name),
            selector,
            ingress,
            egress,
            members: vec![String::from("shop/web-1")],
        }
    }

    #[test]
    fn the_policies_are_what_their_yaml_decodes_to() {
        let web = Labels::from_iter([("app", "web")]);
        let db = Peer::Pods {
            namespace: String::from("data"),
            labels: Labels::from_iter([("app", "db"), ("tier", "backend")]),
        };
        let dns = Peer::Pods {
            namespace: String::from("kube-system"),
            labels: Labels::from_iter([("k8s-app", "kube-dns")]),
        };
        let outside = Peer::Address("203.0.113.9".parse().unwrap());
        let outside6 = Peer::Address("2001:db8::1".parse().unwrap());
        let plan = Plan {
            namespaces: BTreeMap::from([(
                String::from("shop"),
                vec![
                    policy("default-deny", None, vec![], vec![]),
                    policy(
                        "allow-dns",
                        Some(Labels::new()),
                        vec![],
                        vec![rule(dns, &[(Protocol::Udp, 53), (Protocol::Tcp, 53)])],
                    ),
                    policy(
                        "web",
                        Some(web),
                        vec![rule(outside6, &[(Protocol::Tcp, 443)])],
                        vec![
                            rule(db, &[(Protocol::Tcp, 5432), (Protocol::Sctp, 9)]),
                            rule(outside, &[(Protocol::Tcp, 443)]),
                        ],
                    ),
                ],
            )]),
        };
        let built: Vec<String> = network_policies(&plan, SourceId(0))
            .iter()
            .map(meaning)
            .collect();
        let workspace = Workspace::load(
            [SourceFile::text("synthesized.yaml", render_stream(&plan))],
            Config::default(),
        );
        let decoded: Vec<String> = workspace
            .loaded()
            .model
            .policies
            .iter()
            .map(meaning)
            .collect();
        assert_eq!(built.len(), 3);
        assert_eq!(built, decoded);
    }
}
