//! [`Workspace`]: sources decoded once, questions asked many times, one source
//! updated at a time.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::OnceCell;

use super::answer::ApiError;
use super::input::SourceFile;
use crate::decode::{load_source, Loaded, Share};
use crate::doc::Limits;
use crate::engine::{representatives, EndpointRef, Engine, Matrix};
use crate::lint::Config;
use crate::model::Model;
use crate::report::connectivity::json::EndpointJson;
use crate::source::{Source, SourceId, SourceSet};

mod object_findings;
mod questions;

use object_findings::ObjectFindings;

/// What a source stands for in a diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Manifests of this side.
    Own,
    /// The cluster shared by both sides of a diff (its Namespaces, Pods and
    /// workloads replace the side's own).
    Cluster,
}

/// One source: its part of the combined decoding, so that an update redoes only
/// that source. The part lives in the combined decoding (`loaded` is empty) except
/// while an edit has cut the combination apart ([`Workspace::split`]).
#[derive(Clone, Debug)]
struct Entry {
    loaded: Loaded,
    share: Share,
    role: Role,
}

/// A set of named sources, decoded and validated once, that answers lint, matrix,
/// query, test and diff questions.
///
/// **What an edit costs.** [`Workspace::update`] reads and decodes only the source
/// it is given; [`Workspace::remove`] decodes nothing (the sources after the removed
/// one are renumbered). Both cut the combined model back into its per-source parts
/// and concatenate them again: objects move, none is copied or read again, and
/// each object is held once. Representative pods are derived on the first
/// connectivity question after a load or an edit. The findings of the lint rules
/// that read one object at a time are kept per source from the first lint on: an
/// update checks them again for its source only. The connectivity
/// index ([`Workspace::engine`]) borrows the workspace, so it cannot outlive an edit:
/// the plain questions build it each time; a caller asking many questions builds it
/// once and passes it to the `*_with` forms.
#[derive(Clone, Debug)]
pub struct Workspace {
    config: Config,
    limits: Limits,
    sources: SourceSet,
    entries: Vec<Entry>,
    combined: Loaded,
    /// The combined model with representative pods for the namespaces that have
    /// policies but no Pods or workloads (`None` when it needs none): what the
    /// connectivity questions are asked of, derived when first needed.
    representatives: OnceCell<Option<Model>>,
    /// The findings of the lint rules that read one object at a time, per source
    /// (checked at the first lint; an update checks them again for its source
    /// only).
    object_findings: OnceCell<ObjectFindings>,
}

impl Workspace {
    /// An empty workspace linted with `config`.
    pub fn new(config: Config) -> Self {
        Workspace {
            config,
            limits: Limits::default(),
            sources: SourceSet::new(),
            entries: Vec::new(),
            combined: Loaded::default(),
            representatives: OnceCell::new(),
            object_findings: OnceCell::new(),
        }
    }

    /// A workspace holding `files` in order (a later file of an earlier file's name
    /// replaces it).
    pub fn load(files: impl IntoIterator<Item = SourceFile>, config: Config) -> Self {
        let mut workspace = Workspace::new(config);
        for file in files {
            workspace.insert(file);
        }
        workspace.combine();
        workspace
    }

    /// A workspace holding `sources` in order, as already read (a command line's
    /// files: the text is not copied, and what reading found, such as bytes that are
    /// not UTF-8, is kept).
    pub fn from_sources(sources: SourceSet, config: Config) -> Self {
        let mut workspace = Workspace::new(config);
        workspace.add_sources(sources, Role::Own);
        workspace
    }

    /// A workspace holding `source`, already decoded into `loaded` as source 0 (a
    /// policy engine's input, whose objects sit inside an envelope).
    pub(super) fn from_decoded(source: Source, loaded: Loaded, config: Config) -> Self {
        let mut workspace = Workspace::new(config);
        workspace.push(source, loaded, Role::Own);
        workspace.combine();
        workspace
    }

    /// Every endpoint (pods, workloads standing for their pods, and the external
    /// address classes the policies tell apart), as in the matrix answer.
    pub fn endpoints(&self) -> Vec<EndpointJson> {
        self.endpoints_with(&self.engine())
    }

    /// [`Workspace::endpoints`] with an index already built by [`Workspace::engine`].
    pub fn endpoints_with(&self, engine: &Engine<'_>) -> Vec<EndpointJson> {
        engine
            .matrix()
            .endpoints()
            .iter()
            .map(EndpointJson::of)
            .collect()
    }

    /// Adds `file`, or replaces the source of the same name in place, decoding only
    /// it.
    pub fn update(&mut self, file: SourceFile) {
        self.split();
        let index = self.insert(file);
        if let (Some(cache), Some(entry)) =
            (self.object_findings.get_mut(), self.entries.get(index))
        {
            cache.recheck(index, &entry.loaded.model, &self.config);
        }
        self.combine();
    }

    /// Adds `files` as the cluster shared by both sides of a diff: when a workspace
    /// has cluster sources, [`Workspace::diff`] takes its Namespaces, Pods and
    /// workloads from them and its NetworkPolicies from the other sources. Cluster
    /// sources are always added after the others, even under a name already used.
    pub fn add_cluster(&mut self, files: impl IntoIterator<Item = SourceFile>) {
        self.split();
        for file in files {
            let id = source_id(self.entries.len());
            let (source, loaded) = file.decode(id, &self.limits);
            self.push(source, loaded, Role::Cluster);
        }
        self.object_findings = OnceCell::new();
        self.combine();
    }

