//! Port sets: sorted, disjoint, inclusive port ranges, one set per protocol.
//!
//! The engine never enumerates ports: every answer about "which ports" is a
//! [`PortSet`] (ranges of one protocol) or a [`ProtocolPorts`] (TCP, UDP and SCTP).

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::Write as _;

use crate::model::Protocol;

/// The lowest port a rule can name.
pub const MIN_PORT: u16 = 1;
/// The highest port.
pub const MAX_PORT: u16 = u16::MAX;

/// A set of ports of one protocol: sorted, disjoint, non-adjacent inclusive ranges.
///
/// ```
/// use netpol::engine::PortSet;
/// let mut set = PortSet::range(80, 80);
/// set = set.union(&PortSet::range(81, 90));
/// assert_eq!(set.ranges(), &[(80, 90)]);
/// assert!(set.contains(85));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortSet {
    ranges: Vec<(u16, u16)>,
}

impl PortSet {
    /// The empty set, as a constant.
    pub const EMPTY: PortSet = PortSet { ranges: Vec::new() };

    /// No port.
    pub fn none() -> PortSet {
        PortSet { ranges: Vec::new() }
    }

    /// Every port, `1..=65535`.
    pub fn all() -> PortSet {
        PortSet::range(MIN_PORT, MAX_PORT)
    }

    /// The inclusive range `[start, end]` (empty when `start > end`).
    pub fn range(start: u16, end: u16) -> PortSet {
        if start > end {
            return PortSet::none();
        }
        PortSet {
            ranges: vec![(start, end)],
        }
    }

    /// One port.
    pub fn single(port: u16) -> PortSet {
        PortSet::range(port, port)
    }

    /// Builds a set from ranges in any order, overlapping or not.
    pub fn from_ranges(ranges: impl IntoIterator<Item = (u16, u16)>) -> PortSet {
        let mut list: Vec<(u16, u16)> = ranges.into_iter().filter(|(a, b)| a <= b).collect();
        list.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(list.len());
        for (start, end) in list {
            match merged.last_mut() {
                Some(last) if u32::from(start) <= u32::from(last.1) + 1 => {
                    last.1 = last.1.max(end);
                }
                _ => merged.push((start, end)),
            }
        }
        PortSet { ranges: merged }
    }

    /// The ranges, sorted, disjoint and non-adjacent.
    pub fn ranges(&self) -> &[(u16, u16)] {
        &self.ranges
    }

    /// The ranges as people write them (`80`, `8080-8090`), joined by `separator`.
    pub fn ranges_text(&self, separator: &str) -> String {
        let mut out = String::new();
        self.write_ranges(&mut out, separator);
        out
    }

