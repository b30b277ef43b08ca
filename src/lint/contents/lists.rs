//! Many short lists stored one after another in one vector: one allocation for all
//! of them, and a place for each item that counts across the lists.

use alloc::vec::Vec;

/// Lists numbered from `0` in the order they are closed, items stored end to end.
#[derive(Clone, Debug)]
pub struct Lists<T> {
    /// The items of every list, list after list.
    items: Vec<T>,
    /// Where each list starts in `items`, then where the open list starts.
    starts: Vec<usize>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists {
            items: Vec::new(),
            starts: alloc::vec![0],
        }
    }
}

impl<T> Lists<T> {
    /// Adds `item` to the open list.
    pub fn push(&mut self, item: T) {
        self.items.push(item);
    }

    /// Closes the open list (it takes the next number) and opens an empty one.
    pub fn close(&mut self) {
        self.starts.push(self.items.len());
    }

    /// The items of list `list` (empty for a list never closed).
    pub fn get(&self, list: usize) -> &[T] {
        let end = self.starts.get(list + 1).copied().unwrap_or(0);
        self.items.get(self.start(list)..end).unwrap_or_default()
    }

    /// The place of list `list`'s first item among all the items.
    pub fn start(&self, list: usize) -> usize {
        self.starts.get(list).copied().unwrap_or(0)
    }

    /// How many lists are closed.
    pub fn list_count(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// How many items the closed lists hold.
    pub fn item_count(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }
}

impl<T: Ord> Lists<T> {
    /// The place among all the items of `item` in list `list`, if that list is
    /// ascending and holds it.
    pub fn find(&self, list: usize, item: &T) -> Option<usize> {
        let at = self.get(list).binary_search(item).ok()?;
        Some(self.start(list) + at)
    }
}

impl<T> Extend<T> for Lists<T> {
    /// Adds the items to the open list.
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        self.items.extend(items);
    }
}