    /// [`Workspace::add_cluster`] for sources already read.
    pub fn add_cluster_sources(&mut self, sources: SourceSet) {
        self.add_sources(sources, Role::Cluster);
    }

    /// Removes the source named `name`; false when there is none.
    pub fn remove(&mut self, name: &str) -> bool {
        let Some(index) = self.position(name) else {
            return false;
        };
        self.split();
        self.sources.remove(source_id(index));
        if index < self.entries.len() {
            self.entries.remove(index);
        }
        for (i, entry) in self.entries.iter_mut().enumerate().skip(index) {
            entry.loaded.relocate(source_id(i));
        }
        if let Some(cache) = self.object_findings.get_mut() {
            cache.remove(index);
        }
        self.combine();
        true
    }

    /// The configuration lint questions start from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The sources, in order.
    pub fn sources(&self) -> &SourceSet {
        &self.sources
    }

    /// The sources, the decoded model dropped (what rendering an answer needs
    /// once every question is asked).
    pub fn into_sources(self) -> SourceSet {
        self.sources
    }

    /// Everything decoded: the model, the reading and validation findings, counts.
    pub fn loaded(&self) -> &Loaded {
        &self.combined
    }

    /// The connectivity index over the decoded model, with representative pods
    /// where a namespace has policies but no Pods or workloads; verdicts follow the
    /// configuration's data plane (`cni`).
    pub fn engine(&self) -> Engine<'_> {
        let representatives = self
            .representatives
            .get_or_init(|| match representatives::complete(&self.combined.model) {
                Cow::Owned(model) => Some(model),
                Cow::Borrowed(_) => None,
            });
        Engine::with_cni(
            representatives.as_ref().unwrap_or(&self.combined.model),
            self.config.cni,
        )
    }

    /// Decodes `file` into its slot (the slot of its name, else a new last one);
    /// the slot's index.
    fn insert(&mut self, file: SourceFile) -> usize {
        let index = self.position(&file.name).unwrap_or(self.entries.len());
        let id = source_id(index);
        let (source, loaded) = file.decode(id, &self.limits);
        if index < self.entries.len() {
            self.sources.replace(id, source);
            if let Some(slot) = self.entries.get_mut(index) {
                *slot = Entry {
                    loaded,
                    share: Share::default(),
                    role: Role::Own,
                };
            }
        } else {
            self.push(source, loaded, Role::Own);
        }
        index
    }

    /// Decodes `sources` as new last sources of `role`, then recombines.
    fn add_sources(&mut self, sources: SourceSet, role: Role) {
        self.split();
        for source in sources.into_sources() {
            let id = source_id(self.entries.len());
            let loaded = load_source(&source, id, &self.limits);
            self.push(source, loaded, role);
        }
        self.object_findings = OnceCell::new();
        self.combine();
    }

    /// Appends one decoded source.
    fn push(&mut self, source: Source, loaded: Loaded, role: Role) {
        self.sources.add(source);
        self.entries.push(Entry {
            loaded,
            share: Share::default(),
            role,
        });
    }

    /// The index of the source named `name`.
    fn position(&self, name: &str) -> Option<usize> {
        self.sources
            .iter()
            .position(|(_, source)| source.name() == name)
    }

    /// Cuts the combined decoding back into the entries' parts, for an edit.
    fn split(&mut self) {
        let mut combined = core::mem::take(&mut self.combined);
        for entry in self.entries.iter_mut().rev() {
            entry.loaded = combined.split_back(&entry.share);
        }
    }

    /// Concatenates the entries' parts into the combined decoding (moving them) and
    /// forgets the representatives derived from the previous one.
    fn combine(&mut self) {
        let mut combined = Loaded::default();
        for entry in &mut self.entries {
            let loaded = core::mem::take(&mut entry.loaded);
            entry.share = loaded.share();
            combined.append(loaded);
        }
        self.combined = combined;
        self.representatives = OnceCell::new();
    }
}

/// The id of the source at `index`.
fn source_id(index: usize) -> SourceId {
    SourceId(u32::try_from(index).unwrap_or(u32::MAX))
}

/// The matrix id of the endpoint `text` names: an address outside the cluster
/// names its external class, and a pod the group it belongs to.
fn endpoint_id(
    engine: &Engine<'_>,
    matrix: &Matrix,
    text: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let Some(text) = text else { return Ok(None) };
    if let Some(group) = matrix.endpoints().iter().find(|e| e.id == text) {
        return Ok(Some(group.id.clone()));
    }
    let endpoint = engine
        .resolve(text)
        .map_err(|e| ApiError::new(format!("{e}")))?;
    let id = match endpoint {
        EndpointRef::Endpoint(_) => {
            let pod = engine.display(&endpoint);
            matrix
                .endpoints()
                .iter()
                .find(|e| e.id == pod || e.pods.contains(&pod))
                .map(|e| e.id.clone())
        }
        EndpointRef::External(ip) => matrix
            .endpoints()
            .iter()
            .find(|e| e.endpoint.is_none() && e.cidrs.iter().any(|c| c.contains(&ip)))
            .map(|e| e.id.clone()),
    };
    id.map(Some)
        .ok_or_else(|| ApiError::new(format!("endpoint `{text}` is not in the matrix")))
}
