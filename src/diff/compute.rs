//! Evaluating group pairs on both sides and expanding the changed ones to endpoint
//! pairs.
//!
//! Two evaluators give the same answers: the engines' [`Engine::allowed_ports`] for
//! the few group pairs a small change touches, or both sides' full matrices when the
//! change touches so much that computing everything at once is cheaper.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::universe::Universe;
use super::{Change, Side};
use crate::engine::{EndpointRef, Engine, Matrix, ProtocolPorts};
use crate::sorted::SortedMap;

/// Answers "what does `side` allow from endpoint `a` to endpoint `b`".
pub(crate) enum Evaluator<'e, 'm> {
    /// Per pair, by the engines.
    Engines([&'e Engine<'m>; 2]),
    /// By lookup in both sides' matrices; per side, the matrix index of each diff
    /// endpoint (`None`: absent on that side).
    Matrices(Box<[(Matrix, Vec<Option<usize>>); 2]>),
}

impl<'e, 'm> Evaluator<'e, 'm> {
    /// Computes both matrices and maps the diff's endpoints into them.
    pub fn matrices(engines: [&'e Engine<'m>; 2], universe: &Universe) -> Evaluator<'e, 'm> {
        let [base, head] = engines;
        Evaluator::Matrices(Box::new([
            matrix_with_index(base, universe, Side::Base),
            matrix_with_index(head, universe, Side::Head),
        ]))
    }

    /// What `side` allows from `a` to `b` (nothing when either is absent there).
    fn allowed(&self, universe: &Universe, side: Side, a: usize, b: usize) -> ProtocolPorts {
        self.pair(
            universe,
            side,
            [a, b],
            |engine, from, to| engine.allowed_ports(from, to),
            |matrix, x, y| matrix.allowed(x, y).clone(),
        )
    }

    /// The ports from `a` to `b` whose verdict on `side` depends on DNS or on an
    /// undefined order (nothing when either is absent there, or without
    /// cluster-wide policies).
    fn uncertain(&self, universe: &Universe, side: Side, a: usize, b: usize) -> ProtocolPorts {
        self.pair(
            universe,
            side,
            [a, b],
            |engine, from, to| match engine.has_tiers() {
                true => engine.flow_sets(from, to).uncertain(),
                false => ProtocolPorts::none(),
            },
            |matrix, x, y| matrix.uncertain(x, y).clone(),
        )
    }

    /// One answer about the pair `[a, b]` on `side`: asked of that side's engine, or
    /// read from its matrix (nothing when either endpoint is absent there).
    fn pair(
        &self,
        universe: &Universe,
        side: Side,
        [a, b]: [usize; 2],
        by_engine: impl FnOnce(&Engine<'_>, &EndpointRef, &EndpointRef) -> ProtocolPorts,
        by_matrix: impl FnOnce(&Matrix, usize, usize) -> ProtocolPorts,
    ) -> ProtocolPorts {
        let s = side.index();
        match self {
            Evaluator::Engines(engines) => {
                match (engines.get(s), universe.on(side, a), universe.on(side, b)) {
                    (Some(engine), Some(from), Some(to)) => by_engine(engine, &from, &to),
                    _ => ProtocolPorts::none(),
                }
            }
            Evaluator::Matrices(sides) => {
                let Some((matrix, index)) = sides.get(s) else {
                    return ProtocolPorts::none();
                };
                match (
                    index.get(a).copied().flatten(),
                    index.get(b).copied().flatten(),
                ) {
                    (Some(x), Some(y)) => by_matrix(matrix, x, y),
                    _ => ProtocolPorts::none(),
                }
            }
        }
    }
}

/// `engine`'s matrix, and the matrix index of every diff endpoint present on `side`
/// (an external class at the matrix class holding its representative address).
fn matrix_with_index(
    engine: &Engine<'_>,
    universe: &Universe,
    side: Side,
) -> (Matrix, Vec<Option<usize>>) {
    let matrix = engine.matrix();
    let by_endpoint: SortedMap<_, usize> = matrix
        .endpoints()
        .iter()
        .enumerate()
        .filter_map(|(i, e)| Some((e.endpoint?, i)))
        .collect();
    let index = (0..universe.endpoints.len())
        .map(|i| match universe.on(side, i)? {
            EndpointRef::Endpoint(id) => by_endpoint.get(&id).copied(),
            EndpointRef::External(addr) => matrix
                .endpoints()
                .iter()
                .position(|e| e.endpoint.is_none() && e.cidrs.iter().any(|c| c.contains(&addr))),
        })
        .collect();
    (matrix, index)
}

/// The changes found, before sorting and explanations.
#[derive(Default)]
pub(crate) struct Found {
    pub added: Vec<Change>,
    pub removed: Vec<Change>,
    /// Ports uncertain on head that were not on base.
    pub uncertain: Vec<Change>,
    /// Group pairs evaluated.
    pub evaluated: usize,
}

impl Found {
    /// Records what changed from `a` to `b` between `base` and `head`.
    fn record(&mut self, a: usize, b: usize, base: &ProtocolPorts, head: &ProtocolPorts) {
        let gained = head.difference(base);
        if !gained.is_empty() {
            self.added.push(Change::new(a, b, gained));
        }
        let lost = base.difference(head);
        if !lost.is_empty() {
            self.removed.push(Change::new(a, b, lost));
        }
    }

    /// Evaluates the group pair `(g, h)` on both sides and, when it differs, records
    /// every endpoint pair of it (self pairs excepted).
    pub fn group_pair(
        &mut self,
        universe: &Universe,
        eval: &Evaluator<'_, '_>,
        g: usize,
        h: usize,
    ) {
        let (Some(sources), Some(targets)) = (universe.groups.get(g), universe.groups.get(h))
        else {
            return;
        };
        let Some((a, b)) = representatives(sources, targets) else {
            return;
        };
        if universe.is_external(a) && universe.is_external(b) {
            return;
        }
        self.evaluated += 1;
        let base = eval.allowed(universe, Side::Base, a, b);
        let head = eval.allowed(universe, Side::Head, a, b);
        let unsure = eval
            .uncertain(universe, Side::Head, a, b)
            .difference(&eval.uncertain(universe, Side::Base, a, b));
        if base == head && unsure.is_empty() {
            return;
        }
        for &x in sources {
            for &y in targets.iter().filter(|&&y| y != x) {
                self.record(x, y, &base, &head);
                if !unsure.is_empty() {
                    self.uncertain.push(Change::new(x, y, unsure.clone()));
                }
            }
        }
    }

    /// Records self traffic: all ports on a side where the endpoint exists.
    pub fn diagonal(&mut self, universe: &Universe) {
        for i in 0..universe.external_from {
            if universe.on(Side::Base, i).is_some() == universe.on(Side::Head, i).is_some() {
                continue;
            }
            let on = |side| {
                if universe.on(side, i).is_some() {
                    ProtocolPorts::all()
                } else {
                    ProtocolPorts::none()
                }
            };
            self.record(i, i, &on(Side::Base), &on(Side::Head));
        }
    }
}

/// One source and one destination of the groups, distinct when possible (`None`
/// when the only pair is an endpoint with itself).
fn representatives(sources: &[usize], targets: &[usize]) -> Option<(usize, usize)> {
    let &a = sources.first()?;
    match targets.iter().find(|&&b| b != a) {
        Some(&b) => Some((a, b)),
        None => sources
            .iter()
            .find(|&&x| targets.iter().any(|&y| y != x))
            .and_then(|&x| targets.iter().find(|&&y| y != x).map(|&y| (x, y))),
    }
}
