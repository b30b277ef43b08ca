//! [`Labels`]: an object's labels (or annotations) as a compact sorted list of
//! shared strings, and [`Interner`], which makes equal strings share one allocation.
//!
//! Rendered charts repeat the same keys and values on every object (`helm.sh/chart`,
//! `app.kubernetes.io/managed-by: Helm`...): holding each distinct string once, in a
//! sorted vector rather than a tree of nodes, keeps a large input's model small.

use alloc::collections::{btree_map, BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::text_hash::text_hash;

/// Labels (or annotations) of an object: `(key, value)` pairs sorted by key, each
/// key once. Keys and values are shared strings ([`Interner`]), so cloning a set is
/// cheap and equal strings of many objects are held once.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labels {
    /// Sorted by key, keys unique.
    entries: Vec<(Arc<str>, Arc<str>)>,
}

impl Labels {
    /// No labels.
    pub fn new() -> Self {
        Labels::default()
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.position(key)
            .ok()
            .and_then(|i| self.entries.get(i))
            .map(|(_, value)| &**value)
    }

    /// Whether `key` is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`, replacing an earlier value of `key`.
    pub fn insert(&mut self, key: impl Into<Arc<str>>, value: impl Into<Arc<str>>) {
        let key = key.into();
        let value = value.into();
        match self.position(&key) {
            Ok(i) => {
                if let Some(entry) = self.entries.get_mut(i) {
                    entry.1 = value;
                }
            }
            Err(i) => self.entries.insert(i, (key, value)),
        }
    }

    /// The pairs, sorted by key.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone + '_ {
        self.entries.iter().map(|(k, v)| (&**k, &**v))
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.entries.iter().map(|(k, _)| &**k)
    }

    /// How many keys are set.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The labels as an ordinary map of owned strings (for answers that are
    /// serialised).
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.iter()
            .map(|(k, v)| (String::from(k), String::from(v)))
            .collect()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| (**k).cmp(key))
    }
}

impl<K: Into<Arc<str>>, V: Into<Arc<str>>> FromIterator<(K, V)> for Labels {
    /// The pairs sorted by key; of a key given twice, the last value wins (as when
    /// collecting into a map).
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut entries: Vec<(Arc<str>, Arc<str>)> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        // Manifests usually list labels in order already.
        if !entries.is_sorted_by(|a, b| a.0 <= b.0) {
            crate::order::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
        }
        let mut unique: Vec<(Arc<str>, Arc<str>)> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            match unique.last_mut() {
                Some(last) if last.0 == key => last.1 = value,
                _ => unique.push((key, value)),
            }
        }
        Labels { entries: unique }
    }
}

impl<'l> IntoIterator for &'l Labels {
    type Item = (&'l str, &'l str);
    type IntoIter = core::iter::Map<
        core::slice::Iter<'l, (Arc<str>, Arc<str>)>,
        fn(&'l (Arc<str>, Arc<str>)) -> (&'l str, &'l str),
    >;

    fn into_iter(self) -> Self::IntoIter {
        fn pair((k, v): &(Arc<str>, Arc<str>)) -> (&str, &str) {
            (k, v)
        }
        self.entries.iter().map(pair)
    }
}

impl serde::Serialize for Labels {
    /// As a JSON object from key to value, keys in order.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Hands out one shared string per distinct text, so that the labels of all the
/// objects of a source share their allocations.
#[derive(Debug, Default)]
pub struct Interner {
    /// The first string met of each hash: found by comparing numbers, not texts.
    by_hash: BTreeMap<u64, Arc<str>>,
    /// Strings whose hash a different, earlier string holds (practically never).
    collided: BTreeSet<Arc<str>>,
}

impl Interner {
    /// The shared string equal to `text` (allocated on first sight).
    pub fn intern(&mut self, text: &str) -> Arc<str> {
        self.intern_hashed(text, text_hash(text.as_bytes(), 0))
    }

    /// [`Interner::intern`] of `text` whose hash is `hash`.
    fn intern_hashed(&mut self, text: &str, hash: u64) -> Arc<str> {
        match self.by_hash.entry(hash) {
            btree_map::Entry::Vacant(slot) => Arc::clone(slot.insert(Arc::from(text))),
            btree_map::Entry::Occupied(slot) if **slot.get() == *text => Arc::clone(slot.get()),
            btree_map::Entry::Occupied(_) => {
                if let Some(shared) = self.collided.get(text) {
                    return Arc::clone(shared);
                }
                let shared: Arc<str> = Arc::from(text);
                self.collided.insert(Arc::clone(&shared));
                shared
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn pairs_are_sorted_and_a_repeated_key_keeps_its_last_value() {
        let labels: Labels = [("tier", "web"), ("app", "a"), ("tier", "db")]
            .into_iter()
            .collect();
        assert_eq!(
            labels.iter().collect::<Vec<_>>(),
            vec![("app", "a"), ("tier", "db")]
        );
        assert_eq!(labels.len(), 2);
        assert_eq!(labels.get("tier"), Some("db"));
        assert_eq!(labels.get("zone"), None);
        assert!(labels.contains_key("app"));
        assert!(!labels.contains_key("ap"));
    }

    #[test]
    fn insert_adds_in_order_and_replaces() {
        let mut labels = Labels::new();
        assert!(labels.is_empty());
        labels.insert("b", "1");
        labels.insert("a", "2");
        labels.insert("b", "3");
        assert_eq!(labels.keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(labels.get("b"), Some("3"));
        let from_map: BTreeMap<String, String> = labels.to_map();
        assert_eq!(from_map.get("a").map(String::as_str), Some("2"));
        assert_eq!((&labels).into_iter().count(), 2);
        assert_eq!(
            serde_json::to_string(&labels).unwrap_or_default(),
            r#"{"a":"2","b":"3"}"#
        );
    }

    #[test]
    fn order_is_that_of_the_pairs_as_a_map_would_give() {
        let a: Labels = [("app", "a")].into_iter().collect();
        let b: Labels = [("app", "a"), ("tier", "web")].into_iter().collect();
        let c: Labels = [("app", "b")].into_iter().collect();
        assert!(a < b && b < c);
        let map = |l: &Labels| l.to_map();
        assert!(map(&a) < map(&b) && map(&b) < map(&c));
    }

    #[test]
    fn interned_strings_share_one_allocation() {
        let mut interner = Interner::default();
        let first = interner.intern("app.kubernetes.io/managed-by");
        let second = interner.intern("app.kubernetes.io/managed-by");
        let other = interner.intern("Helm");
        assert!(Arc::ptr_eq(&first, &second));
        assert!(!Arc::ptr_eq(&first, &other));
        assert_eq!(&*other, "Helm");
    }

    #[test]
    fn texts_of_one_hash_are_still_told_apart() {
        let mut interner = Interner::default();
        let first = interner.intern_hashed("web", 7);
        let second = interner.intern_hashed("db", 7);
        let again = interner.intern_hashed("db", 7);
        assert_eq!((&*first, &*second), ("web", "db"));
        assert!(Arc::ptr_eq(&second, &again));
        assert!(Arc::ptr_eq(&first, &interner.intern_hashed("web", 7)));
    }
}
