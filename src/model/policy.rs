//! NetworkPolicy and its parts: rules, peers, port entries, ipBlocks.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use super::{LabelSelector, ObjectMeta, Spanned};
use crate::source::Span;

/// A direction of traffic relative to the selected pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Traffic into the selected pods.
    Ingress,
    /// Traffic out of the selected pods.
    Egress,
}

impl Direction {
    /// Both directions, ingress first.
    pub const BOTH: [Direction; 2] = [Direction::Ingress, Direction::Egress];

    /// `0` for ingress, `1` for egress: the index of per-direction arrays.
    pub fn index(self) -> usize {
        match self {
            Direction::Ingress => 0,
            Direction::Egress => 1,
        }
    }

    /// The rules' field name: `ingress` or `egress`.
    pub fn field(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The peers' field name: `from` or `to`.
    pub fn peer_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }

    /// The policyTypes value: `Ingress` or `Egress`.
    pub fn policy_type(self) -> PolicyType {
        match self {
            Direction::Ingress => PolicyType::Ingress,
            Direction::Egress => PolicyType::Egress,
        }
    }
}

/// A `spec.policyTypes` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyType {
    /// `Ingress`.
    Ingress,
    /// `Egress`.
    Egress,
}

impl PolicyType {
    /// Parses `Ingress` or `Egress` (case-sensitive).
    pub fn parse(s: &str) -> Option<PolicyType> {
        match s {
            "Ingress" => Some(PolicyType::Ingress),
            "Egress" => Some(PolicyType::Egress),
            _ => None,
        }
    }

    /// The value as written.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Ingress => "Ingress",
            PolicyType::Egress => "Egress",
        }
    }
}

/// A NetworkPolicy the API server would accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkPolicy {
    /// Identity and origin.
    pub meta: ObjectMeta,
    /// The span of `spec` (the object's span if `spec` is missing).
    pub spec_span: Span,
    /// `spec.podSelector`; a missing one is the empty selector (all pods of the
    /// namespace), spanning `spec`.
    pub pod_selector: LabelSelector,
    /// Whether `spec.podSelector` was written.
    pub pod_selector_written: bool,
    /// `spec.policyTypes` as written (`None` when absent).
    pub policy_types: Option<Spanned<Vec<Spanned<PolicyType>>>>,
    /// `spec.ingress` as written (`None` when absent, empty for `ingress: []`).
    pub ingress: Option<Spanned<Vec<Rule>>>,
    /// `spec.egress` as written.
    pub egress: Option<Spanned<Vec<Rule>>>,
}

impl NetworkPolicy {
    /// Whether the policy applies to `direction` after defaulting: `policyTypes` as
    /// written when present and non-empty; otherwise Ingress always, Egress only when
    /// `spec.egress` has at least one rule.
    pub fn applies_to(&self, direction: Direction) -> bool {
        match &self.policy_types {
            Some(types) if !types.value.is_empty() => types
                .value
                .iter()
                .any(|t| t.value == direction.policy_type()),
            _ => match direction {
                Direction::Ingress => true,
                Direction::Egress => self.egress.as_ref().is_some_and(|e| !e.value.is_empty()),
            },
        }
    }

    /// The rules written for `direction` (empty when the field is absent).
    pub fn rules(&self, direction: Direction) -> &[Rule] {
        let rules = match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        };
        rules.as_ref().map_or(&[], |r| r.value.as_slice())
    }
}

/// One ingress or egress rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The rule's bytes.
    pub span: Span,
    /// `from` / `to` as written (`None` when absent; both absent and empty match
    /// every peer).
    pub peers: Option<Spanned<Vec<Peer>>>,
    /// `ports` as written (`None` when absent; both absent and empty match every
    /// port of every protocol).
    pub ports: Option<Spanned<Vec<PortEntry>>>,
}

impl Rule {
    /// The peers (empty slice when absent or empty: every peer).
    pub fn peer_list(&self) -> &[Peer] {
        self.peers.as_ref().map_or(&[], |p| p.value.as_slice())
    }

    /// The port entries (empty slice when absent or empty: every port).
    pub fn port_list(&self) -> &[PortEntry] {
        self.ports.as_ref().map_or(&[], |p| p.value.as_slice())
    }
}

/// One entry of `from` / `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Peer {
    /// `podSelector` and/or `namespaceSelector` (at least one is present).
    Selectors {
        /// The peer's bytes.
        span: Span,
        /// `podSelector`: with no namespaceSelector, pods of the policy's namespace.
        pods: Option<LabelSelector>,
        /// `namespaceSelector`: pods of the matching namespaces.
        namespaces: Option<LabelSelector>,
    },
    /// `ipBlock`.
    IpBlock(IpBlock),
}

impl Peer {
    /// The peer's bytes.
    pub fn span(&self) -> Span {
        match self {
            Peer::Selectors { span, .. } => *span,
            Peer::IpBlock(block) => block.peer_span,
        }
    }
}

/// An `ipBlock` peer. CIDRs are kept as written (host bits included); use
/// [`IpNet::trunc`] for the network they denote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpBlock {
    /// The whole peer's bytes.
    pub peer_span: Span,
    /// `cidr`.
    pub cidr: Spanned<IpNet>,
    /// `except`.
    pub except: Vec<Spanned<IpNet>>,
}

impl IpBlock {
    /// Whether `addr` is inside `cidr` and inside no `except` entry.
    pub fn contains(&self, addr: &IpAddr) -> bool {
        self.cidr.value.trunc().contains(addr)
            && !self.except.iter().any(|e| e.value.trunc().contains(addr))
    }
}

/// A transport protocol of a port entry or a container port.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// TCP (the default).
    #[default]
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl Protocol {
    /// All three, in output order.
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// Parses `TCP`, `UDP` or `SCTP` (case-sensitive).
    pub fn parse(s: &str) -> Option<Protocol> {
        match s {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }

    /// The protocol as written: `TCP`, `UDP` or `SCTP`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

/// A port given as a number or as a container port's name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PortValue {
    /// A port number (1..=65535 once validated).
    Number(u16),
    /// A named port, resolved on the destination pod.
    Name(String),
}

/// One entry of a rule's `ports`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortEntry {
    /// The entry's bytes.
    pub span: Span,
    /// `protocol` as written (`None`: TCP).
    pub protocol: Option<Spanned<Protocol>>,
    /// `port` (`None`: every port of the protocol).
    pub port: Option<Spanned<PortValue>>,
    /// `endPort` (only with a numeric `port`).
    pub end_port: Option<Spanned<u16>>,
}

impl PortEntry {
    /// The protocol after defaulting.
    pub fn protocol(&self) -> Protocol {
        self.protocol.as_ref().map_or(Protocol::Tcp, |p| p.value)
    }
}
