//! The tiers' part of an explanation: for one port, which tier rule each side met, in
//! order, and which layer decided ("Pass in admin `x` rule 2 → allowed by
//! NetworkPolicy `ns/y`").

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::super::endpoints::EndpointRef;
use super::super::eval::{destination, isolating, View};
use super::flow::{selecting, Order};
use super::walk::{rule_match, rule_ports, Match};
use super::{tier_name, Action, Tier, Tiers};
use crate::model::{Direction, Protocol};
use crate::source::{SourceId, Span};

/// One tier rule an explanation names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierStep {
    /// The tier.
    pub tier: Tier,
    /// `ClusterNetworkPolicy`, `AdminNetworkPolicy` or `BaselineAdminNetworkPolicy`.
    pub kind: String,
    /// The policy's name.
    pub policy: String,
    /// The policy's priority.
    pub priority: i64,
    /// The rule's index in `spec.ingress` / `spec.egress`.
    pub rule: usize,
    /// The rule's `name`, if it has one.
    pub rule_name: Option<String>,
    /// The rule's action.
    pub action: Action,
    /// Whether the rule matches only if DNS resolves one of its `domainNames` to the
    /// address (then the walk also goes on as if it did not match).
    pub depends_on_dns: bool,
    /// The policy's source.
    pub source: SourceId,
    /// The rule's bytes.
    pub span: Span,
}

/// Which layer decided one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// An Admin tier rule (Accept or Deny).
    Admin,
    /// The NetworkPolicies isolating the pod.
    NetworkPolicy,
    /// A Baseline tier rule (Accept or Deny).
    Baseline,
    /// Nothing decided: allowed by default.
    Default,
}

impl Layer {
    /// `admin`, `networkPolicy`, `baseline` or `default`, as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Admin => "admin",
            Layer::NetworkPolicy => "networkPolicy",
            Layer::Baseline => "baseline",
            Layer::Default => "default",
        }
    }
}

/// One side's walk for one port: the steps met, and who decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SideChain {
    pub steps: Vec<TierStep>,
    pub layer: Layer,
    /// The decision, when a tier rule decided (`None` for the NetworkPolicy layer,
    /// whose answer the caller has).
    pub allowed: Option<bool>,
}

/// Walks one tier for one port; returns the decisive step's action if one decided.
fn walk_port(
    tiers: &Tiers,
    (tier, order): (Tier, &[u32]),
    direction: Direction,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
    (protocol, port): (Protocol, u16),
    steps: &mut Vec<TierStep>,
) -> Option<Action> {
    let dest = destination(direction, at, peer);
    let index = direction.index();
    for &p in order {
        let Some(policy) = tiers.policy(p) else {
            continue;
        };
        for (r, rule) in policy.rules.get(index).into_iter().flatten().enumerate() {
            let matched = rule_match(tiers, rule, peer);
            if matched == Match::No || !rule_ports(rule, dest).allows(protocol, port) {
                continue;
            }
            steps.push(TierStep {
                tier,
                kind: policy.kind.into(),
                policy: policy.name.clone(),
                priority: policy.priority,
                rule: r,
                rule_name: rule.name.clone(),
                action: rule.action,
                depends_on_dns: matched == Match::Dns,
                source: policy.source,
                span: rule.span,
            });
            if matched == Match::Yes {
                return Some(rule.action);
            }
        }
    }
    None
}

