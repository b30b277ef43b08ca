//! Cluster-wide policy: `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`)
//! and its predecessors `AdminNetworkPolicy` / `BaselineAdminNetworkPolicy`
//! (`v1alpha1`), read into one representation: a policy of a tier, with a priority,
//! a subject, and ordered ingress / egress rules whose action is Accept, Deny or Pass.

use alloc::string::String;
use alloc::vec::Vec;

use ipnet::IpNet;

use super::{Direction, LabelSelector, ObjectMeta, Protocol, Spanned};
use crate::source::Span;

/// The tier a cluster-wide policy belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Evaluated before NetworkPolicies (`AdminNetworkPolicy` in v1alpha1).
    Admin,
    /// Evaluated after NetworkPolicies (`BaselineAdminNetworkPolicy` in v1alpha1).
    Baseline,
}

impl Tier {
    /// Parses `Admin` or `Baseline` (case-sensitive).
    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "Admin" => Some(Tier::Admin),
            "Baseline" => Some(Tier::Baseline),
            _ => None,
        }
    }

    /// The tier as written in v1alpha2: `Admin` or `Baseline`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Admin => "Admin",
            Tier::Baseline => "Baseline",
        }
    }
}

/// The kind (and API version) a cluster-wide policy was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClusterPolicyKind {
    /// `ClusterNetworkPolicy`, `policy.networking.k8s.io/v1alpha2`.
    ClusterNetworkPolicy,
    /// `AdminNetworkPolicy`, `policy.networking.k8s.io/v1alpha1` (the Admin tier).
    AdminNetworkPolicy,
    /// `BaselineAdminNetworkPolicy`, `policy.networking.k8s.io/v1alpha1` (the Baseline
    /// tier; a singleton named `default`).
    BaselineAdminNetworkPolicy,
}

impl ClusterPolicyKind {
    /// The three kinds.
    pub const ALL: [ClusterPolicyKind; 3] = [
        ClusterPolicyKind::ClusterNetworkPolicy,
        ClusterPolicyKind::AdminNetworkPolicy,
        ClusterPolicyKind::BaselineAdminNetworkPolicy,
    ];

    /// The API group of all three kinds.
    pub const GROUP: &'static str = "policy.networking.k8s.io";

    /// The kind as written.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterPolicyKind::ClusterNetworkPolicy => "ClusterNetworkPolicy",
            ClusterPolicyKind::AdminNetworkPolicy => "AdminNetworkPolicy",
            ClusterPolicyKind::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
        }
    }

    /// The kind named `kind` (case-sensitive).
    pub fn parse(kind: &str) -> Option<ClusterPolicyKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// The `apiVersion` the kind is served at.
    pub fn api_version(self) -> &'static str {
        match self {
            ClusterPolicyKind::ClusterNetworkPolicy => "policy.networking.k8s.io/v1alpha2",
            _ => "policy.networking.k8s.io/v1alpha1",
        }
    }
}

/// A rule's action. v1alpha1's `Allow` is read as `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TierAction {
    /// Allow the traffic (final for this side of the connection).
    Accept,
    /// Drop the traffic (final for this side of the connection).
    Deny,
    /// Skip the rest of the tier: go on to the next one.
    Pass,
}

impl TierAction {
    /// The action as v1alpha2 writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            TierAction::Accept => "Accept",
            TierAction::Deny => "Deny",
            TierAction::Pass => "Pass",
        }
    }
}

/// A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy the API
/// server would accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterPolicy {
    /// Identity and origin (cluster-scoped: no namespace).
    pub meta: ObjectMeta,
    /// The kind it was read from.
    pub kind: ClusterPolicyKind,
    /// The span of `spec` (the object's span if `spec` is missing).
    pub spec_span: Span,
    /// The tier (`spec.tier`; from the kind in v1alpha1, spanning the `kind` value).
    pub tier: Spanned<Tier>,
    /// `spec.priority` (0..=1000; lower first). A BaselineAdminNetworkPolicy has
    /// none (there is only one), read as 0 spanning `spec`.
    pub priority: Spanned<u16>,
    /// `spec.subject`.
    pub subject: ClusterSubject,
    /// `spec.ingress`, in precedence order (empty when absent).
    pub ingress: Vec<TierRule>,
    /// `spec.egress`, in precedence order (empty when absent).
    pub egress: Vec<TierRule>,
}

