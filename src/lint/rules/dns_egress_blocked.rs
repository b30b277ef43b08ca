//! `dns-egress-blocked`: egress-isolated pods with no allowed egress to port 53 on
//! UDP and TCP.

use crate::sorted::SortedMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::{rule_allows, DNS_PORT};
use crate::model::{Direction, NetworkPolicy, Protocol};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "dns-egress-blocked",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Set,
    summary: "egress-isolated pods with no allowed egress to port 53 on UDP and TCP; the message says which protocol is missing",
    rationale: "Once egress is isolated, name resolution is denied unless a rule allows it: every lookup times out and the application fails in ways that rarely point at the policy. DNS uses UDP and falls back to TCP for large answers, so both are needed.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-egress\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: api\n      ports:\n        - port: 8080\n",
    fix: "Add an egress rule to the cluster DNS on port 53 for UDP and TCP (an allow-DNS policy with `podSelector: {}` covers the whole namespace).",
};

/// Checks the rule: per egress-isolating policy, with the pods of the input it
/// selects when there are some (each must get DNS from a policy selecting it), else
/// on the manifests (a policy selecting at least the same pods must allow DNS). A
/// policy whose pods are already reported through a broader policy (a default deny)
/// missing the same protocols is not reported again.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let policies = &cx.model.policies;
    let allows_by_class = dns_by_class(cx);
    let blocked: SortedMap<usize, Vec<Protocol>> = policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.applies_to(Direction::Egress))
        .map(|(index, _)| {
            let missing = DNS_PROTOCOLS
                .into_iter()
                .filter(|p| !dns_allowed(cx, &allows_by_class, index, *p))
                .collect();
            (index, missing)
        })
        .filter(|(_, missing): &(usize, Vec<Protocol>)| !missing.is_empty())
        .collect();
    let earliest = earliest_blocked(cx, &blocked);
    for (index, missing) in &blocked {
        let Some(policy) = policies.get(*index) else {
            continue;
        };
        if reported_through_broader(cx, &earliest, *index, missing) {
            continue;
        }
        let what = match missing.as_slice() {
            [p] => format!("on `{}`", p.as_str()),
            _ => String::from("on `UDP` or `TCP`"),
        };
        let message = format!(
            "pods selected by policy {} are egress-isolated with no egress to DNS (port 53) allowed {what}",
            object_name(&policy.meta)
        );
        let (span, field) = match (&policy.egress, &policy.policy_types) {
            (Some(egress), _) => (egress.span, "spec.egress"),
            (None, Some(types)) => (types.span, "spec.policyTypes"),
            (None, None) => (policy.spec_span, "spec"),
        };
        out.push(
            finding(&DOC, &policy.meta, span, field, message)
                .with_help("allow egress to the cluster DNS on port 53 for UDP and TCP"),
        );
    }
}

/// The protocols DNS needs, in message order.
const DNS_PROTOCOLS: [Protocol; 2] = [Protocol::Udp, Protocol::Tcp];

/// A set of [`DNS_PROTOCOLS`] as bits (`1`: UDP, `2`: TCP).
fn mask(protocols: &[Protocol]) -> usize {
    DNS_PROTOCOLS
        .iter()
        .enumerate()
        .filter(|(_, p)| protocols.contains(p))
        .map(|(bit, _)| 1 << bit)
        .sum()
}

/// Per selector class: whether one of its policies applying to egress allows DNS,
/// per protocol of [`DNS_PROTOCOLS`].
fn dns_by_class(cx: &Context) -> Vec<[bool; 2]> {
    let mut allows = alloc::vec![[false; 2]; cx.coverage.class_count()];
    for (index, policy) in cx.model.policies.iter().enumerate() {
        if !policy.applies_to(Direction::Egress) {
            continue;
        }
        if let Some(class) = allows.get_mut(cx.coverage.class_of(index)) {
            for (slot, protocol) in class.iter_mut().zip(DNS_PROTOCOLS) {
                *slot = *slot || allows_dns(policy, protocol);
            }
        }
    }
    allows
}

/// Per selector class and set of missing protocols ([`mask`]): the first blocked
/// policy of the class missing exactly those.
fn earliest_blocked(
    cx: &Context,
    blocked: &SortedMap<usize, Vec<Protocol>>,
) -> Vec<[Option<usize>; 4]> {
    let mut earliest = alloc::vec![[None; 4]; cx.coverage.class_count()];
    for (index, missing) in blocked {
        let slot = earliest
            .get_mut(cx.coverage.class_of(*index))
            .and_then(|class: &mut [Option<usize>; 4]| class.get_mut(mask(missing)));
        if let Some(slot) = slot {
            slot.get_or_insert(*index);
        }
    }
    earliest
}

/// Whether another blocked policy selects (at least) the pods of `index` and misses
/// (at least) the same protocols; of two policies selecting the same pods, the
/// earlier one is reported.
fn reported_through_broader(
    cx: &Context,
    earliest: &[[Option<usize>; 4]],
    index: usize,
    missing: &[Protocol],
) -> bool {
    let own = cx.coverage.class_of(index);
    let wanted = mask(missing);
    cx.coverage.covering_classes(index).iter().any(|&class| {
        let mutual = cx.coverage.class_covers(own, class);
        earliest.get(class).is_some_and(|by_mask| {
            by_mask.iter().enumerate().any(|(m, first)| {
                m & wanted == wanted
                    && first.is_some_and(|other| other != index && (!mutual || other < index))
            })
        })
    })
}

/// Whether DNS on `protocol` is allowed to the pods policy `index` selects.
fn dns_allowed(
    cx: &Context,
    allows_by_class: &[[bool; 2]],
    index: usize,
    protocol: Protocol,
) -> bool {
    let selected = cx.engine.selected_endpoints(index);
    if selected.is_empty() {
        let slot = DNS_PROTOCOLS.iter().position(|p| *p == protocol);
        return cx
            .coverage
            .covering_classes(index)
            .iter()
            .filter_map(|class| allows_by_class.get(*class))
            .any(|allows| slot.and_then(|s| allows.get(s)).copied().unwrap_or(false));
    }
    selected.iter().all(|id| {
        cx.engine
            .policies_for(*id, Direction::Egress)
            .iter()
            .filter_map(|q| cx.model.policies.get(*q as usize))
            .any(|q| allows_dns(q, protocol))
    })
}

/// Whether some egress rule of `policy` allows port 53 on `protocol`.
fn allows_dns(policy: &NetworkPolicy, protocol: Protocol) -> bool {
    policy
        .rules(Direction::Egress)
        .iter()
        .any(|r| rule_allows(r, protocol, DNS_PORT))
}
