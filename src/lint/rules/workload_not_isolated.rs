//! `workload-not-isolated`: a pod or workload that no policy selects for a direction.

use crate::sorted::SortedSet;
use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::engine::EndpointId;
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::tier_cover::baseline_default_deny;
use crate::model::Direction;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "workload-not-isolated",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Cluster,
    summary: "a pod or workload that no policy selects for ingress or egress (and no Baseline-tier default deny selects): it accepts (or sends) anything",
    rationale: "Policies only restrict the pods they select. A workload missed by every selector (a typo in a label, a new workload) is wide open in that direction while the namespace looks protected. Checked in namespaces where the input has policies (`namespace-missing-default-deny` covers the others); hostNetwork pods are left out (policies do not apply to them).",
    example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Ingress, Egress]\n",
    fix: "Add a default-deny policy for the namespace, or a policy selecting the workload for that direction.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let with_policies = namespaces_with_policies(cx);
    let baseline_denied = Direction::BOTH.map(|d| baseline_denied(cx, d));
    for (index, endpoint) in cx.engine.endpoints().iter().enumerate() {
        let in_scope = with_policies.get(endpoint.namespace_id as usize) == Some(&true);
        if endpoint.host_network || !in_scope {
            continue;
        }
        let id = EndpointId::from_index(index);
        let open = Direction::BOTH.map(|d| {
            !cx.engine.is_isolated(id, d)
                && !baseline_denied
                    .get(d.index())
                    .is_some_and(|denied| denied.contains(&id))
        });
        let what = match open {
            [false, false] => continue,
            [true, false] => "ingress: it accepts traffic from anywhere",
            [false, true] => "egress: it can send traffic anywhere",
            [true, true] => "ingress or egress: it is open in both directions",
        };
        let kind = endpoint.kind_name().to_ascii_lowercase();
        let message = format!(
            "{kind} `{}/{}` is selected by no policy for {what}",
            endpoint.namespace, endpoint.name
        );
        out.push(
            finding(&DOC, endpoint.meta, endpoint.meta.name.span, "metadata.labels", message)
                .with_help("add a default-deny policy for the namespace, or a policy that selects this workload"),
        );
    }
}

/// Per namespace id of the engine: whether the input has policies in the namespace.
fn namespaces_with_policies(cx: &Context) -> Vec<bool> {
    let mut with_policies = alloc::vec![false; cx.engine.namespaces().len()];
    for index in 0..cx.model.policies.len() {
        if let Some(slot) = cx
            .policy_namespace(index)
            .and_then(|id| with_policies.get_mut(id as usize))
        {
            *slot = true;
        }
    }
    with_policies
}

/// The endpoints a Baseline-tier default deny of `direction` selects: they are not
/// open even when no NetworkPolicy selects them.
fn baseline_denied(cx: &Context, direction: Direction) -> SortedSet<EndpointId> {
    cx.model
        .cluster_policies
        .iter()
        .enumerate()
        .filter(|(_, p)| baseline_default_deny(p, direction).is_some())
        .flat_map(|(i, _)| cx.engine.tier_selected(i))
        .collect()
}
