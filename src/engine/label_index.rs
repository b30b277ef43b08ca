//! Which endpoints carry a label, per namespace: the candidates a policy's
//! podSelector is matched against.

use alloc::vec::Vec;
use core::ops::Range;

use super::endpoints::Endpoint;
use crate::text_hash::text_hash;

/// Endpoint positions by (namespace id, hash of one label's key and value), sorted
/// by all three. Labels are found by their hash alone: two labels sharing a hash
/// only add candidates, and every candidate is matched against the selector after.
pub(crate) struct LabelIndex {
    entries: Vec<(u32, u64, u32)>,
}

impl LabelIndex {
    /// Indexes every label of `endpoints`.
    pub(crate) fn new(endpoints: &[Endpoint<'_>]) -> Self {
        let mut entries: Vec<(u32, u64, u32)> = endpoints
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                let position = u32::try_from(i).unwrap_or(u32::MAX);
                e.labels
                    .into_iter()
                    .map(move |(k, v)| (e.namespace_id, label_hash(k, v), position))
            })
            .collect();
        entries.sort_unstable();
        LabelIndex { entries }
    }

    /// The positions (ascending, each once) of the endpoints of namespace `ns_id`
    /// that may carry the label `key=value`: all that do, and perhaps others.
    pub(crate) fn carrying(&self, ns_id: u32, key: &str, value: &str) -> Vec<usize> {
        let hash = label_hash(key, value);
        let mut positions: Vec<usize> = self
            .entries
            .get(self.range(ns_id, hash))
            .unwrap_or_default()
            .iter()
            .map(|&(_, _, position)| position as usize)
            .collect();
        // Two labels of one endpoint sharing a hash list it twice, side by side.
        positions.dedup();
        positions
    }

    /// Where the entries of (`ns_id`, `hash`) sit.
    fn range(&self, ns_id: u32, hash: u64) -> Range<usize> {
        let start = self.entries.partition_point(|e| (e.0, e.1) < (ns_id, hash));
        let end = self
            .entries
            .partition_point(|e| (e.0, e.1) <= (ns_id, hash));
        start..end.max(start)
    }
}

/// The hash of the label `key=value`.
fn label_hash(key: &str, value: &str) -> u64 {
    text_hash(value.as_bytes(), text_hash(key.as_bytes(), 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode;
    use crate::doc::Limits;
    use crate::engine::Engine;
    use crate::source::{Source, SourceSet};
    use alloc::format;
    use alloc::string::String;

    #[test]
    fn the_endpoints_carrying_a_label_are_found_in_their_namespace_only() {
        let yaml: String = (0..60)
            .map(|i| {
                format!(
                    "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: ns-{}, labels: {{app: a{}, tier: t{}}}}}\nspec: {{containers: [{{name: c, image: i}}]}}\n",
                    i % 3,
                    i % 4,
                    i % 5
                )
            })
            .collect();
        let mut sources = SourceSet::new();
        sources.add(Source::new("pods.yaml", yaml));
        let loaded = decode::load(&sources, &Limits::default());
        let engine = Engine::new(&loaded.model);
        let endpoints = engine.endpoints();
        let index = LabelIndex::new(endpoints);
        for ns in 0..3u32 {
            for (key, value) in [("app", "a1"), ("tier", "t4"), ("app", "t4"), ("zone", "a1")] {
                let expected: Vec<usize> = (0..endpoints.len())
                    .filter(|&i| {
                        endpoints[i].namespace_id == ns
                            && endpoints[i].labels.get(key) == Some(value)
                    })
                    .collect();
                assert_eq!(
                    index.carrying(ns, key, value),
                    expected,
                    "{ns} {key}={value}"
                );
            }
        }
    }
}