    /// Appends [`PortSet::ranges_text`] to `out`.
    pub fn write_ranges(&self, out: &mut String, separator: &str) {
        for (i, &(a, b)) in self.ranges.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            // Writing into a String cannot fail.
            let _ = if a == b {
                write!(out, "{a}")
            } else {
                write!(out, "{a}-{b}")
            };
        }
    }

    /// Whether no port is in the set.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether every port `1..=65535` is in the set.
    pub fn is_all(&self) -> bool {
        self.ranges
            .first()
            .is_some_and(|&(a, b)| a <= MIN_PORT && b == MAX_PORT)
    }

    /// Whether `port` is in the set.
    pub fn contains(&self, port: u16) -> bool {
        let i = self.ranges.partition_point(|&(_, end)| end < port);
        self.ranges.get(i).is_some_and(|&(start, _)| start <= port)
    }

    /// Number of ports in the set.
    pub fn len(&self) -> u32 {
        self.ranges
            .iter()
            .map(|&(a, b)| u32::from(b) - u32::from(a) + 1)
            .sum()
    }

    /// Ports in either set.
    pub fn union(&self, other: &PortSet) -> PortSet {
        if other.is_empty() || self.is_all() {
            return self.clone();
        }
        if self.is_empty() || other.is_all() {
            return other.clone();
        }
        PortSet::from_ranges(self.ranges.iter().chain(other.ranges.iter()).copied())
    }

    /// Ports in both sets.
    pub fn intersect(&self, other: &PortSet) -> PortSet {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while let (Some(&(a1, b1)), Some(&(a2, b2))) = (self.ranges.get(i), other.ranges.get(j)) {
            let (start, end) = (a1.max(a2), b1.min(b2));
            if start <= end {
                out.push((start, end));
            }
            if b1 < b2 {
                i += 1;
            } else {
                j += 1;
            }
        }
        PortSet { ranges: out }
    }

    /// Ports in `self` and not in `other`.
    pub fn difference(&self, other: &PortSet) -> PortSet {
        self.intersect(&other.complement())
    }

    /// Ports `1..=65535` not in the set.
    pub fn complement(&self) -> PortSet {
        let mut out = Vec::new();
        let mut next: u32 = u32::from(MIN_PORT);
        for &(a, b) in &self.ranges {
            if u32::from(a) > next {
                out.push((next as u16, a - 1));
            }
            next = u32::from(b) + 1;
        }
        if next <= u32::from(MAX_PORT) {
            out.push((next as u16, MAX_PORT));
        }
        PortSet { ranges: out }
    }

    /// Whether every port of `self` is in `other`.
    pub fn is_subset(&self, other: &PortSet) -> bool {
        self.difference(other).is_empty()
    }
}

/// Ports per protocol: what a flow between two endpoints may use.
///
/// ```
/// use netpol::engine::{PortSet, ProtocolPorts};
/// use netpol::model::Protocol;
/// let mut p = ProtocolPorts::none();
/// p.add(Protocol::Udp, &PortSet::single(53));
/// assert!(p.allows(Protocol::Udp, 53));
/// assert!(!p.allows(Protocol::Tcp, 53));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProtocolPorts {
    /// TCP ports.
    pub tcp: PortSet,
    /// UDP ports.
    pub udp: PortSet,
    /// SCTP ports.
    pub sctp: PortSet,
}

impl ProtocolPorts {
    /// Nothing.
    pub fn none() -> ProtocolPorts {
        ProtocolPorts::default()
    }

    /// Every port of every protocol.
    pub fn all() -> ProtocolPorts {
        ProtocolPorts {
            tcp: PortSet::all(),
            udp: PortSet::all(),
            sctp: PortSet::all(),
        }
    }

    /// `ports` for `protocol` only.
    pub fn only(protocol: Protocol, ports: PortSet) -> ProtocolPorts {
        let mut out = ProtocolPorts::none();
        *out.get_mut(protocol) = ports;
        out
    }

    /// The ports of `protocol`.
    pub fn get(&self, protocol: Protocol) -> &PortSet {
        match protocol {
            Protocol::Tcp => &self.tcp,
            Protocol::Udp => &self.udp,
            Protocol::Sctp => &self.sctp,
        }
    }

    /// The ports of `protocol`, mutable.
    pub fn get_mut(&mut self, protocol: Protocol) -> &mut PortSet {
        match protocol {
            Protocol::Tcp => &mut self.tcp,
            Protocol::Udp => &mut self.udp,
            Protocol::Sctp => &mut self.sctp,
        }
    }

    /// Adds `ports` to `protocol`.
    pub fn add(&mut self, protocol: Protocol, ports: &PortSet) {
        let merged = self.get(protocol).union(ports);
        *self.get_mut(protocol) = merged;
    }

    /// Whether `port` of `protocol` is in the set.
    pub fn allows(&self, protocol: Protocol, port: u16) -> bool {
        self.get(protocol).contains(port)
    }

    /// Whether nothing is in the set.
    pub fn is_empty(&self) -> bool {
        Protocol::ALL.iter().all(|&p| self.get(p).is_empty())
    }

    /// Whether every port of every protocol is in the set.
    pub fn is_all(&self) -> bool {
        Protocol::ALL.iter().all(|&p| self.get(p).is_all())
    }

