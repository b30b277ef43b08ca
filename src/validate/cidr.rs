//! CIDRs and IP addresses parsed the way the API server parses the legacy
//! `ipBlock` fields (`netutils.ParseCIDRSloppy`, a fork of Go 1.16's parser): IPv4
//! octets may have leading zeros (read as decimal), the prefix length may have
//! leading zeros, host bits may be set (kept here; see [`IpNet::trunc`]).
//!
//! ```
//! use netpol::validate::cidr::{parse_cidr, is_strict_subset};
//! let cidr = parse_cidr("10.0.0.0/8").unwrap();
//! assert_eq!(parse_cidr("010.0.0.1/08").unwrap().to_string(), "10.0.0.1/8");
//! assert!(parse_cidr("10.0.0.0").is_none());
//! assert!(is_strict_subset(&cidr, &parse_cidr("10.1.0.0/16").unwrap()));
//! assert!(!is_strict_subset(&cidr, &cidr));
//! ```

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// The detail message for a value that is not a CIDR.
pub const INVALID_CIDR: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/// The detail message for an `except` entry that is not a strict subset of `cidr`.
pub const NOT_STRICT_SUBSET: &str = "must be a strict subset of `cidr`";

/// Parses `addr/len` as Go's sloppy `ParseCIDR`; `None` when the server would say
/// "must be a valid CIDR value". The address keeps its host bits.
pub fn parse_cidr(value: &str) -> Option<IpNet> {
    let (addr, len) = value.split_once('/')?;
    let (ip, bits) = match parse_ipv4(addr) {
        Some(v4) => (IpAddr::V4(v4), 32),
        None => (IpAddr::V6(parse_ipv6(addr)?), 128),
    };
    let (prefix, used) = leading_number(len.as_bytes(), 10);
    let prefix = prefix.filter(|&p| used == len.len() && p <= bits)?;
    let prefix = u8::try_from(prefix).ok()?;
    match ip {
        IpAddr::V4(v4) => Ipv4Net::new(v4, prefix).ok().map(IpNet::V4),
        IpAddr::V6(v6) => Ipv6Net::new(v6, prefix).ok().map(IpNet::V6),
    }
}

/// Parses an IP address as Go's sloppy `ParseIP` (IPv4 first, then IPv6).
pub fn parse_ip(value: &str) -> Option<IpAddr> {
    match parse_ipv4(value) {
        Some(v4) => Some(IpAddr::V4(v4)),
        None => parse_ipv6(value).map(IpAddr::V6),
    }
}

/// `ValidateIPBlock`'s test: the except's network address lies inside `cidr` (same
/// family) and its prefix is strictly longer.
pub fn is_strict_subset(cidr: &IpNet, except: &IpNet) -> bool {
    cidr.trunc().contains(&except.network()) && cidr.prefix_len() < except.prefix_len()
}

/// Go's `dtoi` (`radix` 10) and `xtoi` (`radix` 16): leading digits, capped;
/// returns the value (if not too big and at least one digit) and the number of bytes
/// read.
fn leading_number(s: &[u8], radix: u32) -> (Option<u32>, usize) {
    const BIG: u32 = 0xFF_FFFF;
    let mut n: u32 = 0;
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        let Some(d) = char::from(b).to_digit(radix) else {
            break;
        };
        n = n * radix + d;
        if n >= BIG {
            return (None, i);
        }
        i += 1;
    }
    if i == 0 {
        (None, 0)
    } else {
        (Some(n), i)
    }
}

/// Four decimal octets (leading zeros allowed), nothing else.
fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut rest = s.as_bytes();
    let mut octets = [0u8; 4];
    for (i, octet) in octets.iter_mut().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(b".")?;
        }
        let (n, used) = leading_number(rest, 10);
        *octet = u8::try_from(n?).ok()?;
        rest = rest.get(used..)?;
    }
    rest.is_empty().then_some(Ipv4Addr::from(octets))
}

