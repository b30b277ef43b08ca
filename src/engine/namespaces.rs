//! Namespaces: the declared ones and the referenced ones, with effective labels.

use alloc::string::String;
use alloc::vec::Vec;

use crate::model::{Labels, Model, NAMESPACE_NAME_LABEL};
use crate::sorted::{SortedMap, SortedSet};
use crate::text_hash::text_hash;

/// A namespace as the engine sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceInfo {
    /// The name.
    pub name: String,
    /// Labels as the API server would show them: those declared, plus
    /// `kubernetes.io/metadata.name=<name>` (added, or overriding another value).
    pub labels: Labels,
    /// Index in `model.namespaces` when declared in the input.
    pub declared: Option<usize>,
}

/// All namespaces, sorted by name.
#[derive(Clone, Debug, Default)]
pub(crate) struct Namespaces {
    list: Vec<NamespaceInfo>,
    /// Each name's hash with its index, sorted: a name is found by comparing
    /// numbers, then its text once (names share long prefixes, and comparing texts
    /// is slow in WebAssembly).
    by_hash: Vec<(u64, u32)>,
}

impl Namespaces {
    /// Collects the declared namespaces and those objects live in.
    pub(crate) fn build(model: &Model) -> Namespaces {
        // Of entries with the same name the last one stays: the referenced names
        // go first, then the declarations from last to first, so a declaration wins
        // and a repeated Namespace keeps its first one (duplicates are a lint
        // finding, not the engine's business).
        let mut names: Vec<&str> = model
            .pods
            .iter()
            .map(|p| p.meta.namespace_name())
            .chain(model.workloads.iter().map(|w| w.meta.namespace_name()))
            .chain(model.policies.iter().map(|p| p.meta.namespace_name()))
            .collect();
        // Objects of one namespace tend to come together: fewer names to sort.
        names.dedup();
        let referenced: SortedSet<&str> = names.into_iter().collect();
        let referenced = referenced.into_iter().map(|name| {
            let mut labels = Labels::new();
            labels.insert(NAMESPACE_NAME_LABEL, name);
            let info = NamespaceInfo {
                name: name.into(),
                labels,
                declared: None,
            };
            (String::from(name), info)
        });
        let declared = model.namespaces.iter().enumerate().rev().map(|(i, ns)| {
            let name = ns.meta.name.value.clone();
            let mut labels = ns.meta.labels.clone();
            labels.insert(NAMESPACE_NAME_LABEL, name.as_str());
            let info = NamespaceInfo {
                name: name.clone(),
                labels,
                declared: Some(i),
            };
            (name, info)
        });
        let map: SortedMap<String, NamespaceInfo> = referenced.chain(declared).collect();
        let list: Vec<NamespaceInfo> = map.into_iter().map(|(_, info)| info).collect();
        let mut by_hash: Vec<(u64, u32)> = list
            .iter()
            .zip(0..)
            .map(|(ns, id)| (name_hash(&ns.name), id))
            .collect();
        by_hash.sort_unstable();
        Namespaces { list, by_hash }
    }

    /// Every namespace, sorted by name.
    pub(crate) fn all(&self) -> &[NamespaceInfo] {
        &self.list
    }

    /// The namespace named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&NamespaceInfo> {
        self.id(name).and_then(|i| self.by_id(i))
    }

    /// The index of the namespace named `name`.
    pub(crate) fn id(&self, name: &str) -> Option<u32> {
        let hash = name_hash(name);
        let start = self.by_hash.partition_point(|&(h, _)| h < hash);
        let same_hash = self.by_hash.get(start..).unwrap_or_default();
        same_hash
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, id)| id)
            .find(|&id| self.by_id(id).is_some_and(|ns| ns.name == name))
    }

    /// The namespace with index `id`.
    pub(crate) fn by_id(&self, id: u32) -> Option<&NamespaceInfo> {
        self.list.get(id as usize)
    }
}

/// The hash a namespace name is found by.
fn name_hash(name: &str) -> u64 {
    text_hash(name.as_bytes(), 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode;
    use crate::doc::Limits;
    use crate::source::{Source, SourceSet};
    use alloc::format;

    #[test]
    fn every_namespace_is_found_by_its_name_and_no_other_name_is() {
        let yaml: String = (0..300)
            .map(|i| format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: team-{i}}}\nspec: {{containers: [{{name: c, image: i}}]}}\n"))
            .collect();
        let mut sources = SourceSet::new();
        sources.add(Source::new("pods.yaml", yaml));
        let loaded = decode::load(&sources, &Limits::default());
        let namespaces = Namespaces::build(&loaded.model);
        assert_eq!(namespaces.all().len(), 300);
        for (id, ns) in namespaces.all().iter().enumerate() {
            assert_eq!(namespaces.id(&ns.name), Some(id as u32), "{}", ns.name);
        }
        for missing in ["team-300", "team-", "", "team-01", "default"] {
            assert_eq!(namespaces.id(missing), None, "{missing}");
        }
    }
}
