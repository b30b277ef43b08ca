//! Semantic diff: what a change to the policies (or to the cluster) opens or closes.
//!
//! [`diff`] compares two versions — *base* and *head*, each an [`Engine`] over its
//! [`Model`] — and answers, per pair of endpoints, the ports per protocol that head
//! allows and base did not ([`Diff::added`]) and the reverse ([`Diff::removed`]),
//! plus the endpoints present on one side only. Endpoints are the union of both
//! sides' pods and workloads (by id) and the external address classes of the common
//! refinement of both sides' ipBlock splits. Each change can carry an explanation
//! ([`Why`]): both sides' verdicts on one representative flow, which name the rules
//! responsible (for an added range, the head rules that allow it and why base denied
//! it).
//!
//! ```
//! use netpol::diff::{diff_models, DiffOptions};
//! use netpol::model::Model;
//! let (base, head) = (Model::default(), Model::default());
//! let d = diff_models(&base, &head, &DiffOptions::default());
//! assert!(d.added.is_empty() && d.removed.is_empty());
//! ```
//!
//! # Cost
//!
//! Endpoints that no policy of either version can tell apart form one group, and a
//! verdict depends only on the groups of its ends. A policy that changed can only
//! alter verdicts at the endpoints it selects (on either side, in the directions it
//! applies to); an endpoint whose labels, namespace labels, ports or IPs changed can
//! only alter its own. With [`Strategy::Auto`] the diff evaluates just the group
//! pairs in those rows and columns with [`Engine::allowed_ports`] when they are few
//! (a one-policy change), and otherwise computes both sides' matrices once and
//! compares them group pair by group pair. Either way only changed pairs are
//! expanded to endpoint pairs.

use alloc::string::String;
use alloc::vec::Vec;

use crate::engine::{
    representatives, EndpointRef, Engine, Flow, Grouping, MatrixEndpoint, MatrixEndpointKind,
    ProtocolPorts, Verdict,
};
use crate::model::{Model, Protocol};

mod compute;
mod group;
mod space;
mod touched;
mod universe;

use compute::{Evaluator, Found};
use universe::Universe;

/// One of the two versions compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The version before the change.
    Base,
    /// The version after the change.
    Head,
}

impl Side {
    /// `0` for base, `1` for head.
    pub fn index(self) -> usize {
        match self {
            Side::Base => 0,
            Side::Head => 1,
        }
    }
}

/// How the diff evaluates verdicts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strategy {
    /// Incremental when the change touches few endpoint groups, else full.
    #[default]
    Auto,
    /// Only the rows and columns of touched groups, with the engines' per-pair
    /// evaluation.
    Incremental,
    /// Both sides' full matrices.
    Full,
}

/// Options of [`diff`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiffOptions {
    /// How to evaluate.
    pub strategy: Strategy,
    /// How many changes (added first, then removed, in order) get a [`Why`]; the
    /// rest have none. Two queries each.
    pub explain_limit: usize,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            strategy: Strategy::Auto,
            explain_limit: 1000,
        }
    }
}

/// One endpoint of the diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffEndpoint {
    /// The endpoint as the matrix shows it: head's view when on both sides (its
    /// `endpoint` is in the engine of that side), an external class's exact content
    /// with the pod IPs of either side left out.
    pub matrix: MatrixEndpoint,
    /// The endpoint in base (`None`: absent); an external class's representative
    /// address.
    pub base: Option<EndpointRef>,
    /// The endpoint in head.
    pub head: Option<EndpointRef>,
}

/// One changed connection: what became allowed (in [`Diff::added`]) or stopped
/// being allowed (in [`Diff::removed`]) from one endpoint to another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Index of the source in [`Diff::endpoints`].
    pub from: usize,
    /// Index of the destination.
    pub to: usize,
    /// The ports gained (or lost), never empty.
    pub ports: ProtocolPorts,
    /// Both sides' verdicts on a representative flow (within the option's limit).
    pub why: Option<Why>,
}

impl Change {
    /// A change without explanation.
    pub fn new(from: usize, to: usize, ports: ProtocolPorts) -> Change {
        Change {
            from,
            to,
            ports,
            why: None,
        }
    }

    /// The representative flow: the lowest port of the first protocol changed.
    pub fn representative(&self) -> Option<(Protocol, u16)> {
        self.ports
            .iter()
            .find_map(|(p, set)| set.ranges().first().map(|&(lo, _)| (p, lo)))
    }
}

/// Why a connection changed: each side's verdict on the representative flow
/// (`None` on a side where an endpoint is absent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Why {
    /// The flow's protocol.
    pub protocol: Protocol,
    /// The flow's port.
    pub port: u16,
    /// Base's verdict (with the rules that allowed it, or why it was denied).
    pub base: Option<Verdict>,
    /// Head's verdict.
    pub head: Option<Verdict>,
}

/// How the diff was computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiffStats {
    /// Whether only touched groups were evaluated (else both full matrices).
    pub incremental: bool,
    /// Endpoint groups (pods and workloads no policy tells apart, plus external
    /// classes).
    pub groups: usize,
    /// Groups touched by the change.
    pub touched_groups: usize,
    /// Group pairs evaluated on both sides.
    pub evaluated_pairs: usize,
    /// Policies that differ (each side's version counted).
    pub changed_policies: usize,
}

