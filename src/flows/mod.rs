//! Observed network flows: read from Hubble's JSON export or a CSV file, mapped to
//! the endpoints of the inputs, and replayed against the policies.
//!
//! | step | call | answer |
//! | --- | --- | --- |
//! | text → flows | [`read`] | [`FlowLog`]: [`ObservedFlow`]s and [`FlowProblem`]s |
//! | flow end → endpoint | [`mapping::map_end`] | [`Mapped`] with [`MappedBy`] |
//! | flows → verdicts | [`replay::replay`] | [`replay::Replay`] |
//!
//! Hubble's schema (`flow.proto` of Cilium): `source`/`destination` endpoints with
//! `namespace`, `pod_name`, `labels` (`k8s:app=web`) and `workloads`; `IP` with
//! `source`/`destination`; `l4` with one of `TCP`, `UDP`, `SCTP` (ports) or
//! `ICMPv4`/`ICMPv6`; `verdict`; `traffic_direction`; `is_reply` (absent: unknown,
//! then the deprecated `reply`). A reply travels against its connection: it is
//! replayed as the connection it answers (destination to source, on the source
//! port), since policies decide connections and replies follow them. A flow without
//! TCP, UDP or SCTP ports (ICMP, or no layer 4 at all) is not something
//! NetworkPolicies decide: its verdict is `uncertain`, with the reason.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::model::{Labels, Protocol};

mod csv;
mod hubble;
pub mod mapping;
pub mod replay;
mod seen;

pub use mapping::{Mapped, MappedBy};

/// What the flow's own record says happened to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Observed {
    /// Delivered (Hubble `FORWARDED`, `REDIRECTED` to a proxy, or `AUDIT`: policy
    /// audit mode let it through).
    Forwarded,
    /// Dropped (Hubble `DROPPED`).
    Dropped,
    /// Not said, or a trace point without a verdict.
    Unknown,
}

impl Observed {
    /// `forwarded`, `dropped` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Observed::Forwarded => "forwarded",
            Observed::Dropped => "dropped",
            Observed::Unknown => "unknown",
        }
    }
}

/// One end of an observed flow, as the record describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowEnd {
    /// The endpoint as written in a CSV file (`ns/name`, `ns/kind/name`, an address).
    pub written: Option<String>,
    /// The pod's namespace (Hubble `namespace`).
    pub namespace: Option<String>,
    /// The pod's name (Hubble `pod_name`).
    pub pod: Option<String>,
    /// The pod's Kubernetes labels (Hubble `k8s:` labels, without Cilium's own).
    pub labels: Labels,
    /// The owning workloads as `(kind, name)` (Hubble `workloads`).
    pub workloads: Vec<(String, String)>,
    /// The address (Hubble `IP.source` / `IP.destination`).
    pub ip: Option<IpAddr>,
}

/// The layer-4 part of a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transport {
    /// TCP, UDP or SCTP with both ports (a source port of 0: not recorded).
    Ports {
        /// The protocol.
        protocol: Protocol,
        /// The sender's port.
        source_port: u16,
        /// The receiver's port.
        destination_port: u16,
    },
    /// A protocol NetworkPolicies do not decide (`ICMPv4`, `ICMPv6`).
    Other(String),
    /// No layer-4 information.
    Missing,
}

/// One flow record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedFlow {
    /// Its 1-based position in the input.
    pub index: usize,
    /// The 1-based line it starts on.
    pub line: u32,
    /// The sender of this packet (shared by the records naming the same end).
    pub source: Arc<FlowEnd>,
    /// The receiver of this packet.
    pub destination: Arc<FlowEnd>,
    /// Ports and protocol.
    pub transport: Transport,
    /// What happened to it.
    pub observed: Observed,
    /// Whether it travels in the reply direction (`None`: not said).
    pub is_reply: Option<bool>,
}

/// A record that could not be read, or a line that is not a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowProblem {
    /// The 1-based line.
    pub line: u32,
    /// What is wrong (one sentence, no trailing period).
    pub message: String,
}

/// Everything read from one flow file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowLog {
    /// The flows, in input order.
    pub flows: Vec<ObservedFlow>,
    /// The records left out, in input order.
    pub problems: Vec<FlowProblem>,
}

/// Reads a flow file: CSV when its first line is the header `from,to,port,protocol`
/// (optionally with `,verdict`), else Hubble's JSON export (one object per line, or
/// an array of `{"flow": ...}` objects or of bare flows).
pub fn read(text: &str) -> FlowLog {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if csv::is_csv(text) {
        csv::read(text)
    } else {
        hubble::read(text)
    }
}
