//! Address arithmetic the ipBlock rules share, on the crate's address intervals
//! (`crate::interval`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::model::{IpBlock, Model};

pub(crate) use crate::interval::same_family;

/// Whether the block's `cidr` (host bits masked) contains all of `net`.
pub fn cidr_covers(block: &IpBlock, net: &IpNet) -> bool {
    same_family(&block.cidr.value, net) && block.cidr.value.trunc().contains(&net.trunc())
}

/// Whether one `except` entry contains all of `net`.
pub fn excepted(block: &IpBlock, net: &IpNet) -> bool {
    block
        .except
        .iter()
        .any(|e| same_family(&e.value, net) && e.value.trunc().contains(&net.trunc()))
}

/// Whether the block allows all of `net`: the cidr covers it and no except entry
/// removes it (an except that removes only part of it does not count).
pub fn allows_all_of(block: &IpBlock, net: &IpNet) -> bool {
    cidr_covers(block, net) && !excepted(block, net)
}

/// A network as messages print it: a bare address for a host prefix, else the CIDR.
pub fn display(net: &IpNet) -> String {
    if net.prefix_len() == net.max_prefix_len() {
        net.addr().to_string()
    } else {
        net.to_string()
    }
}

/// The private ranges that stand for "the cluster" when no `podCIDRs` or
/// `serviceCIDRs` are configured (RFC 1918 and IPv6 unique local addresses).
pub fn private_ranges() -> [IpNet; 4] {
    [
        IpNet::V4(Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8)),
        IpNet::V4(Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12)),
        IpNet::V4(Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16)),
        IpNet::V6(Ipv6Net::new_assert(
            Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0),
            7,
        )),
    ]
}

/// The IPs of the input's Pods (hostNetwork pods aside: their IPs are nodes'), as
/// host networks, with the pod's `namespace/name`.
pub fn pod_ips(model: &Model) -> Vec<(IpNet, String)> {
    let mut out = Vec::new();
    for pod in model.pods.iter().filter(|p| !p.host_network) {
        for ip in &pod.ips {
            let name = alloc::format!("{}/{}", pod.meta.namespace_name(), pod.meta.name.value);
            out.push((host(*ip), name));
        }
    }
    out
}

/// `ip` as a host network (`/32`, `/128`).
pub fn host(ip: IpAddr) -> IpNet {
    IpNet::from(ip)
}

/// Whether the union of the block's except entries is the whole cidr.
pub fn excepts_cover_cidr(block: &IpBlock) -> bool {
    let cidr = block.cidr.value.trunc();
    let excepts: Vec<IpNet> = block
        .except
        .iter()
        .map(|e| e.value.trunc())
        .filter(|e| same_family(e, &cidr) && cidr.contains(e))
        .collect();
    !excepts.is_empty() && IpNet::aggregate(&excepts).iter().any(|n| n.contains(&cidr))
}
