//! The connectivity engine: who can reach whom, on which ports, and why.
//!
//! [`Engine::new`] indexes a [`Model`] once; then every question is cheap:
//!
//! | question | call | answer |
//! | --- | --- | --- |
//! | name → endpoint | [`Engine::resolve`] | [`EndpointRef`] or [`ResolveError`] |
//! | one flow, explained | [`Engine::query`] (after [`Engine::flow`]) | [`Verdict`] |
//! | one flow, yes/no | [`Engine::allows`] | `bool` |
//! | many flows, yes/no, once per pair of endpoint classes | [`Engine::class_verdicts`] | [`ClassVerdicts`] |
//! | every port between two endpoints | [`Engine::allowed_ports`] | [`ProtocolPorts`] |
//! | all pairs | [`Engine::matrix`] | [`Matrix`] |
//! | all pairs, one endpoint per controller | [`Matrix::grouped`] | [`Matrix`] |
//! | policies without pods → representative pods | [`representatives::complete`] (before [`Engine::new`]) | [`Model`] |
//! | the `ConnectivityTest` cases | [`Engine::run_tests`] | [`TestReport`] |
//! | isolation, selection (for lint) | [`Engine::policies_for`], [`Engine::is_isolated`], [`Engine::selected_endpoints`], [`Engine::side_ports`], [`Engine::rule_ports`] | |
//!
//! ```
//! use netpol::engine::Engine;
//! use netpol::model::{Model, Protocol};
//! let model = Model::default();
//! let engine = Engine::new(&model);
//! let from = engine.resolve("203.0.113.7").unwrap();
//! let to = engine.resolve("198.51.100.1").unwrap();
//! // Two addresses outside the cluster: no policy applies to either side.
//! assert!(engine.allows(&from, &to, Protocol::Tcp, 443));
//! ```
//!
//! # Semantics
//!
//! Exactly `docs/spec/semantics.md`. The choices it leaves to the engine:
//!
//! - **Namespaces**: the declared ones plus every namespace a Pod, workload or
//!   NetworkPolicy lives in; each gets `kubernetes.io/metadata.name=<name>` (added, or
//!   overriding a different value).
//! - **Endpoints**: every Pod; and every workload that no Pod *represents*. A Pod
//!   represents a workload when it lives in the workload's namespace and carries every
//!   label of the workload's pod template with the same value (pods add labels such as
//!   `pod-template-hash`, never remove the template's). A template without labels is
//!   represented by no Pod. Each workload endpoint keeps its own template's labels and
//!   ports: labels of different pods are never mixed.
//! - **Self traffic**: a pod (or workload endpoint) to itself is always allowed. A
//!   workload endpoint stands for all its replicas, so traffic between two replicas
//!   of one workload is not shown separately (it is the diagonal).
//! - **Names**: `ns/name` is the Pod of that name, else the workload of that name; a
//!   workload represented by Pods resolves to its one Pod (several: ambiguous).
//!   `ns/{k=v,...}` (labels in any order) is the representative pod with exactly
//!   those labels; `ns/kind/name` of a controller the inputs do not hold is the one
//!   pod it owns ([`owner_of`]; several: ambiguous).
//! - **IP families**: a flow is evaluated per IP family; the families are those both
//!   endpoints have, or, when they share none, those either has (the side without an
//!   address of that family matches no ipBlock); with no address at all, once without
//!   addresses. An address outside the cluster is evaluated in its own family only. The
//!   flow is allowed if some family allows it.
//! - **Other protocols** (ICMP...) are not modelled: flows are TCP, UDP or SCTP.
//!
//! # Design
//!
//! Queries evaluate the policies selecting each side directly (the selection lists are
//! precomputed per endpoint). The matrix groups endpoints that no policy can tell apart
//! (same namespace, same answers to every pod selector, same named ports, same IP
//! classes) and splits the address space where some ipBlock draws a line, then works
//! per class pair with bitsets of peers and interned port-range sets: its cost grows
//! with classes, selectors and rules, not with pods or ports.
//!
//! | file | concept |
//! | --- | --- |
//! | `namespaces.rs`, `endpoints.rs`, `resolve.rs` | the index, endpoint names |
//! | `ports.rs`, `intern.rs`, `bitset.rs` | port-range sets, their interning, bitsets |
//! | `eval.rs`, `eval/view.rs` | per-flow evaluation (queries, lint helpers), one side in one family |
//! | `explain.rs`, `mismatch.rs`, `query.rs` | verdicts with reasons |
//! | `cidr.rs`, `classes.rs`, `matrix/` | address classes, endpoint classes, all pairs |
//! | `class_verdicts.rs` | `allows` answered once per pair of endpoint classes |
//! | `runner.rs` | `ConnectivityTest` cases |
//! | `representatives/` | pods derived from selectors for namespaces without pods |
//! | `matrix/group.rs` | one matrix endpoint per controller |