/// The chain of one side for one port in `order`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn side_chain(
    engine: &super::super::Engine<'_>,
    order: &Order,
    at_ref: &EndpointRef,
    direction: Direction,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
    protocol: Protocol,
    port: u16,
) -> SideChain {
    let tiers = &engine.tiers;
    let mut steps = Vec::new();
    if at.ep.is_none() {
        return SideChain {
            steps,
            layer: Layer::Default,
            allowed: Some(true),
        };
    }
    let sel = selecting(tiers, at_ref);
    let admin = order.of(Tier::Admin, sel);
    match walk_port(
        tiers,
        (Tier::Admin, &admin),
        direction,
        at,
        peer,
        (protocol, port),
        &mut steps,
    ) {
        Some(Action::Accept) => {
            return SideChain {
                steps,
                layer: Layer::Admin,
                allowed: Some(true),
            }
        }
        Some(Action::Deny) => {
            return SideChain {
                steps,
                layer: Layer::Admin,
                allowed: Some(false),
            }
        }
        Some(Action::Pass) | None => {}
    }
    if isolating(engine, at_ref, direction).is_some() {
        return SideChain {
            steps,
            layer: Layer::NetworkPolicy,
            allowed: None,
        };
    }
    let baseline = order.of(Tier::Baseline, sel);
    match walk_port(
        tiers,
        (Tier::Baseline, &baseline),
        direction,
        at,
        peer,
        (protocol, port),
        &mut steps,
    ) {
        Some(Action::Accept) => SideChain {
            steps,
            layer: Layer::Baseline,
            allowed: Some(true),
        },
        Some(Action::Deny) => SideChain {
            steps,
            layer: Layer::Baseline,
            allowed: Some(false),
        },
        Some(Action::Pass) | None => SideChain {
            steps,
            layer: Layer::Default,
            allowed: Some(true),
        },
    }
}

/// "Pass in admin `x` rule 2" for one step.
pub(crate) fn step_text(step: &TierStep) -> String {
    let name = match &step.rule_name {
        Some(n) => format!(" ({n})"),
        None => String::new(),
    };
    let dns = if step.depends_on_dns {
        ", if DNS resolves its domainNames here"
    } else {
        ""
    };
    format!(
        "{} in {} `{}` rule {}{}{}",
        step.action.as_str(),
        tier_name(step.tier),
        step.policy,
        step.rule,
        name,
        dns
    )
}

/// Why a flow has no definite answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uncertainty {
    /// The answer depends on what DNS resolves a `domainNames` peer to.
    pub dns: bool,
    /// The answer depends on the order of equal-priority policies of one tier, which
    /// the API leaves undefined.
    pub order: bool,
}

/// `side` (the NetworkPolicy explanation of one side in one family) with the tiers'
/// chain for `protocol`/`port` in `order`: the steps, the deciding layer, and the
/// answer when a tier rule or the default decided.
#[allow(clippy::too_many_arguments)]
pub(crate) fn annotate(
    engine: &super::super::Engine<'_>,
    order: &Order,
    at_ref: &EndpointRef,
    mut side: super::super::SideExplanation,
    at: &View<'_, '_>,
    peer: &View<'_, '_>,
    protocol: Protocol,
    port: u16,
) -> super::super::SideExplanation {
    if at.ep.is_none() {
        return side;
    }
    let chain = side_chain(
        engine,
        order,
        at_ref,
        side.direction,
        at,
        peer,
        protocol,
        port,
    );
    if let Some(allowed) = chain.allowed {
        side.allowed = allowed;
        side.allowed_by.clear();
        side.closest.clear();
    }
    side.tiers = chain.steps;
    side.layer = Some(chain.layer);
    side
}

/// One side's sentence with the tiers' chain around `text` (the NetworkPolicy
/// sentence, or just "egress from `x`" when a tier or the default decided).
pub(crate) fn chain_text(side: &super::super::SideExplanation, text: String) -> String {
    let Some(layer) = side.layer else {
        return text;
    };
    let steps: Vec<String> = side.tiers.iter().map(step_text).collect();
    let chain = steps.join(" → ");
    match layer {
        Layer::Admin | Layer::Baseline => format!("{text}: {chain}"),
        Layer::NetworkPolicy if steps.is_empty() => text,
        Layer::NetworkPolicy => format!("{chain} → {text}"),
        Layer::Default if steps.is_empty() => format!(
            "{text} is allowed by default (no tier rule matches and no NetworkPolicy isolates it)"
        ),
        Layer::Default => {
            format!("{text}: {chain} → allowed by default (no NetworkPolicy isolates it)")
        }
    }
}

/// The reason of a flow without a definite answer.
pub(crate) fn tier_reason(uncertainty: &Uncertainty, reason: &str) -> String {
    let mut why = Vec::new();
    if uncertainty.dns {
        why.push("depends on DNS (a `domainNames` peer may resolve to this address)");
    }
    if uncertainty.order {
        why.push("depends on the order of equal-priority policies, which the API leaves undefined");
    }
    format!(
        "uncertain: {}; in one possible case: {reason}",
        why.join(" and ")
    )
}
