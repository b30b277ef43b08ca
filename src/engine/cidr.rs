//! The address space split where ipBlocks draw lines.
//!
//! Every distinct ipBlock (cidr minus excepts, host bits masked) of an effective rule
//! is a *block*. Each family's space is cut into elementary intervals at every cidr
//! and except boundary; intervals inside exactly the same blocks form one *address
//! class*. No policy can tell two addresses of one class apart.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use super::endpoints::Family;
use crate::model::{Direction, IpBlock, Model, Peer};

/// A block as a comparable value: the masked cidr and the sorted masked excepts.
pub(crate) type BlockKey = (IpNet, Vec<IpNet>);

/// The key of an ipBlock peer.
pub(crate) fn block_key(block: &IpBlock) -> BlockKey {
    let mut except: Vec<IpNet> = block.except.iter().map(|e| e.value.trunc()).collect();
    crate::order::sort(&mut except);
    except.dedup();
    (block.cidr.value.trunc(), except)
}

/// One address class: a set of intervals of one family inside the same blocks.
#[derive(Clone, Debug)]
pub(crate) struct AddrClass {
    /// The family.
    pub family: Family,
    /// The blocks containing it, ascending.
    pub blocks: Vec<u32>,
    /// Its inclusive intervals, ascending.
    pub intervals: Vec<(u128, u128)>,
}

/// The split of both families' address spaces.
#[derive(Clone, Debug, Default)]
pub(crate) struct AddressSpace {
    /// Block ids by key.
    pub block_ids: BTreeMap<BlockKey, u32>,
    /// Per family (V4, V6): interval starts, and the class of each interval.
    starts: [Vec<u128>; 2],
    class_of: [Vec<u32>; 2],
    /// Every class, IPv4 ones first.
    pub classes: Vec<AddrClass>,
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

/// An address as an integer.
pub(crate) fn addr_value(addr: &IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u128::from(u32::from(*a)),
        IpAddr::V6(a) => u128::from(*a),
    }
}

/// The inclusive integer range of a network.
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
pub(crate) fn family_bits(family: Family) -> u32 {
    match family {
        Family::V4 => 32,
        Family::V6 => 128,
    }
}

impl AddressSpace {
    /// Collects the blocks of every effective rule of `model`, and `extra` networks
    /// (the cluster-wide tiers' `networks` and Node addresses), and splits the space.
    pub fn build_with(model: &Model, extra: &[IpNet]) -> AddressSpace {
        let mut space = AddressSpace::default();
        for net in extra {
            let next = u32::try_from(space.block_ids.len()).unwrap_or(u32::MAX);
            space
                .block_ids
                .entry((net.trunc(), Vec::new()))
                .or_insert(next);
        }
        for policy in &model.policies {
            for direction in Direction::BOTH {
                if !policy.applies_to(direction) {
                    continue;
                }
                for rule in policy.rules(direction) {
                    for peer in rule.peer_list() {
                        if let Peer::IpBlock(block) = peer {
                            let next = u32::try_from(space.block_ids.len()).unwrap_or(u32::MAX);
                            space.block_ids.entry(block_key(block)).or_insert(next);
                        }
                    }
                }
            }
        }
        for family in [Family::V4, Family::V6] {
            space.split(family);
        }
        space
    }

    /// Splits one family's space into intervals and classes.
    fn split(&mut self, family: Family) {
        let max = family_max(family);
        let blocks: Vec<(&BlockKey, u32)> = self
            .block_ids
            .iter()
            .filter(|(k, _)| net_family(&k.0) == family)
            .map(|(k, &id)| (k, id))
            .collect();
        let (starts, sigs) = cut(family, &blocks);
        let mut by_sig: BTreeMap<Vec<u32>, u32> = BTreeMap::new();
        let mut class_of = Vec::with_capacity(starts.len());
        for (i, mut sig) in sigs.into_iter().enumerate() {
            sig.sort_unstable();
            let lo = starts.get(i).copied().unwrap_or(0);
            let hi = starts.get(i + 1).map_or(max, |next| next - 1);
            let next_id = u32::try_from(self.classes.len()).unwrap_or(u32::MAX);
            let id = *by_sig.entry(sig.clone()).or_insert_with(|| next_id);
            if id == next_id {
                self.classes.push(AddrClass {
                    family,
                    blocks: sig,
                    intervals: Vec::new(),
                });
            }
            if let Some(class) = self.classes.get_mut(id as usize) {
                match class.intervals.last_mut() {
                    Some(last) if last.1.checked_add(1) == Some(lo) => last.1 = hi,
                    _ => class.intervals.push((lo, hi)),
                }
            }
            class_of.push(id);
        }
        let f = fam_index(family);
        if let (Some(s), Some(c)) = (self.starts.get_mut(f), self.class_of.get_mut(f)) {
            *s = starts;
            *c = class_of;
        }
    }

