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

    /// The families a pair of classes is evaluated in (as `engine::eval::families`).
    pub(super) fn pair_families(&self, s: usize, d: usize) -> ([Option<Family>; 2], usize) {
        let fams = |c: usize| -> [bool; 2] {
            match self.external_family(c) {
                Some(f) => [f == Family::V4, f == Family::V6],
                None => [
                    self.classes.has_family(c, Family::V4),
                    self.classes.has_family(c, Family::V6),
                ],
            }
        };
        let (fs, fd) = (fams(s), fams(d));
        let chosen = if self.external_family(s).is_some() {
            fs
        } else if self.external_family(d).is_some() {
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

    /// The allowed ports between every pair of classes, per source class.
    pub(super) fn rows(&mut self) -> Vec<Vec<(u32, u32)>> {
        let total = self.keys.len();
        let key_count = self.key_class.len();
        // Ingress: per source key, the (destination class, ports) of isolated ones.
        let mut ingress: Vec<Vec<(u32, u32)>> = vec![Vec::new(); key_count];
        let mut open_in = vec![true; total];
        for d in 0..self.pod_classes() {
            let Some(rules) = self.rules_of(d, Direction::Ingress) else {
                continue;
            };
            if let Some(flag) = open_in.get_mut(d) {
                *flag = false;
            }
            for r in rules {
                let ports = self.ports_to(r, d);
                let keys: Vec<usize> = self
                    .rules
                    .get(r)
                    .map(|c| c.matches.ones().collect())
                    .unwrap_or_default();
                for k in keys {
                    let Some(list) = ingress.get_mut(k) else {
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
        let template: Vec<u32> = open_in
            .iter()
            .map(|&o| if o { ALL } else { NONE })
            .collect();
        let mut rows = Vec::with_capacity(total);
        let mut egress = vec![NONE; key_count];
        let mut columns: [Vec<u32>; 3] = [template.clone(), template.clone(), template.clone()];
        for s in 0..total {
            let open_out = self.fill_egress(s, &mut egress);
            let keys = self.keys.get(s).copied().unwrap_or([0, 0, 0]);
            for (slot, column) in columns.iter_mut().enumerate() {
                column.copy_from_slice(&template);
                for &(d, id) in keys
                    .get(slot)
                    .and_then(|&k| ingress.get(k as usize))
                    .into_iter()
                    .flatten()
                {
                    if let Some(cell) = column.get_mut(d as usize) {
                        *cell = id;
                    }
                }
            }
            let mut row = Vec::new();
            let s_external = s >= self.pod_classes();
            for d in 0..total {
                if s_external && d >= self.pod_classes() {
                    continue;
                }
                let (families, n) = self.pair_families(s, d);
                let d_keys = self.keys.get(d).copied().unwrap_or([0, 0, 0]);
                let mut acc = NONE;
                for family in families.iter().take(n) {
                    let slot = key_slot(*family);
                    let e = if open_out {
                        ALL
                    } else {
                        d_keys
                            .get(slot)
                            .and_then(|&k| egress.get(k as usize))
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
        }
        rows
    }

    /// Fills `egress` with what class `s`'s egress allows per peer key; returns
    /// whether `s` is open (not isolated, or external), leaving `egress` untouched.
    pub(super) fn fill_egress(&mut self, s: usize, egress: &mut [u32]) -> bool {
        if s >= self.pod_classes() {
            return true;
        }
        let Some(rules) = self.rules_of(s, Direction::Egress) else {
            return true;
        };
        egress.fill(NONE);
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
                if let Some(cell) = egress.get_mut(k) {
                    *cell = self.table.union(*cell, ports);
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
