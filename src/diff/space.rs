//! The external address classes of a diff: the common refinement of both sides'
//! splits of the address space.
//!
//! Every distinct ipBlock (cidr minus excepts, host bits masked) of an effective rule,
//! on either side, draws lines; addresses inside exactly the same blocks form one
//! class. Grouping by the union of both sides' blocks is the same as intersecting a
//! base class with a head class, so no policy of either version can tell two addresses
//! of one class apart. Pod IPs (of either side) are holes: such an address is a pod,
//! not an external endpoint.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Subnets, Ipv6Subnets};

use crate::engine::Family;
use crate::model::{Direction, Model, Peer};

/// A block: the masked cidr and the sorted masked excepts.
type Block = (IpNet, Vec<IpNet>);

/// One external class: addresses of one family inside the same blocks.
#[derive(Clone, Debug)]
pub(crate) struct ExternalClass {
    /// Its family.
    pub family: Family,
    /// Inclusive integer intervals, ascending.
    pub intervals: Vec<(u128, u128)>,
    /// Pod IPs inside it (left out), ascending.
    pub holes: Vec<u128>,
}

impl ExternalClass {
    /// The first address that is no pod's IP (`None`: every address is a pod IP).
    pub fn representative(&self) -> Option<IpAddr> {
        self.intervals.iter().find_map(|&(lo, hi)| {
            let mut candidate = lo;
            for &hole in self.holes.iter().filter(|&&h| h >= lo && h <= hi) {
                if hole != candidate {
                    break;
                }
                candidate = candidate.checked_add(1)?;
            }
            (candidate <= hi).then(|| to_addr(self.family, candidate))
        })
    }

    /// The class as CIDRs, pod IPs left out.
    pub fn cidrs(&self) -> Vec<IpNet> {
        let mut out = Vec::new();
        for &(lo, hi) in &self.intervals {
            let mut start = Some(lo);
            for &hole in self.holes.iter().filter(|&&h| h >= lo && h <= hi) {
                match start {
                    Some(s) if hole > s => push_range(self.family, s, hole - 1, &mut out),
                    _ => {}
                }
                start = hole.checked_add(1);
            }
            match start {
                Some(s) if s <= hi => push_range(self.family, s, hi, &mut out),
                _ => {}
            }
        }
        out
    }

    /// A short display: the CIDRs, or `hull except gaps` when that is shorter, plus
    /// how many pod IPs are left out (the matrix's wording).
    pub fn describe(&self) -> String {
        let mut own = Vec::new();
        for &(lo, hi) in &self.intervals {
            push_range(self.family, lo, hi, &mut own);
        }
        let lo = self.intervals.first().map_or(0, |i| i.0);
        let hi = self.intervals.last().map_or(0, |i| i.1);
        let hull = hull(self.family, lo, hi);
        let mut gaps = Vec::new();
        if let Some(h) = &hull {
            let (h_lo, h_hi) = net_range(h);
            let mut next = h_lo;
            for &(a, b) in &self.intervals {
                if a > next {
                    push_range(self.family, next, a - 1, &mut gaps);
                }
                next = b.saturating_add(1);
            }
            if hi < h_hi {
                push_range(self.family, hi + 1, h_hi, &mut gaps);
            }
        }
        let mut text = match hull {
            Some(h) if !gaps.is_empty() && gaps.len() < own.len() => {
                format!("{h} except {}", join(&gaps))
            }
            _ => join(&own),
        };
        let n = self.holes.len();
        if n > 0 {
            let s = if n == 1 { "" } else { "s" };
            text.push_str(&format!(" (except {n} pod IP{s})"));
        }
        text
    }
}

/// The refined split: its classes, IPv4 first, each family by address, and a
/// lookup from an address to its class.
#[derive(Clone, Debug, Default)]
pub(crate) struct Refinement {
    /// Every class. One whose every address is a pod IP is listed too (it has no
    /// [`ExternalClass::representative`] and is no external endpoint, but tells pod
    /// IPs apart).
    pub classes: Vec<ExternalClass>,
    /// Per family (V4, V6): the elementary intervals' starts, ascending.
    starts: [Vec<u128>; 2],
    /// Per family: each elementary interval's class.
    interval_class: [Vec<usize>; 2],
}

