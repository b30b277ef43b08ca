//! Namespaces: the declared ones and the referenced ones, with effective labels.

use alloc::string::String;
use alloc::vec::Vec;

use crate::model::{Labels, Model, NAMESPACE_NAME_LABEL};
use crate::sorted::{SortedMap, SortedSet};

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
        Namespaces {
            list: map.into_iter().map(|(_, info)| info).collect(),
        }
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
        let at = self
            .list
            .binary_search_by(|ns| ns.name.as_str().cmp(name))
            .ok()?;
        u32::try_from(at).ok()
    }

    /// The namespace with index `id`.
    pub(crate) fn by_id(&self, id: u32) -> Option<&NamespaceInfo> {
        self.list.get(id as usize)
    }
}
