//! Replaying observed flows against the policies: each flow's verdict with its
//! reason and the policies involved, the flows the policies would break, and per
//! pair of endpoints the connections the policies allow that were never observed.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::mapping::{describe, EndpointIndex, Mapped};
use super::{FlowLog, FlowProblem, Observed, ObservedFlow, Transport};
use crate::engine::{EndpointRef, Flow, PortSet, ProtocolPorts, SideExplanation, Verdict};
use crate::model::Protocol;

/// What the policies decide about a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// Denied.
    Deny,
    /// The flow lacks what the decision needs (the reason says what).
    Uncertain,
}

impl Decision {
    /// `allow`, `deny` or `uncertain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Deny => "deny",
            Decision::Uncertain => "uncertain",
        }
    }
}

/// The connection a flow belongs to: its initiator, its server, the protocol and
/// the server's port (a reply is turned around).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connection {
    /// The initiator.
    pub from: Mapped,
    /// The server.
    pub to: Mapped,
    /// The protocol.
    pub protocol: Protocol,
    /// The server's port.
    pub port: u16,
    /// Whether the record was a reply (turned around).
    pub reply: bool,
}

/// The connection `flow` belongs to, or why it cannot be decided.
pub fn connection(
    index: &EndpointIndex<'_, '_>,
    flow: &ObservedFlow,
) -> Result<Connection, String> {
    let Some((protocol, port, _, reply)) = ports(flow) else {
        return Err(match &flow.transport {
            Transport::Other(name) => {
                format!("{name} is not decided by NetworkPolicies (TCP, UDP and SCTP only)")
            }
            _ => "no layer-4 information (TCP, UDP or SCTP ports)".into(),
        });
    };
    let (client, server) = if reply {
        (&flow.destination, &flow.source)
    } else {
        (&flow.source, &flow.destination)
    };
    if port == 0 {
        return Err("the server's port is not recorded".into());
    }
    let from = index.map_end(client).map_err(|e| format!("source {e}"))?;
    let to = index
        .map_end(server)
        .map_err(|e| format!("destination {e}"))?;
    if !matches!(from.endpoint, EndpointRef::Endpoint(_))
        && !matches!(to.endpoint, EndpointRef::Endpoint(_))
    {
        return Err(format!(
            "neither {} nor {} is a pod of the inputs",
            describe(client),
            describe(server)
        ));
    }
    Ok(Connection {
        from,
        to,
        protocol,
        port,
        reply,
    })
}

/// One flow, replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayedFlow {
    /// Its 1-based position in the input.
    pub index: usize,
    /// The line it starts on.
    pub line: u32,
    /// The connection's initiator (an endpoint id, or the flow's own description).
    pub from: Arc<str>,
    /// The connection's server.
    pub to: Arc<str>,
    /// How each end was mapped (absent when it could not be).
    pub mapped_by: [Option<Mapped>; 2],
    /// The server's port (0 when not known).
    pub port: u16,
    /// The protocol (`None` when not TCP, UDP or SCTP).
    pub protocol: Option<Protocol>,
    /// What the record says happened.
    pub observed: Observed,
    /// What the policies decide.
    pub verdict: Decision,
    /// Why (one sentence; shared by the flows of one connection).
    pub reason: Arc<str>,
    /// The policies involved, `ns/name`: those allowing it, or those isolating the
    /// side that denies it.
    pub policies: Arc<[String]>,
    /// Whether the record was a reply (replayed as its connection).
    pub reply: bool,
}

/// Connections between one pair of endpoints that the policies allow but no flow
/// showed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unobserved {
    /// The initiator's id.
    pub from: String,
    /// The server's id.
    pub to: String,
    /// The ports allowed and never observed.
    pub ports: ProtocolPorts,
}

/// The counts of a replay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplaySummary {
    /// Flows allowed.
    pub allow: usize,
    /// Flows denied.
    pub deny: usize,
    /// Flows not decided.
    pub uncertain: usize,
    /// Flows observed as forwarded that the policies deny.
    pub would_break: usize,
}

/// The answer of a replay.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replay {
    /// Every flow, in input order.
    pub flows: Vec<ReplayedFlow>,
    /// The counts.
    pub summary: ReplaySummary,
    /// Per observed pair, what the policies allow beyond the observed traffic.
    pub unobserved: Vec<Unobserved>,
    /// The records that could not be read.
    pub problems: Vec<FlowProblem>,
}

/// A decided verdict, kept for the flows of the same connection.
type Decided = (Decision, Arc<str>, Arc<[String]>);

