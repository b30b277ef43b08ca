//! The address space split where ipBlocks draw lines.
//!
//! Every distinct ipBlock (cidr minus excepts, host bits masked) of an effective rule
//! is a *block*. Each family's space is cut into elementary intervals at every cidr
//! and except boundary; intervals inside exactly the same blocks form one *address
//! class*. No policy can tell two addresses of one class apart.

use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use crate::first_seen::first_seen_ids;
use crate::interval::{addr_value, fam_index, family_max, net_family, net_range, Family};
use crate::model::{Direction, IpBlock, Model, Peer};
use crate::sorted::SortedMap;

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
    pub block_ids: SortedMap<BlockKey, u32>,
    /// Per family (V4, V6): interval starts, and the class of each interval.
    starts: [Vec<u128>; 2],
    class_of: [Vec<u32>; 2],
    /// Every class, IPv4 ones first.
    pub classes: Vec<AddrClass>,
}

impl AddressSpace {
    /// Collects the blocks of every effective rule of `model`, and `extra` networks
    /// (the cluster-wide tiers' `networks` and Node addresses), and splits the space.
    pub fn build_with(model: &Model, extra: &[IpNet]) -> AddressSpace {
        let mut blocks: Vec<BlockKey> = extra.iter().map(|net| (net.trunc(), Vec::new())).collect();
        for policy in &model.policies {
            for direction in Direction::BOTH {
                if !policy.applies_to(direction) {
                    continue;
                }
                for rule in policy.rules(direction) {
                    for peer in rule.peer_list() {
                        if let Peer::IpBlock(block) = peer {
                            blocks.push(block_key(block));
                        }
                    }
                }
            }
        }
        let mut space = AddressSpace {
            block_ids: SortedMap::numbered(blocks),
            ..AddressSpace::default()
        };
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
        let (starts, mut sigs) = cut(family, &blocks);
        for sig in &mut sigs {
            sig.sort_unstable();
        }
        // Intervals with the same blocks share a class; classes are numbered in the
        // order of their first interval, after those of the other family.
        let (local_ids, firsts) = first_seen_ids(&sigs);
        let base = u32::try_from(self.classes.len()).unwrap_or(u32::MAX);
        let mut first = firsts.iter().peekable();
        for (i, sig) in sigs.into_iter().enumerate() {
            if first.next_if(|&&at| at == i).is_some() {
                self.classes.push(AddrClass {
                    family,
                    blocks: sig,
                    intervals: Vec::new(),
                });
            }
        }
        let mut class_of = Vec::with_capacity(starts.len());
        for (i, local) in local_ids.into_iter().enumerate() {
            let id = base.saturating_add(local);
            let lo = starts.get(i).copied().unwrap_or(0);
            let hi = starts.get(i + 1).map_or(max, |next| next - 1);
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    #[test]
    fn blocks_split_the_space_into_classes() {
        let a: BlockKey = (net("10.0.0.0/8"), vec![net("10.1.0.0/16")]);
        let (starts, inside) = cut(Family::V4, &[(&a, 7)]);
        let v = |s: &str| addr_value(&s.parse().unwrap());
        assert_eq!(
            starts,
            vec![
                0,
                v("10.0.0.0"),
                v("10.1.0.0"),
                v("10.2.0.0"),
                v("11.0.0.0")
            ]
        );
        assert_eq!(inside, vec![vec![], vec![7], vec![], vec![7], vec![]]);
    }
}
