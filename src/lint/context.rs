//! What every rule sees: the model, the configuration, and how to make a finding.

use alloc::string::String;
use alloc::vec::Vec;

use core::cell::OnceCell;

use super::coverage::Coverage;
use super::doc::RuleDoc;
use super::namespace_ids::policy_namespace_ids;
use super::nets::PodAddresses;
use super::redundancy::Redundancy;
use super::settings::Config;
use crate::diag::Diagnostic;
use crate::engine::{Endpoint, Engine};
use crate::model::{Model, ObjectMeta};
use crate::source::Span;

/// The input of every rule.
pub struct Context<'a> {
    /// The objects the API server would accept.
    pub model: &'a Model,
    /// The configuration.
    pub config: &'a Config,
    /// The engine's index over the model: namespaces, endpoints, selection.
    pub engine: Engine<'a>,
    /// Per policy (by index): the engine's id of its namespace.
    policy_namespaces: Vec<Option<u32>>,
    /// Which policies select at least the pods of which others (on the manifests).
    pub coverage: Coverage,
    /// What both redundancy rules start from, made by the first of them to run.
    redundancy: OnceCell<Redundancy>,
    /// The pods' addresses, indexed by the first rule that asks.
    pod_addresses: OnceCell<PodAddresses<&'a ObjectMeta>>,
}

impl<'a> Context<'a> {
    /// A context over `model` and `config`.
    pub fn new(model: &'a Model, config: &'a Config) -> Self {
        let engine = Engine::new(model);
        let policy_namespaces = policy_namespace_ids(&engine, model);
        Context {
            model,
            config,
            coverage: Coverage::new(model, &policy_namespaces),
            engine,
            policy_namespaces,
            redundancy: OnceCell::new(),
            pod_addresses: OnceCell::new(),
        }
    }

    /// The endpoints (pods, workloads) of `namespace` in the input.
    pub fn endpoints_in<'s>(
        &'s self,
        namespace: &'s str,
    ) -> impl Iterator<Item = &'s Endpoint<'a>> + 's {
        self.engine.endpoints_in(namespace).iter()
    }

    /// The engine's id of the namespace of policy `index` (every policy's
    /// namespace has one).
    pub fn policy_namespace(&self, index: usize) -> Option<u32> {
        self.policy_namespaces.get(index).copied().flatten()
    }

    /// The rule contents and redundant policies of the input (see
    /// [`Redundancy`]), computed once per run.
    pub fn redundancy(&self) -> &Redundancy {
        self.redundancy.get_or_init(|| Redundancy::new(self))
    }

    /// The addresses of the input's pods (see [`PodAddresses`]), indexed once per
    /// run.
    pub fn pod_addresses(&self) -> &PodAddresses<&'a ObjectMeta> {
        self.pod_addresses
            .get_or_init(|| PodAddresses::of(self.model))
    }

    /// Whether the input holds pods or workloads in `namespace` (rules of scope
    /// `cluster` stay silent otherwise).
    pub fn has_endpoints_in(&self, namespace: &str) -> bool {
        !self.engine.endpoints_in(namespace).is_empty()
    }
}

/// A finding of `doc`'s rule about the object `meta`, at `span` inside it, with the
/// rule's default severity.
pub fn finding(
    doc: &RuleDoc,
    meta: &ObjectMeta,
    span: Span,
    path: impl Into<String>,
    message: impl Into<String>,
) -> Diagnostic {
    let path: String = path.into();
    let diagnostic = Diagnostic::new(doc.id, doc.default_severity, message)
        .at(meta.source, span)
        .with_resource(meta.resource());
    if path.is_empty() {
        diagnostic
    } else {
        diagnostic.with_path(path)
    }
}

/// `` `namespace/name` `` of an object, as messages name it.
pub fn object_name(meta: &ObjectMeta) -> String {
    ["`", meta.namespace_name(), "/", &meta.name.value, "`"].concat()
}
