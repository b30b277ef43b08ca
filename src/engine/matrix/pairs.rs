//! The walk over every pair of a [`Matrix`] behind [`Matrix::connections`]. For each
//! run of sources of the same class, the destinations its stored row allows are
//! listed once (each destination class's endpoints, by endpoint index), so the walk
//! costs what it yields rather than a look at every destination of every source.

use alloc::vec;
use alloc::vec::Vec;

use super::{Connection, Matrix, NOTHING};
use crate::engine::intern::{ALL, NONE};

/// Every pair with something allowed, by source then destination index.
pub(super) struct Pairs<'m> {
    matrix: &'m Matrix,
    /// Per class, its endpoints in ascending index.
    members: Vec<Vec<usize>>,
    /// The source being walked.
    from: usize,
    /// Whether `from`'s destinations are set up (`cursor`, `diagonal`).
    started: bool,
    /// The destinations of the class `loaded` with their set id, by destination index.
    destinations: Vec<(usize, u32)>,
    /// The class whose destinations are listed (`Some(None)`: a source without class).
    loaded: Option<Option<u32>>,
    /// The next entry of `destinations` to look at.
    cursor: usize,
    /// Whether `from` → `from` (always all for a pod or workload) is still to come.
    diagonal: bool,
}

impl<'m> Pairs<'m> {
    /// The walk from the first pair.
    pub fn new(matrix: &'m Matrix) -> Pairs<'m> {
        let n = matrix.endpoints.len();
        let classes = matrix
            .class_of
            .iter()
            .take(n)
            .max()
            .map_or(0, |&top| top as usize + 1);
        let mut members = vec![Vec::new(); classes];
        for (i, &class) in matrix.class_of.iter().take(n).enumerate() {
            if let Some(list) = members.get_mut(class as usize) {
                list.push(i);
            }
        }
        Pairs {
            matrix,
            members,
            from: 0,
            started: false,
            destinations: Vec::new(),
            loaded: None,
            cursor: 0,
            diagonal: false,
        }
    }

    /// Lists the destinations of `from`'s class, unless they are listed already.
    fn load(&mut self, from: usize) {
        let matrix = self.matrix;
        let class = matrix.class_of.get(from).copied();
        if self.loaded == Some(class) {
            return;
        }
        self.destinations.clear();
        let row = class
            .and_then(|c| matrix.rows.get(c as usize))
            .map_or(&[][..], Vec::as_slice);
        for &(to_class, id) in row.iter().filter(|&&(_, id)| id != NONE) {
            if let Some(list) = self.members.get(to_class as usize) {
                self.destinations.extend(list.iter().map(|&to| (to, id)));
            }
        }
        self.destinations.sort_unstable_by_key(|&(to, _)| to);
        self.loaded = Some(class);
    }

    /// Whether the listed pair `from` → `to` is left out: the diagonal (which
    /// `diagonal` answers) and pairs of two external classes.
    fn skipped(&self, from: usize, to: usize) -> bool {
        to == from || (self.matrix.is_external(from) && self.matrix.is_external(to))
    }
}

impl<'m> Iterator for Pairs<'m> {
    type Item = Connection<'m>;

    fn next(&mut self) -> Option<Connection<'m>> {
        let n = self.matrix.endpoints.len();
        while self.from < n {
            let from = self.from;
            if !self.started {
                self.load(from);
                self.cursor = 0;
                self.diagonal = !self.matrix.is_external(from);
                self.started = true;
            }
            while let Some(&(to, _)) = self.destinations.get(self.cursor) {
                if !self.skipped(from, to) {
                    break;
                }
                self.cursor += 1;
            }
            let (to, id) = match self.destinations.get(self.cursor).copied() {
                Some((to, id)) if !(self.diagonal && from < to) => {
                    self.cursor += 1;
                    (to, id)
                }
                _ if self.diagonal => {
                    self.diagonal = false;
                    (from, ALL)
                }
                _ => {
                    self.from += 1;
                    self.started = false;
                    continue;
                }
            };
            return Some(Connection {
                from,
                to,
                allowed: self.matrix.sets.get(id as usize).unwrap_or(&NOTHING),
            });
        }
        None
    }
}
