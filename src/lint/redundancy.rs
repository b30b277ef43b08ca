//! Which policies and rules are redundant (the decisions behind `redundant-policy`
//! and `redundant-rule`), in time that grows with the rules and the distinct rule
//! contents of their selector classes, not with pairs of policies or of rules.
//!
//! Both work on selector classes ([`crate::lint::coverage`]) and on rule contents
//! ([`crate::lint::contents`]): the many copies of one rule in similar policies are
//! compared once, and a question about "some other policy of these classes" is a
//! question about the contents those classes hold.

use alloc::vec;
use alloc::vec::Vec;

use crate::lint::contents::Contents;
use crate::lint::context::Context;
use crate::model::{Direction, NetworkPolicy};

/// A rule: (policy, direction, index in the direction's rules).
pub type RuleAt = (usize, Direction, usize);

/// What `redundant-policy` and `redundant-rule` both start from: the rule contents
/// and which policies are redundant.
pub struct Redundancy {
    /// The rule contents of every policy.
    pub contents: Contents,
    /// Per policy: whether it is redundant ([`redundant_policies`]).
    pub redundant: Vec<bool>,
}

impl Redundancy {
    /// The contents and redundant policies of `cx`'s input.
    pub fn new(cx: &Context<'_>) -> Self {
        let contents = Contents::new(cx);
        let redundant = redundant_policies(cx, &contents);
        Redundancy {
            contents,
            redundant,
        }
    }
}

/// What the still-counted policies of one class hold in one direction.
#[derive(Clone, Default)]
struct Held {
    /// Policies applying to the direction.
    applying: usize,
    /// Of those, the ones without rules in it (they only isolate).
    only_isolating: usize,
    /// Per slot of the class's contents ([`Contents::slot`]): how many rules of
    /// those policies have that content.
    rules: Vec<usize>,
}

/// Per policy: whether it is redundant, checked from the last: a policy found
/// redundant no longer covers the ones before it. A policy is redundant when, for
/// each direction it isolates, another policy selecting at least its pods isolates
/// it too and each of its rules is covered by a rule of such a policy. A policy that
/// only isolates (a default deny) is redundant only next to another policy that only
/// isolates the same pods.
pub fn redundant_policies(cx: &Context, contents: &Contents) -> Vec<bool> {
    let policies = &cx.model.policies;
    let coverage = &cx.coverage;
    let mut held: Vec<[Held; 2]> = (0..coverage.class_count())
        .map(|class| {
            Direction::BOTH.map(|d| Held {
                rules: vec![0; contents.slot_count(class, d)],
                ..Held::default()
            })
        })
        .collect();
    for p in 0..policies.len() {
        count(cx, contents, &mut held, p, true);
    }
    let mut found = vec![false; policies.len()];
    for (p, policy) in policies.iter().enumerate().rev() {
        count(cx, contents, &mut held, p, false);
        let pure = isolates_only(policy);
        let classes = coverage.covering_classes(p);
        let covered = Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
            .all(|d| {
                let of_classes = || {
                    classes
                        .iter()
                        .filter_map(|c| held.get(*c).map(|h| (*c, h)))
                        .filter_map(move |(c, h)| h.get(d.index()).map(|h| (c, h)))
                };
                let isolated = of_classes().any(|(_, h)| {
                    if pure {
                        h.only_isolating > 0
                    } else {
                        h.applying > 0
                    }
                });
                isolated
                    && contents.of(p, d).iter().all(|&narrow| {
                        of_classes().any(|(c, h)| {
                            contents
                                .covering(c, d, narrow)
                                .iter()
                                .any(|cover| h.rules.get(cover.slot).is_some_and(|n| *n > 0))
                        })
                    })
            });
        match found.get_mut(p) {
            Some(slot) if covered => *slot = true,
            _ => count(cx, contents, &mut held, p, true),
        }
    }
    found
}

