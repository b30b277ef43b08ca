//! `namespace-missing-default-deny`: a namespace in use without a policy that selects
//! all its pods and isolates a direction while allowing nothing.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::engine::NamespaceInfo;
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::baseline_default_deny;
use crate::lint::walk::denied_directions;
use crate::model::{Direction, ObjectMeta};
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
    let denied = default_denies(cx);
    for (id, info, (meta, span)) in namespaces_in_use(cx) {
        let namespace = info.name.as_str();
        if cx.config.is_system_namespace(namespace) {
            continue;
        }
        let missing = Direction::BOTH.map(|d| {
            let denied = denied
                .get(id)
                .and_then(|directions| directions.get(d.index()));
            denied != Some(&true) && !baseline_denies(cx, info, d)
        });
        let what = match missing {
            [false, false] => continue,
            [true, false] => Direction::Ingress.field(),
            [false, true] => Direction::Egress.field(),
            [true, true] => "ingress and egress",
        };
        let message = format!("namespace `{namespace}` has no default-deny policy for {what}");
        out.push(finding(&DOC, meta, span, "", message).with_help(
            "add a policy with `podSelector: {}`, the missing `policyTypes` and no rules, then allow what each workload needs",
        ));
    }
}

/// Whether a Baseline-tier default deny of `direction` covers the namespace `info`
/// (its subject's namespace selector matches the namespace's labels).
fn baseline_denies(cx: &Context, info: &NamespaceInfo, direction: Direction) -> bool {
    cx.model
        .cluster_policies
        .iter()
        .filter_map(|p| baseline_default_deny(p, direction))
        .any(|selector| selector.matches(&info.labels))
}

/// Per namespace id of the engine, per direction (see [`Direction::index`]):
/// whether a policy selects all pods of the namespace and isolates the direction
/// without allowing anything.
fn default_denies(cx: &Context) -> Vec<[bool; 2]> {
    let mut denied = alloc::vec![[false; 2]; cx.engine.namespaces().len()];
    for (index, policy) in cx.model.policies.iter().enumerate() {
        if !policy.pod_selector.is_empty() {
            continue;
        }
        let Some(slot) = cx
            .policy_namespace(index)
            .and_then(|id| denied.get_mut(id as usize))
        else {
            continue;
        };
        for direction in denied_directions(policy) {
            if let Some(flag) = slot.get_mut(direction.index()) {
                *flag = true;
            }
        }
    }
    denied
}

/// Namespaces declared or holding an object (the engine's, in name order), each
/// with its id and the object a finding points at (the first Namespace of that
/// name, else the first object of the namespace in input order) and the span in
/// it.
fn namespaces_in_use<'a>(
    cx: &'a Context,
) -> impl Iterator<Item = (usize, &'a NamespaceInfo, (&'a ObjectMeta, Span))> {
    let namespaces = cx.engine.namespaces();
    let mut first_members: Vec<Option<&ObjectMeta>> = alloc::vec![None; namespaces.len()];
    let policies = cx
        .model
        .policies
        .iter()
        .enumerate()
        .map(|(index, p)| (cx.policy_namespace(index), &p.meta));
    let others = cx
        .model
        .pods
        .iter()
        .map(|p| &p.meta)
        .chain(cx.model.workloads.iter().map(|w| &w.meta))
        .map(|meta| (cx.engine.namespace_id(meta.namespace_name()), meta));
    let place = |m: &ObjectMeta| (m.source, m.span.start);
    for (id, meta) in policies.chain(others) {
        if let Some(first) = id.and_then(|id| first_members.get_mut(id as usize)) {
            if first.is_none_or(|f| place(meta) < place(f)) {
                *first = Some(meta);
            }
        }
    }
    namespaces
        .iter()
        .zip(first_members)
        .enumerate()
        .filter_map(|(id, (namespace, member))| {
            let declared = namespace
                .declared
                .and_then(|i| cx.model.namespaces.get(i))
                .map(|ns| (&ns.meta, ns.meta.name.span));
            let member =
                member.map(|m| (m, m.namespace.as_ref().map_or(m.name.span, |ns| ns.span)));
            Some((id, namespace, declared.or(member)?))
        })
}
