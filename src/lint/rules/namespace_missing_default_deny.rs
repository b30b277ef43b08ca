//! `namespace-missing-default-deny`: a namespace in use without a policy that selects
//! all its pods and isolates a direction while allowing nothing.

use crate::sorted::{SortedMap, SortedSet};
use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::baseline_default_deny;
use crate::lint::walk::denied_directions;
use crate::model::{Direction, Model, ObjectMeta};
use crate::source::Span;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "namespace-missing-default-deny",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "a namespace without a default-deny policy (`podSelector: {}`, no rules, or a Baseline-tier cluster-wide policy denying every pod of the namespace) for ingress or egress; system namespaces (`kube-system`, `systemNamespaces`) are left out",
    rationale: "Pods that no policy selects accept and send anything. A default-deny policy per namespace makes every new workload closed until a policy allows what it needs, instead of open until someone remembers to write one. System namespaces (`kube-system` and the configured `systemNamespaces`) are left out: their control-plane and DNS pods must stay reachable, and a default deny there is a change to make deliberately (`default-deny-system-namespace` checks one that exists).",
    example: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n",
    fix: "Add a policy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules, then allow what each workload needs (DNS first).",
};

/// Checks the rule on every namespace in use except the system namespaces.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let denied = default_denies(cx.model);
    for (namespace, (meta, span)) in namespaces_in_use(cx.model) {
        if cx.config.is_system_namespace(namespace) {
            continue;
        }
        let missing: Vec<Direction> = Direction::BOTH
            .into_iter()
            .filter(|d| !denied.contains(&(namespace, *d)) && !baseline_denies(cx, namespace, *d))
            .collect();
        let what = match missing.as_slice() {
            [] => continue,
            [d] => d.field(),
            _ => "ingress and egress",
        };
        let message = format!("namespace `{namespace}` has no default-deny policy for {what}");
        out.push(finding(&DOC, meta, span, "", message).with_help(
            "add a policy with `podSelector: {}`, the missing `policyTypes` and no rules, then allow what each workload needs",
        ));
    }
}

/// Whether a Baseline-tier default deny of `direction` covers `namespace` (its
/// subject's namespace selector matches the namespace's labels).
fn baseline_denies(cx: &Context, namespace: &str, direction: Direction) -> bool {
    let Some(info) = cx.engine.namespace(namespace) else {
        return false;
    };
    cx.model
        .cluster_policies
        .iter()
        .filter_map(|p| baseline_default_deny(p, direction))
        .any(|selector| selector.matches(&info.labels))
}

/// The (namespace, direction) pairs where a policy selects all pods of the namespace
/// and isolates the direction without allowing anything.
fn default_denies(model: &Model) -> SortedSet<(&str, Direction)> {
    model
        .policies
        .iter()
        .filter(|p| p.pod_selector.is_empty())
        .flat_map(|p| denied_directions(p).map(|d| (p.meta.namespace_name(), d)))
        .collect()
}

/// Namespaces declared or holding an object, each with the object a finding points
/// at (the Namespace, else the first object of the namespace) and the span in it.
fn namespaces_in_use(model: &Model) -> SortedMap<&str, (&ObjectMeta, Span)> {
    let objects = model
        .policies
        .iter()
        .map(|p| &p.meta)
        .chain(model.pods.iter().map(|p| &p.meta))
        .chain(model.workloads.iter().map(|w| &w.meta));
    let mut members: Vec<&ObjectMeta> = objects.collect();
    crate::order::sort_by_key(&mut members, |m| (m.source, m.span.start));
    // Of entries with the same name the last one stays: the members from last to
    // first, then the Namespaces from last to first, so the first Namespace wins,
    // else the first member.
    let members = members.into_iter().rev().map(|meta| {
        let span = meta.namespace.as_ref().map_or(meta.name.span, |ns| ns.span);
        (meta.namespace_name(), (meta, span))
    });
    let declared = model
        .namespaces
        .iter()
        .rev()
        .map(|ns| (ns.meta.name.value.as_str(), (&ns.meta, ns.meta.name.span)));
    members.chain(declared).collect()
}
