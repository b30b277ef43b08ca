//! `ports-empty-item`: `ports: [{}]` or a protocol-only port entry.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::effective_rules;
use crate::model::path;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "ports-empty-item",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a port entry without `port`: `{}` (every TCP port) or protocol only (every port of that protocol)",
    rationale: "`ports: [{}]` looks like \"all ports\" but means every TCP port only (protocol defaults to TCP), so UDP such as DNS stays blocked; `{protocol: UDP}` opens every UDP port. Either is rarely what was meant.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: lb\n      ports:\n        - {}\n",
    fix: "Give the `port` (and `protocol`) meant, or drop `ports` to allow every port of every protocol.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            for (k, entry) in rule.port_list().iter().enumerate() {
                if entry.port.is_some() {
                    continue;
                }
                let name = object_name(&policy.meta);
                let message = match &entry.protocol {
                    None => format!(
                        "port entry `{{}}` in {} rule of policy {name} allows every TCP port (UDP and SCTP stay blocked)",
                        d.field()
                    ),
                    Some(p) => format!(
                        "port entry in {} rule of policy {name} allows every `{}` port",
                        d.field(),
                        p.value.as_str()
                    ),
                };
                out.push(
                    finding(&DOC, &policy.meta, entry.span, path::port(d, i, k), message)
                        .with_help("give the `port` meant, or drop `ports` to allow every port of every protocol"),
                );
            }
        }
    }
}
