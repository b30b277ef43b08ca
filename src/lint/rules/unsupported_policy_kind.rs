//! `unsupported-policy-kind`: a policy of a kind netpol cannot evaluate
//! (CiliumNetworkPolicy, Calico's and Antrea's policies), so that
//! silence about it is not mistaken for a clean bill of health.

use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};

/// Documentation. The level is `info`: the manifest is not at fault, and a warning
/// would fail every `--fail-on warning` build of a cluster that uses its CNI's
/// policies on purpose; but every format shows it, and the summary names the kind.
pub const DOC: RuleDoc = RuleDoc {
    id: "unsupported-policy-kind",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a policy of a kind netpol cannot evaluate (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico's NetworkPolicy and GlobalNetworkPolicy, Antrea's...): it is not checked and the connectivity results leave it out",
    rationale: "netpol checks and evaluates Kubernetes NetworkPolicies (`networking.k8s.io/v1`). Other policy kinds also allow and deny traffic in the cluster; without this finding a file of them would lint as \"no problems found\", and the matrix would not show what they block. The level is `info` because the manifest itself is not at fault.",
    example: "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: allow-web\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels:\n      app: web\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            app: frontend\n",
    fix: "Review these policies with their CNI's own tools (`cilium policy`, `calicoctl`, `antctl`); turn the rule off (`--rule unsupported-policy-kind=off`) once that is done elsewhere.",
};

/// Checks the rule: one finding per such policy, at its `kind`. Cluster-wide kinds
/// have no namespace, so the name is shown as written.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.foreign_policies {
        let meta = &policy.meta;
        let name = match &meta.namespace {
            Some(namespace) => format!("`{}/{}`", namespace.value, meta.name.value),
            None => format!("`{}`", meta.name.value),
        };
        let message = format!(
            "policy {name} of kind `{}` (`{}`) is not evaluated: netpol checks Kubernetes NetworkPolicies only, so its findings and connectivity results leave it out",
            meta.kind, meta.api_version
        );
        out.push(
            finding(&DOC, meta, policy.kind_span, "kind", message)
                .with_help("review this policy with the tools of the CNI it is written for"),
        );
    }
}
