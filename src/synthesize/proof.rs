//! The proof: the synthesized policies, evaluated together with the inputs by the
//! engine, allow every required flow and no forbidden one; and what they allow
//! beyond the requirements, with the reason each exists.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::groups::Groups;
use super::plan::{Peer, Plan, RulePlan};
use super::{Requirement, Requirements, SynthesisError};
use crate::engine::{ClassVerdicts, EndpointId, EndpointRef, Engine};
use crate::model::{Direction, Labels, Protocol};

/// How many pairs of one rule the proof evaluates one by one; beyond that the count
/// is a lower bound.
const PAIRS_CHECKED: usize = 32;

/// Connections one rule allows beyond the requirements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Beyond {
    /// The policy (`ns/name`).
    pub policy: String,
    /// The rule's direction.
    pub direction: Direction,
    /// The index of the rule in its direction.
    pub rule: usize,
    /// The ports of the rule (`TCP/8080`).
    pub ports: Vec<String>,
    /// Endpoint pairs the rule allows that no requirement names.
    pub pairs: usize,
    /// Whether `pairs` is exact (false: a lower bound, the rule matches many pairs).
    pub exact: bool,
    /// One such pair, `from -> to`.
    pub example: String,
    /// Why the rule allows more than was required.
    pub reason: String,
}

/// What the engine found about the synthesized policies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Proof {
    /// Required flows, and how many the policies allow (all of them, or synthesis fails).
    pub required: usize,
    /// Required flows allowed.
    pub allowed: usize,
    /// Forbidden flows, and how many the policies deny.
    pub forbidden: usize,
    /// Forbidden flows denied.
    pub denied: usize,
    /// What the rules allow beyond the requirements.
    pub beyond: Vec<Beyond>,
}

/// The endpoints of `after` that the endpoints of `before` are (by id), resolved once.
pub(super) struct Remap(Vec<Option<EndpointRef>>);

impl Remap {
    pub(super) fn new(before: &Engine<'_>, after: &Engine<'_>) -> Remap {
        Remap(
            before
                .endpoints()
                .iter()
                .map(|e| after.resolve(&e.id).ok())
                .collect(),
        )
    }

    /// The endpoint of `after` that `end` (of `before`) is.
    fn get(&self, end: &EndpointRef) -> Option<EndpointRef> {
        match end {
            EndpointRef::External(_) => Some(*end),
            EndpointRef::Endpoint(id) => self.0.get(id.index()).copied().flatten(),
        }
    }
}

/// Checks `requirements` on `after` (the inputs with the synthesized policies);
/// `before` is the engine the requirements were resolved on. The flows are asked of
/// `after` by endpoint class ([`Engine::class_verdicts`]): the pairs of one rule's
/// groups share their answers.
pub fn prove(
    before: &Engine<'_>,
    after: &Engine<'_>,
    groups: &Groups,
    requirements: &Requirements,
    plan: &Plan,
) -> Result<Proof, SynthesisError> {
    let mut proof = Proof {
        required: requirements.allow.len(),
        forbidden: requirements.deny.len(),
        ..Proof::default()
    };
    let remap = Remap::new(before, after);
    let verdicts = after.class_verdicts();
    let allows = |r: &Requirement| -> Option<bool> {
        let from = remap.get(&r.from)?;
        let to = remap.get(&r.to)?;
        Some(verdicts.allows(&from, &to, r.protocol, r.port))
    };
    for required in &requirements.allow {
        if allows(required) == Some(true) {
            proof.allowed += 1;
        } else {
            return Err(SynthesisError::new(format!(
                "the synthesized policies do not allow {} -> {} on {}/{} ({})",
                before.display(&required.from),
                before.display(&required.to),
                required.protocol.as_str(),
                required.port,
                required.origin
            )));
        }
    }
    for forbidden in &requirements.deny {
        if allows(forbidden) == Some(false) {
            proof.denied += 1;
        } else {
            return Err(inexpressible(
                before,
                after,
                &remap,
                groups,
                requirements,
                forbidden,
            ));
        }
    }
    proof.beyond = beyond(before, &verdicts, &remap, groups, requirements, plan);
    Ok(proof)
}

/// Why a forbidden flow is allowed: a required flow between pods the selectors cannot
/// tell apart from the forbidden ones, or a policy of the inputs.
fn inexpressible(
    before: &Engine<'_>,
    after: &Engine<'_>,
    remap: &Remap,
    groups: &Groups,
    requirements: &Requirements,
    forbidden: &Requirement,
) -> SynthesisError {
    let key = |end: &EndpointRef| match end {
        EndpointRef::Endpoint(id) => groups.key(*id).cloned(),
        EndpointRef::External(_) => None,
    };
    let same_group =
        |a: &EndpointRef, b: &EndpointRef| a == b || (key(a).is_some() && key(a) == key(b));
    let show = |e: &EndpointRef| before.display(e);
    if let Some(required) = requirements.allow.iter().find(|r| {
        r.protocol == forbidden.protocol
            && r.port == forbidden.port
            && same_group(&r.from, &forbidden.from)
            && same_group(&r.to, &forbidden.to)
    }) {
        let mut twins = Vec::new();
        if required.from != forbidden.from {
            twins.push(format!(
                "{} and {}",
                show(&required.from),
                show(&forbidden.from)
            ));
        }
        if required.to != forbidden.to {
            twins.push(format!(
                "{} and {}",
                show(&required.to),
                show(&forbidden.to)
            ));
        }
        return SynthesisError::new(format!(
            "cannot be expressed: {} -> {} on {}/{} must be allowed ({}) but {} -> {} must be denied ({}), and pod selectors cannot tell {} apart (identical labels)",
            show(&required.from),
            show(&required.to),
            required.protocol.as_str(),
            required.port,
            required.origin,
            show(&forbidden.from),
            show(&forbidden.to),
            forbidden.origin,
            twins.join(", nor ")
        ));
    }
    let reason = match (remap.get(&forbidden.from), remap.get(&forbidden.to)) {
        (Some(from), Some(to)) => {
            after
                .query(&crate::engine::Flow::new(
                    from,
                    to,
                    forbidden.protocol,
                    forbidden.port,
                ))
                .reason
        }
        _ => String::from("an endpoint is no longer found"),
    };
    SynthesisError::new(format!(
        "cannot be expressed: {} -> {} on {}/{} must be denied ({}) but stays allowed: {reason}",
        show(&forbidden.from),
        show(&forbidden.to),
        forbidden.protocol.as_str(),
        forbidden.port,
        forbidden.origin
    ))
}

