//! Numbering keys in the order they first appear: by sorting the keys, or through
//! hashes of the keys (the sort is over integers, and keys are compared only where
//! their hashes are equal, so a hash collision never merges two different keys).

use alloc::vec::Vec;
use core::cmp::Ordering;

/// Numbers `keys` in the order they first appear: equal keys share an id, and ids
/// count up from 0 (as interning each key in turn into a map does, a new key
/// taking the map's size as its id). Answers each key's id and, per id, the
/// position of its first key.
pub fn first_seen_ids<K: Ord>(keys: &[K]) -> (Vec<u32>, Vec<usize>) {
    let mut compare = |a: usize, b: usize| match (keys.get(a), keys.get(b)) {
        (Some(a), Some(b)) => a.cmp(b),
        _ => Ordering::Equal,
    };
    let order = crate::order::sorted_positions(keys.len(), &mut compare);
    number_runs(&order, &mut compare)
}

/// [`first_seen_ids`] from the positions in key order (equal keys in position
/// order), one non-generic routine for every key type.
#[inline(never)]
fn number_runs(
    order: &[usize],
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> (Vec<u32>, Vec<usize>) {
    // Runs of equal keys, numbered in key order.
    let mut run_of = alloc::vec![0usize; order.len()];
    let mut runs = 0usize;
    let mut previous: Option<usize> = None;
    for &at in order {
        if previous.is_none_or(|p| compare(p, at) != Ordering::Equal) {
            runs += 1;
        }
        if let Some(slot) = run_of.get_mut(at) {
            *slot = runs.saturating_sub(1);
        }
        previous = Some(at);
    }
    ids_by_first_position(&run_of, runs)
}

/// The ids of [`first_seen_ids`] from runs of equal keys: `run_of` gives each
/// key's run (numbered `0..runs` in any order). Ids count up in the order the
/// runs first appear in `run_of`.
fn ids_by_first_position(run_of: &[usize], runs: usize) -> (Vec<u32>, Vec<usize>) {
    let mut id_of_run: Vec<Option<u32>> = alloc::vec![None; runs];
    let mut firsts = Vec::with_capacity(runs);
    let ids = run_of
        .iter()
        .enumerate()
        .map(|(at, &run)| match id_of_run.get_mut(run) {
            Some(Some(id)) => *id,
            Some(slot) => {
                let id = u32::try_from(firsts.len()).unwrap_or(u32::MAX);
                firsts.push(at);
                *slot = Some(id);
                id
            }
            None => 0,
        })
        .collect();
    (ids, firsts)
}

/// What [`first_seen_ids`] answers for keys known by their hashes
/// `hashes` (equal keys must have equal hashes) and by `same`, which tells whether
/// the keys at two positions are equal: each key's id, and per id the position of
/// its first key.
pub(crate) fn first_seen_ids_by_hash(
    hashes: &[u64],
    same: &mut dyn FnMut(usize, usize) -> bool,
) -> (Vec<u32>, Vec<usize>) {
    let mut order: Vec<(u64, usize)> = hashes.iter().copied().zip(0..).collect();
    order.sort_unstable();
    let mut run_of = alloc::vec![0usize; hashes.len()];
    // Per run of equal keys: its first position.
    let mut run_firsts: Vec<usize> = Vec::new();
    // Where the runs of the current hash start in `run_firsts`.
    let mut hash_runs = 0;
    let mut previous_hash = None;
    for &(hash, at) in &order {
        if previous_hash != Some(hash) {
            hash_runs = run_firsts.len();
            previous_hash = Some(hash);
        }
        let known = run_firsts
            .get(hash_runs..)
            .and_then(|firsts| firsts.iter().position(|&first| same(first, at)));
        let run = match known {
            Some(offset) => hash_runs + offset,
            None => {
                run_firsts.push(at);
                run_firsts.len() - 1
            }
        };
        if let Some(slot) = run_of.get_mut(at) {
            *slot = run;
        }
    }
    ids_by_first_position(&run_of, run_firsts.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::tests::numbers;
    use alloc::collections::BTreeMap;

    #[test]
    fn first_seen_ids_number_keys_as_interning_them_in_turn_does() {
        for seed in 1..40u64 {
            for count in [0, 1, 2, 9, 100] {
                let keys = numbers(seed, count, 11);
                let mut interned: BTreeMap<u64, u32> = BTreeMap::new();
                let mut expected_firsts = Vec::new();
                let expected: Vec<u32> = keys
                    .iter()
                    .enumerate()
                    .map(|(at, key)| {
                        let next = interned.len() as u32;
                        let id = *interned.entry(*key).or_insert(next);
                        if id == next {
                            expected_firsts.push(at);
                        }
                        id
                    })
                    .collect();
                let (ids, firsts) = first_seen_ids(&keys);
                assert_eq!(ids, expected, "seed {seed}, {count} keys");
                assert_eq!(firsts, expected_firsts, "seed {seed}, {count} keys");
            }
        }
    }

    #[test]
    fn ids_are_those_of_the_keys_even_when_hashes_collide() {
        for seed in 1..40u64 {
            for count in [0, 1, 2, 9, 100] {
                let keys = numbers(seed, count, 11);
                for buckets in [1, 3, 64] {
                    // Few buckets: different keys share hashes.
                    let hashes: Vec<u64> = keys.iter().map(|k| k % buckets).collect();
                    let ours =
                        first_seen_ids_by_hash(&hashes, &mut |a, b| keys.get(a) == keys.get(b));
                    assert_eq!(ours, first_seen_ids(&keys), "seed {seed}, {count} keys");
                }
            }
        }
    }
}
