//! Both sides of a flow through the tiers and the NetworkPolicies, in every order the
//! priorities allow and every IP family, as port sets.

use alloc::vec;
use alloc::vec::Vec;

use super::super::endpoints::EndpointRef;
use super::super::eval::{families, isolating, side_view_ports, view, View};
use super::super::ports::ProtocolPorts;
use super::super::Engine;
use super::walk::walk;
use super::{Tier, Tiers};
use crate::model::Direction;

/// How many orders of equal-priority policies one flow may try; beyond it the
/// policies keep their input order and the flow is reported as order-dependent.
const MAX_ORDERS: usize = 5040;

/// The possible answers for every port of a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowSets {
    /// Ports allowed in some possible world.
    pub allow: ProtocolPorts,
    /// Ports denied in some possible world.
    pub deny: ProtocolPorts,
    /// Whether what DNS answers for a `domainNames` peer takes part.
    pub dns: bool,
    /// Whether the order of equal-priority policies takes part.
    pub order: bool,
}

impl FlowSets {
    /// Ports allowed in every world.
    pub fn allowed(&self) -> ProtocolPorts {
        self.allow.difference(&self.deny)
    }

    /// Ports allowed in some worlds and denied in others.
    pub fn uncertain(&self) -> ProtocolPorts {
        self.allow.intersect(&self.deny)
    }
}

/// One evaluation order per tier: policy indices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Order {
    pub admin: Vec<u32>,
    pub baseline: Vec<u32>,
}

impl Order {
    /// The policies of `tier` in this order that `selecting` holds.
    pub fn of(&self, tier: Tier, selecting: &[u32]) -> Vec<u32> {
        let list = match tier {
            Tier::Admin => &self.admin,
            Tier::Baseline => &self.baseline,
        };
        list.iter()
            .copied()
            .filter(|p| selecting.contains(p))
            .collect()
    }
}

/// The policies selecting `endpoint`.
pub(crate) fn selecting<'t>(tiers: &'t Tiers, endpoint: &EndpointRef) -> &'t [u32] {
    match endpoint {
        EndpointRef::Endpoint(id) => tiers.selecting.get(id.index()).map_or(&[], Vec::as_slice),
        EndpointRef::External(_) => &[],
    }
}

/// Every order of the policies selecting `from` or `to` that the priorities allow
/// (equal priorities permuted only when two of them select one endpoint), and whether
/// the list was cut at [`MAX_ORDERS`].
pub(crate) fn orders(tiers: &Tiers, from: &EndpointRef, to: &EndpointRef) -> (Vec<Order>, bool) {
    let (a, b) = (selecting(tiers, from), selecting(tiers, to));
    let mut per_tier: Vec<Vec<Vec<u32>>> = Vec::new();
    let mut cut = false;
    for tier in [Tier::Admin, Tier::Baseline] {
        // `selecting` lists are sorted by (tier, priority, index): merge them.
        let mut relevant: Vec<u32> = a.iter().chain(b).copied().collect();
        crate::order::sort_by_key(&mut relevant, |&i| {
            tiers.policy(i).map(|p| (p.tier, p.priority, i))
        });
        relevant.dedup();
        relevant.retain(|&i| tiers.policy(i).is_some_and(|p| p.tier == tier));
        let mut orders: Vec<Vec<u32>> = vec![Vec::new()];
        let mut start = 0;
        while start < relevant.len() {
            let priority = tiers
                .policy(relevant.get(start).copied().unwrap_or(0))
                .map(|p| p.priority);
            let mut end = start;
            while end < relevant.len()
                && tiers
                    .policy(relevant.get(end).copied().unwrap_or(0))
                    .map(|p| p.priority)
                    == priority
            {
                end += 1;
            }
            let group = relevant.get(start..end).unwrap_or(&[]);
            let overlapping = group.len() > 1
                && [a, b]
                    .iter()
                    .any(|sel| group.iter().filter(|p| sel.contains(p)).count() > 1);
            let variants = if overlapping {
                permutations(group)
            } else {
                vec![group.to_vec()]
            };
            if orders.len() * variants.len() > MAX_ORDERS {
                cut = true;
                for order in &mut orders {
                    order.extend_from_slice(group);
                }
            } else {
                let mut next = Vec::with_capacity(orders.len() * variants.len());
                for order in &orders {
                    for variant in &variants {
                        let mut o = order.clone();
                        o.extend_from_slice(variant);
                        next.push(o);
                    }
                }
                orders = next;
            }
            start = end;
        }
        per_tier.push(orders);
    }
    let mut out = Vec::new();
    let (admin, baseline) = match per_tier.as_slice() {
        [admin, baseline] => (admin.clone(), baseline.clone()),
        _ => (vec![Vec::new()], vec![Vec::new()]),
    };
    for a in &admin {
        for b in &baseline {
            if out.len() >= MAX_ORDERS {
                cut = true;
                break;
            }
            out.push(Order {
                admin: a.clone(),
                baseline: b.clone(),
            });
        }
    }
    (out, cut)
}