    /// The class of `addr`.
    pub fn class_of(&self, addr: &IpAddr) -> u32 {
        let f = fam_index(Family::of(addr));
        let value = addr_value(addr);
        let (Some(starts), Some(classes)) = (self.starts.get(f), self.class_of.get(f)) else {
            return 0;
        };
        let i = starts.partition_point(|&s| s <= value).saturating_sub(1);
        classes.get(i).copied().unwrap_or(0)
    }

    /// The block id of an ipBlock peer (every peer of an effective rule has one).
    pub fn block_id(&self, block: &IpBlock) -> Option<u32> {
        self.block_ids.get(&block_key(block)).copied()
    }
}

/// One family's space cut at every cidr and except boundary of `blocks` (those of
/// `family`, with their ids): the elementary intervals' starts, ascending from 0, and
/// per interval the ids of the blocks holding it (inside the cidr, outside every
/// except), in the order of `blocks`.
pub(crate) fn cut(family: Family, blocks: &[(&BlockKey, u32)]) -> (Vec<u128>, Vec<Vec<u32>>) {
    let max = family_max(family);
    let mut starts: Vec<u128> = Vec::with_capacity(blocks.len() * 2 + 1);
    starts.push(0);
    for (key, _) in blocks {
        for net in core::iter::once(&key.0).chain(key.1.iter()) {
            let (lo, hi) = net_range(net);
            starts.push(lo);
            if hi < max {
                starts.push(hi + 1);
            }
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut sigs: Vec<Vec<u32>> = starts.iter().map(|_| Vec::new()).collect();
    for (key, id) in blocks {
        let holes: Vec<core::ops::Range<usize>> = key
            .1
            .iter()
            .filter(|e| net_family(e) == family)
            .map(|e| interval_span(&starts, e))
            .collect();
        for i in interval_span(&starts, &key.0) {
            if holes.iter().any(|h| h.contains(&i)) {
                continue;
            }
            if let Some(sig) = sigs.get_mut(i) {
                sig.push(*id);
            }
        }
    }
    (starts, sigs)
}

/// The indices of the elementary intervals (by their `starts`) inside `net`.
fn interval_span(starts: &[u128], net: &IpNet) -> core::ops::Range<usize> {
    let (lo, hi) = net_range(net);
    let first = starts.partition_point(|&s| s < lo);
    let end = starts.partition_point(|&s| s <= hi);
    first..end
}

/// An integer address of `family` as an [`IpAddr`].
pub(crate) fn to_addr(family: Family, value: u128) -> IpAddr {
    match family {
        Family::V4 => IpAddr::V4(Ipv4Addr::from(u32::try_from(value).unwrap_or(u32::MAX))),
        Family::V6 => IpAddr::V6(Ipv6Addr::from(value)),
    }
}

/// A network of `family` at `value` with `prefix` bits.
fn to_net(family: Family, value: u128, prefix: u8) -> Option<IpNet> {
    match to_addr(family, value) {
        IpAddr::V4(a) => Ipv4Net::new(a, prefix).ok().map(IpNet::V4),
        IpAddr::V6(a) => Ipv6Net::new(a, prefix).ok().map(IpNet::V6),
    }
}

/// The fewest CIDRs covering exactly `[lo, hi]`.
pub(crate) fn interval_cidrs(family: Family, lo: u128, hi: u128, out: &mut Vec<IpNet>) {
    let bits = family_bits(family);
    let mut a = lo;
    loop {
        let mut k = a.trailing_zeros().min(bits);
        loop {
            let mask = if k >= 128 {
                u128::MAX
            } else {
                (1u128 << k) - 1
            };
            if a | mask <= hi {
                break;
            }
            k -= 1;
        }
        let mask = if k >= 128 {
            u128::MAX
        } else {
            (1u128 << k) - 1
        };
        let prefix = u8::try_from(bits - k).unwrap_or(0);
        if let Some(net) = to_net(family, a, prefix) {
            out.push(net);
        }
        let end = a | mask;
        if end >= hi {
            break;
        }
        a = end + 1;
    }
}

/// The CIDRs of `intervals` minus the single addresses `holes` (sorted).
pub(crate) fn cidrs_without(
    family: Family,
    intervals: &[(u128, u128)],
    holes: &[u128],
) -> Vec<IpNet> {
    let mut out = Vec::new();
    for &(lo, hi) in intervals {
        let mut start = lo;
        let mut done = false;
        let first = holes.partition_point(|&h| h < lo);
        for &h in holes.iter().skip(first).take_while(|&&h| h <= hi) {
            if h > start {
                interval_cidrs(family, start, h - 1, &mut out);
            }
            if h == hi {
                done = true;
                break;
            }
            start = h + 1;
        }
        if !done {
            interval_cidrs(family, start, hi, &mut out);
        }
    }
    out
}

/// A short display of a class: its CIDRs, or `hull except gaps` when that is
/// shorter, plus how many pod IPs it leaves out.
pub(crate) fn describe(class: &AddrClass, pod_ips: usize) -> String {
    let mut own = Vec::new();
    for &(lo, hi) in &class.intervals {
        interval_cidrs(class.family, lo, hi, &mut own);
    }
    let lo = class.intervals.first().map_or(0, |i| i.0);
    let hi = class.intervals.last().map_or(0, |i| i.1);
    let bits = family_bits(class.family);
    let common = bits.saturating_sub(128 - (lo ^ hi).leading_zeros());
    let host = bits - common;
    let mask = if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    };
    let (h_lo, h_hi) = (lo & !mask, lo | mask);
    let mut gaps = Vec::new();
    let mut next = h_lo;
    for &(a, b) in &class.intervals {
        if a > next {
            interval_cidrs(class.family, next, a - 1, &mut gaps);
        }
        next = b.saturating_add(1);
    }
    if hi < h_hi {
        interval_cidrs(class.family, hi + 1, h_hi, &mut gaps);
    }
    let join = |nets: &[IpNet]| {
        nets.iter()
            .map(|n| format!("{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = match to_net(class.family, h_lo, u8::try_from(common).unwrap_or(0)) {
        Some(hull) if !gaps.is_empty() && gaps.len() < own.len() => {
            format!("{hull} except {}", join(&gaps))
        }
        _ => join(&own),
    };
    if pod_ips > 0 {
        let s = if pod_ips == 1 { "" } else { "s" };
        text.push_str(&format!(" (except {pod_ips} pod IP{s})"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    #[test]
    fn interval_cidrs_are_minimal() {
        let mut out = Vec::new();
        let lo = addr_value(&"10.0.0.0".parse().unwrap());
        let hi = addr_value(&"10.0.1.255".parse().unwrap());
        interval_cidrs(Family::V4, lo, hi, &mut out);
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
    }

    #[test]
    fn holes_are_cut_out() {
        let lo = addr_value(&"10.0.0.0".parse().unwrap());
        let hole = addr_value(&"10.0.0.1".parse().unwrap());
        let out = cidrs_without(Family::V4, &[(lo, lo + 3)], &[hole]);
        assert_eq!(out, vec![net("10.0.0.0/32"), net("10.0.0.2/31")]);
        let out = cidrs_without(Family::V4, &[(lo, lo)], &[lo]);
        assert!(out.is_empty());
        let out = cidrs_without(Family::V4, &[(lo, lo + 1)], &[lo + 1]);
        assert_eq!(out, vec![net("10.0.0.0/32")]);
    }

    #[test]
    fn describe_prefers_hull_except() {
        let class = AddrClass {
            family: Family::V4,
            blocks: vec![0],
            intervals: vec![
                (0, addr_value(&"9.255.255.255".parse().unwrap())),
                (
                    addr_value(&"11.0.0.0".parse().unwrap()),
                    u128::from(u32::MAX),
                ),
            ],
        };
        assert_eq!(describe(&class, 0), "0.0.0.0/0 except 10.0.0.0/8");
        assert_eq!(
            describe(&class, 2),
            "0.0.0.0/0 except 10.0.0.0/8 (except 2 pod IPs)"
        );
    }
}