/// Go 1.16's `parseIPv6` (groups of hex digits up to 0xFFFF, one `::`, an optional
/// trailing dotted IPv4).
fn parse_ipv6(s: &str) -> Option<Ipv6Addr> {
    let mut ip = [0u8; 16];
    let mut rest = s.as_bytes();
    let mut ellipsis: Option<usize> = None;
    if let Some(after) = rest.strip_prefix(b"::") {
        ellipsis = Some(0);
        rest = after;
        if rest.is_empty() {
            return Some(Ipv6Addr::from(ip));
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let (n, used) = leading_number(rest, 16);
        let n = n.filter(|&n| n <= 0xFFFF)?;
        if rest.get(used) == Some(&b'.') {
            if (ellipsis.is_none() && i != 12) || i + 4 > 16 {
                return None;
            }
            let v4 = parse_ipv4(core::str::from_utf8(rest).ok()?)?;
            ip.get_mut(i..i + 4)?.copy_from_slice(&v4.octets());
            rest = &[];
            i += 4;
            break;
        }
        let [_, _, hi, lo] = n.to_be_bytes();
        *ip.get_mut(i)? = hi;
        *ip.get_mut(i + 1)? = lo;
        i += 2;
        rest = rest.get(used..)?;
        if rest.is_empty() {
            break;
        }
        if rest.first() != Some(&b':') || rest.len() == 1 {
            return None;
        }
        rest = rest.get(1..)?;
        if rest.first() == Some(&b':') {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            rest = rest.get(1..)?;
            if rest.is_empty() {
                break;
            }
        }
    }
    if !rest.is_empty() {
        return None;
    }
    if i < 16 {
        let at = ellipsis?;
        let shift = 16 - i;
        let moved: [u8; 16] = ip;
        for j in (at..i).rev() {
            *ip.get_mut(j + shift)? = *moved.get(j)?;
        }
        for byte in ip.get_mut(at..at + shift)? {
            *byte = 0;
        }
    } else if ellipsis.is_some() {
        return None;
    }
    Some(Ipv6Addr::from(ip))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn cidr(s: &str) -> Option<alloc::string::String> {
        parse_cidr(s).map(|c| c.to_string())
    }

    #[test]
    fn parses_like_go_sloppy() {
        assert_eq!(cidr("10.0.0.0/8").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(cidr("10.0.0.1/24").as_deref(), Some("10.0.0.1/24"));
        assert_eq!(cidr("010.000.0.1/008").as_deref(), Some("10.0.0.1/8"));
        assert_eq!(cidr("0.0.0.0/0").as_deref(), Some("0.0.0.0/0"));
        assert_eq!(cidr("2001:db8::/64").as_deref(), Some("2001:db8::/64"));
        assert_eq!(cidr("::/0").as_deref(), Some("::/0"));
        assert_eq!(
            cidr("::ffff:1.2.3.4/120").as_deref(),
            Some("::ffff:1.2.3.4/120")
        );
        assert_eq!(cidr("fe80::1:2/128").as_deref(), Some("fe80::1:2/128"));
        assert_eq!(
            cidr("1:2:3:4:5:6:7:8/64").as_deref(),
            Some("1:2:3:4:5:6:7:8/64")
        );
    }

    #[test]
    fn rejects_what_go_rejects() {
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0/8",
            "10.0.0.256/8",
            "a.b.c.d/8",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/8 ",
            " 10.0.0.0/8",
            "::/129",
            "1::2::3/64",
            "1:2:3:4:5:6:7:8:9/64",
            "1:2:3:4:5:6:7::8/64",
            "12345::/16",
            "fe80::1%eth0/64",
            "",
            "/8",
            "10.0.0.0/8/8",
            "1.2.3.4::/64",
        ] {
            assert!(parse_cidr(bad).is_none(), "{bad} should be rejected");
        }
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(
            parse_ip("10.1.2.3"),
            Some(IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)))
        );
        assert_eq!(
            parse_ip("2001:db8::1").map(|a| a.to_string()).as_deref(),
            Some("2001:db8::1")
        );
        assert!(parse_ip("10.1.2").is_none());
    }

    #[test]
    fn strict_subsets() {
        let c = parse_cidr("10.0.0.0/16").unwrap();
        let sub = |s: &str| is_strict_subset(&c, &parse_cidr(s).unwrap());
        assert!(sub("10.0.1.0/24"));
        assert!(sub("10.0.1.7/24"));
        assert!(!sub("10.0.0.0/16"));
        assert!(!sub("10.0.0.0/8"));
        assert!(!sub("10.1.0.0/24"));
        assert!(!sub("::/64"));
        let host_bits = parse_cidr("10.0.5.5/16").unwrap();
        assert!(is_strict_subset(
            &host_bits,
            &parse_cidr("10.0.1.0/24").unwrap()
        ));
    }
}
