//! Address intervals: IPv4 and IPv6 addresses as integers, inclusive intervals of
//! them, networks to intervals and back (on `ipnet`'s subnet iterators), intervals
//! minus single addresses, and the short display of a set of intervals. The
//! engine's address classes, the diff's external classes and the ipBlock rules share
//! this arithmetic.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Subnets, Ipv6Subnets};

/// An IP family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// IPv4.
    V4,
    /// IPv6.
    V6,
}

impl Family {
    /// The family of `addr`.
    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        }
    }

    /// `IPv4` or `IPv6`.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
}

/// Index of a family in per-family arrays.
pub(crate) fn fam_index(family: Family) -> usize {
    match family {
        Family::V4 => 0,
        Family::V6 => 1,
    }
}

/// The family of a network.
pub(crate) fn net_family(net: &IpNet) -> Family {
    match net {
        IpNet::V4(_) => Family::V4,
        IpNet::V6(_) => Family::V6,
    }
}

/// Whether `a` and `b` are of the same IP family.
pub(crate) fn same_family(a: &IpNet, b: &IpNet) -> bool {
    net_family(a) == net_family(b)
}

/// An address as an integer.
pub(crate) fn addr_value(addr: &IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u128::from(u32::from(*a)),
        IpAddr::V6(a) => u128::from(*a),
    }
}

/// The inclusive integer interval of a network.
pub(crate) fn net_range(net: &IpNet) -> (u128, u128) {
    (addr_value(&net.network()), addr_value(&net.broadcast()))
}

/// The largest address of a family.
pub(crate) fn family_max(family: Family) -> u128 {
    match family {
        Family::V4 => u128::from(u32::MAX),
        Family::V6 => u128::MAX,
    }
}

/// Address bits of a family.
fn family_bits(family: Family) -> u32 {
    match family {
        Family::V4 => 32,
        Family::V6 => 128,
    }
}

/// An integer address of `family` as an [`IpAddr`] (saturating at the family's
/// largest address).
pub(crate) fn to_addr(family: Family, value: u128) -> IpAddr {
    match family {
        Family::V4 => IpAddr::V4(Ipv4Addr::from(u32::try_from(value).unwrap_or(u32::MAX))),
        Family::V6 => IpAddr::V6(Ipv6Addr::from(value)),
    }
}

/// Appends the fewest networks covering exactly `[lo, hi]` to `out`.
pub(crate) fn interval_cidrs(family: Family, lo: u128, hi: u128, out: &mut Vec<IpNet>) {
    match (to_addr(family, lo), to_addr(family, hi)) {
        (IpAddr::V4(a), IpAddr::V4(b)) => out.extend(Ipv4Subnets::new(a, b, 0).map(IpNet::V4)),
        (IpAddr::V6(a), IpAddr::V6(b)) => out.extend(Ipv6Subnets::new(a, b, 0).map(IpNet::V6)),
        _ => {}
    }
}

/// The networks of `intervals` (ascending) minus the single addresses `holes`
/// (ascending).
pub(crate) fn cidrs_without(
    family: Family,
    intervals: &[(u128, u128)],
    holes: &[u128],
) -> Vec<IpNet> {
    let mut out = Vec::new();
    for &(lo, hi) in intervals {
        let first = holes.partition_point(|&h| h < lo);
        let mut start = Some(lo);
        for &hole in holes.iter().skip(first).take_while(|&&h| h <= hi) {
            match start {
                Some(s) if hole > s => interval_cidrs(family, s, hole - 1, &mut out),
                _ => {}
            }
            start = hole.checked_add(1);
        }
        match start {
            Some(s) if s <= hi => interval_cidrs(family, s, hi, &mut out),
            _ => {}
        }
    }
    out
}

/// A short display of `intervals` (ascending): their networks, or `hull except
/// gaps` when that is shorter, plus how many pod IPs they leave out.
pub(crate) fn describe(family: Family, intervals: &[(u128, u128)], pod_ips: usize) -> String {
    let mut own = Vec::new();
    for &(lo, hi) in intervals {
        interval_cidrs(family, lo, hi, &mut own);
    }
    let lo = intervals.first().map_or(0, |i| i.0);
    let hi = intervals.last().map_or(0, |i| i.1);
    let hull = hull(family, lo, hi);
    let mut gaps = Vec::new();
    if let Some(h) = &hull {
        let (h_lo, h_hi) = net_range(h);
        let mut next = h_lo;
        for &(a, b) in intervals {
            if a > next {
                interval_cidrs(family, next, a - 1, &mut gaps);
            }
            next = b.saturating_add(1);
        }
        if hi < h_hi {
            interval_cidrs(family, hi + 1, h_hi, &mut gaps);
        }
    }
    let mut text = match hull {
        Some(h) if !gaps.is_empty() && gaps.len() < own.len() => {
            format!("{h} except {}", join(&gaps))
        }
        _ => join(&own),
    };
    if pod_ips > 0 {
        let s = if pod_ips == 1 { "" } else { "s" };
        text.push_str(&format!(" (except {pod_ips} pod IP{s})"));
    }
    text
}

