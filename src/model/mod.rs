//! The typed model: the objects netpol understands, decoded from the document tree.
//!
//! Only objects the API server would accept reach the model (an object with
//! validation errors gets those errors and is left out). Fields a message may point
//! at keep their [`Span`]; field paths (`spec.ingress[0].from[1]`) follow from the
//! structure (see [`path`]).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::ResourceRef;
use crate::source::{SourceId, Span};

mod cluster;
mod connectivity_test;
mod infra;
pub mod path;
mod policy;
mod selector;
mod tiers;

pub use cluster::{ContainerPort, Controller, Namespace, Pod, Workload, WorkloadKind};
pub use connectivity_test::{ConnectivityTest, Expectation, TestCase};
pub use infra::{Node, NodeAddress, Service, ServicePort};
pub use policy::{
    Direction, IpBlock, NetworkPolicy, Peer, PolicyType, PortEntry, PortValue, Protocol, Rule,
};
pub use selector::{CanonicalTerms, LabelSelector, Operator, Requirement};
pub use tiers::{
    ClusterPolicy, ClusterPolicyKind, ClusterSubject, PortRange, Tier, TierAction, TierPeer,
    TierPort, TierRule,
};

/// Labels (or annotations) of an object, sorted by key.
pub type Labels = BTreeMap<String, String>;

/// The label the control plane sets on every namespace to its name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The namespace of a namespaced object that does not say one.
pub const DEFAULT_NAMESPACE: &str = "default";

/// A value with the bytes it was decoded from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Its bytes in the object's source.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// `value` decoded from `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// What every object has: where it came from, its identity, labels and annotations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectMeta {
    /// The source the object was read from.
    pub source: SourceId,
    /// The whole object's bytes.
    pub span: Span,
    /// `apiVersion` as written.
    pub api_version: String,
    /// `kind` as written.
    pub kind: String,
    /// `metadata.name` (its span is the value's, or the object's if absent).
    pub name: Spanned<String>,
    /// `metadata.namespace`, if written.
    pub namespace: Option<Spanned<String>>,
    /// `metadata.labels`.
    pub labels: Labels,
    /// `metadata.annotations`.
    pub annotations: Labels,
}

impl ObjectMeta {
    /// The namespace the object lives in: the one written, else `default`.
    pub fn namespace_name(&self) -> &str {
        self.namespace
            .as_ref()
            .map_or(DEFAULT_NAMESPACE, |ns| ns.value.as_str())
    }

    /// The reference used in diagnostics.
    pub fn resource(&self) -> ResourceRef {
        ResourceRef {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            namespace: self.namespace.as_ref().map(|ns| ns.value.clone()),
            name: self.name.value.clone(),
        }
    }
}

/// Everything decoded from a set of sources that the API server would accept.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// NetworkPolicies, in input order.
    pub policies: Vec<NetworkPolicy>,
    /// Namespaces declared in the input.
    pub namespaces: Vec<Namespace>,
    /// Pods.
    pub pods: Vec<Pod>,
    /// Workloads (their pod templates).
    pub workloads: Vec<Workload>,
    /// ConnectivityTest objects.
    pub tests: Vec<ConnectivityTest>,
    /// Cluster-wide policies (ClusterNetworkPolicy, AdminNetworkPolicy,
    /// BaselineAdminNetworkPolicy), in input order.
    pub cluster_policies: Vec<ClusterPolicy>,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Services.
    pub services: Vec<Service>,
    /// Policies of kinds netpol cannot evaluate (CiliumNetworkPolicy, Calico's,
    /// Antrea's...), read no further than their metadata, in input order.
    pub foreign_policies: Vec<ForeignPolicy>,
}

/// A policy object of a kind netpol cannot evaluate: where it is and what it is.
#[derive(Clone, Debug)]
pub struct ForeignPolicy {
    /// Its metadata (`kind` and `apiVersion` as written).
    pub meta: ObjectMeta,
    /// The span of its `kind` value (the object's when absent).
    pub kind_span: Span,
}
