//! The external address classes of a diff: the common refinement of both sides'
//! splits of the address space.
//!
//! Every distinct ipBlock (cidr minus excepts, host bits masked) of an effective rule,
//! on either side, draws lines; addresses inside exactly the same blocks form one
//! class. Grouping by the union of both sides' blocks is the same as intersecting a
//! base class with a head class, so no policy of either version can tell two addresses
//! of one class apart. Pod IPs (of either side) are holes: such an address is a pod,
//! not an external endpoint.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;

use crate::engine::cidr::{block_key, cut, BlockKey};
use crate::engine::Family;
use crate::first_seen::first_seen_ids;
use crate::interval::{
    addr_value, cidrs_without, describe, fam_index, family_max, net_family, to_addr,
};
use crate::model::{Direction, Model, Peer};
use crate::sorted::SortedSet;

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
        cidrs_without(self.family, &self.intervals, &self.holes)
    }

    /// A short display: the CIDRs, or `hull except gaps` when that is shorter, plus
    /// how many pod IPs are left out (the matrix's wording).
    pub fn describe(&self) -> String {
        describe(self.family, &self.intervals, self.holes.len())
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
    pub fn build(models: [&Model; 2], pod_ips: &SortedSet<IpAddr>) -> Refinement {
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
        let f = fam_index(Family::of(addr));
        let starts = self.starts.get(f)?;
        let i = starts
            .partition_point(|&s| s <= addr_value(addr))
            .checked_sub(1)?;
        self.interval_class.get(f)?.get(i).copied()
    }
}

/// Every block of an effective rule of either model, every network of a cluster-wide
/// rule and every Node address.
fn blocks(models: [&Model; 2]) -> SortedSet<BlockKey> {
    let mut out = Vec::new();
    for model in models {
        for policy in &model.cluster_policies {
            for rule in policy.ingress.iter().chain(&policy.egress) {
                for peer in &rule.peers {
                    if let crate::model::TierPeer::Networks { cidrs, .. } = peer {
                        out.extend(cidrs.iter().map(|c| (c.value.trunc(), Vec::new())));
                    }
                }
            }
        }
        for node in &model.nodes {
            out.extend(
                node.addresses
                    .iter()
                    .map(|a| (IpNet::from(a.address), Vec::new())),
            );
        }
        for policy in &model.policies {
            for direction in Direction::BOTH {
                if !policy.applies_to(direction) {
                    continue;
                }
                for rule in policy.rules(direction) {
                    for peer in rule.peer_list() {
                        if let Peer::IpBlock(block) = peer {
                            out.push(block_key(block));
                        }
                    }
                }
            }
        }
    }
    SortedSet::from_items(out)
}

/// One family's space cut at every boundary, intervals grouped by the blocks holding
/// them (classes ordered by their first address); also the intervals' starts and
/// each interval's class.
fn split(
    family: Family,
    blocks: &SortedSet<BlockKey>,
) -> (Vec<ExternalClass>, Vec<u128>, Vec<usize>) {
    let max = family_max(family);
    let mine: Vec<(&BlockKey, u32)> = blocks
        .iter()
        .filter(|b| net_family(&b.0) == family)
        .zip(0..)
        .collect();
    let (starts, inside) = cut(family, &mine);
    // Intervals inside the same blocks share a class, numbered in the order of
    // their first interval.
    let (ids, firsts) = first_seen_ids(&inside);
    let mut classes: Vec<ExternalClass> = firsts
        .iter()
        .map(|_| ExternalClass {
            family,
            intervals: Vec::new(),
            holes: Vec::new(),
        })
        .collect();
    let mut interval_class = Vec::with_capacity(starts.len());
    for (i, id) in ids.into_iter().enumerate() {
        let index = id as usize;
        let lo = starts.get(i).copied().unwrap_or(0);
        let hi = starts.get(i + 1).map_or(max, |next| next - 1);
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
        let classes = Refinement::build([&base, &head], &SortedSet::default()).classes;
        assert_eq!(classes.len(), 2);
        assert_eq!(classes[0].describe(), "0.0.0.0/0");
        assert_eq!(classes[1].describe(), "::/0");
    }
}
