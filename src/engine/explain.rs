//! Verdicts with their reasons: isolation per side, the rules that allowed the flow,
//! and for a denied side the closest rules with what did not match.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::endpoints::{EndpointRef, Family};
use super::eval::{self, View};
use super::mismatch::{write_peer_mismatch, write_ports_mismatch};
use super::query::Flow;
use super::reason::reason;
use super::tiers::explain::{annotate, tier_reason, Layer, TierStep, Uncertainty};
use super::Engine;
use crate::model::{path, Direction, NetworkPolicy, Protocol, Rule};
use crate::source::{SourceId, Span};

/// How many closest rules a denied side lists.
const CLOSEST_LIMIT: usize = 3;

/// A policy named in an explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRef {
    /// Index in `model.policies`.
    pub index: usize,
    /// The policy's namespace.
    pub namespace: String,
    /// The policy's name.
    pub name: String,
    /// Its source.
    pub source: SourceId,
    /// The policy object's bytes.
    pub span: Span,
}

/// A rule (and the peer and port entry that matched) named in an explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef {
    /// The policy.
    pub policy: PolicyRef,
    /// The rule's direction.
    pub direction: Direction,
    /// Index of the rule in `spec.ingress` / `spec.egress`.
    pub rule: usize,
    /// The peer that matched (`None`: the rule has no peers, or none matched).
    pub peer: Option<usize>,
    /// The port entry that matched (`None`: the rule has no ports, or none matched).
    pub port: Option<usize>,
    /// The most specific path: `spec.ingress[0].from[1]` when a peer matched, else
    /// `spec.ingress[0]`.
    pub path: String,
    /// The matching port entry's path (`spec.ingress[0].ports[2]`).
    pub port_path: Option<String>,
    /// The bytes `path` points at.
    pub span: Span,
    /// For a closest rule: what did not match.
    pub mismatch: Option<String>,
}

/// One direction's part of a verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideExplanation {
    /// Egress (at the source) or ingress (at the destination).
    pub direction: Direction,
    /// Whether this side is a pod or workload (`false`: an address outside the
    /// cluster, which no policy governs).
    pub in_cluster: bool,
    /// Whether some policy isolates this side in this direction.
    pub isolated: bool,
    /// Whether this side allows the flow.
    pub allowed: bool,
    /// The policies isolating it.
    pub isolated_by: Vec<PolicyRef>,
    /// The rules that allow the flow.
    pub allowed_by: Vec<RuleRef>,
    /// For a denied side, the rules that came closest, closest first.
    pub closest: Vec<RuleRef>,
    /// The cluster-wide tier rules met on the way, in order (empty without
    /// cluster-wide policies).
    pub tiers: Vec<TierStep>,
    /// Which layer decided (`None` without cluster-wide policies).
    pub layer: Option<Layer>,
}

/// The answer to one flow, with its explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The source's id.
    pub from: String,
    /// The destination's id.
    pub to: String,
    /// The protocol.
    pub protocol: Protocol,
    /// The port number.
    pub port: u16,
    /// The port name, when the flow named one.
    pub port_name: Option<String>,
    /// Whether the flow is allowed.
    pub allowed: bool,
    /// One sentence saying why.
    pub reason: String,
    /// Whether this is an endpoint talking to itself (always allowed).
    pub self_traffic: bool,
    /// The IP family the explanation is about, when addresses took part.
    pub family: Option<Family>,
    /// The source's egress side.
    pub egress: SideExplanation,
    /// The destination's ingress side.
    pub ingress: SideExplanation,
    /// Whether a side is a representative endpoint derived from selectors (see
    /// [`crate::engine::representatives`]).
    pub representative: bool,
    /// Set when the answer depends on DNS or on an undefined order (then `allowed` is
    /// `false`: the flow is not allowed for sure).
    pub uncertain: Option<Uncertainty>,
}

/// A reference to `model.policies[index]`.
pub(crate) fn policy_ref(index: usize, policy: &NetworkPolicy) -> PolicyRef {
    PolicyRef {
        index,
        namespace: policy.meta.namespace_name().into(),
        name: policy.meta.name.value.clone(),
        source: policy.meta.source,
        span: policy.meta.span,
    }
}

/// What one flow looks like from one side.
struct SideCtx<'v, 'a, 'm> {
    direction: Direction,
    at_ref: &'v EndpointRef,
    at: &'v View<'a, 'm>,
    peer: &'v View<'a, 'm>,
    peer_id: &'v str,
    dest_id: &'v str,
    protocol: Protocol,
    port: u16,
    /// Whether a denied side lists its closest rules.
    closest: bool,
}

