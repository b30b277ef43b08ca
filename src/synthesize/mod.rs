//! Least-privilege NetworkPolicies from requirements (observed flows, or the
//! `allow`/`deny` cases of ConnectivityTests), proved with the engine.
//!
//! | step | file | what |
//! | --- | --- | --- |
//! | endpoints → groups | `groups.rs` | pods sharing their role labels are one group |
//! | requirements → policies | `plan.rs` | a default deny and an allow-dns per namespace; one policy per group |
//! | policies → YAML | `yaml.rs` | one document stream per namespace, comments on rules |
//! | policies → model | `model.rs` | the NetworkPolicies the YAML decodes to, built directly |
//! | model + inputs → proof | `proof.rs` | every requirement allowed, no forbidden flow, what else |
//! | per-namespace denies → cluster-wide | `baseline.rs`, `baseline_out.rs` | optional: one Baseline-tier ClusterNetworkPolicy instead |
//!
//! The style is the rule catalogue's: a default deny (`podSelector: {}`, both
//! directions) per namespace except the system namespaces; a policy per group
//! selecting it by its role labels (labels such as `pod-template-hash` left out);
//! peers by pod labels with a `kubernetes.io/metadata.name` namespace selector
//! (never a namespace selector alone); every rule with its ports and protocols; an
//! `allow-dns` policy per namespace (every pod, egress to the cluster DNS on UDP and
//! TCP 53: the catalogue's exempt allow-DNS pattern); addresses outside the cluster
//! as single-address ipBlocks (a metadata address is refused).

use alloc::string::String;
use alloc::vec::Vec;

use crate::engine::EndpointRef;
use crate::model::Protocol;

mod baseline;
mod baseline_out;
mod groups;
mod model;
mod plan;
pub mod proof;
mod yaml;

pub use baseline::{into_baseline, ClusterBaseline, BASELINE_NAME};
pub use baseline_out::{baseline_beyond, cluster_policy, render_baseline};
pub use groups::{role_labels, Groups};
pub use model::network_policies;
pub use plan::{plan, Peer, Plan, PolicyPlan, RulePlan};
pub use yaml::{render_namespace, render_stream};

/// A flow the policies must allow, or must deny.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The initiator.
    pub from: EndpointRef,
    /// The server.
    pub to: EndpointRef,
    /// The protocol.
    pub protocol: Protocol,
    /// The server's port.
    pub port: u16,
    /// Where it comes from, for comments and messages (`flow 3`, `test web/case 2`).
    pub origin: String,
}

/// What the policies must do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requirements {
    /// Flows to allow.
    pub allow: Vec<Requirement>,
    /// Flows to deny.
    pub deny: Vec<Requirement>,
}

/// Why no policies were written: contradictory or inexpressible requirements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthesisError {
    /// The message, naming the pods and the requirements.
    pub message: String,
}

impl SynthesisError {
    /// An error saying `message`.
    pub fn new(message: impl Into<String>) -> Self {
        SynthesisError {
            message: message.into(),
        }
    }
}
