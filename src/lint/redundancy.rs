//! Which policies and rules are redundant (the decisions behind `redundant-policy`
//! and `redundant-rule`), in time that grows with the policies times the distinct
//! rule contents of their selector classes, not with pairs of policies.
//!
//! Both work on selector classes ([`crate::lint::coverage`]) and on rule contents
//! ([`crate::lint::rule_key`]): the many copies of one rule in similar policies are
//! compared once, and a question about "some other policy of these classes" is a
//! question about the contents those classes hold.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::lint::candidates::Candidates;
use crate::lint::context::Context;
use crate::lint::cover::rule_covers;
use crate::lint::rule_key::RuleKeys;
use crate::model::{Direction, NetworkPolicy};
use crate::sorted::SortedMap;

/// A rule: (policy, direction, index in the direction's rules).
pub type RuleAt = (usize, Direction, usize);

/// The rule contents of every policy, and a memo of which content covers which.
pub struct Contents<'m> {
    keys: RuleKeys<'m>,
    /// Per policy, per direction ([`slot`]): the content id of each rule.
    ids: Vec<[Vec<usize>; 2]>,
    /// Per selector class, per direction: the contents its policies' rules have.
    candidates: Vec<[Candidates; 2]>,
    /// `rule_covers` answers by (broad, narrow) content id.
    memo: RefCell<BTreeMap<(usize, usize), bool>>,
}

/// What `redundant-policy` and `redundant-rule` both start from: the rule contents
/// and which policies are redundant.
pub struct Redundancy<'m> {
    /// The rule contents of every policy.
    pub contents: Contents<'m>,
    /// Per policy: whether it is redundant ([`redundant_policies`]).
    pub redundant: Vec<bool>,
}

impl<'m> Redundancy<'m> {
    /// The contents and redundant policies of `cx`'s input.
    pub fn new(cx: &Context<'m>) -> Self {
        let contents = Contents::new(cx);
        let redundant = redundant_policies(cx, &contents);
        Redundancy {
            contents,
            redundant,
        }
    }
}

