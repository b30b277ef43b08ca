//! Numbering keys in the order they first appear, through hashes of the keys: the
//! sort is over integers, and keys are compared only where their hashes are equal
//! (so a hash collision never merges two different keys).

use alloc::vec::Vec;

use crate::sorted::ids_by_first_position;

/// What [`crate::sorted::first_seen_ids`] answers for keys known by their hashes
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
    use crate::sorted::first_seen_ids;

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
