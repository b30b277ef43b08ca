//! Decoding: document tree → [`Model`], with validation.
//!
//! [`load`] reads every source, decodes each document and validates each object the
//! way the API server would ([`crate::validate`] holds the grammar checks and
//! message wording). What it does:
//!
//! - **Kinds.** `NetworkPolicy` (`networking.k8s.io/v1`; any other version is
//!   `removed-api-version`), `Namespace`, `Pod`, the seven workload kinds and
//!   `ConnectivityTest` are decoded; list kinds (`List` or `*List` with `items`, and a
//!   top-level JSON array) are unpacked; other kinds are skipped and counted by kind.
//!   Policy kinds of other projects that netpol cannot evaluate
//!   (`CiliumNetworkPolicy`, Calico's and Antrea's, see `foreign.rs`) are skipped too,
//!   but kept in the model with their metadata so the lint can name them.
//! - **Strictness.** NetworkPolicy and ConnectivityTest are decoded against their full
//!   schema: a key the schema does not have is `unknown-field`, values of the wrong
//!   type `invalid-type`. Namespaces, Pods and workloads are decoded leniently: only
//!   the fields netpol reads are type-checked.
//! - **What reaches the model.** An object with any error (validation, type, or a
//!   reading problem inside it) is left out — except `unknown-field` and
//!   `duplicate-field`, which are reported but the object is kept as a lenient server
//!   would store it (without the unknown field; the last duplicate wins).
//! - **Memory.** Each document is decoded, and its tree dropped, before the next is
//!   read; a JSON `List` is decoded item by item as it is read (see `list.rs`), so memory
//!   grows with the model, not with the input's tree.
//! - **Positions.** Every diagnostic carries the object (resource), the field path and
//!   the most specific span (for an unknown field, its key).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::doc::{Limits, Node, Value};
use crate::model::{ClusterPolicyKind, Interner, Model, WorkloadKind};
use crate::source::{SourceId, SourceSet, Span};

mod cluster;
mod connectivity;
mod context;
mod foreign;
mod infra;
mod list;
mod meta;
mod peer;
mod policy;
mod ports;
mod selector;
mod tier_peers;
mod tier_ports;
mod tier_rules;
mod tier_schema;
mod tiers;

use context::Ctx;
pub use foreign::{api_group, is_unsupported_policy};
pub use tier_peers::{is_domain_name, parse_strict_cidr, DOMAIN_NAME_PATTERN};

/// What loading a set of sources produced.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The objects the API server would accept.
    pub model: Model,
    /// Reading and validation problems, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// Objects of a recognised kind (valid or not).
    pub objects: usize,
    /// Objects of other kinds, skipped.
    pub skipped: usize,
    /// The skipped objects counted by API group and kind (a value that is not an
    /// object counts under an empty kind).
    pub skipped_kinds: BTreeMap<SkippedKind, usize>,
}

/// The API group and kind of skipped objects.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct SkippedKind {
    /// The API group (empty for the core group).
    pub group: String,
    /// The kind as written (empty when the value is not an object or has none).
    pub kind: String,
}

/// Whether an error of `rule` keeps its object, as a lenient API server stores it:
/// an `unknown-field` is dropped, and of a `duplicate-field` the last value wins.
/// Every other error leaves its object out of the model.
pub fn error_keeps_object(rule: &str) -> bool {
    matches!(rule, "unknown-field" | "duplicate-field")
}

/// Whether the diagnostic `d` left an object (or a whole document that could not
/// be read) out of the model: an error that [`error_keeps_object`] does not cover.
pub fn leaves_object_out(d: &Diagnostic) -> bool {
    d.severity == Severity::Error && !error_keeps_object(d.rule)
}

/// The only NetworkPolicy version the API server serves.
pub const NETWORK_POLICY_API_VERSION: &str = "networking.k8s.io/v1";

