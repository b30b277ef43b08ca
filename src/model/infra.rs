//! Nodes (the peers of cluster-wide `nodes` rules) and Services (for explanations
//! and named targets), decoded leniently.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::{Labels, ObjectMeta, PortValue, Protocol};

/// A Node: its labels (in `meta`) and addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Identity and labels.
    pub meta: ObjectMeta,
    /// `status.addresses[]` that are IP addresses (`InternalIP`, `ExternalIP`), in
    /// order, without repeats; host names are left out.
    pub addresses: Vec<NodeAddress>,
}

/// One IP address of a Node.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeAddress {
    /// `type` as written (`InternalIP`, `ExternalIP`).
    pub kind: String,
    /// `address`.
    pub address: IpAddr,
}

/// A Service: which pods it selects, its cluster IPs and ports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// Identity.
    pub meta: ObjectMeta,
    /// `spec.selector` (`None` when absent: the Service has manual endpoints).
    pub selector: Option<Labels>,
    /// `spec.clusterIP` and `spec.clusterIPs[]` that are addresses (not `None`),
    /// without repeats.
    pub cluster_ips: Vec<IpAddr>,
    /// `spec.ports[]`.
    pub ports: Vec<ServicePort>,
}

/// One port of a Service.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServicePort {
    /// `name`, if any.
    pub name: Option<String>,
    /// `protocol` after defaulting to TCP.
    pub protocol: Protocol,
    /// `port`: the Service's own port.
    pub port: u16,
    /// `targetPort` after defaulting to `port`: a number or a container port's name.
    pub target_port: PortValue,
}
