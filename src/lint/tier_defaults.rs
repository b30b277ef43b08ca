//! Default denies written as cluster-wide policies: a ClusterNetworkPolicy (or one of
//! its v1alpha1 kinds) whose subject takes every pod of a namespace and whose rules
//! for a direction reach a Deny of all traffic before any Pass. The default-deny
//! rules count such a policy as the namespace's default deny for that direction.

use crate::model::{
    ClusterPolicy, ClusterSubject, Direction, Labels, Model, TierAction, TierPeer, TierRule,
};

/// Whether a cluster-wide policy of `model` denies, for every pod of the namespace
/// labelled `namespace_labels`, all `direction` traffic that its earlier rules do not
/// accept.
pub fn tier_denies(model: &Model, namespace_labels: &Labels, direction: Direction) -> bool {
    model.cluster_policies.iter().any(|p| {
        takes_namespace(p, namespace_labels) && denies_the_rest(p.rules(direction), direction)
    })
}

/// Whether the subject of `policy` is every pod of the namespace.
fn takes_namespace(policy: &ClusterPolicy, namespace_labels: &Labels) -> bool {
    match &policy.subject {
        ClusterSubject::Namespaces { selector, .. } => selector.matches(namespace_labels),
        ClusterSubject::Pods {
            namespaces, pods, ..
        } => pods.is_empty() && namespaces.matches(namespace_labels),
    }
}

/// Whether the rules, in order, deny all traffic before a Pass could hand it on.
fn denies_the_rest(rules: &[TierRule], direction: Direction) -> bool {
    for rule in rules {
        match rule.action.value {
            TierAction::Pass => return false,
            TierAction::Deny if matches_everything(rule, direction) => return true,
            TierAction::Accept | TierAction::Deny => {}
        }
    }
    false
}

/// Whether `rule` matches all traffic of `direction`: every port, every pod, and for
/// egress every IPv4 and IPv6 address.
fn matches_everything(rule: &TierRule, direction: Direction) -> bool {
    let every_pod = rule.peers.iter().any(|peer| match peer {
        TierPeer::Namespaces { selector, .. } => selector.is_empty(),
        TierPeer::Pods {
            namespaces, pods, ..
        } => namespaces.is_empty() && pods.is_empty(),
        _ => false,
    });
    let every_address = |v4: bool| {
        rule.peers.iter().any(|peer| match peer {
            TierPeer::Networks { cidrs, .. } => cidrs
                .iter()
                .any(|c| c.value.prefix_len() == 0 && matches!(c.value, ipnet::IpNet::V4(_)) == v4),
            _ => false,
        })
    };
    let addresses = match direction {
        Direction::Ingress => true,
        Direction::Egress => every_address(true) && every_address(false),
    };
    rule.port_list().is_empty() && every_pod && addresses
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use alloc::format;

    use super::*;
    use crate::api::{SourceFile, Workspace};
    use crate::lint::Config;

    fn denies(ingress: &str, egress: &str, subject: &str) -> [bool; 2] {
        let text = format!(
            "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {{name: b}}\nspec:\n  tier: Baseline\n  priority: 5\n  subject: {subject}\n  ingress: {ingress}\n  egress: {egress}\n"
        );
        let workspace = Workspace::load([SourceFile::text("cnp.yaml", text)], Config::default());
        let model = &workspace.loaded().model;
        assert!(
            workspace.loaded().diagnostics.is_empty(),
            "{:?}",
            workspace.loaded().diagnostics
        );
        let labels = Labels::from_iter([("kubernetes.io/metadata.name", "shop")]);
        [Direction::Ingress, Direction::Egress].map(|d| tier_denies(model, &labels, d))
    }

    const ALL_IN: &str = "[{action: Deny, from: [{namespaces: {}}]}]";
    const ALL_OUT: &str = "[{action: Accept, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}}], protocols: [{udp: {destinationPort: {number: 53}}}]}, {action: Deny, to: [{namespaces: {}}, {networks: [0.0.0.0/0, \"::/0\"]}]}]";

    #[test]
    fn a_deny_of_everything_after_accepts_is_a_default_deny() {
        assert_eq!(denies(ALL_IN, ALL_OUT, "{namespaces: {}}"), [true, true]);
        let pods = "{pods: {namespaceSelector: {}, podSelector: {}}}";
        assert_eq!(denies(ALL_IN, ALL_OUT, pods), [true, true]);
    }

    #[test]
    fn a_narrower_deny_a_pass_first_or_another_subject_is_not() {
        let v4_only = "[{action: Deny, to: [{namespaces: {}}, {networks: [0.0.0.0/0]}]}]";
        assert_eq!(denies(ALL_IN, v4_only, "{namespaces: {}}"), [true, false]);
        let pass_first =
            "[{action: Pass, from: [{namespaces: {}}]}, {action: Deny, from: [{namespaces: {}}]}]";
        assert_eq!(denies(pass_first, "[]", "{namespaces: {}}"), [false, false]);
        let one_port = "[{action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 80}}}]}]";
        assert_eq!(denies(one_port, "[]", "{namespaces: {}}"), [false, false]);
        let other = "{namespaces: {matchLabels: {kubernetes.io/metadata.name: other}}}";
        assert_eq!(denies(ALL_IN, ALL_OUT, other), [false, false]);
        let some_pods = "{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}";
        assert_eq!(denies(ALL_IN, ALL_OUT, some_pods), [false, false]);
    }
}