impl Refinement {
    /// Splits the space at the blocks of both models; `pod_ips` become holes.
    pub fn build(models: [&Model; 2], pod_ips: &BTreeSet<IpAddr>) -> Refinement {
        let blocks = blocks(models);
        let mut refinement = Refinement::default();
        for (f, family) in [Family::V4, Family::V6].into_iter().enumerate() {
            let (classes, starts, mut interval_class) = split(family, &blocks);
            let offset = refinement.classes.len();
            interval_class.iter_mut().for_each(|c| *c += offset);
            refinement.classes.extend(classes);
            if let (Some(s), Some(c)) = (
                refinement.starts.get_mut(f),
                refinement.interval_class.get_mut(f),
            ) {
                *s = starts;
                *c = interval_class;
            }
        }
        // Sorted per family, so each class's holes come out ascending.
        for ip in pod_ips {
            if let Some(class) = refinement
                .class_of(ip)
                .and_then(|c| refinement.classes.get_mut(c))
            {
                class.holes.push(addr_value(ip));
            }
        }
        refinement
    }

    /// The class holding `addr`, pod IP or not (an index into `classes`).
    pub fn class_of(&self, addr: &IpAddr) -> Option<usize> {
        let f = match Family::of(addr) {
            Family::V4 => 0,
            Family::V6 => 1,
        };
        let starts = self.starts.get(f)?;
        let i = starts
            .partition_point(|&s| s <= addr_value(addr))
            .checked_sub(1)?;
        self.interval_class.get(f)?.get(i).copied()
    }
}

/// Every block of an effective rule of either model.
fn blocks(models: [&Model; 2]) -> BTreeSet<Block> {
    let mut out = BTreeSet::new();
    for model in models {
        for policy in &model.policies {
            for direction in Direction::BOTH {
                if !policy.applies_to(direction) {
                    continue;
                }
                for rule in policy.rules(direction) {
                    for peer in rule.peer_list() {
                        if let Peer::IpBlock(block) = peer {
                            let mut except: Vec<IpNet> =
                                block.except.iter().map(|e| e.value.trunc()).collect();
                            except.sort();
                            except.dedup();
                            out.insert((block.cidr.value.trunc(), except));
                        }
                    }
                }
            }
        }
    }
    out
}

