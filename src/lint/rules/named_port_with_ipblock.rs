//! `named-port-with-ipblock`: a rule pairing an ipBlock peer with a named port.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::effective_rules;
use crate::model::{path, Direction, Peer, PortValue};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "named-port-with-ipblock",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "an egress rule pairing an ipBlock peer with a named port (names never resolve for addresses that are not pods)",
    rationale: "A named port is looked up in the destination pod's container ports. For egress to an ipBlock the destination is usually not a pod, so the name matches nothing and the rule allows nothing to those addresses.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: to-proxy\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 203.0.113.0/24\n      ports:\n        - port: https\n",
    fix: "Use the port number (`port: 443`) for address peers.",
};

/// Checks the rule. For ingress the named port resolves on the selected pods, which
/// are pods whatever the source: only egress rules are at fault.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            if d != Direction::Egress {
                continue;
            }
            let Some(block) = rule.peer_list().iter().find_map(|p| match p {
                Peer::IpBlock(b) => Some(b),
                Peer::Selectors { .. } => None,
            }) else {
                continue;
            };
            for (k, entry) in rule.port_list().iter().enumerate() {
                let Some(port) = &entry.port else { continue };
                let PortValue::Name(name) = &port.value else {
                    continue;
                };
                let message = format!(
                    "named port `{name}` in egress rule of policy {} never matches ipBlock `{}`: names resolve only on pods",
                    object_name(&policy.meta),
                    block.cidr.value
                );
                out.push(
                    finding(
                        &DOC,
                        &policy.meta,
                        port.span,
                        format!("{}.port", path::port(d, i, k)),
                        message,
                    )
                    .with_help("use the port number for address peers"),
                );
            }
        }
    }
}