/// Reads, decodes and validates every source of `sources`.
pub fn load(sources: &SourceSet, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    for (id, source) in sources.iter() {
        loaded.append(load_source(source, id, limits));
    }
    loaded
}

/// Reads, decodes and validates one source (`id` is its place in its set). Decoding
/// a source never looks at another, so [`load`] is [`load_source`] of each source,
/// [appended](Loaded::append) in order.
pub fn load_source(source: &crate::source::Source, id: SourceId, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    let streamed = crate::doc::is_json(source)
        .then(|| list::load_streaming(source, id, limits, &mut loaded))
        .flatten();
    let mut reading = match streamed {
        Some(reading) => reading,
        None => load_documents(source, id, limits, &mut loaded),
    };
    crate::order::sort_by_key(&mut reading, |d| d.location.map(|l| l.span.start));
    loaded.diagnostics.append(&mut reading);
    crate::order::sort_by_key(&mut loaded.diagnostics, |d| {
        d.location.map_or(Span::default(), |l| l.span).start
    });
    loaded
}

/// What one source contributed to a [`Loaded`] that concatenates several (see
/// [`Loaded::append`]), so that the concatenation can be cut back into its parts
/// ([`Loaded::split_back`]) without keeping a copy of each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Share {
    policies: usize,
    namespaces: usize,
    pods: usize,
    workloads: usize,
    tests: usize,
    foreign_policies: usize,
    cluster_policies: usize,
    nodes: usize,
    services: usize,
    diagnostics: usize,
    objects: usize,
    skipped: usize,
    skipped_kinds: BTreeMap<SkippedKind, usize>,
}

impl Loaded {
    /// How much of each thing this holds, as one part of a concatenation.
    pub fn share(&self) -> Share {
        let model = &self.model;
        Share {
            policies: model.policies.len(),
            namespaces: model.namespaces.len(),
            pods: model.pods.len(),
            workloads: model.workloads.len(),
            tests: model.tests.len(),
            foreign_policies: model.foreign_policies.len(),
            cluster_policies: model.cluster_policies.len(),
            nodes: model.nodes.len(),
            services: model.services.len(),
            diagnostics: self.diagnostics.len(),
            objects: self.objects,
            skipped: self.skipped,
            skipped_kinds: self.skipped_kinds.clone(),
        }
    }

    /// Forgets everything added since this held `share` (what [`Loaded::share`]
    /// said then), to undo a source read in part.
    pub fn truncate_to(&mut self, share: &Share) {
        let model = &mut self.model;
        model.policies.truncate(share.policies);
        model.namespaces.truncate(share.namespaces);
        model.pods.truncate(share.pods);
        model.workloads.truncate(share.workloads);
        model.tests.truncate(share.tests);
        model.foreign_policies.truncate(share.foreign_policies);
        model.cluster_policies.truncate(share.cluster_policies);
        model.nodes.truncate(share.nodes);
        model.services.truncate(share.services);
        self.diagnostics.truncate(share.diagnostics);
        self.objects = share.objects;
        self.skipped = share.skipped;
        self.skipped_kinds = share.skipped_kinds.clone();
    }

    /// Cuts the last part, of size `share`, off this concatenation and returns it
    /// (the reverse of the [`Loaded::append`] that added it; moves, never copies).
    pub fn split_back(&mut self, share: &Share) -> Loaded {
        fn back<T>(items: &mut Vec<T>, count: usize) -> Vec<T> {
            items.split_off(items.len().saturating_sub(count))
        }
        let model = &mut self.model;
        let part = Model {
            policies: back(&mut model.policies, share.policies),
            namespaces: back(&mut model.namespaces, share.namespaces),
            pods: back(&mut model.pods, share.pods),
            workloads: back(&mut model.workloads, share.workloads),
            tests: back(&mut model.tests, share.tests),
            foreign_policies: back(&mut model.foreign_policies, share.foreign_policies),
            cluster_policies: back(&mut model.cluster_policies, share.cluster_policies),
            nodes: back(&mut model.nodes, share.nodes),
            services: back(&mut model.services, share.services),
        };
        for (kind, count) in &share.skipped_kinds {
            if let Some(total) = self.skipped_kinds.get_mut(kind) {
                *total = total.saturating_sub(*count);
                if *total == 0 {
                    self.skipped_kinds.remove(kind);
                }
            }
        }
        self.objects = self.objects.saturating_sub(share.objects);
        self.skipped = self.skipped.saturating_sub(share.skipped);
        Loaded {
            model: part,
            diagnostics: back(&mut self.diagnostics, share.diagnostics),
            objects: share.objects,
            skipped: share.skipped,
            skipped_kinds: share.skipped_kinds.clone(),
        }
    }