use crate::sorted::SortedMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::model::{Cni, Direction, Model, PortValue, Protocol};

mod bitset;
pub(crate) mod cidr;
mod class_verdicts;
mod classes;
mod endpoints;
mod eval;
mod explain;
mod intern;
mod label_index;
mod matrix;
mod mismatch;
mod namespaces;
mod ports;
mod query;
mod reason;
pub mod representatives;
mod resolve;
mod runner;
#[cfg(test)]
mod tests;
pub(crate) mod tiers;

pub use class_verdicts::ClassVerdicts;
pub use endpoints::{Endpoint, EndpointId, EndpointKind, EndpointRef, Family};
pub use explain::{PolicyRef, RuleRef, SideExplanation, Verdict};
pub(crate) use matrix::{owner_groups, OwnerGroup};
pub use matrix::{owner_of, Connection, Grouping, Matrix, MatrixEndpoint, MatrixEndpointKind};
pub use namespaces::NamespaceInfo;
pub use ports::{PortSet, ProtocolPorts, MAX_PORT, MIN_PORT};
pub use query::{Flow, QueryError};
pub use resolve::ResolveError;
pub use runner::{TestReport, TestResult};
pub use tiers::explain::{Layer, TierStep, Uncertainty};
pub use tiers::flow::FlowSets;

/// What the data plane `cni` leaves out of `model`'s verdicts: one line per
/// cluster-wide policy of a kind it does not implement (see
/// [`Engine::profile_notes`]).
pub fn profile_notes(model: &Model, cni: Cni) -> Vec<String> {
    tiers::unenforced(model, cni)
}

/// The index over one [`Model`]: namespaces with their effective labels, endpoints,
/// and which policies select which endpoint in which direction.
///
/// Build it once with [`Engine::new`]; every method takes `&self`.
#[derive(Clone, Debug)]
pub struct Engine<'m> {
    model: &'m Model,
    namespaces: namespaces::Namespaces,
    endpoints: Vec<Endpoint<'m>>,
    by_ip: SortedMap<IpAddr, Vec<EndpointId>>,
    /// Per endpoint: indices of the policies selecting it for ingress (`[0]`) and egress
    /// (`[1]`), effective policyTypes considered, ascending.
    selection: Vec<[Vec<u32>; 2]>,
    /// Per policy: the endpoints its podSelector selects (whatever its policyTypes).
    selected: Vec<Vec<EndpointId>>,
    /// Per workload: its endpoint, when no Pod represents it.
    workload_endpoints: Vec<Option<EndpointId>>,
    /// Pod endpoints and workloads by `(namespace, name)`, in index order (what
    /// `ns/name` may denote).
    by_name: resolve::ByName<'m>,
    /// The cluster-wide policies, compiled, and which endpoints they select.
    tiers: tiers::Tiers,
    /// The data plane whose documented behaviour the verdicts follow.
    cni: Cni,
}

