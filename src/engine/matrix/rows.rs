//! The class-pair computation: ingress scattered per source key, then one row per
//! source class.

use alloc::vec;
use alloc::vec::Vec;

use super::{key_slot, MatrixEndpoint, Work};
use crate::engine::endpoints::{EndpointId, Family};
use crate::engine::intern::{ALL, NONE};
use crate::interval;
use crate::model::Direction;
use crate::sorted::SortedMap;

impl Work<'_, '_> {
    /// The compiled rules of the policies selecting class `c` for `direction`
    /// (`None` when `c` is not isolated in that direction or is external).
    pub(super) fn rules_of(&self, c: usize, direction: Direction) -> Option<Vec<usize>> {
        let rep = self.classes.rep.get(c)?;
        let policies = self.engine.policies_for(*rep, direction);
        if policies.is_empty() {
            return None;
        }
        let mut out = Vec::new();
        for &p in policies {
            if let Some(range) = self.rule_ranges.get(&(p, direction.index())) {
                out.extend(range.clone());
            }
        }
        Some(out)
    }

    /// The families class `c` is seen in (`[IPv4, IPv6]`: an external class in its
    /// own, a pod class in those of its addresses) and whether it is external.
    fn class_families(&self, c: usize) -> ([bool; 2], bool) {
        match self.external_family(c) {
            Some(f) => ([f == Family::V4, f == Family::V6], true),
            None => (
                [
                    self.classes.has_family(c, Family::V4),
                    self.classes.has_family(c, Family::V6),
                ],
                false,
            ),
        }
    }

    /// The allowed ports between every pair of classes, per source class.
    ///
    /// Only the destinations something can reach are worked out: for a source whose
    /// egress is isolated, the classes of the peer keys its egress allows; for an
    /// open one, the destinations open to ingress and those whose ingress allows one
    /// of the source's keys (a scan of the columns). Every other pair allows nothing.
    pub(super) fn rows(&mut self) -> Vec<Vec<(u32, u32)>> {
        let total = self.keys.len();
        let pod_classes = self.pod_classes();
        let ingress = self.ingress_by_key();
        let template: Vec<u32> = (0..total)
            .map(|d| if ingress.isolates(d) { NONE } else { ALL })
            .collect();
        let seen_in: Vec<([bool; 2], bool)> = (0..total).map(|c| self.class_families(c)).collect();
        let mut rows = Vec::with_capacity(total);
        let mut egress = Egress::new(self.key_class.len());
        let mut columns: [Vec<u32>; 3] = [template.clone(), template.clone(), template.clone()];
        let mut scattered: Vec<usize> = Vec::new();
        let mut targets: Vec<usize> = Vec::new();
        for s in 0..total {
            let open_out = self.fill_egress(s, &mut egress);
            let keys = self.keys.get(s).copied().unwrap_or([0, 0, 0]);
            for (slot, column) in columns.iter_mut().enumerate() {
                for &(d, id) in keys
                    .get(slot)
                    .and_then(|&k| ingress.by_key.get(k as usize))
                    .into_iter()
                    .flatten()
                {
                    if let Some(cell) = column.get_mut(d as usize) {
                        *cell = id;
                        scattered.push(d as usize);
                    }
                }
            }
            targets.clear();
            if open_out {
                let reachable = |d: &usize| {
                    columns
                        .iter()
                        .any(|c| c.get(*d).is_some_and(|&id| id != NONE))
                };
                targets.extend((0..total).filter(reachable));
            } else {
                targets.extend(
                    egress
                        .touched
                        .iter()
                        .filter_map(|&k| self.key_class.get(k).map(|&c| c as usize)),
                );
                targets.sort_unstable();
                targets.dedup();
            }
            let s_external = s >= pod_classes;
            let s_families = seen_in.get(s).copied().unwrap_or_default();
            let mut row = Vec::new();
            for &d in &targets {
                if s_external && d >= pod_classes {
                    continue;
                }
                let d_keys = self.keys.get(d).copied().unwrap_or([0, 0, 0]);
                let d_families = seen_in.get(d).copied().unwrap_or_default();
                let (families, n) = pair_families(s_families, d_families);
                let mut acc = NONE;
                for family in families.iter().take(n) {
                    let slot = key_slot(*family);
                    let e = if open_out {
                        ALL
                    } else {
                        d_keys
                            .get(slot)
                            .and_then(|&k| egress.ports.get(k as usize))
                            .copied()
                            .unwrap_or(NONE)
                    };
                    if e == NONE {
                        continue;
                    }
                    let i = columns
                        .get(slot)
                        .and_then(|c| c.get(d))
                        .copied()
                        .unwrap_or(NONE);
                    let both = self.table.intersect(e, i);
                    acc = self.table.union(acc, both);
                }
                if acc != NONE {
                    row.push((d as u32, acc));
                }
            }
            rows.push(row);
            for &d in &scattered {
                let reset = template.get(d).copied().unwrap_or(NONE);
                for column in &mut columns {
                    if let Some(cell) = column.get_mut(d) {
                        *cell = reset;
                    }
                }
            }
            scattered.clear();
            egress.clear();
        }
        rows
    }

