//! `rule-without-ports`: an allow rule without `ports`.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::{all_peers, effective_rules};
use crate::model::path;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "rule-without-ports",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "an allow rule without `ports`: every port and protocol of the peers",
    rationale: "A rule without `ports` opens every TCP, UDP and SCTP port (and other protocols) between the peers, including debug, admin and metrics ports nobody meant to expose.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-from-web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n",
    fix: "Add `ports` with the port (and protocol) the peers use, e.g. `ports: [{port: 8080}]`.",
};

/// Checks the rule. Rules without peers either are `allow-all-*` findings or have an
/// empty `from`/`to` list (`empty-list-means-all`); `ports: []` is
/// `empty-list-means-all` too.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            if rule.ports.is_some() || all_peers(rule) {
                continue;
            }
            let message = format!(
                "{} rule of policy {} allows every port and protocol (no `ports`)",
                d.field(),
                object_name(&policy.meta)
            );
            out.push(
                finding(&DOC, &policy.meta, rule.span, path::rule(d, i), message)
                    .with_help("list the ports the peers need under `ports`"),
            );
        }
    }
}
