//! Address arithmetic the ipBlock rules share, on the crate's address intervals
//! (`crate::interval`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::ops::Range;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::model::{IpBlock, Model, ObjectMeta};

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

/// The addresses of the pods (not on the host network) sorted by address, so that
/// finding the first pod (in input order) with an address in a network takes time
/// that grows with the addresses found, not with all pods. `P` names a pod: its
/// metadata, as [`PodAddresses::of`] makes it.
pub struct PodAddresses<P> {
    /// Each address (a host network) with its pod, in input order.
    pods: Vec<(IpNet, P)>,
    /// Each address with its position in `pods`, sorted by address.
    by_address: Vec<(IpNet, usize)>,
}

impl<'m> PodAddresses<&'m ObjectMeta> {
    /// The addresses of `model`'s pods (hostNetwork pods aside: their IPs are
    /// nodes').
    pub fn of(model: &'m Model) -> Self {
        let pods = model
            .pods
            .iter()
            .filter(|p| !p.host_network)
            .flat_map(|pod| pod.ips.iter().map(|ip| (host(*ip), &pod.meta)))
            .collect();
        Self::from_pods(pods)
    }

    /// "the IP `ip` of pod `namespace/name`" of the first pod in input order with
    /// an address inside `net` and inside none of `holes`.
    pub fn first_inside_text(&self, net: &IpNet, holes: &[IpNet]) -> Option<String> {
        self.first_inside(net, holes).map(|(ip, pod)| {
            alloc::format!(
                "the IP `{}` of pod `{}/{}`",
                display(ip),
                pod.namespace_name(),
                pod.name.value
            )
        })
    }
}

impl<P> PodAddresses<P> {
    /// The addresses `pods` (host networks with their pod), in input order.
    fn from_pods(pods: Vec<(IpNet, P)>) -> Self {
        let mut by_address: Vec<(IpNet, usize)> = pods
            .iter()
            .enumerate()
            .map(|(i, (ip, _))| (*ip, i))
            .collect();
        by_address.sort_unstable();
        PodAddresses { pods, by_address }
    }

    /// The first pod in input order with an address inside `net` and inside none
    /// of `holes`.
    pub fn first_inside(&self, net: &IpNet, holes: &[IpNet]) -> Option<&(IpNet, P)> {
        let mut skipped: Vec<Range<usize>> = holes
            .iter()
            .filter(|hole| same_family(hole, net))
            .map(|hole| self.inside(hole))
            .collect();
        skipped.sort_unstable_by_key(|r| r.start);
        let Range { mut start, end } = self.inside(net);
        let mut first: Option<usize> = None;
        // The stretches between the holes, each holding kept addresses only.
        for hole in skipped.iter().chain(core::iter::once(&(end..end))) {
            let stop = hole.start.min(end);
            if stop > start {
                let inside = self.by_address.get(start..stop).unwrap_or_default();
                let found = inside.iter().map(|&(_, i)| i).min();
                first = first.into_iter().chain(found).min();
            }
            start = start.max(hole.end);
        }
        first.and_then(|i| self.pods.get(i))
    }

    /// The positions in `by_address` of the addresses inside `net`.
    fn inside(&self, net: &IpNet) -> Range<usize> {
        let net = net.trunc();
        let (low, high) = (host(net.network()), host(net.broadcast()));
        let start = self.by_address.partition_point(|(ip, _)| *ip < low);
        let end = self.by_address.partition_point(|(ip, _)| *ip <= high);
        start..end.max(start)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::tests::numbers;
    use alloc::format;

    /// The address of `n`: IPv4 in 10.0.0.0/16, and every 17th an IPv6 address.
    fn address(n: u64) -> IpNet {
        let (high, low) = (((n >> 8) & 0xff) as u8, (n & 0xff) as u8);
        if n % 17 == 0 {
            host(IpAddr::V6(Ipv6Addr::new(
                0xfd00,
                0,
                0,
                0,
                0,
                0,
                high.into(),
                low.into(),
            )))
        } else {
            host(IpAddr::V4(Ipv4Addr::new(10, 0, high, low)))
        }
    }

    /// A network around address `n` with a prefix from `len`.
    fn network(n: u64, len: u64) -> IpNet {
        let at = address(n);
        let prefix = (at.max_prefix_len() as u64).saturating_sub(len % 17) as u8;
        IpNet::new(at.addr(), prefix).map_or(at, |net| net.trunc())
    }

    #[test]
    fn the_first_pod_inside_is_the_one_a_scan_finds() {
        for seed in 1..80u64 {
            let numbers = numbers(seed, 300, 1 << 16);
            let pods: Vec<(IpNet, String)> = numbers
                .iter()
                .enumerate()
                .map(|(i, n)| (address(n % 700), format!("ns/pod-{i}")))
                .collect();
            let index = PodAddresses::from_pods(pods.clone());
            for window in numbers.chunks(4) {
                let [a, b, c, d] = window else { continue };
                let net = network(a % 700, *b);
                let holes: Vec<IpNet> = [c, d]
                    .iter()
                    .take((*c % 3) as usize)
                    .map(|h| network(*h % 700, *h >> 4))
                    .collect();
                let inside = |net: &IpNet, ip: &IpNet| same_family(net, ip) && net.contains(ip);
                let scan = pods
                    .iter()
                    .find(|(ip, _)| inside(&net, ip) && !holes.iter().any(|hole| inside(hole, ip)));
                assert_eq!(
                    index.first_inside(&net, &holes),
                    scan,
                    "{net} minus {holes:?}"
                );
            }
        }
    }
}