/// One family's space cut at every boundary, intervals grouped by the blocks holding
/// them (classes ordered by their first address); also the intervals' starts and
/// each interval's class.
fn split(family: Family, blocks: &BTreeSet<Block>) -> (Vec<ExternalClass>, Vec<u128>, Vec<usize>) {
    let max = family_max(family);
    let mine: Vec<&Block> = blocks
        .iter()
        .filter(|b| net_family(&b.0) == family)
        .collect();
    let mut starts: Vec<u128> = Vec::from([0]);
    for (cidr, except) in &mine {
        for net in core::iter::once(cidr).chain(except.iter()) {
            let (lo, hi) = net_range(net);
            starts.push(lo);
            if hi < max {
                starts.push(hi + 1);
            }
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut inside: Vec<Vec<u32>> = starts.iter().map(|_| Vec::new()).collect();
    for (id, (cidr, except)) in mine.iter().enumerate() {
        let holes: Vec<core::ops::Range<usize>> = except
            .iter()
            .filter(|e| net_family(e) == family)
            .map(|e| span(&starts, e))
            .collect();
        for i in span(&starts, cidr) {
            if !holes.iter().any(|h| h.contains(&i)) {
                if let Some(sig) = inside.get_mut(i) {
                    sig.push(u32::try_from(id).unwrap_or(u32::MAX));
                }
            }
        }
    }
    let mut by_sig: BTreeMap<Vec<u32>, usize> = BTreeMap::new();
    let mut classes: Vec<ExternalClass> = Vec::new();
    let mut interval_class = Vec::with_capacity(starts.len());
    for (i, sig) in inside.into_iter().enumerate() {
        let lo = starts.get(i).copied().unwrap_or(0);
        let hi = starts.get(i + 1).map_or(max, |next| next - 1);
        let next = classes.len();
        let index = *by_sig.entry(sig).or_insert(next);
        if index == next {
            classes.push(ExternalClass {
                family,
                intervals: Vec::new(),
                holes: Vec::new(),
            });
        }
        if let Some(class) = classes.get_mut(index) {
            match class.intervals.last_mut() {
                Some(last) if last.1.checked_add(1) == Some(lo) => last.1 = hi,
                _ => class.intervals.push((lo, hi)),
            }
        }
        interval_class.push(index);
    }
    (classes, starts, interval_class)
}

/// The indices of the elementary intervals (by their starts) inside `net`.
fn span(starts: &[u128], net: &IpNet) -> core::ops::Range<usize> {
    let (lo, hi) = net_range(net);
    starts.partition_point(|&s| s < lo)..starts.partition_point(|&s| s <= hi)
}

/// The smallest network holding `[lo, hi]`.
fn hull(family: Family, lo: u128, hi: u128) -> Option<IpNet> {
    let bits = family_bits(family);
    let differing = 128 - (lo ^ hi).leading_zeros();
    let prefix = u8::try_from(bits.saturating_sub(differing)).ok()?;
    IpNet::new(to_addr(family, lo), prefix)
        .ok()
        .map(|n| n.trunc())
}

/// The fewest CIDRs covering exactly `[lo, hi]`, appended to `out`.
fn push_range(family: Family, lo: u128, hi: u128, out: &mut Vec<IpNet>) {
    match family {
        Family::V4 => {
            let (a, b) = (v4(lo), v4(hi));
            out.extend(Ipv4Subnets::new(a, b, 0).map(IpNet::V4));
        }
        Family::V6 => {
            let (a, b) = (Ipv6Addr::from(lo), Ipv6Addr::from(hi));
            out.extend(Ipv6Subnets::new(a, b, 0).map(IpNet::V6));
        }
    }
}

fn join(nets: &[IpNet]) -> String {
    nets.iter()
        .map(|n| format!("{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn v4(value: u128) -> Ipv4Addr {
    Ipv4Addr::from(u32::try_from(value).unwrap_or(u32::MAX))
}

fn to_addr(family: Family, value: u128) -> IpAddr {
    match family {
        Family::V4 => IpAddr::V4(v4(value)),
        Family::V6 => IpAddr::V6(Ipv6Addr::from(value)),
    }
}

/// An address as an integer.
pub(crate) fn addr_value(addr: &IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u128::from(u32::from(*a)),
        IpAddr::V6(a) => u128::from(*a),
    }
}

fn net_range(net: &IpNet) -> (u128, u128) {
    (addr_value(&net.network()), addr_value(&net.broadcast()))
}

fn net_family(net: &IpNet) -> Family {
    match net {
        IpNet::V4(_) => Family::V4,
        IpNet::V6(_) => Family::V6,
    }
}

fn family_max(family: Family) -> u128 {
    match family {
        Family::V4 => u128::from(u32::MAX),
        Family::V6 => u128::MAX,
    }
}

fn family_bits(family: Family) -> u32 {
    match family {
        Family::V4 => 32,
        Family::V6 => 128,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn class(intervals: &[(&str, &str)], holes: &[&str]) -> ExternalClass {
        let v = |s: &str| addr_value(&s.parse().unwrap());
        ExternalClass {
            family: Family::V4,
            intervals: intervals.iter().map(|(a, b)| (v(a), v(b))).collect(),
            holes: holes.iter().map(|h| v(h)).collect(),
        }
    }

    #[test]
    fn describe_uses_hull_except_when_shorter() {
        let c = class(
            &[
                ("0.0.0.0", "9.255.255.255"),
                ("11.0.0.0", "255.255.255.255"),
            ],
            &[],
        );
        assert_eq!(c.describe(), "0.0.0.0/0 except 10.0.0.0/8");
        let c = class(&[("10.0.0.0", "10.0.0.255")], &["10.0.0.1", "10.0.0.7"]);
        assert_eq!(c.describe(), "10.0.0.0/24 (except 2 pod IPs)");
    }

    #[test]
    fn holes_leave_cidrs_and_representative() {
        let c = class(&[("10.0.0.0", "10.0.0.3")], &["10.0.0.0", "10.0.0.1"]);
        assert_eq!(c.cidrs(), vec!["10.0.0.2/31".parse::<IpNet>().unwrap()]);
        assert_eq!(c.representative(), Some("10.0.0.2".parse().unwrap()));
        let c = class(&[("10.0.0.3", "10.0.0.3")], &["10.0.0.3"]);
        assert!(c.cidrs().is_empty());
        assert_eq!(c.representative(), None);
    }

    #[test]
    fn blocks_of_both_sides_refine() {
        let (base, head) = (Model::default(), Model::default());
        let classes = Refinement::build([&base, &head], &BTreeSet::new()).classes;
        assert_eq!(classes.len(), 2);
        assert_eq!(classes[0].describe(), "0.0.0.0/0");
        assert_eq!(classes[1].describe(), "::/0");
    }
}
