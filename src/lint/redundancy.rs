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

/// What the still-counted policies hold.
struct Held {
    /// Per class, per direction ([`Direction::index`]): how many policies apply.
    policies: Vec<[Policies; 2]>,
    /// Per slot ([`Contents::slots_of`]): how many rules of those policies have that
    /// content.
    rules: Vec<usize>,
}

/// Of one class and direction, how many still-counted policies apply to it.
#[derive(Clone, Copy, Default)]
struct Policies {
    /// Policies applying to the direction.
    applying: usize,
    /// Of those, the ones without rules in it (they only isolate).
    only_isolating: usize,
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
    let mut held = Held {
        policies: vec![Default::default(); coverage.class_count()],
        rules: vec![0; contents.slot_count()],
    };
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
                let isolated = classes
                    .iter()
                    .filter_map(|c| held.policies.get(*c)?.get(d.index()))
                    .any(|h| {
                        if pure {
                            h.only_isolating > 0
                        } else {
                            h.applying > 0
                        }
                    });
                isolated
                    && contents.of(p, d).iter().all(|&narrow| {
                        classes.iter().any(|&c| {
                            contents
                                .covering(c, d, narrow)
                                .iter()
                                .any(|cover| held.rules.get(cover.slot).is_some_and(|n| *n > 0))
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
fn count(cx: &Context, contents: &Contents, held: &mut Held, p: usize, add: bool) {
    let Some(policy) = cx.model.policies.get(p) else {
        return;
    };
    let class = cx.coverage.class_of(p);
    let step = |n: &mut usize| *n = if add { *n + 1 } else { n.saturating_sub(1) };
    for d in Direction::BOTH
        .into_iter()
        .filter(|d| policy.applies_to(*d))
    {
        if let Some(h) = held
            .policies
            .get_mut(class)
            .and_then(|c| c.get_mut(d.index()))
        {
            step(&mut h.applying);
            if policy.rules(d).is_empty() {
                step(&mut h.only_isolating);
            }
        }
        for slot in contents.slots_of(p, d) {
            if let Some(n) = held.rules.get_mut(*slot) {
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

/// Per slot ([`Contents::slots_of`]): the first two rules of policies not found
/// redundant having that content, ascending.
type FirstRules = Vec<[Option<At>; 2]>;

/// Every rule of a policy not in `redundant` that another rule covers (same
/// direction, of a policy not in `redundant` selecting at least the same pods), with
/// the first such rule (by policy, then rule); of two equivalent rules only the
/// earlier counts as covering. In policy, direction and rule order.
pub fn covered_rules(cx: &Context, contents: &Contents, redundant: &[bool]) -> Vec<(RuleAt, At)> {
    let policies = &cx.model.policies;
    let coverage = &cx.coverage;
    let is_redundant = |p: usize| redundant.get(p).copied().unwrap_or(false);
    let mut first: FirstRules = vec![[None; 2]; contents.slot_count()];
    for (q, policy) in policies
        .iter()
        .enumerate()
        .filter(|(q, _)| !is_redundant(*q))
    {
        for d in Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
        {
            for (j, slot) in contents.slots_of(q, d).iter().enumerate() {
                let of_slot = first.get_mut(*slot);
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
                    // Whether `p` selects at least the pods of this class's policies.
                    let mutual = coverage.class_covers(own_class, class);
                    for cover in contents.covering(class, d, narrow) {
                        let Some(rules) = first.get(cover.slot) else {
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