impl<'m> Engine<'m> {
    /// Indexes `model`: namespaces, endpoints and policy selection; verdicts as the
    /// APIs define them (the `generic` data plane).
    pub fn new(model: &'m Model) -> Engine<'m> {
        Engine::with_cni(model, Cni::Generic)
    }

    /// Indexes `model` for a cluster running the data plane `cni`: where the APIs
    /// leave the choice open or plugins differ, verdicts follow what that plugin is
    /// documented to do (`docs/cni.md`).
    pub fn with_cni(model: &'m Model, cni: Cni) -> Engine<'m> {
        let namespaces = namespaces::Namespaces::build(model);
        let endpoints = endpoints::build(model, &namespaces);
        let by_ip = endpoints::by_ip(&endpoints);
        let (selection, selected) = endpoints::selection(model, &namespaces, &endpoints);
        let mut workload_endpoints = alloc::vec![None; model.workloads.len()];
        for (i, e) in endpoints.iter().enumerate() {
            if let EndpointKind::Workload(w) = e.kind {
                if let Some(slot) = workload_endpoints.get_mut(w) {
                    *slot = Some(EndpointId::from_index(i));
                }
            }
        }
        let by_name = resolve::ByName::build(model, &endpoints);
        let mut tiers = tiers::Tiers::compile(model, cni);
        tiers.index(&endpoints, &namespaces);
        Engine {
            model,
            namespaces,
            endpoints,
            by_ip,
            selection,
            selected,
            workload_endpoints,
            by_name,
            tiers,
            cni,
        }
    }

    /// The data plane the verdicts follow.
    pub fn cni(&self) -> Cni {
        self.cni
    }

    /// What the data plane leaves out of the verdicts: one line per cluster-wide
    /// policy of a kind `cni` does not implement (stored by the API server, enforced
    /// by nothing). Empty for `generic`.
    pub fn profile_notes(&self) -> Vec<String> {
        profile_notes(self.model, self.cni)
    }

    /// The model this engine indexes.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Every namespace (declared or referenced), sorted by name.
    pub fn namespaces(&self) -> &[NamespaceInfo] {
        self.namespaces.all()
    }

    /// The position in [`Engine::namespaces`] of the namespace named `name`.
    pub fn namespace_id(&self, name: &str) -> Option<u32> {
        self.namespaces.id(name)
    }

    /// The namespace named `name`, if declared or referenced.
    pub fn namespace(&self, name: &str) -> Option<&NamespaceInfo> {
        self.namespaces.get(name)
    }

    /// Every endpoint (pods, then unrepresented workloads in the same sort), sorted by
    /// id. [`EndpointId`]s index this slice.
    pub fn endpoints(&self) -> &[Endpoint<'m>] {
        &self.endpoints
    }

    /// The endpoints of the namespace named `name` (empty when it has none).
    pub fn endpoints_in(&self, name: &str) -> &[Endpoint<'m>] {
        self.namespaces
            .id(name)
            .map_or(&[], |id| self.namespace_endpoints(id))
    }

    /// The endpoints of the namespace at position `id` in [`Engine::namespaces`]
    /// (empty when it has none).
    pub fn namespace_endpoints(&self, id: u32) -> &[Endpoint<'m>] {
        let range = endpoints::namespace_range(&self.endpoints, id);
        self.endpoints.get(range).unwrap_or_default()
    }

    /// The endpoint `id`.
    pub fn endpoint(&self, id: EndpointId) -> Option<&Endpoint<'m>> {
        self.endpoints.get(id.index())
    }

    /// The endpoint standing for `model.workloads[workload]` (`None` when Pods in the
    /// input represent it; see the module docs).
    pub fn workload_endpoint(&self, workload: usize) -> Option<EndpointId> {
        self.workload_endpoints.get(workload).copied().flatten()
    }

    /// The Pod endpoints that represent `model.workloads[workload]` (empty when the
    /// workload is an endpoint itself).
    pub fn represented_by(&self, workload: usize) -> Vec<EndpointId> {
        self.model
            .workloads
            .get(workload)
            .map(|w| endpoints::representing_pods(&self.endpoints, w))
            .unwrap_or_default()
    }

    /// Resolves an endpoint as written by a user (`ns/name`, `ns/kind/name`, an IP
    /// address; see docs/spec/interfaces.md "Endpoints").
    ///
    /// Errors name what was not found, or list the candidates of an ambiguous name.
    pub fn resolve(&self, text: &str) -> Result<EndpointRef, ResolveError> {
        resolve::resolve(self, text)
    }

    /// The display id of `endpoint`: `ns/name`, `ns/kind/name`, or the address.
    pub fn display(&self, endpoint: &EndpointRef) -> String {
        match endpoint {
            EndpointRef::Endpoint(id) => {
                self.endpoint(*id).map(|e| e.id.clone()).unwrap_or_default()
            }
            EndpointRef::External(addr) => alloc::format!("{addr}"),
        }
    }

    /// Whether `endpoint` is a representative pod derived from selectors.
    pub fn is_representative(&self, endpoint: &EndpointRef) -> bool {
        match endpoint {
            EndpointRef::Endpoint(id) => self.endpoint(*id).is_some_and(|e| e.representative),
            EndpointRef::External(_) => false,
        }
    }

    /// Indices (into `model.policies`) of the policies that select `endpoint` and
    /// apply to `direction` (effective policyTypes), ascending.
    pub fn policies_for(&self, endpoint: EndpointId, direction: Direction) -> &[u32] {
        self.selection
            .get(endpoint.index())
            .and_then(|s| s.get(direction.index()))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether `endpoint` is isolated for `direction` (some policy selecting it applies
    /// to that direction). A non-isolated direction allows everything.
    pub fn is_isolated(&self, endpoint: EndpointId, direction: Direction) -> bool {
        !self.policies_for(endpoint, direction).is_empty()
    }

    /// The endpoints `model.policies[policy]`'s podSelector selects in its namespace,
    /// whatever its policyTypes.
    pub fn selected_endpoints(&self, policy: usize) -> &[EndpointId] {
        self.selected.get(policy).map_or(&[], Vec::as_slice)
    }

    /// What the `direction` side at `at` allows with `peer` (the other end of the
    /// flow): every port when `at` is not isolated or is an address outside the
    /// cluster; otherwise the union of the matching rules' ports. Families as for a
    /// flow.
    pub fn side_ports(
        &self,
        at: &EndpointRef,
        direction: Direction,
        peer: &EndpointRef,
    ) -> ProtocolPorts {
        eval::side_ports(self, at, direction, peer)
    }

    /// What rule `rule` of `model.policies[policy]`'s `direction` allows for the
    /// selected endpoint `at` with `peer`, ignoring whether the policy selects `at` and
    /// whether it applies to `direction` (empty when the peer does not match; named
    /// ports resolve on the destination: `at` for ingress, `peer` for egress).
    pub fn rule_ports(
        &self,
        policy: usize,
        direction: Direction,
        rule: usize,
        at: &EndpointRef,
        peer: &EndpointRef,
    ) -> ProtocolPorts {
        eval::rule_ports(self, policy, direction, rule, at, peer)
    }

    /// Every port of every protocol allowed from `from` to `to` (egress at `from`
    /// intersected with ingress at `to`, per family; all for self traffic).
    pub fn allowed_ports(&self, from: &EndpointRef, to: &EndpointRef) -> ProtocolPorts {
        eval::allowed_ports(self, from, to)
    }

    /// Every port's possible answers for `from` → `to` through the cluster-wide tiers
    /// and the NetworkPolicies: what is allowed for sure, what depends on DNS or on
    /// the order of equal-priority policies. Without cluster-wide policies nothing is
    /// uncertain and `allowed()` is [`Engine::allowed_ports`].
    pub fn flow_sets(&self, from: &EndpointRef, to: &EndpointRef) -> FlowSets {
        if eval::is_self(from, to) || self.tiers.is_empty() {
            let allowed = eval::allowed_ports(self, from, to);
            return FlowSets {
                deny: ProtocolPorts::all().difference(&allowed),
                allow: allowed,
                dns: false,
                order: false,
            };
        }
        tiers::flow::flow_sets(self, from, to)
    }

    /// The endpoints the subject of `model.cluster_policies[policy]` selects.
    pub fn tier_selected(&self, policy: usize) -> Vec<EndpointId> {
        let Ok(policy) = u32::try_from(policy) else {
            return Vec::new();
        };
        self.tiers
            .selecting
            .iter()
            .enumerate()
            .filter(|(_, list)| list.contains(&policy))
            .map(|(i, _)| EndpointId::from_index(i))
            .collect()
    }

    /// Whether the input holds cluster-wide policies (ClusterNetworkPolicy,
    /// AdminNetworkPolicy, BaselineAdminNetworkPolicy).
    pub fn has_tiers(&self) -> bool {
        !self.tiers.is_empty()
    }

    /// Whether `from` may reach `to` on `protocol`/`port` (no explanation; see
    /// [`Engine::query`]).
    pub fn allows(
        &self,
        from: &EndpointRef,
        to: &EndpointRef,
        protocol: Protocol,
        port: u16,
    ) -> bool {
        eval::allows(self, from, to, protocol, port)
    }

    /// [`Engine::allows`] for many pairs: the endpoints grouped into classes no
    /// policy can tell apart, each answer computed once per class pair and port.
    pub fn class_verdicts(&self) -> ClassVerdicts<'_, 'm> {
        ClassVerdicts::new(self)
    }

    /// Resolves a flow written by a user: endpoints as for [`Engine::resolve`], a port
    /// number or a named port of the destination.
    pub fn flow(
        &self,
        from: &str,
        to: &str,
        port: &PortValue,
        protocol: Protocol,
    ) -> Result<Flow, QueryError> {
        query::flow(self, from, to, port, protocol)
    }

    /// The verdict on `flow` with its explanation, per direction: isolation, the rules
    /// that allowed it, and for a denied side the closest rules and what did not match.
    pub fn query(&self, flow: &Flow) -> Verdict {
        explain::verdict(self, flow, true)
    }

    /// [`Engine::query`] without the closest rules of a denied side (the verdict,
    /// its reason and the rules and policies involved are the same): for callers
    /// that report no more than that, such as a replay of recorded flows.
    pub fn query_brief(&self, flow: &Flow) -> Verdict {
        explain::verdict(self, flow, false)
    }

    /// Allowed connections between every pair of endpoints, including the external
    /// address classes the policies distinguish.
    pub fn matrix(&self) -> Matrix {
        matrix::compute(self)
    }

    /// Runs every case of every `ConnectivityTest` in the model, in input order.
    pub fn run_tests(&self) -> TestReport {
        runner::run(self)
    }
}