    /// Per protocol, ports in either.
    pub fn union(&self, other: &ProtocolPorts) -> ProtocolPorts {
        ProtocolPorts {
            tcp: self.tcp.union(&other.tcp),
            udp: self.udp.union(&other.udp),
            sctp: self.sctp.union(&other.sctp),
        }
    }

    /// Per protocol, ports in both.
    pub fn intersect(&self, other: &ProtocolPorts) -> ProtocolPorts {
        ProtocolPorts {
            tcp: self.tcp.intersect(&other.tcp),
            udp: self.udp.intersect(&other.udp),
            sctp: self.sctp.intersect(&other.sctp),
        }
    }

    /// Per protocol, ports in `self` and not in `other`.
    pub fn difference(&self, other: &ProtocolPorts) -> ProtocolPorts {
        ProtocolPorts {
            tcp: self.tcp.difference(&other.tcp),
            udp: self.udp.difference(&other.udp),
            sctp: self.sctp.difference(&other.sctp),
        }
    }

    /// Whether every port of `self` is in `other`.
    pub fn is_subset(&self, other: &ProtocolPorts) -> bool {
        self.difference(other).is_empty()
    }

    /// The non-empty protocols with their ports, in output order (TCP, UDP, SCTP).
    pub fn iter(&self) -> impl Iterator<Item = (Protocol, &PortSet)> {
        Protocol::ALL
            .into_iter()
            .map(move |p| (p, self.get(p)))
            .filter(|(_, s)| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_text_writes_singles_and_spans() {
        let set = PortSet::from_ranges([(8080, 8090), (80, 80), (443, 443)]);
        assert_eq!(set.ranges_text(", "), "80, 443, 8080-8090");
        assert_eq!(set.ranges_text(";"), "80;443;8080-8090");
        assert_eq!(PortSet::none().ranges_text(", "), "");
    }

    #[test]
    fn from_ranges_merges_overlaps_and_neighbours() {
        let set = PortSet::from_ranges([(10, 20), (5, 9), (30, 40), (35, 50), (60, 59)]);
        assert_eq!(set.ranges(), &[(5, 20), (30, 50)]);
        assert_eq!(set.len(), 16 + 21);
    }

    #[test]
    fn intersect_and_complement() {
        let a = PortSet::from_ranges([(1, 100), (200, 300)]);
        let b = PortSet::from_ranges([(50, 250)]);
        assert_eq!(a.intersect(&b).ranges(), &[(50, 100), (200, 250)]);
        assert_eq!(a.complement().ranges(), &[(101, 199), (301, 65535)]);
        assert!(PortSet::all().complement().is_empty());
        assert!(PortSet::none().complement().is_all());
        assert_eq!(a.difference(&b).ranges(), &[(1, 49), (251, 300)]);
        assert!(PortSet::range(60, 70).is_subset(&a));
        assert!(!b.is_subset(&a));
    }

    #[test]
    fn contains_uses_the_ranges() {
        let set = PortSet::from_ranges([(80, 80), (8080, 8090)]);
        assert!(set.contains(80) && set.contains(8085) && set.contains(8090));
        assert!(!set.contains(81) && !set.contains(8091) && !set.contains(1));
        assert!(PortSet::all().contains(65535) && PortSet::all().is_all());
    }

    #[test]
    fn protocol_ports_keep_protocols_apart() {
        let tcp = ProtocolPorts::only(Protocol::Tcp, PortSet::all());
        let udp = ProtocolPorts::only(Protocol::Udp, PortSet::single(53));
        let both = tcp.union(&udp);
        assert!(both.allows(Protocol::Udp, 53) && !both.allows(Protocol::Sctp, 53));
        assert!(tcp.intersect(&udp).is_empty());
        assert!(!both.is_all() && ProtocolPorts::all().is_all());
        assert_eq!(both.iter().count(), 2);
    }
}