/// The smallest network holding `[lo, hi]`.
fn hull(family: Family, lo: u128, hi: u128) -> Option<IpNet> {
    let differing = 128 - (lo ^ hi).leading_zeros();
    let prefix = u8::try_from(family_bits(family).saturating_sub(differing)).ok()?;
    IpNet::new(to_addr(family, lo), prefix)
        .ok()
        .map(|n| n.trunc())
}

fn join(nets: &[IpNet]) -> String {
    nets.iter()
        .map(|n| format!("{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    fn v(s: &str) -> u128 {
        addr_value(&s.parse().unwrap())
    }

    #[test]
    fn interval_cidrs_are_minimal() {
        let mut out = Vec::new();
        interval_cidrs(Family::V4, v("10.0.0.0"), v("10.0.1.255"), &mut out);
        assert_eq!(out, vec![net("10.0.0.0/23")]);
        out.clear();
        interval_cidrs(Family::V4, 0, u128::from(u32::MAX), &mut out);
        assert_eq!(out, vec![net("0.0.0.0/0")]);
        out.clear();
        interval_cidrs(Family::V6, 0, u128::MAX, &mut out);
        assert_eq!(out, vec![net("::/0")]);
        out.clear();
        interval_cidrs(Family::V4, 1, 6, &mut out);
        assert_eq!(
            out,
            vec![
                net("0.0.0.1/32"),
                net("0.0.0.2/31"),
                net("0.0.0.4/31"),
                net("0.0.0.6/32")
            ]
        );
        out.clear();
        interval_cidrs(Family::V4, 0, 0, &mut out);
        interval_cidrs(Family::V6, u128::MAX, u128::MAX, &mut out);
        assert_eq!(
            out,
            vec![
                net("0.0.0.0/32"),
                net("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")
            ]
        );
    }

    #[test]
    fn networks_and_intervals_convert_both_ways() {
        for text in [
            "10.0.0.0/8",
            "192.168.1.0/24",
            "0.0.0.0/0",
            "fd00::/8",
            "::1/128",
        ] {
            let n = net(text);
            let (lo, hi) = net_range(&n);
            let mut out = Vec::new();
            interval_cidrs(net_family(&n), lo, hi, &mut out);
            assert_eq!(out, vec![n]);
        }
    }

    #[test]
    fn holes_are_cut_out() {
        let lo = v("10.0.0.0");
        let out = cidrs_without(Family::V4, &[(lo, lo + 3)], &[lo + 1]);
        assert_eq!(out, vec![net("10.0.0.0/32"), net("10.0.0.2/31")]);
        assert!(cidrs_without(Family::V4, &[(lo, lo)], &[lo]).is_empty());
        let out = cidrs_without(Family::V4, &[(lo, lo + 1)], &[lo + 1]);
        assert_eq!(out, vec![net("10.0.0.0/32")]);
        let out = cidrs_without(Family::V4, &[(lo, lo + 3)], &[lo, lo + 1]);
        assert_eq!(out, vec![net("10.0.0.2/31")]);
        let out = cidrs_without(Family::V6, &[(u128::MAX - 1, u128::MAX)], &[u128::MAX]);
        assert_eq!(
            out,
            vec![net("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128")]
        );
        let out = cidrs_without(Family::V4, &[(lo, lo + 1), (lo + 4, lo + 5)], &[lo + 9]);
        assert_eq!(out, vec![net("10.0.0.0/31"), net("10.0.0.4/31")]);
    }

    #[test]
    fn describe_prefers_hull_except_when_shorter() {
        let everything_but_ten = [
            (0, v("9.255.255.255")),
            (v("11.0.0.0"), u128::from(u32::MAX)),
        ];
        assert_eq!(
            describe(Family::V4, &everything_but_ten, 0),
            "0.0.0.0/0 except 10.0.0.0/8"
        );
        assert_eq!(
            describe(Family::V4, &everything_but_ten, 2),
            "0.0.0.0/0 except 10.0.0.0/8 (except 2 pod IPs)"
        );
        let one = [(v("10.0.0.0"), v("10.0.0.255"))];
        assert_eq!(
            describe(Family::V4, &one, 1),
            "10.0.0.0/24 (except 1 pod IP)"
        );
        let two = [
            (v("10.0.0.0"), v("10.0.0.1")),
            (v("10.0.0.4"), v("10.0.0.5")),
        ];
        assert_eq!(describe(Family::V4, &two, 0), "10.0.0.0/31, 10.0.0.4/31");
        assert_eq!(describe(Family::V6, &[(0, u128::MAX)], 0), "::/0");
    }

    #[test]
    fn families_of_addresses_and_networks() {
        assert!(same_family(&net("10.0.0.0/8"), &net("192.168.0.0/16")));
        assert!(!same_family(&net("10.0.0.0/8"), &net("fd00::/8")));
        assert_eq!(Family::of(&"::1".parse().unwrap()), Family::V6);
        assert_eq!(
            to_addr(Family::V4, u128::MAX),
            "255.255.255.255".parse::<IpAddr>().unwrap()
        );
        assert_eq!(fam_index(Family::V6), 1);
    }
}
