//! The walk over every pair of a [`Matrix`] behind [`Matrix::connections`]: one
//! lookup table per source class (destination class → set id), filled once for each
//! run of sources of the same class, so each pair costs one array read instead of a
//! search of the source's row.

use alloc::vec;
use alloc::vec::Vec;

use super::{Connection, Matrix, NOTHING};
use crate::engine::intern::{ALL, NONE};

/// Every pair with something allowed, by source then destination index.
pub(super) struct Pairs<'m> {
    matrix: &'m Matrix,
    from: usize,
    to: usize,
    /// The set id per destination class for the source class `loaded` (`NONE` for the
    /// other classes and when nothing is loaded).
    by_class: Vec<u32>,
    loaded: Option<u32>,
}

impl<'m> Pairs<'m> {
    /// The walk from the first pair.
    pub fn new(matrix: &'m Matrix) -> Pairs<'m> {
        let classes = matrix
            .class_of
            .iter()
            .max()
            .map_or(0, |&top| top as usize + 1);
        Pairs {
            matrix,
            from: 0,
            to: 0,
            by_class: vec![NONE; classes],
            loaded: None,
        }
    }

    /// Makes `by_class` the row of `from`'s class.
    fn load(&mut self, from: usize) {
        let class = self.matrix.class_of.get(from).copied();
        if class == self.loaded {
            return;
        }
        for (c, id) in self
            .row(self.loaded)
            .iter()
            .map(|&(c, _)| (c, NONE))
            .chain(self.row(class).iter().copied())
        {
            if let Some(slot) = self.by_class.get_mut(c as usize) {
                *slot = id;
            }
        }
        self.loaded = class;
    }

    /// The stored row of `class` (empty when there is none).
    fn row(&self, class: Option<u32>) -> &'m [(u32, u32)] {
        let matrix = self.matrix;
        class
            .and_then(|c| matrix.rows.get(c as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// The set id of `from` → `to`, with `from`'s row loaded: the rules of
    /// `Matrix::allowed_id`.
    fn id(&self, from: usize, to: usize) -> u32 {
        let matrix = self.matrix;
        if from == to {
            return if matrix.is_external(from) { NONE } else { ALL };
        }
        if matrix.is_external(from) && matrix.is_external(to) {
            return NONE;
        }
        matrix
            .class_of
            .get(to)
            .and_then(|&c| self.by_class.get(c as usize))
            .copied()
            .unwrap_or(NONE)
    }
}

impl<'m> Iterator for Pairs<'m> {
    type Item = Connection<'m>;

    fn next(&mut self) -> Option<Connection<'m>> {
        let n = self.matrix.endpoints.len();
        while self.from < n {
            if self.to == 0 {
                self.load(self.from);
            }
            while self.to < n {
                let (from, to) = (self.from, self.to);
                self.to += 1;
                let id = self.id(from, to);
                if id != NONE {
                    return Some(Connection {
                        from,
                        to,
                        allowed: self.matrix.sets.get(id as usize).unwrap_or(&NOTHING),
                    });
                }
            }
            self.from += 1;
            self.to = 0;
        }
        None
    }
}