/// The difference between two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    /// The union of both sides' endpoints: pods, workloads, then external classes.
    pub endpoints: Vec<DiffEndpoint>,
    /// Indices of endpoints present in head only.
    pub endpoints_added: Vec<usize>,
    /// Indices of endpoints present in base only.
    pub endpoints_removed: Vec<usize>,
    /// What head allows and base did not, sorted by source then destination.
    pub added: Vec<Change>,
    /// What base allowed and head does not.
    pub removed: Vec<Change>,
    /// The ports whose verdict on head depends on DNS or on the order of
    /// equal-priority policies and did not on base: neither allowed nor denied for
    /// sure (a port allowed on base and uncertain on head is also in `removed`).
    pub uncertain: Vec<Change>,
    /// How it was computed.
    pub stats: DiffStats,
    /// The controllers (`ns/kind/name`) whose pods were left apart by
    /// [`Diff::grouped`] because the diff says different things about them.
    pub split_owners: Vec<String>,
}

impl Diff {
    /// Whether nothing changed (no connection and no endpoint).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.uncertain.is_empty()
            && self.endpoints_added.is_empty()
            && self.endpoints_removed.is_empty()
    }

    /// The diff with the pods of one controller merged into one endpoint
    /// (`Grouping::Owner`, see [`crate::engine::owner_of`]) where the diff says the
    /// same about each of them, or unchanged (`Grouping::None`). `engines` are the
    /// ones the diff was computed with.
    pub fn grouped(self, engines: [&Engine<'_>; 2], grouping: Grouping) -> Diff {
        match grouping {
            Grouping::Owner => group::by_owner(self, engines),
            Grouping::None => self,
        }
    }

    /// Whether some endpoint is a representative pod derived from selectors.
    pub fn uses_representatives(&self) -> bool {
        self.endpoints
            .iter()
            .any(|e| e.matrix.kind == MatrixEndpointKind::Representative)
    }

    /// The endpoint at `index` (its id; empty when out of range).
    pub fn id(&self, index: usize) -> &str {
        self.endpoints
            .get(index)
            .map_or("", |e| e.matrix.id.as_str())
    }
}

/// Compares `base` with `head` (see the module docs).
pub fn diff(base: &Engine<'_>, head: &Engine<'_>, options: &DiffOptions) -> Diff {
    let engines = [base, head];
    let universe = Universe::build(engines);
    let touched = touched::touched(engines, &universe);
    let groups = universe.groups.len();
    let incremental = match options.strategy {
        Strategy::Incremental => true,
        Strategy::Full => false,
        Strategy::Auto => touched.count().saturating_mul(8) <= groups,
    };
    let mut found = Found::default();
    if incremental {
        let eval = Evaluator::Engines(engines);
        for g in (0..groups).filter(|&g| touched.egress.get(g) == Some(&true)) {
            for h in 0..groups {
                found.group_pair(&universe, &eval, g, h);
            }
        }
        for h in (0..groups).filter(|&h| touched.ingress.get(h) == Some(&true)) {
            for g in (0..groups).filter(|&g| touched.egress.get(g) != Some(&true)) {
                found.group_pair(&universe, &eval, g, h);
            }
        }
    } else {
        let eval = Evaluator::matrices(engines, &universe);
        for g in 0..groups {
            for h in 0..groups {
                found.group_pair(&universe, &eval, g, h);
            }
        }
    }
    found.diagonal(&universe);
    let stats = DiffStats {
        incremental,
        groups,
        touched_groups: touched.count(),
        evaluated_pairs: found.evaluated,
        changed_policies: touched.changed_policies,
    };
    finish(engines, universe, found, stats, options)
}

/// [`diff`] over two models: both completed with the same representative endpoints
/// where they hold policies but no pods for a namespace
/// ([`representatives::complete_pair`]), then indexed with [`Engine::new`].
pub fn diff_models(base: &Model, head: &Model, options: &DiffOptions) -> Diff {
    let (base, head) = representatives::complete_pair(base, head);
    diff(&Engine::new(&base), &Engine::new(&head), options)
}

/// Sorts the changes, explains the first ones and lists the one-sided endpoints.
fn finish(
    engines: [&Engine<'_>; 2],
    universe: Universe,
    found: Found,
    stats: DiffStats,
    options: &DiffOptions,
) -> Diff {
    let Found {
        mut added,
        mut removed,
        mut uncertain,
        ..
    } = found;
    crate::order::sort_by_key(&mut added, |c| (c.from, c.to));
    crate::order::sort_by_key(&mut removed, |c| (c.from, c.to));
    crate::order::sort_by_key(&mut uncertain, |c| (c.from, c.to));
    let mut budget = options.explain_limit;
    for change in added.iter_mut().chain(removed.iter_mut()) {
        if budget == 0 {
            break;
        }
        budget -= 1;
        change.why = explain(engines, &universe, change);
    }
    let endpoints = universe.endpoints;
    let one_sided = |present: fn(&DiffEndpoint) -> bool| {
        endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| present(e))
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    };
    let endpoints_added = one_sided(|e| e.base.is_none());
    let endpoints_removed = one_sided(|e| e.head.is_none());
    Diff {
        endpoints,
        endpoints_added,
        endpoints_removed,
        added,
        removed,
        uncertain,
        stats,
        split_owners: Vec::new(),
    }
}

/// Both sides' verdicts on the change's representative flow.
fn explain(engines: [&Engine<'_>; 2], universe: &Universe, change: &Change) -> Option<Why> {
    let (protocol, port) = change.representative()?;
    let verdict = |side: Side| {
        let engine = engines.get(side.index())?;
        let from = universe.on(side, change.from)?;
        let to = universe.on(side, change.to)?;
        Some(engine.query(&Flow::new(from, to, protocol, port)))
    };
    Some(Why {
        protocol,
        port,
        base: verdict(Side::Base),
        head: verdict(Side::Head),
    })
}
