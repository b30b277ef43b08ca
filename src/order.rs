//! One stable sort for the whole crate.
//!
//! `slice::sort_by` is generic over the element type, so every sorted type carries
//! its own copy of the sorting algorithm (several kilobytes each in the WebAssembly
//! module). [`sort_by`] sorts the *positions* of the elements instead, with one
//! non-generic routine, then moves the elements into that order by swaps: the code
//! left per element type is the comparison and the swap. The order is exactly the
//! one `slice::sort_by` gives (stable: equal elements keep their relative order).
//!
//! Slices of plain numbers keep `sort_unstable` (one small copy, and much faster
//! than going through positions).

use alloc::vec::Vec;
use core::cmp::Ordering;

/// Sorts `items` by `compare`, stably (as `slice::sort_by`).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let items = &*items;
        sorted_positions(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(a), Some(b)) => compare(a, b),
                _ => Ordering::Equal,
            },
        )
    };
    apply_order(&order, &mut |a, b| items.swap(a, b));
}

/// Sorts `items` by the key `key` gives each, stably (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their natural order, stably (as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, Ord::cmp);
}

/// The positions `0..len` in the order `compare` (of two positions) puts them,
/// equal positions in their original order.
pub(crate) fn sorted_positions(
    len: usize,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges a sequence so that its position `i` holds what was at `order[i]`,
/// with `swap` exchanging two positions: each cycle of the permutation is walked
/// once, one swap per element moved.
fn apply_order(order: &[usize], swap: &mut dyn FnMut(usize, usize)) {
    let mut placed = alloc::vec![false; order.len()];
    for start in 0..order.len() {
        let mut at = start;
        loop {
            match placed.get_mut(at) {
                Some(done) if !*done => *done = true,
                _ => break,
            }
            let Some(&from) = order.get(at) else { break };
            if from == start {
                break;
            }
            swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec;

    /// A tiny deterministic generator (xorshift), so the cases cover many orders.
    pub(crate) fn numbers(seed: u64, count: usize, modulo: u64) -> Vec<u64> {
        let mut state = seed | 1;
        (0..count)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state % modulo
            })
            .collect()
    }

    #[test]
    fn sorts_as_the_standard_stable_sort_does() {
        for seed in 1..60u64 {
            for count in [0, 1, 2, 3, 7, 20, 33, 100, 257] {
                // Pairs whose first half ties often: stability shows in the second.
                let keys = numbers(seed, count, 5);
                let mut ours: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
                let mut standard = ours.clone();
                sort_by_key(&mut ours, |p| p.0);
                standard.sort_by_key(|p| p.0);
                assert_eq!(ours, standard, "seed {seed}, {count} items");
            }
        }
    }

    #[test]
    fn natural_and_reversed_orders_and_owned_values() {
        let mut words: Vec<String> = ["pear", "apple", "fig", "apple", "kiwi"]
            .iter()
            .map(|w| String::from(*w))
            .collect();
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "kiwi", "pear"]);
        sort_by(&mut words, |a, b| b.cmp(a));
        assert_eq!(words, ["pear", "kiwi", "fig", "apple", "apple"]);
    }

    #[test]
    fn already_sorted_and_empty_inputs_are_left_alone() {
        let mut sorted = vec![1, 2, 3, 4];
        sort(&mut sorted);
        assert_eq!(sorted, [1, 2, 3, 4]);
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn every_cycle_of_a_permutation_is_applied() {
        let order = [3, 0, 4, 1, 2, 6, 5];
        let mut items: Vec<usize> = (0..order.len()).collect();
        apply_order(&order, &mut |a, b| items.swap(a, b));
        assert_eq!(items, order);
    }
}
