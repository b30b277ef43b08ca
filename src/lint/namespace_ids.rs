//! The engine's namespace ids (positions in its sorted namespace list) of the
//! input's objects, so rules group and look up namespaces by number.

use alloc::vec::Vec;

use crate::engine::Engine;
use crate::model::{Model, ObjectMeta};
use crate::text_hash::word_hash;

/// Looks up namespace ids by name, remembering the last name asked: objects of one
/// namespace tend to come together, so most lookups compare a single name.
pub struct NamespaceIds<'e, 'm> {
    /// Whose namespace list is numbered.
    engine: &'e Engine<'m>,
    /// The last name looked up, with its id.
    last: Option<(&'m str, Option<u32>)>,
}

impl<'e, 'm> NamespaceIds<'e, 'm> {
    /// Lookups in `engine`'s namespaces.
    pub fn new(engine: &'e Engine<'m>) -> Self {
        NamespaceIds { engine, last: None }
    }

    /// The id of the namespace of the object `meta` (`None` when the engine does
    /// not know it).
    pub fn of(&mut self, meta: &'m ObjectMeta) -> Option<u32> {
        let name = meta.namespace_name();
        match self.last {
            Some((last, id)) if last == name => id,
            _ => {
                let id = self.engine.namespace_id(name);
                self.last = Some((name, id));
                id
            }
        }
    }
}

/// Per policy of `model` (by index), the id of its namespace in `engine`.
pub fn policy_namespace_ids<'m>(engine: &Engine<'m>, model: &'m Model) -> Vec<Option<u32>> {
    let mut ids = NamespaceIds::new(engine);
    model.policies.iter().map(|p| ids.of(&p.meta)).collect()
}

/// A hash of the namespace id `id`: where the hash of a key within a namespace
/// starts.
pub fn namespace_hash(id: Option<u32>) -> u64 {
    word_hash(id.map_or(u64::MAX, u64::from), 0)
}
