//! `empty-list-means-all`: `from: []`, `to: []` or `ports: []`.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::effective_rules;
use crate::model::{path, Direction};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "empty-list-means-all",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "`from: []`, `to: []` or `ports: []`: an empty list means every peer or every port",
    rationale: "An empty list reads like \"nobody\" or \"no port\" but means the opposite: the field is unrestricted. Templating tools produce these when a list renders empty, opening the rule to everything.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: db\n  policyTypes: [Ingress]\n  ingress:\n    - from: []\n      ports:\n        - port: 5432\n",
    fix: "List the peers or ports; to allow nothing, remove the rule (`ingress: []` denies all).",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            let name = object_name(&policy.meta);
            if let Some(peers) = rule.peers.as_ref().filter(|p| p.value.is_empty()) {
                let field = d.peer_field();
                let every = match d {
                    Direction::Ingress => "every source",
                    Direction::Egress => "every destination",
                };
                let message = format!(
                    "`{field}: []` in {} rule of policy {name} allows {every}",
                    d.field()
                );
                out.push(
                    finding(
                        &DOC,
                        &policy.meta,
                        peers.span,
                        format!("{}.{field}", path::rule(d, i)),
                        message,
                    )
                    .with_help("list the peers, or remove the rule to allow nothing through it"),
                );
            }
            if let Some(ports) = rule.ports.as_ref().filter(|p| p.value.is_empty()) {
                let message = format!(
                    "`ports: []` in {} rule of policy {name} allows every port and protocol",
                    d.field()
                );
                out.push(
                    finding(
                        &DOC,
                        &policy.meta,
                        ports.span,
                        format!("{}.ports", path::rule(d, i)),
                        message,
                    )
                    .with_help("list the ports, or remove `ports` if every port is meant"),
                );
            }
        }
    }
}
