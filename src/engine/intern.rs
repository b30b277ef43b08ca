//! Interned port sets: each distinct [`ProtocolPorts`] gets a small id, and unions
//! and intersections of ids are memoised, so the matrix combines `u32`s.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use super::ports::ProtocolPorts;

/// The id of the empty set.
pub(crate) const NONE: u32 = 0;
/// The id of every port of every protocol.
pub(crate) const ALL: u32 = 1;

/// The table of distinct port sets.
#[derive(Clone, Debug)]
pub(crate) struct PortTable {
    sets: Vec<ProtocolPorts>,
    ids: BTreeMap<ProtocolPorts, u32>,
    unions: BTreeMap<(u32, u32), u32>,
    intersections: BTreeMap<(u32, u32), u32>,
}

impl PortTable {
    /// A table holding [`NONE`] and [`ALL`].
    pub fn new() -> PortTable {
        let sets = vec![ProtocolPorts::none(), ProtocolPorts::all()];
        let ids = sets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        PortTable {
            sets,
            ids,
            unions: BTreeMap::new(),
            intersections: BTreeMap::new(),
        }
    }

    /// The id of `set`, adding it if new.
    pub fn intern(&mut self, set: ProtocolPorts) -> u32 {
        if let Some(&id) = self.ids.get(&set) {
            return id;
        }
        let id = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        self.sets.push(set.clone());
        self.ids.insert(set, id);
        id
    }

    /// The set with id `id` (the empty set for an unknown id).
    pub fn get(&self, id: u32) -> &ProtocolPorts {
        self.sets
            .get(id as usize)
            .or_else(|| self.sets.first())
            .unwrap_or(&EMPTY)
    }

    /// The id of the union of `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == NONE || a == ALL {
            return a;
        }
        if a == NONE || b == ALL {
            return b;
        }
        let key = (a.min(b), a.max(b));
        if let Some(&id) = self.unions.get(&key) {
            return id;
        }
        let set = self.get(a).union(self.get(b));
        let id = self.intern(set);
        self.unions.insert(key, id);
        id
    }

    /// The id of the intersection of `a` and `b`.
    pub fn intersect(&mut self, a: u32, b: u32) -> u32 {
        if a == b || b == ALL || a == NONE {
            return a;
        }
        if a == ALL || b == NONE {
            return b;
        }
        let key = (a.min(b), a.max(b));
        if let Some(&id) = self.intersections.get(&key) {
            return id;
        }
        let set = self.get(a).intersect(self.get(b));
        let id = self.intern(set);
        self.intersections.insert(key, id);
        id
    }

    /// Every set, by id.
    pub fn into_sets(self) -> Vec<ProtocolPorts> {
        self.sets
    }
}

/// The empty set, for references that must not fail.
static EMPTY: ProtocolPorts = ProtocolPorts {
    tcp: super::ports::PortSet::EMPTY,
    udp: super::ports::PortSet::EMPTY,
    sctp: super::ports::PortSet::EMPTY,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ports::PortSet;
    use crate::model::Protocol;

    #[test]
    fn ids_are_shared_and_operations_memoised() {
        let mut t = PortTable::new();
        let a = t.intern(ProtocolPorts::only(Protocol::Tcp, PortSet::range(80, 90)));
        let b = t.intern(ProtocolPorts::only(Protocol::Tcp, PortSet::range(85, 100)));
        assert_eq!(
            t.intern(ProtocolPorts::only(Protocol::Tcp, PortSet::range(80, 90))),
            a
        );
        let u = t.union(a, b);
        assert_eq!(t.get(u).tcp.ranges(), &[(80, 100)]);
        let i = t.intersect(b, a);
        assert_eq!(t.get(i).tcp.ranges(), &[(85, 90)]);
        assert_eq!(t.union(a, NONE), a);
        assert_eq!(t.intersect(a, ALL), a);
        assert_eq!(t.intersect(a, NONE), NONE);
        assert!(t.get(ALL).is_all() && t.get(NONE).is_empty());
    }
}