/// Adds policy `p` to what its class holds (`add`), or takes it out.
fn count(cx: &Context, contents: &Contents, held: &mut [[Held; 2]], p: usize, add: bool) {
    let Some(policy) = cx.model.policies.get(p) else {
        return;
    };
    let class = cx.coverage.class_of(p);
    let Some(of_class) = held.get_mut(class) else {
        return;
    };
    for d in Direction::BOTH
        .into_iter()
        .filter(|d| policy.applies_to(*d))
    {
        let Some(h) = of_class.get_mut(d.index()) else {
            continue;
        };
        let step = |n: &mut usize| *n = if add { *n + 1 } else { n.saturating_sub(1) };
        step(&mut h.applying);
        if policy.rules(d).is_empty() {
            step(&mut h.only_isolating);
        }
        for id in contents.of(p, d) {
            let slot = contents.slot(class, d, *id);
            if let Some(n) = slot.and_then(|slot| h.rules.get_mut(slot)) {
                step(n);
            }
        }
    }
}

/// Whether `policy` has no rule in the directions it applies to (it only isolates).
fn isolates_only(policy: &NetworkPolicy) -> bool {
    Direction::BOTH
        .into_iter()
        .filter(|d| policy.applies_to(*d))
        .all(|d| policy.rules(d).is_empty())
}

/// A rule (policy, index in its direction).
type At = (usize, usize);

/// Of one class and direction, per slot of its contents: the first two rules of
/// policies not found redundant having that content, ascending.
type FirstRules = Vec<[Option<At>; 2]>;

/// Every rule of a policy not in `redundant` that another rule covers (same
/// direction, of a policy not in `redundant` selecting at least the same pods), with
/// the first such rule (by policy, then rule); of two equivalent rules only the
/// earlier counts as covering. In policy, direction and rule order.
pub fn covered_rules(cx: &Context, contents: &Contents, redundant: &[bool]) -> Vec<(RuleAt, At)> {
    let policies = &cx.model.policies;
    let coverage = &cx.coverage;
    let is_redundant = |p: usize| redundant.get(p).copied().unwrap_or(false);
    let mut first: Vec<[FirstRules; 2]> = (0..coverage.class_count())
        .map(|class| Direction::BOTH.map(|d| vec![[None; 2]; contents.slot_count(class, d)]))
        .collect();
    for (q, policy) in policies
        .iter()
        .enumerate()
        .filter(|(q, _)| !is_redundant(*q))
    {
        let class = coverage.class_of(q);
        for d in Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
        {
            for (j, id) in contents.of(q, d).iter().enumerate() {
                let slot = contents.slot(class, d, *id);
                let of_slot = first
                    .get_mut(class)
                    .and_then(|c| c.get_mut(d.index()))
                    .zip(slot)
                    .and_then(|(rules, slot)| rules.get_mut(slot));
                if let Some(free) = of_slot.and_then(|two| two.iter_mut().find(|r| r.is_none())) {
                    *free = Some((q, j));
                }
            }
        }
    }
    let mut out = Vec::new();
    for (p, policy) in policies
        .iter()
        .enumerate()
        .filter(|(p, _)| !is_redundant(*p))
    {
        let own_class = coverage.class_of(p);
        for d in Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
        {
            for (i, &narrow) in contents.of(p, d).iter().enumerate() {
                let mut best: Option<At> = None;
                for &class in coverage.covering_classes(p) {
                    let Some(of_class) = first.get(class).and_then(|c| c.get(d.index())) else {
                        continue;
                    };
                    // Whether `p` selects at least the pods of this class's policies.
                    let mutual = coverage.class_covers(own_class, class);
                    for cover in contents.covering(class, d, narrow) {
                        let Some(rules) = of_class.get(cover.slot) else {
                            continue;
                        };
                        let [earliest, next] = *rules;
                        let candidate = if mutual && cover.back {
                            earliest.filter(|at| *at < (p, i))
                        } else {
                            [earliest, next]
                                .into_iter()
                                .flatten()
                                .find(|at| *at != (p, i))
                        };
                        best = match (best, candidate) {
                            (Some(b), Some(c)) => Some(b.min(c)),
                            (b, c) => b.or(c),
                        };
                    }
                }
                if let Some(at) = best {
                    out.push(((p, d, i), at));
                }
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
