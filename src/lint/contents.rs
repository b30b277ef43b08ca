//! The rule contents of every policy, per selector class, and which contents of a
//! class cover a given content: what both redundancy decisions
//! ([`crate::lint::redundancy`]) ask, answered once per distinct (class, direction,
//! content) rather than once per rule.
//!
//! Each distinct content of a class and direction has a *slot*: a number of its own
//! among those of all classes and directions, so per-content counts and rules are
//! one dense vector indexed by slot.

use alloc::vec::Vec;

use crate::lint::candidates::Candidates;
use crate::lint::context::Context;
use crate::lint::cover::rule_covers;
use crate::lint::rule_key::{number_contents, RuleKey};
use crate::model::{Direction, Rule};
use lists::Lists;

mod lists;

/// A content of a class covering the content asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cover {
    /// The covering content's slot.
    pub slot: usize,
    /// Whether the content asked about covers it back (the two are equivalent).
    pub back: bool,
}

/// The rule contents of every policy and, per class, which of its contents cover
/// the contents other policies ask about.
pub struct Contents {
    /// Per policy and direction ([`pair`]): the content id of each rule.
    ids: Lists<usize>,
    /// Per policy and direction: the slot of each rule's content in the policy's
    /// class.
    slots: Lists<usize>,
    /// How many distinct contents the classes hold, over both directions.
    slot_count: usize,
    /// Per class and direction ([`pair`]): the distinct contents some policy asks
    /// about, ascending.
    asked: Lists<usize>,
    /// Per content asked about (by its place in `asked`): its covering contents, by
    /// ascending slot.
    covers: Lists<Cover>,
}

/// The number of the list of policy or class `n` in direction `d`.
fn pair(n: usize, d: Direction) -> usize {
    2 * n + d.index()
}

impl Contents {
    /// The contents of `cx`'s policies, with the covering contents of every
    /// content a policy asks its covering classes about (in the directions it
    /// applies to).
    pub fn new(cx: &Context<'_>) -> Contents {
        let policies = &cx.model.policies;
        let coverage = &cx.coverage;
        let lists = 2 * coverage.class_count();
        let rules: Vec<&Rule> = policies
            .iter()
            .flat_map(|policy| Direction::BOTH.map(|d| policy.rules(d)))
            .flatten()
            .collect();
        let (content_ids, contents) = number_contents(&rules);
        let mut content_ids = content_ids.into_iter().map(|id| id as usize);
        let mut ids = Lists::default();
        for policy in policies {
            for d in Direction::BOTH {
                ids.extend(content_ids.by_ref().take(policy.rules(d).len()));
                ids.close();
            }
        }
        let of_policies = || (0..policies.len()).flat_map(|p| Direction::BOTH.map(|d| (p, d)));
        let mut in_classes: Vec<(usize, usize)> = Vec::with_capacity(ids.item_count());
        for (p, d) in of_policies() {
            let class = pair(coverage.class_of(p), d);
            in_classes.extend(ids.get(pair(p, d)).iter().map(|&id| (class, id)));
        }
        // The distinct contents of each class and direction: a content's place
        // among all of them is its slot.
        let held = group(in_classes, lists);
        let mut slots = Lists::default();
        for (p, d) in of_policies() {
            let class = pair(coverage.class_of(p), d);
            let of_rules = ids.get(pair(p, d)).iter();
            // Every content of a policy is held by its class: never `usize::MAX`.
            slots.extend(of_rules.map(|id| held.find(class, id).unwrap_or(usize::MAX)));
            slots.close();
        }
        let mut asked: Vec<(usize, usize)> = Vec::new();
        for (p, policy) in policies.iter().enumerate() {
            for d in Direction::BOTH
                .into_iter()
                .filter(|d| policy.applies_to(*d))
            {
                let of_direction = ids.get(pair(p, d));
                for &class in coverage.covering_classes(p) {
                    asked.extend(of_direction.iter().map(|&id| (pair(class, d), id)));
                }
            }
        }
        let asked = group(asked, lists);
        let covers = find_covers(&contents, &held, &asked);
        Contents {
            ids,
            slots,
            slot_count: held.item_count(),
            asked,
            covers,
        }
    }

    /// The content ids of policy `p`'s rules in `d`.
    pub fn of(&self, p: usize, d: Direction) -> &[usize] {
        self.ids.get(pair(p, d))
    }

    /// The slots of policy `p`'s rules in `d`, in its class (as [`Contents::of`]).
    pub fn slots_of(&self, p: usize, d: Direction) -> &[usize] {
        self.slots.get(pair(p, d))
    }

    /// How many slots there are (they are `0..slot_count`).
    pub fn slot_count(&self) -> usize {
        self.slot_count
    }

    /// The contents of class `class` in `d` covering content `narrow` (asked by a
    /// policy of a class it covers, in a direction that policy applies to).
    pub fn covering(&self, class: usize, d: Direction, narrow: usize) -> &[Cover] {
        self.asked
            .find(pair(class, d), &narrow)
            .map_or(&[], |at| self.covers.get(at))
    }
}

/// The second items of `pairs` in lists by first item (`0..list_count`), each
/// ascending and without repeats.
fn group(mut pairs: Vec<(usize, usize)>, list_count: usize) -> Lists<usize> {
    pairs.sort_unstable();
    pairs.dedup();
    let mut pairs = pairs.into_iter().peekable();
    let mut lists = Lists::default();
    for list in 0..list_count {
        while let Some((_, item)) = pairs.next_if(|(of, _)| *of == list) {
            lists.push(item);
        }
        lists.close();
    }
    lists
}

/// Classes and directions with at most this many contents have each checked
/// against every content asked about: below that, indexing them costs more than it
/// saves.
const CHECKED_WHOLE: usize = 4;

/// Per content of `asked` (lists by class and direction), the covering contents of
/// that class and direction ([`Contents::covering`]): each class's contents in
/// `held` (past [`CHECKED_WHOLE`]) indexed once by what they may cover
/// ([`Candidates`]), each candidate checked with [`rule_covers`].
fn find_covers(
    contents: &[(RuleKey<'_>, &Rule)],
    held: &Lists<usize>,
    asked: &Lists<usize>,
) -> Lists<Cover> {
    let mut covers = Lists::default();
    let mut slots: Vec<usize> = Vec::new();
    for list in 0..asked.list_count() {
        let of_list = asked.get(list);
        let (set, first_slot) = (held.get(list), held.start(list));
        let index = (!of_list.is_empty() && set.len() > CHECKED_WHOLE).then(|| {
            let mut candidates = Candidates::default();
            for (at, id) in set.iter().enumerate() {
                if let Some((_, rule)) = contents.get(*id) {
                    candidates.add(at, rule);
                }
            }
            candidates
        });
        for &narrow in of_list {
            let Some((n, rule)) = contents.get(narrow) else {
                covers.close();
                continue;
            };
            slots.clear();
            match &index {
                Some(candidates) => {
                    slots.extend(candidates.of(rule));
                    slots.sort_unstable();
                    slots.dedup();
                }
                None => slots.extend(0..set.len()),
            }
            for &at in &slots {
                let Some(&id) = set.get(at) else { continue };
                let Some((b, _)) = contents.get(id) else {
                    continue;
                };
                // A content covers itself, both ways ([`rule_covers`] is reflexive).
                let back = if id == narrow {
                    true
                } else if rule_covers(b, n) {
                    rule_covers(n, b)
                } else {
                    continue;
                };
                covers.push(Cover {
                    slot: first_slot + at,
                    back,
                });
            }
            covers.close();
        }
    }
    covers
}