/// See [`Engine::query`] (`closest`) and [`Engine::query_brief`].
pub(crate) fn verdict(engine: &Engine<'_>, flow: &Flow, closest: bool) -> Verdict {
    let from_id = engine.display(&flow.from);
    let to_id = engine.display(&flow.to);
    let families = eval::families(engine, &flow.from, &flow.to);
    let mut chosen: Option<(Option<Family>, SideExplanation, SideExplanation)> = None;
    let order = super::tiers::flow::first_order(engine, &flow.from, &flow.to);
    for family in families.iter().copied() {
        let (s, d) = (
            eval::view(engine, &flow.from, family),
            eval::view(engine, &flow.to, family),
        );
        let egress = explain_side(
            engine,
            &SideCtx {
                direction: Direction::Egress,
                at_ref: &flow.from,
                at: &s,
                peer: &d,
                peer_id: &to_id,
                dest_id: &to_id,
                protocol: flow.protocol,
                port: flow.port,
                closest,
            },
        );
        let ingress = explain_side(
            engine,
            &SideCtx {
                direction: Direction::Ingress,
                at_ref: &flow.to,
                at: &d,
                peer: &s,
                peer_id: &from_id,
                dest_id: &to_id,
                protocol: flow.protocol,
                port: flow.port,
                closest,
            },
        );
        let (egress, ingress) = match &order {
            Some(order) => (
                annotate(
                    engine,
                    order,
                    &flow.from,
                    egress,
                    &s,
                    &d,
                    flow.protocol,
                    flow.port,
                ),
                annotate(
                    engine,
                    order,
                    &flow.to,
                    ingress,
                    &d,
                    &s,
                    flow.protocol,
                    flow.port,
                ),
            ),
            None => (egress, ingress),
        };
        let allowed = egress.allowed && ingress.allowed;
        if chosen.is_none() || allowed {
            chosen = Some((family, egress, ingress));
        }
        if allowed {
            break;
        }
    }
    let (family, egress, ingress) = chosen.unwrap_or_else(|| {
        (
            None,
            open_side(Direction::Egress, false),
            open_side(Direction::Ingress, false),
        )
    });
    let self_traffic = eval::is_self(&flow.from, &flow.to);
    let uncertain = if self_traffic || order.is_none() {
        None
    } else {
        let sets = engine.flow_sets(&flow.from, &flow.to);
        sets.uncertain()
            .allows(flow.protocol, flow.port)
            .then_some(Uncertainty {
                dns: sets.dns,
                order: sets.order,
            })
    };
    let allowed = self_traffic || (egress.allowed && ingress.allowed && uncertain.is_none());
    let mut reason = reason(flow, &from_id, &to_id, self_traffic, &egress, &ingress);
    if let Some(u) = &uncertain {
        reason = tier_reason(u, &reason);
    }
    Verdict {
        from: from_id,
        to: to_id,
        protocol: flow.protocol,
        port: flow.port,
        port_name: flow.port_name.clone(),
        allowed,
        reason,
        self_traffic,
        family,
        egress,
        ingress,
        representative: [&flow.from, &flow.to]
            .into_iter()
            .any(|side| engine.is_representative(side)),
        uncertain,
    }
}

/// A side no policy governs.
fn open_side(direction: Direction, in_cluster: bool) -> SideExplanation {
    SideExplanation {
        direction,
        in_cluster,
        isolated: false,
        allowed: true,
        isolated_by: Vec::new(),
        allowed_by: Vec::new(),
        closest: Vec::new(),
        tiers: Vec::new(),
        layer: None,
    }
}

