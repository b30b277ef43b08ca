//! Maps and sets kept as one sorted vector, for the crate's build-once, read-many
//! collections.
//!
//! `BTreeMap` and `BTreeSet` carry a whole B-tree (node splitting, rebalancing,
//! search, iteration) per key and value type: several kilobytes each in the
//! WebAssembly module, for maps that are built once and then only read. A
//! [`SortedMap`] is built in one go (from pairs: sorted by the crate's one sort
//! routine, [`crate::order`], then duplicates dropped), and every lookup is a
//! binary search through one non-generic routine ([`search`]): the code left per
//! type is the comparison. Iteration is in ascending key order, as the B-tree's.

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;

use crate::first_seen::first_seen_ids;

/// A map from `K` to `V`, its entries sorted by key (each key once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// The map of `pairs`; of pairs with equal keys the last one stays (as
    /// collecting into a `BTreeMap` does).
    pub fn from_pairs(mut pairs: Vec<(K, V)>) -> Self {
        // Reversed, the stable sort puts the last of equal keys first, and
        // `dedup_by` keeps the first of each run.
        pairs.reverse();
        crate::order::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
        pairs.dedup_by(|later, kept| later.0 == kept.0);
        SortedMap { entries: pairs }
    }

    /// The value of `key`, if the map has it.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        let at = self.find(key).ok()?;
        self.entries.get(at).map(|(_, v)| v)
    }

    /// The value of `key` to change, if the map has it.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let at = self.find(key).ok()?;
        self.entries.get_mut(at).map(|(_, v)| v)
    }

    /// Whether the map has `key`.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets the value of `key`, answering the one it replaces. Entries after it
    /// move: for maps that stay small (a few per policy or rule), not for maps
    /// that grow with the cluster (build those with [`SortedMap::from_pairs`] or
    /// [`SortedMap::grouped`]).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => self
                .entries
                .get_mut(at)
                .map(|(_, old)| core::mem::replace(old, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    /// Where `key` is (`Ok`) or would go (`Err`) in the entries.
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        let entries = &self.entries;
        search(entries.len(), &mut |at| match entries.get(at) {
            Some((k, _)) => k.borrow().cmp(key),
            None => Ordering::Greater,
        })
    }
}

impl<K: Ord, V> SortedMap<K, Vec<V>> {
    /// The values of `pairs` grouped by key, each group in the order of `pairs`
    /// (as `entry(key).or_default().push(value)` on a `BTreeMap` builds it).
    pub fn grouped(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut pairs: Vec<(K, V)> = pairs.into_iter().collect();
        crate::order::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
        let mut entries: Vec<(K, Vec<V>)> = Vec::new();
        for (key, value) in pairs {
            match entries.last_mut() {
                Some((last, values)) if *last == key => values.push(value),
                _ => entries.push((key, alloc::vec![value])),
            }
        }
        SortedMap { entries }
    }
}

impl<K: Ord> SortedMap<K, u32> {
    /// Each distinct key of `keys` with its [`first_seen_ids`] id (as interning
    /// the keys in turn, a new key taking the map's size as its id, builds it).
    pub fn numbered(keys: Vec<K>) -> Self {
        let (ids, firsts) = first_seen_ids(&keys);
        let pairs = keys
            .into_iter()
            .zip(ids)
            .enumerate()
            .filter(|(at, (_, id))| firsts.get(*id as usize) == Some(at))
            .map(|(_, pair)| pair)
            .collect();
        SortedMap::from_pairs(pairs)
    }
}

impl<K, V> SortedMap<K, V> {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in ascending key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in ascending key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values to change, in ascending key order.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        SortedMap::from_pairs(pairs.into_iter().collect())
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = alloc::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter =
        core::iter::Map<core::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        fn pair<K, V>((k, v): &(K, V)) -> (&K, &V) {
            (k, v)
        }
        self.entries.iter().map(pair)
    }
}

/// A set of `T`, its items sorted (each once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedSet<T> {
    items: Vec<T>,
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet { items: Vec::new() }
    }
}

impl<T: Ord> SortedSet<T> {
    /// The set of `items` (of equal items the first stays).
    pub fn from_items(mut items: Vec<T>) -> Self {
        crate::order::sort(&mut items);
        items.dedup();
        SortedSet { items }
    }

    /// Whether the set has `item`.
    pub fn contains<Q: Ord + ?Sized>(&self, item: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        let items = &self.items;
        search(items.len(), &mut |at| match items.get(at) {
            Some(x) => x.borrow().cmp(item),
            None => Ordering::Greater,
        })
        .is_ok()
    }
}

impl<T> SortedSet<T> {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items in ascending order.
    pub fn iter(&self) -> core::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The items in ascending order, as a slice.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        SortedSet::from_items(items.into_iter().collect())
    }
}

