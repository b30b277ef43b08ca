//! `default-deny-system-namespace`: a default-deny in a system namespace without
//! DNS and control-plane allowances.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::{denied_directions, effective_rules, rule_allows, DNS_PORT};
use crate::model::{Direction, NetworkPolicy, Protocol};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "default-deny-system-namespace",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a default-deny in `kube-system` (or a configured system namespace) without DNS and control-plane allowances",
    rationale: "Denying all traffic in the control plane's namespace cuts cluster DNS (CoreDNS serves port 53 from there) and the components' access to the API server: the whole cluster breaks, not one application.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: kube-system\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n",
    fix: "Before denying, allow ingress to DNS (port 53 UDP and TCP) and egress to DNS and to the API server (443/6443) in the same namespace.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        let namespace = policy.meta.namespace_name();
        if !cx.config.is_system_namespace(namespace) || !policy.pod_selector.is_empty() {
            continue;
        }
        let peers: Vec<&NetworkPolicy> = cx
            .model
            .policies
            .iter()
            .filter(|p| p.meta.namespace_name() == namespace)
            .collect();
        let mut missing: Vec<String> = Vec::new();
        for d in denied_directions(policy) {
            if !allows(&peers, d, Protocol::Udp, &[DNS_PORT]) {
                missing.push(format!("{} DNS (port 53)", d.field()));
            }
            if d == Direction::Egress && !allows(&peers, d, Protocol::Tcp, &[443, 6443]) {
                missing.push(String::from("egress to the API server (443/6443)"));
            }
        }
        if missing.is_empty() {
            continue;
        }
        let message = format!(
            "default-deny policy {} in system namespace `{namespace}` leaves no allowance for {}",
            object_name(&policy.meta),
            missing.join(" or ")
        );
        out.push(
            finding(
                &DOC,
                &policy.meta,
                policy.pod_selector.span,
                "spec.podSelector",
                message,
            )
            .with_help("allow DNS and the API server in this namespace before denying the rest"),
        );
    }
}

/// Whether some policy of the namespace allows one of `ports` on `protocol` in
/// `direction`.
fn allows(
    policies: &[&NetworkPolicy],
    direction: Direction,
    protocol: Protocol,
    ports: &[u16],
) -> bool {
    policies.iter().any(|p| {
        effective_rules(p).any(|(d, _, r)| {
            d == direction && ports.iter().any(|port| rule_allows(r, protocol, *port))
        })
    })
}