    /// Adds what another source produced after what this one holds (objects,
    /// diagnostics and counts, in order).
    pub fn append(&mut self, mut other: Loaded) {
        let model = &mut self.model;
        model.policies.append(&mut other.model.policies);
        model.namespaces.append(&mut other.model.namespaces);
        model.pods.append(&mut other.model.pods);
        model.workloads.append(&mut other.model.workloads);
        model.tests.append(&mut other.model.tests);
        model
            .foreign_policies
            .append(&mut other.model.foreign_policies);
        model
            .cluster_policies
            .append(&mut other.model.cluster_policies);
        model.nodes.append(&mut other.model.nodes);
        model.services.append(&mut other.model.services);
        self.diagnostics.append(&mut other.diagnostics);
        self.objects += other.objects;
        self.skipped += other.skipped;
        for (kind, count) in other.skipped_kinds {
            *self.skipped_kinds.entry(kind).or_insert(0) += count;
        }
    }

    /// Points every object and diagnostic at the source `id` (a loaded source that
    /// moved in its set).
    pub fn relocate(&mut self, id: SourceId) {
        let model = &mut self.model;
        let metas = model
            .policies
            .iter_mut()
            .map(|p| &mut p.meta)
            .chain(model.namespaces.iter_mut().map(|n| &mut n.meta))
            .chain(model.pods.iter_mut().map(|p| &mut p.meta))
            .chain(model.workloads.iter_mut().map(|w| &mut w.meta))
            .chain(model.tests.iter_mut().map(|t| &mut t.meta))
            .chain(model.foreign_policies.iter_mut().map(|f| &mut f.meta))
            .chain(model.cluster_policies.iter_mut().map(|c| &mut c.meta))
            .chain(model.nodes.iter_mut().map(|n| &mut n.meta))
            .chain(model.services.iter_mut().map(|s| &mut s.meta));
        for meta in metas {
            meta.source = id;
        }
        for diagnostic in &mut self.diagnostics {
            let labels = diagnostic.labels.iter_mut().map(|l| &mut l.location);
            for location in diagnostic.location.iter_mut().chain(labels) {
                location.source = id;
            }
        }
    }
}

/// Reads `source` one document at a time, decoding each (and dropping its tree)
/// before reading the next; returns the reading diagnostics.
fn load_documents(
    source: &crate::source::Source,
    id: SourceId,
    limits: &Limits,
    loaded: &mut Loaded,
) -> Vec<Diagnostic> {
    let mut reading: Vec<Diagnostic> = Vec::new();
    let mut interner = Interner::default();
    let rest = crate::doc::read_each(source, id, limits, &mut |document, met| {
        let from = reading.len();
        reading.extend(met);
        let inside = reading.get_mut(from..).unwrap_or_default();
        decode_root(&document.root, id, inside, loaded, &mut interner);
    });
    reading.extend(rest);
    reading
}

/// Decodes one top-level value (an object or a list kind) read from `source` into
/// `loaded`.
pub fn decode_value(root: &Node, source: SourceId, loaded: &mut Loaded) {
    decode_root(root, source, &mut [], loaded, &mut Interner::default());
}

