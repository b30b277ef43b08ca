//! A fixed-size bitset over small indices (peer keys, classes, address blocks).

use alloc::vec;
use alloc::vec::Vec;

/// Bits `0..len`, all clear at first.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    /// `len` clear bits.
    pub fn new(len: usize) -> Bitset {
        Bitset {
            words: vec![0; len.div_ceil(64)],
        }
    }

    /// Sets bit `i` (ignored beyond the length).
    pub fn set(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// Sets every bit `0..len`.
    pub fn fill(&mut self, len: usize) {
        for i in 0..len {
            self.set(i);
        }
    }

    /// The set bits, ascending.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut word = w;
            core::iter::from_fn(move || {
                if word == 0 {
                    return None;
                }
                let bit = word.trailing_zeros() as usize;
                word &= word - 1;
                Some(i * 64 + bit)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_fill_and_iterate() {
        let mut b = Bitset::new(130);
        b.set(0);
        b.set(64);
        b.set(129);
        b.set(500);
        assert_eq!(b.ones().collect::<Vec<_>>(), vec![0, 64, 129]);
        let mut c = Bitset::new(130);
        c.fill(3);
        assert_eq!(c.ones().collect::<Vec<_>>(), vec![0, 1, 2]);
    }
}