/// Per rule that decides a connection on its own (ingress rules; egress rules to
/// addresses or to namespaces without synthesized policies), the pairs it allows
/// that no requirement names.
fn beyond(
    before: &Engine<'_>,
    after: &ClassVerdicts<'_, '_>,
    remap: &Remap,
    groups: &Groups,
    requirements: &Requirements,
    plan: &Plan,
) -> Vec<Beyond> {
    let required: BTreeSet<(EndpointRef, EndpointRef, Protocol, u16)> = requirements
        .allow
        .iter()
        .map(|r| (r.from, r.to, r.protocol, r.port))
        .collect();
    let mut out = Vec::new();
    for policy in plan.namespaces.values().flatten() {
        let Some(selector) = &policy.selector else {
            continue;
        };
        let own: Vec<EndpointId> = groups.selected(&policy.namespace, selector).collect();
        for (direction, rules) in [
            (Direction::Ingress, &policy.ingress),
            (Direction::Egress, &policy.egress),
        ] {
            for (index, rule) in rules.iter().enumerate() {
                let decides = direction == Direction::Ingress
                    || match &rule.peer {
                        Peer::Address(_) => true,
                        Peer::Pods { namespace, .. } => !plan.namespaces.contains_key(namespace),
                    };
                if !decides {
                    continue;
                }
                if let Some(found) = rule_beyond(
                    (before, after),
                    remap,
                    groups,
                    &required,
                    &own,
                    direction,
                    rule,
                ) {
                    out.push(Beyond {
                        policy: format!("{}/{}", policy.namespace, policy.name),
                        direction,
                        rule: index,
                        ..found
                    });
                }
            }
        }
    }
    out
}

/// The pairs one rule allows beyond `required`, counted up to [`PAIRS_CHECKED`].
pub(super) fn rule_beyond(
    (before, after): (&Engine<'_>, &ClassVerdicts<'_, '_>),
    remap: &Remap,
    groups: &Groups,
    required: &BTreeSet<(EndpointRef, EndpointRef, Protocol, u16)>,
    own: &[EndpointId],
    direction: Direction,
    rule: &RulePlan,
) -> Option<Beyond> {
    let empty = Labels::new();
    let peers: Vec<EndpointRef> = match &rule.peer {
        Peer::Pods { namespace, labels } => groups
            .selected(namespace, labels)
            .map(EndpointRef::Endpoint)
            .collect(),
        Peer::Address(ip) => alloc::vec![EndpointRef::External(*ip)],
    };
    let selector = match &rule.peer {
        Peer::Pods { labels, .. } => labels,
        Peer::Address(_) => &empty,
    };
    let mut pairs = 0usize;
    let mut checked = 0usize;
    let mut example = None;
    'outer: for &at in own {
        for peer in &peers {
            let (from, to) = match direction {
                Direction::Ingress => (*peer, EndpointRef::Endpoint(at)),
                Direction::Egress => (EndpointRef::Endpoint(at), *peer),
            };
            if from == to {
                continue;
            }
            for &(protocol, port) in &rule.ports {
                checked += 1;
                if checked > PAIRS_CHECKED {
                    break 'outer;
                }
                let allowed = || match (remap.get(&from), remap.get(&to)) {
                    (Some(f), Some(t)) => after.allows(&f, &t, protocol, port),
                    _ => false,
                };
                if !required.contains(&(from, to, protocol, port)) && allowed() {
                    pairs += 1;
                    example.get_or_insert_with(|| {
                        format!(
                            "{} -> {} on {}/{port}",
                            before.display(&from),
                            before.display(&to),
                            protocol.as_str()
                        )
                    });
                }
            }
        }
    }
    let example = example?;
    let dns = rule
        .serves
        .first()
        .is_some_and(|s| s == super::plan::DNS_SERVES);
    let reason = if dns {
        String::from("DNS egress is allowed to every pod, whether or not a lookup was observed")
    } else if matches!(rule.peer, Peer::Address(_)) {
        String::from("label granularity: every pod the policy selects may reach the address, not only those observed")
    } else {
        let labels: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(
            "label granularity: the rule names pods by their labels ({}) and ports per peer group, so every pair of pods of the two groups gets every port either needed",
            labels.join(",")
        )
    };
    Some(Beyond {
        policy: String::new(),
        direction,
        rule: 0,
        ports: rule
            .ports
            .iter()
            .map(|(p, n)| format!("{}/{n}", p.as_str()))
            .collect(),
        pairs,
        exact: checked <= PAIRS_CHECKED,
        example,
        reason,
    })
}