impl ClusterPolicy {
    /// The rules of `direction`, in precedence order.
    pub fn rules(&self, direction: Direction) -> &[TierRule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// The pods a cluster-wide policy applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterSubject {
    /// `namespaces`: every pod of the matching namespaces.
    Namespaces {
        /// The subject's bytes.
        span: Span,
        /// The namespace selector.
        selector: LabelSelector,
    },
    /// `pods`: the pods matching `pods` in the namespaces matching `namespaces`.
    Pods {
        /// The subject's bytes.
        span: Span,
        /// `namespaceSelector`.
        namespaces: LabelSelector,
        /// `podSelector`.
        pods: LabelSelector,
    },
}

impl ClusterSubject {
    /// The subject's bytes.
    pub fn span(&self) -> Span {
        match self {
            ClusterSubject::Namespaces { span, .. } | ClusterSubject::Pods { span, .. } => *span,
        }
    }
}

/// One ingress or egress rule of a cluster-wide policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierRule {
    /// The rule's bytes.
    pub span: Span,
    /// `name`, if written.
    pub name: Option<Spanned<String>>,
    /// `action`.
    pub action: Spanned<TierAction>,
    /// `from` / `to` (at least one peer once validated; any peer matching matches).
    pub peers: Vec<TierPeer>,
    /// `protocols` (v1alpha2) or `ports` (v1alpha1); `None` when absent: all traffic.
    pub ports: Option<Spanned<Vec<TierPort>>>,
}

impl TierRule {
    /// The port entries (empty when absent: all traffic).
    pub fn port_list(&self) -> &[TierPort] {
        self.ports.as_ref().map_or(&[], |p| p.value.as_slice())
    }
}

/// One peer of a rule (exactly one field once validated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TierPeer {
    /// `namespaces`: every pod of the matching namespaces.
    Namespaces {
        /// The peer's bytes.
        span: Span,
        /// The namespace selector.
        selector: LabelSelector,
    },
    /// `pods`: `namespaceSelector` AND `podSelector`.
    Pods {
        /// The peer's bytes.
        span: Span,
        /// `namespaceSelector`.
        namespaces: LabelSelector,
        /// `podSelector`.
        pods: LabelSelector,
    },
    /// `networks` (egress): CIDRs, which match pod addresses too.
    Networks {
        /// The peer's bytes.
        span: Span,
        /// The CIDRs as written (a bare address is a /32 or /128).
        cidrs: Vec<Spanned<IpNet>>,
    },
    /// `nodes` (egress): the addresses of the matching Nodes.
    Nodes {
        /// The peer's bytes.
        span: Span,
        /// The node selector.
        selector: LabelSelector,
    },
    /// `domainNames` (egress): names resolved by DNS, which netpol cannot do offline.
    DomainNames {
        /// The peer's bytes.
        span: Span,
        /// The names (`example.com` or `*.example.com`).
        names: Vec<Spanned<String>>,
    },
}

impl TierPeer {
    /// The peer's bytes.
    pub fn span(&self) -> Span {
        match self {
            TierPeer::Namespaces { span, .. }
            | TierPeer::Pods { span, .. }
            | TierPeer::Networks { span, .. }
            | TierPeer::Nodes { span, .. }
            | TierPeer::DomainNames { span, .. } => *span,
        }
    }
}

/// One entry of a rule's `protocols` (v1alpha2) or `ports` (v1alpha1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TierPort {
    /// A protocol, on every port or on the given destination ports
    /// (v1alpha2 `tcp`/`udp`/`sctp`, v1alpha1 `portNumber`/`portRange`).
    Protocol {
        /// The entry's bytes.
        span: Span,
        /// The protocol.
        protocol: Protocol,
        /// The destination ports (`None`: every port of the protocol).
        ports: Option<Spanned<PortRange>>,
    },
    /// `destinationNamedPort` (v1alpha2) or `namedPort` (v1alpha1): resolved on the
    /// destination pod, with that container port's protocol.
    Named {
        /// The entry's bytes.
        span: Span,
        /// The port's name.
        name: Spanned<String>,
    },
}

impl TierPort {
    /// The entry's bytes.
    pub fn span(&self) -> Span {
        match self {
            TierPort::Protocol { span, .. } | TierPort::Named { span, .. } => *span,
        }
    }
}

/// Destination ports `start..=end` (one port: `start == end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    /// The first port.
    pub start: u16,
    /// The last port (inclusive).
    pub end: u16,
}

impl PortRange {
    /// Whether `port` is in the range.
    pub fn contains(self, port: u16) -> bool {
        self.start <= port && port <= self.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(Tier::parse("Admin"), Some(Tier::Admin));
        assert_eq!(Tier::parse("admin"), None);
        assert_eq!(Tier::Baseline.as_str(), "Baseline");
        for kind in ClusterPolicyKind::ALL {
            assert_eq!(ClusterPolicyKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ClusterPolicyKind::parse("NetworkPolicy"), None);
        assert_eq!(TierAction::Pass.as_str(), "Pass");
    }

    #[test]
    fn ranges_are_inclusive() {
        let range = PortRange { start: 80, end: 90 };
        assert!(range.contains(80) && range.contains(90));
        assert!(!range.contains(79) && !range.contains(91));
    }
}
