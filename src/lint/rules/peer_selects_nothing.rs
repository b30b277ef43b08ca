//! `peer-selects-nothing`: a peer selector that matches no namespace or no pod of the
//! input.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::engine::{Endpoint, NamespaceInfo};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::selector_memo::SelectorMemo;
use crate::lint::walk::effective_peers;
use crate::model::{path, LabelSelector, NetworkPolicy, Operator, Peer, NAMESPACE_NAME_LABEL};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "peer-selects-nothing",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "a peer selector that matches no namespace, or no pod, of the input",
    rationale: "A peer that matches nothing allows nothing: the traffic it was written for is denied, usually because of a label typo. Judged only where the input can tell: a namespace selector whose label keys the declared Namespaces carry but whose values match none of them; a pod selector whose namespaces (the policy's own, or namespaces named by `kubernetes.io/metadata.name`) all hold pods or workloads in the input. Peers that may reach namespaces outside the input are not judged.",
    example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: wbe\n",
    fix: "Correct the selector to labels the peers carry (namespaces: `kubernetes.io/metadata.name` is always set).",
};

/// Checks the rule. Each distinct namespace selector is judged once (policies
/// repeat the same few), against the declared Namespaces listed once.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let declared: Vec<&NamespaceInfo> = cx
        .engine
        .namespaces()
        .iter()
        .filter(|n| n.declared.is_some())
        .collect();
    let mut typos = SelectorMemo::default();
    for (index, policy) in cx.model.policies.iter().enumerate() {
        let own = cx
            .policy_namespace(index)
            .map_or(&[][..], |id| cx.engine.namespace_endpoints(id));
        for (d, i, j, peer) in effective_peers(policy) {
            let Peer::Selectors {
                pods, namespaces, ..
            } = peer
            else {
                continue;
            };
            if let Some(selector) = namespaces {
                let typo = typos.verdict(selector, |selector| namespace_typo(&declared, selector));
                if typo {
                    let field = path::in_peer(d, i, j, "namespaceSelector");
                    out.push(nothing(policy, selector, field, "namespace"));
                    continue;
                }
            }
            let Some(selector) = pods else {
                continue;
            };
            let matches = |endpoints: &[Endpoint]| {
                endpoints
                    .iter()
                    .any(|e| !e.host_network && selector.matches(e.labels))
            };
            // Judged only where the input holds pods or workloads in every
            // namespace the peer's pods are looked for in.
            let matched = match namespaces {
                None if own.is_empty() => continue,
                None => matches(own),
                Some(namespace_selector) => {
                    let Some(named) = named_endpoints(cx, namespace_selector) else {
                        continue;
                    };
                    named.into_iter().any(matches)
                }
            };
            if !matched {
                let field = path::in_peer(d, i, j, "podSelector");
                out.push(nothing(policy, selector, field, "pod or workload"));
            }
        }
    }
}

/// Whether a namespace selector matches no declared Namespace although each label
/// key it uses (other than the name label) is carried by some declared Namespace: a
/// value that matches nothing, probably a typo. Selectors on labels that no
/// Namespace of the input carries, or on names only, may well select namespaces
/// outside the input: they are not judged.
fn namespace_typo(declared: &[&NamespaceInfo], selector: &LabelSelector) -> bool {
    let keys: Vec<&str> = selector
        .match_labels
        .iter()
        .map(|(k, _)| k.value.as_str())
        .chain(
            selector
                .match_expressions
                .iter()
                .map(|r| r.key.value.as_str()),
        )
        .filter(|k| *k != NAMESPACE_NAME_LABEL)
        .collect();
    !keys.is_empty()
        && keys
            .iter()
            .all(|k| declared.iter().any(|n| n.labels.contains_key(k)))
        && !declared.iter().any(|n| selector.matches(&n.labels))
}

/// The endpoints of each namespace a name-only namespace selector names, when the
/// input holds pods or workloads in all of them; `None` for another selector,
/// which may reach namespaces outside the input.
fn named_endpoints<'c, 'm>(
    cx: &'c Context<'m>,
    selector: &LabelSelector,
) -> Option<Vec<&'c [Endpoint<'m>]>> {
    let endpoints: Vec<_> = named_namespaces(selector)?
        .into_iter()
        .map(|name| cx.engine.endpoints_in(name))
        .collect();
    endpoints.iter().all(|e| !e.is_empty()).then_some(endpoints)
}

/// The namespace names a selector on `kubernetes.io/metadata.name` alone allows
/// (`matchLabels`, or `In`); `None` for any other selector.
fn named_namespaces(selector: &LabelSelector) -> Option<Vec<&str>> {
    let mut sets: Vec<Vec<&str>> = Vec::new();
    for (k, v) in &selector.match_labels {
        if k.value != NAMESPACE_NAME_LABEL {
            return None;
        }
        sets.push(alloc::vec![v.value.as_str()]);
    }
    for r in &selector.match_expressions {
        if r.key.value != NAMESPACE_NAME_LABEL || r.operator.value != Operator::In {
            return None;
        }
        sets.push(r.values.iter().map(|v| v.value.as_str()).collect());
    }
    let mut sets = sets.into_iter();
    let first = sets.next()?;
    Some(sets.fold(first, |names, allowed| {
        names.into_iter().filter(|n| allowed.contains(n)).collect()
    }))
}

/// The finding of a peer selector (at `field`) that matches no `what`.
fn nothing(
    policy: &NetworkPolicy,
    selector: &LabelSelector,
    field: String,
    what: &str,
) -> Diagnostic {
    let message = format!(
        "`{field}` of policy {} matches no {what} of the input",
        object_name(&policy.meta)
    );
    finding(&DOC, &policy.meta, selector.span, field, message)
        .with_help("correct the selector to labels the intended peers carry")
}