/// Explains one side in one family.
fn explain_side(engine: &Engine<'_>, ctx: &SideCtx<'_, '_, '_>) -> SideExplanation {
    let in_cluster = matches!(ctx.at_ref, EndpointRef::Endpoint(_));
    let Some(policies) = eval::isolating(engine, ctx.at_ref, ctx.direction) else {
        return open_side(ctx.direction, in_cluster);
    };
    let mut side = open_side(ctx.direction, in_cluster);
    side.isolated = true;
    let mut misses: Vec<(u8, Hit)> = Vec::new();
    for &p in policies {
        let index = p as usize;
        let Some(policy) = engine.model.policies.get(index) else {
            continue;
        };
        side.isolated_by.push(policy_ref(index, policy));
        for (r, rule) in policy.rules(ctx.direction).iter().enumerate() {
            let hit = match_rule(index, policy, r, rule, ctx);
            match hit.score() {
                None => side.allowed_by.push(rule_ref(policy, rule, &hit, ctx)),
                Some(score) => misses.push((score, hit)),
            }
        }
    }
    side.allowed = !side.allowed_by.is_empty();
    if !side.allowed && ctx.closest {
        crate::order::sort_by_key(&mut misses, |(score, _)| *score);
        side.closest = misses
            .iter()
            .take(CLOSEST_LIMIT)
            .filter_map(|(_, hit)| {
                let policy = engine.model.policies.get(hit.policy)?;
                let rule = policy.rules(ctx.direction).get(hit.rule)?;
                Some(RuleRef {
                    mismatch: Some(mismatch_text(policy, rule, hit, ctx)),
                    ..rule_ref(policy, rule, hit, ctx)
                })
            })
            .collect();
    }
    side
}

/// How one rule fared against a flow (cheap: no text yet).
struct Hit {
    policy: usize,
    rule: usize,
    /// The first matching peer.
    peer: Option<usize>,
    /// The first matching port entry.
    port: Option<usize>,
    peer_ok: bool,
    port_ok: bool,
}

impl Hit {
    /// `None` when the rule matched; else its closeness (0 = only the port failed,
    /// 1 = only the peer, 2 = both).
    fn score(&self) -> Option<u8> {
        match (self.peer_ok, self.port_ok) {
            (true, true) => None,
            (true, false) => Some(0),
            (false, true) => Some(1),
            (false, false) => Some(2),
        }
    }
}

/// Matches one rule of `model.policies[index]` against the flow.
fn match_rule(
    index: usize,
    policy: &NetworkPolicy,
    r: usize,
    rule: &Rule,
    ctx: &SideCtx<'_, '_, '_>,
) -> Hit {
    let peers = rule.peer_list();
    let peer = peers
        .iter()
        .position(|p| eval::peer_matches(policy, p, ctx.peer));
    let entries = rule.port_list();
    let dest = eval::destination(ctx.direction, ctx.at, ctx.peer);
    let port = entries
        .iter()
        .position(|e| eval::entry_allows(e, dest, ctx.protocol, ctx.port));
    Hit {
        policy: index,
        rule: r,
        peer,
        port,
        peer_ok: peers.is_empty() || peer.is_some(),
        port_ok: entries.is_empty() || port.is_some(),
    }
}

/// The reference to a matched (or closest) rule: the matching peer's path when
/// there is one, else the rule's.
fn rule_ref(policy: &NetworkPolicy, rule: &Rule, hit: &Hit, ctx: &SideCtx<'_, '_, '_>) -> RuleRef {
    let peer = hit
        .peer
        .and_then(|k| rule.peer_list().get(k).map(|p| (k, p)));
    let (path, span) = match peer {
        Some((k, p)) => (path::peer(ctx.direction, hit.rule, k), p.span()),
        None => (path::rule(ctx.direction, hit.rule), rule.span),
    };
    RuleRef {
        policy: policy_ref(hit.policy, policy),
        direction: ctx.direction,
        rule: hit.rule,
        peer: hit.peer,
        port: hit.port,
        path,
        port_path: hit.port.map(|k| path::port(ctx.direction, hit.rule, k)),
        span,
        mismatch: None,
    }
}

/// What did not match in a rule that did not allow the flow: each peer's reason
/// (`from[0]: ...; from[1]: ...`), then the ports'.
fn mismatch_text(
    policy: &NetworkPolicy,
    rule: &Rule,
    hit: &Hit,
    ctx: &SideCtx<'_, '_, '_>,
) -> String {
    let mut out = String::with_capacity(256);
    if !hit.peer_ok {
        for (k, peer) in rule.peer_list().iter().enumerate() {
            if k > 0 {
                out.push_str("; ");
            }
            // Writing into a String cannot fail.
            let _ = write!(out, "{}[{k}]: ", ctx.direction.peer_field());
            write_peer_mismatch(&mut out, policy, peer, ctx.peer, ctx.peer_id);
        }
    }
    if !hit.port_ok {
        out.push_str(if hit.peer_ok {
            "peer matched but "
        } else {
            "; and "
        });
        let dest = eval::destination(ctx.direction, ctx.at, ctx.peer);
        write_ports_mismatch(
            &mut out,
            rule.port_list(),
            dest,
            ctx.dest_id,
            ctx.protocol,
            ctx.port,
        );
    }
    out
}
