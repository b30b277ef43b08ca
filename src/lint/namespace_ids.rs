//! The engine's namespace ids (positions in its sorted namespace list) of the
//! input's objects, so rules group and look up namespaces by number.

use alloc::vec::Vec;

use crate::engine::Engine;
use crate::model::Model;
use crate::text_hash::word_hash;

/// Per policy of `model` (by index), the id of its namespace in `engine`.
pub fn policy_namespace_ids(engine: &Engine<'_>, model: &Model) -> Vec<Option<u32>> {
    model
        .policies
        .iter()
        .map(|p| engine.namespace_id(p.meta.namespace_name()))
        .collect()
}

/// A hash of the namespace id `id`: where the hash of a key within a namespace
/// starts.
pub fn namespace_hash(id: Option<u32>) -> u64 {
    word_hash(id.map_or(u64::MAX, u64::from), 0)
}