/// Decodes a document's root; `reader` holds the reading problems met while reading
/// it (those inside an object get the object's resource and their field path).
fn decode_root(
    root: &Node,
    source: SourceId,
    reader: &mut [Diagnostic],
    loaded: &mut Loaded,
    interner: &mut Interner,
) {
    let mut decoder = Decoder {
        source,
        reader,
        loaded,
        interner,
    };
    decoder.value(root, None);
}

/// Defaults for the items of a typed list (`NetworkPolicyList` items need not say
/// their kind).
#[derive(PartialEq)]
struct ItemDefaults<'a> {
    api_version: &'a str,
    kind: &'a str,
}

impl<'a> ItemDefaults<'a> {
    /// The defaults a list of `kind` gives its items (`None` for a plain `List`).
    fn of_list(kind: &'a str, api_version: &'a str) -> Option<Self> {
        let item_kind = kind.strip_suffix("List").unwrap_or("");
        (!item_kind.is_empty()).then_some(ItemDefaults {
            api_version,
            kind: item_kind,
        })
    }
}

/// Walks documents and lists, and decodes each object.
struct Decoder<'a, 'r> {
    source: SourceId,
    reader: &'r mut [Diagnostic],
    loaded: &'a mut Loaded,
    /// The source's shared label strings.
    interner: &'a mut Interner,
}

impl Decoder<'_, '_> {
    /// A document root or a list item.
    fn value(&mut self, node: &Node, defaults: Option<&ItemDefaults<'_>>) {
        match &node.value {
            Value::Seq(items) => items.iter().for_each(|item| self.value(item, None)),
            Value::Map(_) => self.map(node, defaults),
            _ => self.skip("", ""),
        }
    }

    /// Counts one skipped object of `kind`.
    fn skip(&mut self, api_version: &str, kind: &str) {
        self.loaded.skipped += 1;
        let key = SkippedKind {
            group: String::from(api_group(api_version)),
            kind: String::from(kind),
        };
        *self.loaded.skipped_kinds.entry(key).or_insert(0) += 1;
    }

    /// A mapping: a list kind or an object.
    fn map(&mut self, node: &Node, defaults: Option<&ItemDefaults<'_>>) {
        let kind = node.get("kind").and_then(Node::as_str);
        let api_version = node.get("apiVersion").and_then(Node::as_str);
        let (kind, api_version) = match defaults {
            Some(d) => (kind.unwrap_or(d.kind), api_version.unwrap_or(d.api_version)),
            None => (kind.unwrap_or(""), api_version.unwrap_or("")),
        };
        if is_list_kind(kind) && node.get("items").is_some() {
            self.list(node, kind, api_version);
            return;
        }
        self.object(node, kind, api_version);
    }

    /// The items of a list kind.
    fn list(&mut self, node: &Node, kind: &str, api_version: &str) {
        match node.get("items").map(|n| &n.value) {
            Some(Value::Seq(items)) => items
                .iter()
                .for_each(|item| self.list_item(item, kind, api_version)),
            Some(Value::Null) | None => {}
            Some(_) => self.skip(api_version, kind),
        }
    }

    /// One item of a list of `kind` (items of a typed list default to its item kind).
    fn list_item(&mut self, item: &Node, kind: &str, api_version: &str) {
        let defaults = ItemDefaults::of_list(kind, api_version);
        self.value(item, defaults.as_ref());
    }

