//! The cluster-wide baseline as YAML (a `ClusterNetworkPolicy` of
//! `policy.networking.k8s.io/v1alpha2`), as the model object that YAML decodes to
//! (built directly, for the proof), and what its DNS rule allows beyond the
//! requirements.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::baseline::ClusterBaseline;
use super::groups::Groups;
use super::model::{selector_of, spanned};
use super::plan::{Peer, Plan, RulePlan, DNS_SERVES};
use super::proof::{rule_beyond, Beyond};
use super::{Requirement, Requirements};
use crate::engine::{EndpointId, Engine};
use crate::model::{
    ClusterPolicy, ClusterPolicyKind, ClusterSubject, Direction, LabelSelector, Labels, ObjectMeta,
    Operator, PortRange, Requirement as SelectorRequirement, Tier, TierAction, TierPeer, TierPort,
    TierRule, NAMESPACE_NAME_LABEL,
};
use crate::source::{SourceId, Span};

/// The name of the DNS rule.
const DNS_RULE: &str = "allow-dns";
/// The name of the deny rules.
const DENY_RULE: &str = "default-deny";
/// Every IPv4 and IPv6 address (`networks` match pod addresses too).
const EVERY_NETWORK: [&str; 2] = ["0.0.0.0/0", "::/0"];