/// Every permutation of `items`.
fn permutations(items: &[u32]) -> Vec<Vec<u32>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for (i, first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, *first);
            out.push(tail);
        }
    }
    out
}

/// One side in one order and family: (possibly allowed, possibly denied, dns).
pub(crate) fn side(
    engine: &Engine<'_>,
    order: &Order,
    at_ref: &EndpointRef,
    direction: Direction,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
) -> (ProtocolPorts, ProtocolPorts, bool) {
    if at.ep.is_none() {
        return (ProtocolPorts::all(), ProtocolPorts::none(), false);
    }
    let tiers = &engine.tiers;
    let sel = selecting(tiers, at_ref);
    let admin = walk(tiers, &order.of(Tier::Admin, sel), direction, at, peer);
    let (lower_allow, lower_deny, lower_dns) = if isolating(engine, at_ref, direction).is_some() {
        let np = side_view_ports(engine, at_ref, direction, at, peer);
        let denied = ProtocolPorts::all().difference(&np);
        (np, denied, false)
    } else {
        let baseline = walk(tiers, &order.of(Tier::Baseline, sel), direction, at, peer);
        (
            baseline.accept.union(&baseline.next),
            baseline.deny,
            baseline.dns,
        )
    };
    let allow = admin.accept.union(&admin.next.intersect(&lower_allow));
    let deny = admin.deny.union(&admin.next.intersect(&lower_deny));
    (allow, deny, admin.dns || lower_dns)
}

/// The flow `from` → `to` (not self traffic) through every layer.
pub(crate) fn flow_sets(engine: &Engine<'_>, from: &EndpointRef, to: &EndpointRef) -> FlowSets {
    let (orders, cut) = orders(&engine.tiers, from, to);
    let families = families(engine, from, to);
    let mut out = FlowSets {
        allow: ProtocolPorts::none(),
        deny: ProtocolPorts::none(),
        dns: false,
        order: cut,
    };
    let mut first: Option<(ProtocolPorts, ProtocolPorts)> = None;
    for order in &orders {
        let mut allow = ProtocolPorts::none();
        let mut deny = ProtocolPorts::all();
        for family in families.iter().copied() {
            let (s, d) = (view(engine, from, family), view(engine, to, family));
            let (ea, ed, edns) = side(engine, order, from, Direction::Egress, &s, &d);
            let (ia, id, idns) = side(engine, order, to, Direction::Ingress, &d, &s);
            allow = allow.union(&ea.intersect(&ia));
            deny = deny.intersect(&ed.union(&id));
            out.dns |= edns || idns;
        }
        match &first {
            None => first = Some((allow.clone(), deny.clone())),
            Some((a, d)) => out.order |= *a != allow || *d != deny,
        }
        out.allow = out.allow.union(&allow);
        out.deny = out.deny.union(&deny);
    }
    if out.uncertain().is_empty() {
        out.dns = false;
        out.order = false;
    }
    out
}

/// The first order of [`orders`] for an explanation, or `None` without cluster-wide
/// policies.
pub(crate) fn first_order(
    engine: &Engine<'_>,
    from: &EndpointRef,
    to: &EndpointRef,
) -> Option<Order> {
    if engine.tiers.is_empty() {
        return None;
    }
    orders(&engine.tiers, from, to).0.into_iter().next()
}
