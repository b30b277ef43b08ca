//! `namespace-selector-custom-label`: namespaces selected by a label other than
//! `kubernetes.io/metadata.name`.

use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::selector_memo::SelectorMemo;
use crate::lint::walk::effective_peers;
use crate::model::{path, LabelSelector, Labels, Peer, NAMESPACE_NAME_LABEL};
use crate::sorted::SortedMap;
use crate::source::Span;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "namespace-selector-custom-label",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a `namespaceSelector` on a label other than `kubernetes.io/metadata.name` (warning when no Namespace of the input carries it)",
    rationale: "Custom namespace labels are not set by default: a namespace created without them is silently not matched, and anyone allowed to label namespaces can add them to gain access. The control plane sets `kubernetes.io/metadata.name` on every namespace and nobody can change it.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-from-team\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: frontend\n          podSelector:\n            matchLabels:\n              app: web\n",
    fix: "Select namespaces by name: `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: frontend}}`.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let declared = declared_namespace_labels(cx);
    // Policies repeat the same few selectors: each distinct one is judged once.
    let mut unmatched_by_selector = SelectorMemo::default();
    for policy in &cx.model.policies {
        for (d, i, j, peer) in effective_peers(policy) {
            let Peer::Selectors {
                namespaces: Some(selector),
                ..
            } = peer
            else {
                continue;
            };
            let Some((key, span)) = first_custom_key(selector) else {
                continue;
            };
            let unmatched = unmatched_by_selector.verdict(selector, |selector| {
                !declared.is_empty() && !declared.values().any(|l| selector.matches(l))
            });
            let (severity, tail) = if unmatched {
                (
                    Severity::Warning,
                    ", and no Namespace of the input matches it",
                )
            } else {
                (Severity::Info, "")
            };
            let message = [
                "`namespaceSelector` of policy ",
                &object_name(&policy.meta),
                " selects namespaces by the custom label `",
                key,
                "`",
                tail,
            ]
            .concat();
            let field = path::in_peer(d, i, j, "namespaceSelector");
            let mut diagnostic = finding(&DOC, &policy.meta, span, field, message).with_help(
                "select namespaces by `kubernetes.io/metadata.name`, which the control plane sets on every namespace",
            );
            diagnostic.severity = severity;
            out.push(diagnostic);
        }
    }
}

/// The first key of `selector` other than the namespace name label, with its span.
fn first_custom_key(selector: &LabelSelector) -> Option<(&str, Span)> {
    let labels = selector.match_labels.iter().map(|(k, _)| k);
    let expressions = selector.match_expressions.iter().map(|r| &r.key);
    labels
        .chain(expressions)
        .find(|k| k.value != NAMESPACE_NAME_LABEL)
        .map(|k| (k.value.as_str(), k.span))
}

/// The labels of each declared Namespace, with the name label the control plane
/// sets.
fn declared_namespace_labels(cx: &Context) -> SortedMap<String, Labels> {
    cx.model
        .namespaces
        .iter()
        .map(|ns| {
            let mut labels = ns.meta.labels.clone();
            labels.insert(
                String::from(NAMESPACE_NAME_LABEL),
                ns.meta.name.value.clone(),
            );
            (ns.meta.name.value.clone(), labels)
        })
        .collect()
}