impl<T> IntoIterator for SortedSet<T> {
    type Item = T;
    type IntoIter = alloc::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Binary search over the positions `0..len`, `probe` comparing the item at a
/// position with the one sought: `Ok` with a position holding it, or `Err` with
/// where it would go. One non-generic routine for every map and set.
#[inline(never)]
fn search(len: usize, probe: &mut dyn FnMut(usize) -> Ordering) -> Result<usize, usize> {
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = low + (high - low) / 2;
        match probe(mid) {
            Ordering::Less => low = mid + 1,
            Ordering::Greater => high = mid,
            Ordering::Equal => return Ok(mid),
        }
    }
    Err(low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::tests::numbers;
    use alloc::collections::{BTreeMap, BTreeSet};
    use alloc::string::String;
    use alloc::vec;

    #[test]
    fn maps_answer_as_btree_maps_built_from_the_same_pairs() {
        for seed in 1..40u64 {
            for count in [0, 1, 2, 5, 30, 200] {
                let keys = numbers(seed, count, 17);
                let pairs: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
                let ours: SortedMap<u64, usize> = pairs.iter().copied().collect();
                let theirs: BTreeMap<u64, usize> = pairs.iter().copied().collect();
                assert!(ours.iter().eq(theirs.iter()), "seed {seed}, {count} pairs");
                assert_eq!(ours.len(), theirs.len());
                for probe in 0..20 {
                    assert_eq!(ours.get(&probe), theirs.get(&probe));
                    assert_eq!(ours.contains_key(&probe), theirs.contains_key(&probe));
                }
            }
        }
    }

    #[test]
    fn grouped_values_keep_their_input_order_per_key() {
        let words = ["pear", "apple", "plum", "avocado", "peach", "fig"];
        let by_letter =
            SortedMap::grouped(words.iter().map(|w| (w.chars().next().unwrap_or(' '), *w)));
        let mut expected: BTreeMap<char, Vec<&str>> = BTreeMap::new();
        for w in words {
            expected
                .entry(w.chars().next().unwrap_or(' '))
                .or_default()
                .push(w);
        }
        assert!(by_letter.iter().eq(expected.iter()));
        assert_eq!(by_letter.get(&'p'), Some(&vec!["pear", "plum", "peach"]));
        assert_eq!(by_letter.get(&'z'), None);
    }

    #[test]
    fn string_keys_are_found_by_str_and_values_change_in_place() {
        let mut map: SortedMap<String, u32> = [("b", 2), ("a", 1)]
            .iter()
            .map(|(k, v)| (String::from(*k), *v))
            .collect();
        assert_eq!(map.get("a"), Some(&1));
        assert!(!map.contains_key("c"));
        if let Some(v) = map.get_mut("b") {
            *v = 20;
        }
        for v in map.values_mut() {
            *v += 1;
        }
        assert!(map.keys().eq(["a", "b"].iter().copied()));
        assert!(map.values().eq([2, 21].iter()));
        assert_eq!(map.into_iter().count(), 2);
        assert!(SortedMap::<u8, u8>::default().is_empty());
    }

    #[test]
    fn sets_answer_as_btree_sets_built_from_the_same_items() {
        for seed in 1..40u64 {
            let items = numbers(seed, 60, 23);
            let ours: SortedSet<u64> = items.iter().copied().collect();
            let theirs: BTreeSet<u64> = items.iter().copied().collect();
            assert!(ours.iter().eq(theirs.iter()));
            assert_eq!(ours.len(), theirs.len());
            for probe in 0..30 {
                assert_eq!(ours.contains(&probe), theirs.contains(&probe));
            }
        }
        let empty: SortedSet<String> = SortedSet::default();
        assert!(empty.is_empty() && !empty.contains("x"));
    }

    #[test]
    fn numbered_keys_keep_the_id_of_their_first_appearance() {
        let map = SortedMap::numbered(vec!["b", "a", "b", "c", "a"]);
        assert!(map.iter().eq([(&"a", &1), (&"b", &0), (&"c", &2)]));
        assert!(SortedMap::<u8, u32>::numbered(Vec::new()).is_empty());
    }

    #[test]
    fn search_finds_every_position_and_every_gap() {
        let items = [10, 20, 30, 40];
        for (at, item) in items.iter().enumerate() {
            assert_eq!(search(items.len(), &mut |i| items[i].cmp(item)), Ok(at));
            let before = item - 5;
            assert_eq!(search(items.len(), &mut |i| items[i].cmp(&before)), Err(at));
        }
        assert_eq!(search(items.len(), &mut |i| items[i].cmp(&99)), Err(4));
        assert_eq!(search(0, &mut |_| Ordering::Equal), Err(0));
    }
}
