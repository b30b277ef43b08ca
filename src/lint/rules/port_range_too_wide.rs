//! `port-range-too-wide`: `endPort - port + 1` above the configured threshold.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::effective_rules;
use crate::model::{path, PortValue};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "port-range-too-wide",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a port range (`port` to `endPort`) wider than the threshold (`portRangeThreshold`, default 1024)",
    rationale: "A wide range is close to allowing every port: services started later on a port inside it are exposed without anyone deciding so.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: wide\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: web\n      ports:\n        - port: 1024\n          endPort: 65535\n",
    fix: "List the ports in use, or narrow the range; raise `portRangeThreshold` if wide ranges are policy in your cluster.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let threshold = cx.config.port_range_threshold;
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            for (k, entry) in rule.port_list().iter().enumerate() {
                let (Some(port), Some(end)) = (&entry.port, &entry.end_port) else {
                    continue;
                };
                let PortValue::Number(start) = port.value else {
                    continue;
                };
                let width = u32::from(end.value).saturating_sub(u32::from(start)) + 1;
                if width <= threshold {
                    continue;
                }
                let message = format!(
                    "port range `{start}-{}` of policy {} opens {width} ports (threshold {threshold})",
                    end.value,
                    object_name(&policy.meta)
                );
                let field = format!("{}.endPort", path::port(d, i, k));
                out.push(
                    finding(&DOC, &policy.meta, end.span, field, message)
                        .with_help("list the ports in use or narrow the range"),
                );
            }
        }
    }
}