impl<'m> Contents<'m> {
    /// The contents of the rules of `cx`'s policies, and per selector class the
    /// index of those its policies hold.
    pub fn new(cx: &Context<'m>) -> Contents<'m> {
        let policies: &'m [NetworkPolicy] = &cx.model.policies;
        let mut keys = RuleKeys::default();
        let ids: Vec<[Vec<usize>; 2]> = policies
            .iter()
            .map(|p| Direction::BOTH.map(|d| p.rules(d).iter().map(|r| keys.id(r)).collect()))
            .collect();
        let mut held: Vec<[Vec<usize>; 2]> = vec![Default::default(); cx.coverage.class_count()];
        for (p, both) in ids.iter().enumerate() {
            if let Some(class) = held.get_mut(cx.coverage.class_of(p)) {
                for (set, of_direction) in class.iter_mut().zip(both) {
                    set.extend(of_direction.iter().copied());
                }
            }
        }
        for set in held.iter_mut().flatten() {
            set.sort_unstable();
            set.dedup();
        }
        let candidates = held
            .iter()
            .map(|both| {
                both.each_ref().map(|set| {
                    let mut index = Candidates::default();
                    for id in set {
                        if let Some(rule) = keys.rule(*id) {
                            index.add(*id, rule);
                        }
                    }
                    index
                })
            })
            .collect();
        Contents {
            keys,
            ids,
            candidates,
            memo: RefCell::new(BTreeMap::new()),
        }
    }

    /// The contents of class `class`'s rules in `d` that may cover content `narrow`.
    fn candidates(&self, class: usize, d: Direction, narrow: usize) -> Vec<usize> {
        let index = self.candidates.get(class).and_then(|c| c.get(d.index()));
        match (index, self.keys.rule(narrow)) {
            (Some(index), Some(rule)) => index.of(rule).collect(),
            _ => Vec::new(),
        }
    }

    /// The content ids of policy `p`'s rules in `d`.
    fn of(&self, p: usize, d: Direction) -> &[usize] {
        self.ids
            .get(p)
            .and_then(|both| both.get(d.index()))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether content `broad` allows everything content `narrow` allows.
    fn covers(&self, broad: usize, narrow: usize) -> bool {
        if let Some(known) = self.memo.borrow().get(&(broad, narrow)) {
            return *known;
        }
        let answer = match (self.keys.rule(broad), self.keys.rule(narrow)) {
            (Some(b), Some(n)) => rule_covers(b, n),
            _ => false,
        };
        self.memo.borrow_mut().insert((broad, narrow), answer);
        answer
    }
}

/// What the still-counted policies of one class hold in one direction.
#[derive(Clone, Default)]
struct Held {
    /// Policies applying to the direction.
    applying: usize,
    /// Of those, the ones without rules in it (they only isolate).
    only_isolating: usize,
    /// Rule content id → how many rules of those policies have it.
    rules: BTreeMap<usize, usize>,
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
    let mut held: Vec<[Held; 2]> = vec![Default::default(); coverage.class_count()];
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
                            // A copy of the rule held elsewhere settles it at once.
                            let held = |b: &usize| h.rules.contains_key(b);
                            (held(&narrow) && contents.covers(narrow, narrow))
                                || contents
                                    .candidates(c, d, narrow)
                                    .into_iter()
                                    .any(|b| held(&b) && contents.covers(b, narrow))
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
    let Some(class) = held.get_mut(cx.coverage.class_of(p)) else {
        return;
    };
    for d in Direction::BOTH
        .into_iter()
        .filter(|d| policy.applies_to(*d))
    {
        let Some(h) = class.get_mut(d.index()) else {
            continue;
        };
        let step = |n: &mut usize| *n = if add { *n + 1 } else { n.saturating_sub(1) };
        step(&mut h.applying);
        if policy.rules(d).is_empty() {
            step(&mut h.only_isolating);
        }
        for id in contents.of(p, d) {
            let n = h.rules.entry(*id).or_insert(0);
            step(n);
            if *n == 0 {
                h.rules.remove(id);
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

/// A rule's content id with where the rule is (policy, index in its direction).
type ContentAt = (usize, (usize, usize));

/// Of one class and direction: content id → the rules (policy, index) having it,
/// ascending.
type RulesByContent = SortedMap<usize, Vec<(usize, usize)>>;

/// Every rule of a policy not in `redundant` that another rule covers (same
/// direction, of a policy not in `redundant` selecting at least the same pods), with
/// the first such rule (by policy, then rule); of two equivalent rules only the
/// earlier counts as covering. In policy, direction and rule order.
pub fn covered_rules(
    cx: &Context,
    contents: &Contents,
    redundant: &[bool],
) -> Vec<(RuleAt, (usize, usize))> {
    let policies = &cx.model.policies;
    let coverage = &cx.coverage;
    let is_redundant = |p: usize| redundant.get(p).copied().unwrap_or(false);
    // Per class and direction: each rule's content id with the rule (policy, index).
    let mut rules: Vec<[Vec<ContentAt>; 2]> = vec![Default::default(); coverage.class_count()];
    for (q, policy) in policies
        .iter()
        .enumerate()
        .filter(|(q, _)| !is_redundant(*q))
    {
        let Some(class) = rules.get_mut(coverage.class_of(q)) else {
            continue;
        };
        for d in Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
        {
            for (j, id) in contents.of(q, d).iter().enumerate() {
                if let Some(by_content) = class.get_mut(d.index()) {
                    by_content.push((*id, (q, j)));
                }
            }
        }
    }
    let index: Vec<[RulesByContent; 2]> = rules
        .into_iter()
        .map(|both| both.map(SortedMap::grouped))
        .collect();
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
                let mut best: Option<(usize, usize)> = None;
                for &class in coverage.covering_classes(p) {
                    let Some(by_content) = index.get(class).and_then(|c| c.get(d.index())) else {
                        continue;
                    };
                    // Whether `p` selects at least the pods of this class's policies.
                    let mutual = coverage.class_covers(own_class, class);
                    for broad in contents.candidates(class, d, narrow) {
                        let Some(rules) = by_content.get(&broad) else {
                            continue;
                        };
                        if !contents.covers(broad, narrow) {
                            continue;
                        }
                        let equivalent = mutual && contents.covers(narrow, broad);
                        let candidate = if equivalent {
                            rules.first().filter(|first| **first < (p, i))
                        } else {
                            rules.iter().take(2).find(|at| **at != (p, i))
                        };
                        best = match (best, candidate) {
                            (Some(b), Some(c)) => Some(b.min(*c)),
                            (b, c) => b.or(c.copied()),
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