    /// Ingress scattered per source key: for every peer key, the (destination
    /// class, ports) of the isolated destinations whose ingress allows it.
    fn ingress_by_key(&mut self) -> Ingress {
        let mut by_key: Vec<Vec<(u32, u32)>> = vec![Vec::new(); self.key_class.len()];
        let mut isolated = vec![false; self.keys.len()];
        for d in 0..self.pod_classes() {
            let Some(rules) = self.rules_of(d, Direction::Ingress) else {
                continue;
            };
            if let Some(flag) = isolated.get_mut(d) {
                *flag = true;
            }
            for r in rules {
                let ports = self.ports_to(r, d);
                let keys: Vec<usize> = self
                    .rules
                    .get(r)
                    .map(|c| c.matches.ones().collect())
                    .unwrap_or_default();
                for k in keys {
                    let Some(list) = by_key.get_mut(k) else {
                        continue;
                    };
                    match list.last_mut() {
                        Some(last) if last.0 == d as u32 => {
                            last.1 = self.table.union(last.1, ports)
                        }
                        _ => list.push((d as u32, ports)),
                    }
                }
            }
        }
        Ingress { by_key, isolated }
    }

    /// Fills `egress` with what class `s`'s egress allows per peer key; returns
    /// whether `s` is open (not isolated, or external), leaving `egress` untouched.
    fn fill_egress(&mut self, s: usize, egress: &mut Egress) -> bool {
        if s >= self.pod_classes() {
            return true;
        }
        let Some(rules) = self.rules_of(s, Direction::Egress) else {
            return true;
        };
        for r in rules {
            let keys: Vec<usize> = self
                .rules
                .get(r)
                .map(|c| c.matches.ones().collect())
                .unwrap_or_default();
            let fixed = self
                .rules
                .get(r)
                .filter(|c| c.named.is_empty())
                .map(|c| c.numeric);
            for k in keys {
                let ports = match fixed {
                    Some(id) => id,
                    None => {
                        let dest = self.key_class.get(k).copied().unwrap_or(u32::MAX) as usize;
                        if dest < self.pod_classes() {
                            self.ports_to(r, dest)
                        } else {
                            self.rules.get(r).map_or(NONE, |c| c.numeric)
                        }
                    }
                };
                if let Some(cell) = egress.ports.get_mut(k) {
                    *cell = self.table.union(*cell, ports);
                    egress.touched.push(k);
                }
            }
        }
        false
    }

    /// The matrix's endpoints: the engine's, then the external classes.
    pub(super) fn endpoints(&self, pod_holes: &SortedMap<u32, Vec<u128>>) -> Vec<MatrixEndpoint> {
        let mut out: Vec<MatrixEndpoint> = self
            .engine
            .endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| MatrixEndpoint::of(e, EndpointId::from_index(i)))
            .collect();
        for &a in &self.externals {
            let Some(class) = self.space.classes.get(a as usize) else {
                continue;
            };
            let holes = pod_holes.get(&a).map_or(&[][..], Vec::as_slice);
            out.push(MatrixEndpoint::external(
                interval::describe(class.family, &class.intervals, holes.len()),
                interval::cidrs_without(class.family, &class.intervals, holes),
            ));
        }
        out
    }
}

/// The families a pair of classes is evaluated in (as `engine::eval::families`),
/// from each side's [`Work::class_families`]: an external side's own family, else
/// the families both sides have, else those either has.
fn pair_families(
    (fs, s_external): ([bool; 2], bool),
    (fd, d_external): ([bool; 2], bool),
) -> ([Option<Family>; 2], usize) {
    let chosen = if s_external {
        fs
    } else if d_external {
        fd
    } else {
        let both = [fs[0] && fd[0], fs[1] && fd[1]];
        if both[0] || both[1] {
            both
        } else {
            [fs[0] || fd[0], fs[1] || fd[1]]
        }
    };
    match chosen {
        [true, true] => ([Some(Family::V4), Some(Family::V6)], 2),
        [true, false] => ([Some(Family::V4), None], 1),
        [false, true] => ([Some(Family::V6), None], 1),
        [false, false] => ([None, None], 1),
    }
}

/// Ingress per source key (see [`Work::ingress_by_key`]).
struct Ingress {
    /// Per peer key: (destination class, ports), by destination.
    by_key: Vec<Vec<(u32, u32)>>,
    /// Per class: whether a policy isolates its ingress (never an external class).
    isolated: Vec<bool>,
}

impl Ingress {
    /// Whether a policy isolates the ingress of class `d`.
    fn isolates(&self, d: usize) -> bool {
        self.isolated.get(d).copied().unwrap_or(false)
    }
}

/// What one source's egress allows per peer key, and the keys it set, so that
/// clearing it costs only those.
struct Egress {
    ports: Vec<u32>,
    touched: Vec<usize>,
}

impl Egress {
    fn new(keys: usize) -> Egress {
        Egress {
            ports: vec![NONE; keys],
            touched: Vec::new(),
        }
    }

    fn clear(&mut self) {
        for &k in &self.touched {
            if let Some(cell) = self.ports.get_mut(k) {
                *cell = NONE;
            }
        }
        self.touched.clear();
    }
}