    /// One object of `kind`.
    fn object(&mut self, node: &Node, kind: &str, api_version: &str) {
        let group = api_group(api_version);
        let recognised = Recognised::of(kind).filter(|r| r.in_group(group));
        if is_unsupported_policy(group, kind) {
            let policy = foreign::decode_foreign_policy(node, self.source, api_version, kind);
            self.loaded.model.foreign_policies.push(policy);
            self.skip(api_version, kind);
            return;
        }
        let Some(recognised) = recognised else {
            self.skip(api_version, kind);
            return;
        };
        self.loaded.objects += 1;
        let resource = meta::resource_of(node, api_version, kind);
        self.annotate_reader_diagnostics(node, &resource);
        let strict = matches!(
            recognised,
            Recognised::NetworkPolicy | Recognised::ConnectivityTest | Recognised::ClusterPolicy(_)
        );
        let mut ctx = Ctx::new(self.source, resource, strict);
        ctx.interner = core::mem::take(self.interner);
        let decoded = decode_object(&mut ctx, node, self.source, recognised);
        *self.interner = core::mem::take(&mut ctx.interner);
        let accepted = !ctx.rejected && !self.reader_error_inside(node.span);
        self.loaded.diagnostics.append(&mut ctx.diagnostics);
        if let (true, Some(object)) = (accepted, decoded) {
            object.add_to(&mut self.loaded.model);
        }
    }

    /// Gives the reading problems inside the object `node` its resource and their path.
    fn annotate_reader_diagnostics(&mut self, node: &Node, resource: &crate::diag::ResourceRef) {
        let source = self.source;
        for d in self.reader.iter_mut() {
            let Some(location) = d.location.filter(|l| l.source == source) else {
                continue;
            };
            if !contains(node.span, location.span) {
                continue;
            }
            if d.resource.is_none() {
                d.resource = Some(resource.clone());
            }
            if d.path.is_none() {
                d.path = path_to(node, location.span);
            }
        }
    }

    /// Whether a reading error that leaves its object out lies inside `span`.
    fn reader_error_inside(&self, span: Span) -> bool {
        self.reader.iter().any(|d| {
            leaves_object_out(d)
                && d.location
                    .is_some_and(|l| l.source == self.source && contains(span, l.span))
        })
    }
}

