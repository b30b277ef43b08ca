//! `peer-selects-nothing`: a peer selector that matches no namespace or no pod of the
//! input.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::engine::NamespaceInfo;
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::effective_rules;
use crate::model::{path, LabelSelector, NetworkPolicy, Peer};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "peer-selects-nothing",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "a peer selector that matches no namespace, or no pod, of the input",
    rationale: "A peer that matches nothing allows nothing: the traffic it was written for is denied, usually because of a label typo or a namespace label that is not set. Namespace selectors are checked when the input declares Namespaces; pod selectors when the input holds pods or workloads in the namespaces concerned.",
    example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: wbe\n",
    fix: "Correct the selector to labels the peers carry (namespaces: `kubernetes.io/metadata.name` is always set).",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let namespaces_known = !cx.model.namespaces.is_empty();
    for policy in &cx.model.policies {
        for (d, i, rule) in effective_rules(policy) {
            for (j, peer) in rule.peer_list().iter().enumerate() {
                let Peer::Selectors {
                    pods, namespaces, ..
                } = peer
                else {
                    continue;
                };
                let base = path::peer(d, i, j);
                let matched = match namespaces {
                    Some(selector) => {
                        let matched = matching_namespaces(cx, selector);
                        if matched.is_empty() && namespaces_known {
                            out.push(nothing(
                                policy,
                                selector,
                                format!("{base}.namespaceSelector"),
                                "namespace",
                            ));
                            continue;
                        }
                        matched.into_iter().map(|n| n.name.as_str()).collect()
                    }
                    None => alloc::vec![policy.meta.namespace_name()],
                };
                let Some(selector) = pods else { continue };
                let mut candidates = matched
                    .iter()
                    .flat_map(|ns| cx.endpoints_in(ns))
                    .filter(|e| !e.host_network)
                    .peekable();
                if candidates.peek().is_none() {
                    continue;
                }
                if !candidates.any(|e| selector.matches(e.labels)) {
                    out.push(nothing(
                        policy,
                        selector,
                        format!("{base}.podSelector"),
                        "pod or workload",
                    ));
                }
            }
        }
    }
}

/// The namespaces of the input (declared or referenced) `selector` matches.
fn matching_namespaces<'c>(cx: &'c Context, selector: &LabelSelector) -> Vec<&'c NamespaceInfo> {
    cx.engine
        .namespaces()
        .iter()
        .filter(|n| selector.matches(&n.labels))
        .collect()
}

fn nothing(
    policy: &NetworkPolicy,
    selector: &LabelSelector,
    field: alloc::string::String,
    what: &str,
) -> Diagnostic {
    let message = format!(
        "`{field}` of policy {} matches no {what} of the input",
        object_name(&policy.meta)
    );
    finding(&DOC, &policy.meta, selector.span, field, message)
        .with_help("correct the selector to labels the intended peers carry")
}
