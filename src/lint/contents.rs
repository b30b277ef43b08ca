//! The rule contents of every policy, per selector class, and which contents of a
//! class cover a given content: what both redundancy decisions
//! ([`crate::lint::redundancy`]) ask, answered once per distinct (class, direction,
//! content) rather than once per rule.
//!
//! Within a class and direction, each distinct content has a *slot* (its place
//! among the class's contents, ascending), so per-content counts and rules are dense
//! vectors indexed by slot.

use alloc::vec::Vec;

use crate::lint::candidates::Candidates;
use crate::lint::context::Context;
use crate::lint::cover::rule_covers;
use crate::lint::rule_key::{RuleKey, RuleKeys};
use crate::model::{Direction, Rule};
use crate::sorted::SortedMap;

/// A content of a class covering the content asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cover {
    /// The covering content's slot in its class and direction.
    pub slot: usize,
    /// Whether the content asked about covers it back (the two are equivalent).
    pub back: bool,
}

/// Of one class and direction: content id → the range of its covering contents.
type CoverRanges = SortedMap<usize, (usize, usize)>;

/// The rule contents of every policy and, per class, which of its contents cover
/// the contents other policies ask about.
pub struct Contents {
    /// Per policy, per direction ([`Direction::index`]): the content id of each rule.
    ids: Vec<[Vec<usize>; 2]>,
    /// Per class, per direction: the distinct contents of its policies' rules,
    /// ascending (a content's position is its slot).
    held: Vec<[Vec<usize>; 2]>,
    /// Per class, per direction: content id → its range in `covers`.
    covering: Vec<[CoverRanges; 2]>,
    /// The covering contents of every entry of `covering`, by ascending slot.
    covers: Vec<Cover>,
}

impl Contents {
    /// The contents of `cx`'s policies, with the covering contents of every
    /// content a policy asks its covering classes about (in the directions it
    /// applies to).
    pub fn new(cx: &Context<'_>) -> Contents {
        let policies = &cx.model.policies;
        let coverage = &cx.coverage;
        let mut keys = RuleKeys::default();
        let ids: Vec<[Vec<usize>; 2]> = policies
            .iter()
            .map(|p| Direction::BOTH.map(|d| p.rules(d).iter().map(|r| keys.id(r)).collect()))
            .collect();
        let mut held: Vec<[Vec<usize>; 2]> =
            alloc::vec![Default::default(); coverage.class_count()];
        for (p, both) in ids.iter().enumerate() {
            if let Some(class) = held.get_mut(coverage.class_of(p)) {
                for (set, of_direction) in class.iter_mut().zip(both) {
                    set.extend(of_direction.iter().copied());
                }
            }
        }
        for set in held.iter_mut().flatten() {
            set.sort_unstable();
            set.dedup();
        }
        // Every (class, direction, content) some policy asks about, once.
        let mut asked: Vec<(usize, usize, usize)> = Vec::new();
        for (p, policy) in policies.iter().enumerate() {
            for d in Direction::BOTH
                .into_iter()
                .filter(|d| policy.applies_to(*d))
            {
                let of_direction = ids.get(p).and_then(|both| both.get(d.index()));
                for &class in coverage.covering_classes(p) {
                    asked.extend(
                        of_direction
                            .into_iter()
                            .flatten()
                            .map(|&n| (class, d.index(), n)),
                    );
                }
            }
        }
        asked.sort_unstable();
        asked.dedup();
        let (covering, covers) = find_covers(&keys.into_contents(), &held, &asked);
        Contents {
            ids,
            held,
            covering,
            covers,
        }
    }

    /// The content ids of policy `p`'s rules in `d`.
    pub fn of(&self, p: usize, d: Direction) -> &[usize] {
        self.ids
            .get(p)
            .and_then(|both| both.get(d.index()))
            .map_or(&[], Vec::as_slice)
    }

    /// How many distinct contents class `class` has in `d` (its slots are
    /// `0..slot_count`).
    pub fn slot_count(&self, class: usize, d: Direction) -> usize {
        held_of(&self.held, class, d.index()).len()
    }

    /// The slot of content `id` in class `class` and direction `d`.
    pub fn slot(&self, class: usize, d: Direction, id: usize) -> Option<usize> {
        held_of(&self.held, class, d.index())
            .binary_search(&id)
            .ok()
    }

    /// The contents of class `class` in `d` covering content `narrow` (asked by a
    /// policy of a class it covers, in a direction that policy applies to).
    pub fn covering(&self, class: usize, d: Direction, narrow: usize) -> &[Cover] {
        self.covering
            .get(class)
            .and_then(|both| both.get(d.index()))
            .and_then(|ranges| ranges.get(&narrow))
            .and_then(|&(start, end)| self.covers.get(start..end))
            .unwrap_or(&[])
    }
}

/// The distinct contents of class `class` in direction index `d`, ascending.
fn held_of(held: &[[Vec<usize>; 2]], class: usize, d: usize) -> &[usize] {
    held.get(class)
        .and_then(|both| both.get(d))
        .map_or(&[], Vec::as_slice)
}

/// Per class and direction, the range of covering contents of each `asked`
/// (class, direction index, content) triple (ascending) in the second vector: each
/// class's contents indexed once by what they may cover ([`Candidates`]), each
/// candidate checked with [`rule_covers`].
fn find_covers(
    contents: &[(RuleKey<'_>, &Rule)],
    held: &[[Vec<usize>; 2]],
    asked: &[(usize, usize, usize)],
) -> (Vec<[CoverRanges; 2]>, Vec<Cover>) {
    let mut covering: Vec<[CoverRanges; 2]> = alloc::vec![Default::default(); held.len()];
    let mut covers = Vec::new();
    let mut index: Option<((usize, usize), Candidates)> = None;
    let mut ranges: Vec<(usize, (usize, usize))> = Vec::new();
    let mut slots: Vec<usize> = Vec::new();
    for (at, &(class, d, narrow)) in asked.iter().enumerate() {
        let set = held_of(held, class, d);
        if index.as_ref().is_none_or(|(of, _)| *of != (class, d)) {
            let mut candidates = Candidates::default();
            for (slot, id) in set.iter().enumerate() {
                if let Some((_, rule)) = contents.get(*id) {
                    candidates.add(slot, rule);
                }
            }
            index = Some(((class, d), candidates));
        }
        if let (Some((_, candidates)), Some((n, rule))) = (&index, contents.get(narrow)) {
            slots.clear();
            slots.extend(candidates.of(rule));
            slots.sort_unstable();
            slots.dedup();
            let start = covers.len();
            for &slot in &slots {
                let Some((b, _)) = set.get(slot).and_then(|id| contents.get(*id)) else {
                    continue;
                };
                if rule_covers(b, n) {
                    let back = rule_covers(n, b);
                    covers.push(Cover { slot, back });
                }
            }
            ranges.push((narrow, (start, covers.len())));
        }
        let last_of_class = asked
            .get(at + 1)
            .is_none_or(|next| (next.0, next.1) != (class, d));
        if last_of_class {
            if let Some(map) = covering.get_mut(class).and_then(|c| c.get_mut(d)) {
                *map = SortedMap::from_pairs(core::mem::take(&mut ranges));
            }
        }
    }
    (covering, covers)
}
