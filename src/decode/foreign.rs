//! Policy kinds of other projects (CNIs) that netpol cannot evaluate. They are not decoded, only recognised, so that the lint
//! can say so (`unsupported-policy-kind`) instead of staying silent.

use crate::doc::Node;
use crate::model::{ForeignPolicy, ObjectMeta};
use crate::source::SourceId;

use super::context::Ctx;
use super::meta::{decode_meta, resource_of, NameRule};

/// API groups and the policy kinds netpol does not evaluate in each.
const UNSUPPORTED_POLICIES: [(&str, &[&str]); 7] = [
    (
        "cilium.io",
        &["CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy"],
    ),
    ("crd.projectcalico.org", CALICO),
    ("projectcalico.org", CALICO),
    ("crd.antrea.io", ANTREA),
    ("security.antrea.tanzu.vmware.com", ANTREA),
    ("k8s.ovn.org", &["EgressFirewall"]),
    ("networking.gke.io", &["FQDNNetworkPolicy"]),
];

/// Calico's policy kinds (both of its API groups).
const CALICO: &[&str] = &[
    "NetworkPolicy",
    "GlobalNetworkPolicy",
    "StagedNetworkPolicy",
    "StagedGlobalNetworkPolicy",
    "StagedKubernetesNetworkPolicy",
];

/// Antrea's policy kinds (both of its API groups).
const ANTREA: &[&str] = &["NetworkPolicy", "ClusterNetworkPolicy"];

/// The API group of an `apiVersion` (`cilium.io/v2` → `cilium.io`; `v1` → the core
/// group, empty).
pub fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// Whether `kind` of the API group `group` is a policy kind netpol cannot evaluate.
pub fn is_unsupported_policy(group: &str, kind: &str) -> bool {
    UNSUPPORTED_POLICIES
        .iter()
        .any(|(g, kinds)| *g == group && kinds.contains(&kind))
}

/// The object `root` of such a kind, read no further than its metadata (problems in
/// it are not netpol's to report).
pub(super) fn decode_foreign_policy(
    root: &Node,
    source: SourceId,
    api_version: &str,
    kind: &str,
) -> ForeignPolicy {
    let mut ctx = Ctx::new(source, resource_of(root, api_version, kind), false);
    let meta: ObjectMeta = decode_meta(&mut ctx, root, source, NameRule::Subdomain, true);
    let kind_span = root.get("kind").map_or(root.span, |n| n.span);
    ForeignPolicy { meta, kind_span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_kinds_of_other_projects_are_recognised_by_group_and_kind() {
        assert_eq!(api_group("cilium.io/v2"), "cilium.io");
        assert_eq!(api_group("v1"), "");
        assert!(is_unsupported_policy("cilium.io", "CiliumNetworkPolicy"));
        assert!(is_unsupported_policy(
            "crd.projectcalico.org",
            "NetworkPolicy"
        ));
        assert!(is_unsupported_policy(
            "crd.antrea.io",
            "ClusterNetworkPolicy"
        ));
        assert!(!is_unsupported_policy("networking.k8s.io", "NetworkPolicy"));
        assert!(!is_unsupported_policy("extensions", "NetworkPolicy"));
        assert!(!is_unsupported_policy("", "Service"));
        assert!(!is_unsupported_policy("cilium.io", "CiliumEndpoint"));
    }
}