/// The baseline policy as one YAML document.
pub fn render_baseline(baseline: &ClusterBaseline) -> String {
    let mut out = String::from(
        "# Cluster-wide baseline, written by netpol synthesize: every pod outside the system\n\
         # namespaces may look names up and is denied everything else, unless a\n\
         # NetworkPolicy of its namespace isolates it (then that policy decides).\n\
         # Ingress rules cannot name addresses outside the cluster: a pod that no\n\
         # NetworkPolicy isolates stays reachable from outside.\n",
    );
    out.push_str(
        "---\napiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\n",
    );
    out.push_str(&format!(
        "metadata:\n  name: {}\nspec:\n  tier: Baseline\n  priority: {}\n",
        quoted(&baseline.name),
        baseline.priority
    ));
    out.push_str("  subject:\n    namespaces:");
    if baseline.excluded.is_empty() {
        out.push_str(" {}\n");
    } else {
        out.push_str("\n      matchExpressions:\n");
        out.push_str(&format!(
            "        - key: {}\n          operator: NotIn\n          values: [{}]\n",
            quoted(NAMESPACE_NAME_LABEL),
            baseline
                .excluded
                .iter()
                .map(|n| quoted(n))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push_str("  ingress:\n    # Nothing in from the cluster's pods.\n");
    out.push_str(&format!(
        "    - name: {DENY_RULE}\n      action: Deny\n      from:\n        - namespaces: {{}}\n"
    ));
    out.push_str("  egress:\n");
    out.push_str(&format!(
        "    # Serves {}.\n",
        serves_text(&baseline.dns_serves).replace(['\n', '\r'], " ")
    ));
    out.push_str(&format!(
        "    - name: {DNS_RULE}\n      action: Accept\n      to:\n"
    ));
    if let Peer::Pods { namespace, labels } = &baseline.dns {
        out.push_str(&format!(
            "        - pods:\n            namespaceSelector:\n              matchLabels:\n                {}: {}\n            podSelector:\n              matchLabels:\n",
            quoted(NAMESPACE_NAME_LABEL),
            quoted(namespace)
        ));
        for (key, value) in labels {
            out.push_str(&format!(
                "                {}: {}\n",
                quoted(key),
                quoted(value)
            ));
        }
    }
    out.push_str("      protocols:\n");
    for (protocol, port) in ClusterBaseline::dns_ports() {
        out.push_str(&format!(
            "        - {}:\n            destinationPort:\n              number: {port}\n",
            protocol.as_str().to_ascii_lowercase()
        ));
    }
    out.push_str("    # Nothing else out, to pods or to any address.\n");
    out.push_str(&format!(
        "    - name: {DENY_RULE}\n      action: Deny\n      to:\n        - namespaces: {{}}\n        - networks: [{}]\n",
        EVERY_NETWORK.map(quoted).join(", ")
    ));
    out
}

/// What the DNS rule's comment lists: [`DNS_SERVES`], then the first requirements.
fn serves_text(serves: &[String]) -> String {
    const LISTED: usize = 8;
    let mut items = vec![String::from(DNS_SERVES)];
    items.extend(serves.iter().take(LISTED).cloned());
    let mut text = items.join(", ");
    if serves.len() > LISTED {
        text.push_str(&format!(" and {} more", serves.len() - LISTED));
    }
    text
}

/// A double-quoted YAML scalar.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\""))
}

/// The baseline as the model object its YAML decodes to, from `source`.
pub fn cluster_policy(baseline: &ClusterBaseline, source: SourceId) -> ClusterPolicy {
    let every_namespace = || TierPeer::Namespaces {
        span: Span::default(),
        selector: selector_of(&Labels::new()),
    };
    let deny = |peers: Vec<TierPeer>| TierRule {
        span: Span::default(),
        name: Some(spanned(String::from(DENY_RULE))),
        action: spanned(TierAction::Deny),
        peers,
        ports: None,
    };
    let mut subject = selector_of(&Labels::new());
    if !baseline.excluded.is_empty() {
        subject.match_expressions.push(SelectorRequirement {
            span: Span::default(),
            key: spanned(String::from(NAMESPACE_NAME_LABEL)),
            operator: spanned(Operator::NotIn),
            values: baseline.excluded.iter().cloned().map(spanned).collect(),
        });
    }
    let dns_peer = match &baseline.dns {
        Peer::Pods { namespace, labels } => TierPeer::Pods {
            span: Span::default(),
            namespaces: selector_of(&Labels::from_iter([(
                NAMESPACE_NAME_LABEL,
                namespace.as_str(),
            )])),
            pods: selector_of(labels),
        },
        Peer::Address(ip) => TierPeer::Networks {
            span: Span::default(),
            cidrs: vec![spanned(ipnet::IpNet::from(*ip))],
        },
    };
    let dns_ports = ClusterBaseline::dns_ports()
        .into_iter()
        .map(|(protocol, port)| TierPort::Protocol {
            span: Span::default(),
            protocol,
            ports: Some(spanned(PortRange {
                start: port,
                end: port,
            })),
        })
        .collect();
    let networks = EVERY_NETWORK
        .iter()
        .filter_map(|cidr| cidr.parse().ok())
        .map(spanned)
        .collect();
    ClusterPolicy {
        meta: ObjectMeta {
            source,
            span: Span::default(),
            api_version: String::from(ClusterPolicyKind::ClusterNetworkPolicy.api_version()),
            kind: String::from(ClusterPolicyKind::ClusterNetworkPolicy.as_str()),
            name: spanned(baseline.name.clone()),
            namespace: None,
            labels: Labels::new(),
            annotations: Labels::new(),
        },
        kind: ClusterPolicyKind::ClusterNetworkPolicy,
        spec_span: Span::default(),
        tier: spanned(Tier::Baseline),
        priority: spanned(baseline.priority),
        subject: ClusterSubject::Namespaces {
            span: Span::default(),
            selector: subject,
        },
        ingress: vec![deny(vec![every_namespace()])],
        egress: vec![
            TierRule {
                span: Span::default(),
                name: Some(spanned(String::from(DNS_RULE))),
                action: spanned(TierAction::Accept),
                peers: vec![dns_peer],
                ports: Some(spanned(dns_ports)),
            },
            deny(vec![
                every_namespace(),
                TierPeer::Networks {
                    span: Span::default(),
                    cidrs: networks,
                },
            ]),
        ],
    }
}

/// What the baseline's DNS rule allows beyond the requirements: DNS for the pods of
/// its namespaces that no group policy selects (those have their own DNS rule).
pub fn baseline_beyond(
    [before, after]: [&Engine<'_>; 2],
    groups: &Groups,
    requirements: &Requirements,
    plan: &Plan,
    baseline: &ClusterBaseline,
) -> Option<Beyond> {
    let grouped: BTreeSet<EndpointId> = plan
        .namespaces
        .values()
        .flatten()
        .filter_map(|p| Some((p.namespace.as_str(), p.selector.as_ref()?)))
        .flat_map(|(namespace, labels)| groups.selected(namespace, labels))
        .collect();
    let subject = subject_selector(baseline);
    let own: Vec<EndpointId> = before
        .endpoints()
        .iter()
        .enumerate()
        .map(|(i, _)| EndpointId::from_index(i))
        .filter(|id| !grouped.contains(id))
        .filter(|id| {
            before.endpoint(*id).is_some_and(|e| {
                !e.host_network
                    && subject.matches(&Labels::from_iter([(NAMESPACE_NAME_LABEL, e.namespace)]))
            })
        })
        .collect();
    let required: BTreeSet<_> = requirements
        .allow
        .iter()
        .map(|r: &Requirement| (r.from, r.to, r.protocol, r.port))
        .collect();
    let rule = RulePlan {
        peer: baseline.dns.clone(),
        ports: ClusterBaseline::dns_ports().into_iter().collect(),
        serves: vec![String::from(DNS_SERVES)],
    };
    let found = rule_beyond(
        (before, &after.class_verdicts()),
        &super::proof::Remap::new(before, after),
        groups,
        &required,
        &own,
        Direction::Egress,
        &rule,
    )?;
    Some(Beyond {
        policy: baseline.name.clone(),
        direction: Direction::Egress,
        rule: 0,
        ..found
    })
}

/// The subject's namespace selector, on `kubernetes.io/metadata.name`.
fn subject_selector(baseline: &ClusterBaseline) -> LabelSelector {
    match cluster_policy(baseline, SourceId(0)).subject {
        ClusterSubject::Namespaces { selector, .. } => selector,
        ClusterSubject::Pods { namespaces, .. } => namespaces,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use alloc::format;

    use super::*;
    use crate::api::{SourceFile, Workspace};
    use crate::lint::Config;

    /// What the engine reads of a cluster-wide policy, without spans and sources.
    fn meaning(policy: &ClusterPolicy) -> String {
        let peer = |peer: &TierPeer| match peer {
            TierPeer::Namespaces { selector, .. } => format!("ns {:?}", selector.canonical_terms()),
            TierPeer::Pods {
                namespaces, pods, ..
            } => format!(
                "pods {:?} {:?}",
                namespaces.canonical_terms(),
                pods.canonical_terms()
            ),
            TierPeer::Networks { cidrs, .. } => {
                let nets: Vec<String> = cidrs.iter().map(|c| format!("{}", c.value)).collect();
                format!("networks {nets:?}")
            }
            other => format!("{other:?}"),
        };
        let port = |port: &TierPort| match port {
            TierPort::Protocol {
                protocol, ports, ..
            } => format!("{protocol:?} {:?}", ports.as_ref().map(|p| p.value)),
            TierPort::Named { name, .. } => name.value.clone(),
        };
        let rules = |rules: &[TierRule]| -> Vec<String> {
            rules
                .iter()
                .map(|r| {
                    format!(
                        "{:?} {:?} {:?} {:?}",
                        r.name.as_ref().map(|n| &n.value),
                        r.action.value,
                        r.peers.iter().map(peer).collect::<Vec<_>>(),
                        r.ports
                            .as_ref()
                            .map(|p| p.value.iter().map(port).collect::<Vec<_>>())
                    )
                })
                .collect()
        };
        let subject = match &policy.subject {
            ClusterSubject::Namespaces { selector, .. } => {
                format!("{:?}", selector.canonical_terms())
            }
            ClusterSubject::Pods { .. } => String::from("pods"),
        };
        format!(
            "{} {:?} {:?} {} {subject} {:?} {:?}",
            policy.meta.name.value,
            policy.kind,
            policy.tier.value,
            policy.priority.value,
            rules(&policy.ingress),
            rules(&policy.egress)
        )
    }

    fn baseline(excluded: &[&str]) -> ClusterBaseline {
        ClusterBaseline {
            name: String::from("baseline-default-deny"),
            priority: 998,
            excluded: excluded.iter().map(|n| String::from(*n)).collect(),
            dns: Peer::Pods {
                namespace: String::from("kube-system"),
                labels: Labels::from_iter([("k8s-app", "kube-dns")]),
            },
            dns_serves: vec![String::from("flow 3 (line 4)")],
        }
    }

    #[test]
    fn the_policy_is_what_its_yaml_decodes_to() {
        for excluded in [&["kube-system", "monitoring"][..], &[]] {
            let baseline = baseline(excluded);
            let yaml = render_baseline(&baseline);
            assert!(
                yaml.contains("# Serves DNS, for every pod, flow 3 (line 4).\n"),
                "{yaml}"
            );
            let workspace = Workspace::load(
                [SourceFile::text("cluster.yaml", yaml.clone())],
                Config::default(),
            );
            let loaded = workspace.loaded();
            assert!(
                loaded.diagnostics.is_empty(),
                "{:?}\n{yaml}",
                loaded.diagnostics
            );
            assert_eq!(loaded.model.cluster_policies.len(), 1);
            assert_eq!(
                meaning(&cluster_policy(&baseline, SourceId(0))),
                meaning(&loaded.model.cluster_policies[0])
            );
        }
    }
}
