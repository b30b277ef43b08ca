//! `named-port-unresolved`: a named port that no container of the destination pods
//! declares with that protocol.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::engine::Endpoint;
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::effective_rules;
use crate::model::{path, Direction, NetworkPolicy, Peer, PortValue, Rule};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "named-port-unresolved",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "a named port that no container of the pods it applies to declares (with that protocol)",
    rationale: "A named port resolves on the destination pod: the selected pods for ingress, the peer pods for egress. If none declares the name with the rule's protocol (a `-udp` suffix is not a protocol), the entry matches nothing and the traffic is denied.",
    example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 8080\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n  ingress:\n    - ports:\n        - port: https\n",
    fix: "Use a name the destination containers declare (with the same protocol), or the port number.",
};

/// Checks the rule (silent when no destination pod of the rule is in the input).
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (index, policy) in cx.model.policies.iter().enumerate() {
        for (d, i, rule) in effective_rules(policy) {
            let named = rule
                .port_list()
                .iter()
                .any(|e| matches!(e.port.as_ref().map(|p| &p.value), Some(PortValue::Name(_))));
            if !named {
                continue;
            }
            let destinations = destinations(cx, index, policy, d, rule);
            if destinations.is_empty() {
                continue;
            }
            for (k, entry) in rule.port_list().iter().enumerate() {
                let Some(port) = &entry.port else { continue };
                let PortValue::Name(name) = &port.value else {
                    continue;
                };
                let protocol = entry.protocol();
                let declared = destinations.iter().any(|e| {
                    e.ports
                        .iter()
                        .any(|p| p.name.as_deref() == Some(name.as_str()) && p.protocol == protocol)
                });
                if declared {
                    continue;
                }
                let whose = match d {
                    Direction::Ingress => "the selected pods",
                    Direction::Egress => "the peer pods",
                };
                let message = format!(
                    "named port `{name}` ({}) in policy {} is declared by no container of {whose}",
                    protocol.as_str(),
                    object_name(&policy.meta)
                );
                out.push(
                    finding(
                        &DOC,
                        &policy.meta,
                        port.span,
                        format!("{}.port", path::port(d, i, k)),
                        message,
                    )
                    .with_help(
                        "use a port name the destination containers declare, or the port number",
                    ),
                );
            }
        }
    }
}

/// The pods a rule's named ports resolve on: the policy's selected pods for ingress,
/// the pods its selector peers match for egress.
fn destinations<'c>(
    cx: &'c Context,
    index: usize,
    policy: &NetworkPolicy,
    direction: Direction,
    rule: &Rule,
) -> Vec<&'c Endpoint<'c>> {
    match direction {
        Direction::Ingress => cx
            .engine
            .selected_endpoints(index)
            .iter()
            .filter_map(|id| cx.engine.endpoint(*id))
            .collect(),
        Direction::Egress => cx
            .engine
            .endpoints()
            .iter()
            .filter(|e| rule_selects(cx, policy, rule, e))
            .collect(),
    }
}

/// Whether a selector peer of `rule` (or an empty peer list) matches `endpoint`.
fn rule_selects(cx: &Context, policy: &NetworkPolicy, rule: &Rule, endpoint: &Endpoint) -> bool {
    if rule.peer_list().is_empty() {
        return true;
    }
    rule.peer_list().iter().any(|peer| match peer {
        Peer::IpBlock(_) => false,
        Peer::Selectors {
            pods, namespaces, ..
        } => {
            let namespace_ok = match namespaces {
                Some(selector) => cx
                    .engine
                    .namespace(endpoint.namespace)
                    .is_some_and(|n| selector.matches(&n.labels)),
                None => endpoint.namespace == policy.meta.namespace_name(),
            };
            namespace_ok && pods.as_ref().is_none_or(|s| s.matches(endpoint.labels))
        }
    })
}
