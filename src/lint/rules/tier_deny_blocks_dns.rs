//! `tier-deny-blocks-dns`: a cluster-wide `Deny` egress rule that matches DNS (port
//! 53) to the cluster DNS pods, with no earlier `Accept` or `Pass` for DNS.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::{
    admin_rules_over, earlier_rules, policy_name, resolve, rule_path, RuleRef,
};
use crate::lint::walk::{is_dns_name, DNS_PORT};
use crate::model::{Direction, Labels, Protocol, Tier, TierAction, TierPeer, TierPort, TierRule};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "tier-deny-blocks-dns",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "a cluster-wide `Deny` egress rule that matches DNS (port 53, UDP or TCP) to the cluster DNS pods (`k8s-app: kube-dns` in `kube-system`) with no earlier `Accept` or `Pass` rule for DNS; the message says which protocol is blocked",
    rationale: "An Admin-tier Deny cannot be overridden by any NetworkPolicy, and a Baseline-tier Deny decides for every pod no NetworkPolicy isolates: denying DNS there breaks name resolution for every pod the subject selects, in ways that rarely point at the policy. The upstream API overview (`kubernetes-sigs/network-policy-api`, \"Actions\") names egress to CoreDNS as the traffic an Admin-tier `Accept` rule should call out so that it is never blocked, and its user story 2 is exactly that rule.",
    example: "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: lockdown\nspec:\n  tier: Admin\n  priority: 50\n  subject:\n    namespaces: {}\n  egress:\n    - action: Deny\n      to:\n        - namespaces: {}\n",
    fix: "Put an `Accept` rule for egress to the `kube-dns` pods in `kube-system` on port 53 (UDP and TCP) before the Deny, in the same policy or in one with a lower priority value.",
};

/// Checks every egress Deny rule of every cluster-wide policy.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let dns = DnsTarget::new(cx);
    let model = cx.model;
    for (policy_index, policy) in model.cluster_policies.iter().enumerate() {
        for (index, rule) in policy.egress.iter().enumerate() {
            if rule.action.value != TierAction::Deny {
                continue;
            }
            let at = RuleRef {
                policy: policy_index,
                direction: Direction::Egress,
                index,
            };
            // Earlier rules of the tier rescue DNS with Accept or Pass; for a
            // Baseline-tier Deny, Admin-tier rules only with Accept (an Admin Pass
            // of a pod no NetworkPolicy isolates comes back to this tier).
            let mut rescuers: Vec<(RuleRef, bool)> = earlier_rules(model, at)
                .into_iter()
                .map(|r| (r, true))
                .collect();
            if policy.tier.value == Tier::Baseline {
                rescuers.extend(
                    admin_rules_over(model, &policy.subject, Direction::Egress)
                        .into_iter()
                        .map(|r| (r, false)),
                );
            }
            let rescues = |protocol: Protocol| {
                rescuers.iter().any(|(r, pass_rescues)| {
                    resolve(model, *r).is_some_and(|(_, e)| {
                        let action_rescues = match e.action.value {
                            TierAction::Accept => true,
                            TierAction::Pass => *pass_rescues,
                            TierAction::Deny => false,
                        };
                        action_rescues && dns.matched_by(e, protocol)
                    })
                })
            };
            let blocked: Vec<Protocol> = DNS_PROTOCOLS
                .into_iter()
                .filter(|p| dns.matched_by(rule, *p) && !rescues(*p))
                .collect();
            let what = match blocked.as_slice() {
                [] => continue,
                [p] => format!("on `{}`", p.as_str()),
                _ => alloc::string::String::from("on `UDP` and `TCP`"),
            };
            let message = format!(
                "deny rule `{}` of {} blocks egress to the cluster DNS (port 53) {what} for the pods it selects, with no earlier Accept or Pass for DNS",
                rule_path(Direction::Egress, index),
                policy_name(policy)
            );
            out.push(
                finding(
                    &DOC,
                    &policy.meta,
                    rule.span,
                    rule_path(Direction::Egress, index),
                    message,
                )
                .with_help(
                    "accept egress to the kube-dns pods on port 53 (UDP and TCP) before this rule",
                ),
            );
        }
    }
}

/// The protocols DNS needs, in message order.
const DNS_PROTOCOLS: [Protocol; 2] = [Protocol::Udp, Protocol::Tcp];

/// The cluster DNS pods: the labels of `kube-system` (from the input when it declares
/// the Namespace) and of the `kube-dns` pods.
struct DnsTarget {
    namespace: Labels,
    pods: Labels,
}

impl DnsTarget {
    fn new(cx: &Context) -> DnsTarget {
        let namespace = cx.engine.namespace(SYSTEM_NAMESPACE).map_or_else(
            || {
                let mut labels = Labels::new();
                labels.insert("kubernetes.io/metadata.name", SYSTEM_NAMESPACE);
                labels
            },
            |ns| ns.labels.clone(),
        );
        let mut pods = Labels::new();
        pods.insert("k8s-app", "kube-dns");
        DnsTarget { namespace, pods }
    }

    /// Whether `rule` matches DNS on `protocol` to the cluster DNS pods.
    fn matched_by(&self, rule: &TierRule, protocol: Protocol) -> bool {
        rule.peers.iter().any(|peer| self.peer_matches(peer)) && matches_dns_port(rule, protocol)
    }

    fn peer_matches(&self, peer: &TierPeer) -> bool {
        match peer {
            TierPeer::Namespaces { selector, .. } => selector.matches(&self.namespace),
            TierPeer::Pods {
                namespaces, pods, ..
            } => namespaces.matches(&self.namespace) && pods.matches(&self.pods),
            // Networks match pod addresses: a /0 matches the DNS pods whatever their
            // addresses.
            TierPeer::Networks { cidrs, .. } => cidrs.iter().any(|c| c.value.prefix_len() == 0),
            TierPeer::Nodes { .. } | TierPeer::DomainNames { .. } => false,
        }
    }
}

/// The namespace of the cluster DNS.
const SYSTEM_NAMESPACE: &str = "kube-system";

/// Whether the rule's protocols include port 53 on `protocol`. A named port is
/// taken as DNS by its name (CoreDNS names its ports `dns` on UDP and `dns-tcp`).
fn matches_dns_port(rule: &TierRule, protocol: Protocol) -> bool {
    let Some(list) = &rule.ports else {
        return true;
    };
    list.value.iter().any(|entry| match entry {
        TierPort::Protocol {
            protocol: p, ports, ..
        } => *p == protocol && ports.as_ref().is_none_or(|r| r.value.contains(DNS_PORT)),
        TierPort::Named { name, .. } => {
            is_dns_name(&name.value) && (name.value.ends_with("tcp") == (protocol == Protocol::Tcp))
        }
    })
}
