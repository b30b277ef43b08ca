//! [`Workspace::replay`]: observed flows answered by the policies of the workspace,
//! and the replay JSON.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize, Serializer};

use super::Workspace;
use crate::engine::Engine;
use crate::flows::mapping::EndpointIndex;
use crate::flows::replay::{replay, Replay, ReplayedFlow, Unobserved};
use crate::flows::{read, FlowProblem};

/// Which flows to replay: the text of a flow file (Hubble's JSON export, or CSV with
/// the header `from,to,port,protocol`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReplayRequest {
    /// The flow file's text.
    pub flows: String,
}

/// The answer of a replay: each flow's verdict, the counts, what the policies allow
/// beyond the observed traffic, and the records that could not be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayAnswer {
    /// The replay.
    pub replay: Replay,
}

impl ReplayAnswer {
    /// Whether some flow observed as forwarded would be denied (`netpol replay`
    /// exits 1).
    pub fn breaks(&self) -> bool {
        self.replay.summary.would_break > 0
    }
}

impl Workspace {
    /// Replays the flows of `request` against the policies of the workspace.
    pub fn replay(&self, request: &ReplayRequest) -> ReplayAnswer {
        self.replay_with(&self.engine(), request)
    }

    /// [`Workspace::replay`] with an index already built by [`Workspace::engine`].
    pub fn replay_with(&self, engine: &Engine<'_>, request: &ReplayRequest) -> ReplayAnswer {
        let log = read(&request.flows);
        ReplayAnswer {
            replay: replay(&EndpointIndex::new(engine), &log),
        }
    }
}

/// The replay JSON.
#[derive(Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ReplayAnswer"))]
pub(super) struct ReplayJson<'a> {
    /// The version of netpol.
    version: &'static str,
    /// Every flow, in input order.
    flows: Vec<ReplayFlowJson<'a>>,
    /// The counts.
    summary: ReplaySummaryJson,
    /// Per observed pair, the connections allowed and never observed.
    unobserved: Vec<UnobservedJson<'a>>,
    /// The records that could not be read.
    problems: Vec<FlowProblemJson<'a>>,
}

/// One replayed flow.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "ReplayFlow"))]
pub(super) struct ReplayFlowJson<'a> {
    /// 1-based position in the flow file.
    index: usize,
    /// The line the record starts on.
    line: u32,
    /// The connection's initiator (a reply is turned around).
    from: &'a str,
    /// The connection's server.
    to: &'a str,
    /// The server's port (absent when not known).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    port: Option<u16>,
    /// `TCP`, `UDP` or `SCTP` (absent for other protocols).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<crate::api::typescript::Protocol>", optional)
    )]
    protocol: Option<&'static str>,
    /// What the record says happened: `forwarded`, `dropped` or `unknown`.
    #[cfg_attr(
        feature = "typescript",
        ts(type = "\"forwarded\" | \"dropped\" | \"unknown\"")
    )]
    observed: &'static str,
    /// What the policies decide: `allow`, `deny` or `uncertain`.
    #[cfg_attr(
        feature = "typescript",
        ts(type = "\"allow\" | \"deny\" | \"uncertain\"")
    )]
    verdict: &'static str,
    /// Why.
    reason: &'a str,
    /// How the source was mapped to the inputs (`name`, `workload`, `labels`,
    /// `ip`, `outside`, `written`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    from_by: Option<&'static str>,
    /// How the destination was mapped.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    to_by: Option<&'static str>,
    /// The policies involved (`ns/name`).
    policies: &'a [String],
    /// Whether the record was a reply.
    reply: bool,
}

/// The counts.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "ReplaySummary")
)]
pub(super) struct ReplaySummaryJson {
    /// Flows allowed.
    allow: usize,
    /// Flows denied.
    deny: usize,
    /// Flows not decided.
    uncertain: usize,
    /// Flows observed as forwarded that the policies deny.
    would_break: usize,
}

/// Connections allowed between a pair and never observed.
#[derive(Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Unobserved"))]
pub(super) struct UnobservedJson<'a> {
    /// The initiator.
    from: &'a str,
    /// The server.
    to: &'a str,
    /// `PROTOCOL:ranges` per protocol (`TCP:1-79,81-65535`).
    ports: Vec<String>,
}

/// A record that could not be read.
#[derive(Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "FlowProblem"))]
pub(super) struct FlowProblemJson<'a> {
    /// The line.
    pub(super) line: u32,
    /// What is wrong.
    pub(super) message: &'a str,
}

impl Serialize for ReplayAnswer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let replay = &self.replay;
        ReplayJson {
            version: crate::VERSION,
            flows: replay.flows.iter().map(flow_json).collect(),
            summary: ReplaySummaryJson {
                allow: replay.summary.allow,
                deny: replay.summary.deny,
                uncertain: replay.summary.uncertain,
                would_break: replay.summary.would_break,
            },
            unobserved: replay.unobserved.iter().map(unobserved_json).collect(),
            problems: replay.problems.iter().map(problem_json).collect(),
        }
        .serialize(serializer)
    }
}

fn flow_json(flow: &ReplayedFlow) -> ReplayFlowJson<'_> {
    let [from, to] = flow.mapped_by;
    ReplayFlowJson {
        index: flow.index,
        line: flow.line,
        from: &flow.from,
        to: &flow.to,
        port: Some(flow.port).filter(|p| *p != 0),
        protocol: flow.protocol.map(|p| p.as_str()),
        observed: flow.observed.as_str(),
        verdict: flow.verdict.as_str(),
        reason: &flow.reason,
        from_by: from.map(|m| m.by.as_str()),
        to_by: to.map(|m| m.by.as_str()),
        policies: &flow.policies,
        reply: flow.reply,
    }
}

/// `PROTOCOL:ranges` per protocol with ports (`TCP:1-79,81-65535`).
pub fn ports_text(ports: &crate::engine::ProtocolPorts) -> Vec<String> {
    ports
        .iter()
        .map(|(protocol, set)| alloc::format!("{}:{}", protocol.as_str(), set.ranges_text(",")))
        .collect()
}

fn unobserved_json(pair: &Unobserved) -> UnobservedJson<'_> {
    UnobservedJson {
        from: &pair.from,
        to: &pair.to,
        ports: ports_text(&pair.ports),
    }
}

pub(super) fn problem_json(problem: &FlowProblem) -> FlowProblemJson<'_> {
    FlowProblemJson {
        line: problem.line,
        message: &problem.message,
    }
}
