//! CIDR containment on plain integers (no ipnet arithmetic).

use std::net::IpAddr;

use ipnet::IpNet;

/// `(is_v4, address as an integer, width in bits)`.
fn bits(addr: &IpAddr) -> (bool, u128, u32) {
    match addr {
        IpAddr::V4(a) => (true, u128::from(u32::from(*a)), 32),
        IpAddr::V6(a) => (false, u128::from(*a), 128),
    }
}

/// Whether `addr` lies in `net` with its host bits ignored (`10.0.1.1/24` is
/// `10.0.1.0/24`). Families never mix.
pub fn contains(net: &IpNet, addr: &IpAddr) -> bool {
    let (net_v4, net_bits, width) = bits(&net.addr());
    let (addr_v4, addr_bits, _) = bits(addr);
    if net_v4 != addr_v4 {
        return false;
    }
    let prefix = u32::from(net.prefix_len());
    let host = width - prefix;
    if host >= 128 {
        return true;
    }
    (net_bits >> host) == (addr_bits >> host)
}

/// The first and last address of `net` (host bits ignored).
pub fn bounds(net: &IpNet) -> (IpAddr, IpAddr) {
    let (v4, net_bits, width) = bits(&net.addr());
    let host = width - u32::from(net.prefix_len());
    let mask: u128 = if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    };
    let first = net_bits & !mask;
    let last = first | mask;
    (from_bits(v4, first), from_bits(v4, last))
}

/// The address `value` of the family `v4`.
pub fn from_bits(v4: bool, value: u128) -> IpAddr {
    if v4 {
        IpAddr::V4(std::net::Ipv4Addr::from((value & 0xffff_ffff) as u32))
    } else {
        IpAddr::V6(std::net::Ipv6Addr::from(value))
    }
}

/// The integer of `addr` and its family.
pub fn to_bits(addr: &IpAddr) -> (bool, u128) {
    let (v4, b, _) = bits(addr);
    (v4, b)
}