/// Whether `outer` covers `inner`.
fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The field path, inside the object `root`, of the key or value at `span` (`None`
/// at the object itself).
fn path_to(root: &Node, span: Span) -> Option<String> {
    let mut path = String::new();
    let mut current = root;
    loop {
        let next = match &current.value {
            Value::Map(entries) => {
                if let Some(entry) = entries.iter().find(|e| contains(e.key_span, span)) {
                    return Some(context::child(&path, &entry.key));
                }
                entries
                    .iter()
                    .find(|e| contains(e.value.span, span))
                    .map(|e| (context::child(&path, &e.key), &e.value))
            }
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .find(|(_, n)| contains(n.span, span))
                .map(|(i, n)| (context::index(&path, i), n)),
            _ => None,
        };
        match next {
            Some((next_path, node)) if node.span != current.span => {
                path = next_path;
                current = node;
            }
            Some((next_path, _)) => return Some(next_path),
            None => return (!path.is_empty()).then_some(path),
        }
    }
}

/// `List` or any kind ending in `List`.
fn is_list_kind(kind: &str) -> bool {
    kind.ends_with("List")
}

/// Whether netpol decodes objects of `kind` (in its own API group).
pub fn is_recognised_kind(kind: &str) -> bool {
    Recognised::of(kind).is_some()
}

/// The kinds netpol decodes.
#[derive(Clone, Copy)]
enum Recognised {
    NetworkPolicy,
    Namespace,
    Pod,
    Workload(WorkloadKind),
    ConnectivityTest,
    ClusterPolicy(ClusterPolicyKind),
    Node,
    Service,
}

impl Recognised {
    fn of(kind: &str) -> Option<Recognised> {
        match kind {
            "NetworkPolicy" => Some(Recognised::NetworkPolicy),
            "Namespace" => Some(Recognised::Namespace),
            "Pod" => Some(Recognised::Pod),
            "ConnectivityTest" => Some(Recognised::ConnectivityTest),
            "Node" => Some(Recognised::Node),
            "Service" => Some(Recognised::Service),
            _ => ClusterPolicyKind::parse(kind)
                .map(Recognised::ClusterPolicy)
                .or_else(|| {
                    WorkloadKind::ALL
                        .into_iter()
                        .find(|k| k.as_str() == kind)
                        .map(Recognised::Workload)
                }),
        }
    }

    /// Whether objects of the API group `group` are of this kind: the cluster-wide
    /// policy kinds live in `policy.networking.k8s.io` only (other projects have
    /// kinds of the same names); the other kinds are read whatever the group says.
    fn in_group(self, group: &str) -> bool {
        match self {
            Recognised::ClusterPolicy(_) => group == ClusterPolicyKind::GROUP,
            _ => true,
        }
    }
}

/// A decoded object on its way into the model.
enum Object {
    Policy(crate::model::NetworkPolicy),
    Namespace(crate::model::Namespace),
    Pod(crate::model::Pod),
    Workload(crate::model::Workload),
    Test(crate::model::ConnectivityTest),
    ClusterPolicy(crate::model::ClusterPolicy),
    Node(crate::model::Node),
    Service(crate::model::Service),
}

impl Object {
    fn add_to(self, model: &mut Model) {
        match self {
            Object::Policy(p) => model.policies.push(p),
            Object::Namespace(n) => model.namespaces.push(n),
            Object::Pod(p) => model.pods.push(p),
            Object::Workload(w) => model.workloads.push(w),
            Object::Test(t) => model.tests.push(t),
            Object::ClusterPolicy(c) => model.cluster_policies.push(c),
            Object::Node(n) => model.nodes.push(n),
            Object::Service(s) => model.services.push(s),
        }
    }
}

/// Decodes one object of a recognised kind.
fn decode_object(ctx: &mut Ctx, node: &Node, source: SourceId, kind: Recognised) -> Option<Object> {
    match kind {
        Recognised::NetworkPolicy => {
            if ctx.resource.api_version != NETWORK_POLICY_API_VERSION {
                unserved_version(ctx, node, "NetworkPolicy", NETWORK_POLICY_API_VERSION);
                return None;
            }
            policy::decode_policy(ctx, node, source).map(Object::Policy)
        }
        Recognised::Namespace => Some(Object::Namespace(cluster::decode_namespace(
            ctx, node, source,
        ))),
        Recognised::Pod => Some(Object::Pod(cluster::decode_pod(ctx, node, source))),
        Recognised::Workload(kind) => Some(Object::Workload(cluster::decode_workload(
            ctx, node, source, kind,
        ))),
        Recognised::ConnectivityTest => {
            connectivity::decode_connectivity_test(ctx, node, source).map(Object::Test)
        }
        Recognised::ClusterPolicy(kind) => {
            if ctx.resource.api_version != kind.api_version() {
                unserved_version(ctx, node, kind.as_str(), kind.api_version());
                return None;
            }
            tiers::decode_cluster_policy(ctx, node, source, kind).map(Object::ClusterPolicy)
        }
        Recognised::Node => Some(Object::Node(infra::decode_node(ctx, node, source))),
        Recognised::Service => Some(Object::Service(infra::decode_service(ctx, node, source))),
    }
}

/// An object of `kind` in a version the server does not serve (NetworkPolicy's
/// `extensions/v1beta1` was removed in Kubernetes 1.16; ClusterNetworkPolicy is
/// served at `v1alpha2` only, the admin network policies at `v1alpha1` only);
/// `served` is the version it is served at.
fn unserved_version(ctx: &mut Ctx, node: &Node, kind: &str, served: &str) {
    let version = ctx.resource.api_version.clone();
    let span = node.get("apiVersion").map_or(node.span, |n| n.span);
    let text = if version.is_empty() {
        String::from("apiVersion not set")
    } else {
        alloc::format!("no matches for kind \"{kind}\" in version \"{version}\"")
    };
    ctx.error("removed-api-version", "apiVersion", span, text);
    if let Some(last) = ctx.diagnostics.last_mut() {
        last.help = Some(alloc::format!("use apiVersion: {served}"));
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod tier_tests;
