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
    let with_policies: SortedSet<&str> = cx
        .model
        .policies
        .iter()
        .map(|p| p.meta.namespace_name())
        .collect();
    let baseline_denied = Direction::BOTH.map(|d| baseline_denied(cx, d));
    for (index, endpoint) in cx.engine.endpoints().iter().enumerate() {
        if endpoint.host_network || !with_policies.contains(endpoint.namespace) {
            continue;
        }
        let id = EndpointId::from_index(index);
        let open: Vec<Direction> = Direction::BOTH
            .into_iter()
            .filter(|d| {
                !cx.engine.is_isolated(id, *d)
                    && !baseline_denied
                        .get(d.index())
                        .is_some_and(|denied| denied.contains(&id))
            })
            .collect();
        let what = match open.as_slice() {
            [] => continue,
            [Direction::Ingress] => "ingress: it accepts traffic from anywhere",
            [Direction::Egress] => "egress: it can send traffic anywhere",
            _ => "ingress or egress: it is open in both directions",
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
