//! Namespaces: the declared ones and the referenced ones, with effective labels.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::model::{Labels, Model, NAMESPACE_NAME_LABEL};

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
    index: BTreeMap<String, u32>,
}

impl Namespaces {
    /// Collects the declared namespaces and those objects live in.
    pub(crate) fn build(model: &Model) -> Namespaces {
        let mut map: BTreeMap<String, NamespaceInfo> = BTreeMap::new();
        for (i, ns) in model.namespaces.iter().enumerate() {
            let name = ns.meta.name.value.clone();
            let mut labels = ns.meta.labels.clone();
            labels.insert(NAMESPACE_NAME_LABEL, name.as_str());
            // A repeated Namespace keeps the first declaration (duplicates are a lint
            // finding, not the engine's business).
            map.entry(name.clone()).or_insert(NamespaceInfo {
                name,
                labels,
                declared: Some(i),
            });
        }
        let referenced = model
            .pods
            .iter()
            .map(|p| p.meta.namespace_name())
            .chain(model.workloads.iter().map(|w| w.meta.namespace_name()))
            .chain(model.policies.iter().map(|p| p.meta.namespace_name()));
        for name in referenced {
            if !map.contains_key(name) {
                let mut labels = Labels::new();
                labels.insert(NAMESPACE_NAME_LABEL, name);
                map.insert(
                    name.into(),
                    NamespaceInfo {
                        name: name.into(),
                        labels,
                        declared: None,
                    },
                );
            }
        }
        let list: Vec<NamespaceInfo> = map.into_values().collect();
        let index = list
            .iter()
            .enumerate()
            .map(|(i, ns)| (ns.name.clone(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        Namespaces { list, index }
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
        self.index.get(name).copied()
    }

    /// The namespace with index `id`.
    pub(crate) fn by_id(&self, id: u32) -> Option<&NamespaceInfo> {
        self.list.get(id as usize)
    }
}