/// Replays every flow of `log` against the policies indexed by `index`.
pub fn replay(index: &EndpointIndex<'_, '_>, log: &FlowLog) -> Replay {
    let engine = index.engine();
    let mut decided: BTreeMap<(EndpointRef, EndpointRef, Protocol, u16, bool), Decided> =
        BTreeMap::new();
    let mut names: BTreeMap<EndpointRef, Arc<str>> = BTreeMap::new();
    let mut name = |end: EndpointRef| {
        names
            .entry(end)
            .or_insert_with(|| Arc::from(engine.display(&end)))
            .clone()
    };
    let mut observed_ports: BTreeMap<(EndpointRef, EndpointRef), ProtocolPorts> = BTreeMap::new();
    let mut out = Replay {
        flows: Vec::with_capacity(log.flows.len()),
        problems: log.problems.clone(),
        ..Replay::default()
    };
    // Records naming the same shared ends with the same ports replay alike: the first
    // is answered in full, the others copy its answer.
    let mut answered: BTreeMap<RecordKey, ReplayedFlow> = BTreeMap::new();
    for flow in &log.flows {
        let key = record_key(flow);
        if let Some(known) = key.as_ref().and_then(|k| answered.get(k)) {
            let replayed = ReplayedFlow {
                index: flow.index,
                line: flow.line,
                observed: flow.observed,
                ..known.clone()
            };
            count(&mut out.summary, &replayed);
            out.flows.push(replayed);
            continue;
        }
        let replayed = match connection(index, flow) {
            Ok(c) => {
                let key = (c.from.endpoint, c.to.endpoint, c.protocol, c.port, c.reply);
                let (verdict, reason, policies) = decided
                    .entry(key)
                    .or_insert_with(|| {
                        let flow = Flow::new(c.from.endpoint, c.to.endpoint, c.protocol, c.port);
                        decide(&engine.query_brief(&flow), c.reply)
                    })
                    .clone();
                let seen = observed_ports
                    .entry((c.from.endpoint, c.to.endpoint))
                    .or_default();
                if !seen.allows(c.protocol, c.port) {
                    seen.add(c.protocol, &PortSet::single(c.port));
                }
                ReplayedFlow {
                    index: flow.index,
                    line: flow.line,
                    from: name(c.from.endpoint),
                    to: name(c.to.endpoint),
                    mapped_by: [Some(c.from), Some(c.to)],
                    port: c.port,
                    protocol: Some(c.protocol),
                    observed: flow.observed,
                    verdict,
                    reason,
                    policies,
                    reply: c.reply,
                }
            }
            Err(reason) => undecided(flow, reason),
        };
        if let Some(key) = key {
            answered.insert(key, replayed.clone());
        }
        count(&mut out.summary, &replayed);
        out.flows.push(replayed);
    }
    for ((from, to), seen) in observed_ports {
        let ports = engine.allowed_ports(&from, &to).difference(&seen);
        if !ports.is_empty() {
            out.unobserved.push(Unobserved {
                from: engine.display(&from),
                to: engine.display(&to),
                ports,
            });
        }
    }
    out
}

/// What a record's answer depends on: its ends (by identity: the readers share the
/// ends records repeat, and the log outlives the replay), protocol, the server's
/// port, the client's port for a reply (an undecided reply reports it), and the
/// direction. A record that is not a reply is keyed without its client's port, which
/// changes with every connection. `None` for records without ports, which are not
/// worth remembering.
type RecordKey = (usize, usize, Protocol, u16, u16, bool);

fn record_key(flow: &ObservedFlow) -> Option<RecordKey> {
    let (protocol, server_port, client_port, reply) = ports(flow)?;
    Some((
        Arc::as_ptr(&flow.source) as usize,
        Arc::as_ptr(&flow.destination) as usize,
        protocol,
        server_port,
        if reply { client_port } else { 0 },
        reply,
    ))
}

/// The record's protocol, its server's and its client's port, and whether it is a
/// reply (sent by the server); `None` without TCP, UDP or SCTP ports.
fn ports(flow: &ObservedFlow) -> Option<(Protocol, u16, u16, bool)> {
    let Transport::Ports {
        protocol,
        source_port,
        destination_port,
    } = &flow.transport
    else {
        return None;
    };
    let reply = flow.is_reply == Some(true);
    let (server, client) = if reply {
        (*source_port, *destination_port)
    } else {
        (*destination_port, *source_port)
    };
    Some((*protocol, server, client, reply))
}

/// The verdict, its reason (for a reply, saying so) and the policies involved.
fn decide(verdict: &Verdict, reply: bool) -> Decided {
    let decision = if verdict.allowed {
        Decision::Allow
    } else {
        Decision::Deny
    };
    let mut policies: Vec<String> = Vec::new();
    for side in [&verdict.egress, &verdict.ingress] {
        for name in involved(side, verdict.allowed) {
            if !policies.contains(&name) {
                policies.push(name);
            }
        }
    }
    let reason = if reply {
        format!("a reply, replayed as its connection: {}", verdict.reason)
    } else {
        verdict.reason.clone()
    };
    (decision, Arc::from(reason), Arc::from(policies))
}

/// The policies of one side that took part: the allowing rules' policies, or the
/// isolating policies of a denying side.
fn involved(side: &SideExplanation, allowed: bool) -> Vec<String> {
    if allowed {
        side.allowed_by
            .iter()
            .map(|r| format!("{}/{}", r.policy.namespace, r.policy.name))
            .collect()
    } else if !side.allowed {
        side.isolated_by
            .iter()
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect()
    } else {
        Vec::new()
    }
}

/// A flow that cannot be decided, with the reason.
fn undecided(flow: &ObservedFlow, reason: String) -> ReplayedFlow {
    let (protocol, port) = match &flow.transport {
        Transport::Ports {
            protocol,
            destination_port,
            ..
        } => (Some(*protocol), *destination_port),
        _ => (None, 0),
    };
    ReplayedFlow {
        index: flow.index,
        line: flow.line,
        from: Arc::from(describe(&flow.source)),
        to: Arc::from(describe(&flow.destination)),
        mapped_by: [None, None],
        port,
        protocol,
        observed: flow.observed,
        verdict: Decision::Uncertain,
        reason: Arc::from(reason),
        policies: Arc::from(Vec::new()),
        reply: flow.is_reply == Some(true),
    }
}

/// Adds `flow` to the counts.
fn count(summary: &mut ReplaySummary, flow: &ReplayedFlow) {
    match flow.verdict {
        Decision::Allow => summary.allow += 1,
        Decision::Deny => {
            summary.deny += 1;
            if flow.observed == Observed::Forwarded {
                summary.would_break += 1;
            }
        }
        Decision::Uncertain => summary.uncertain += 1,
    }
}
