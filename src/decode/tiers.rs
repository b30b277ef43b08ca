//! ClusterNetworkPolicy (v1alpha2), AdminNetworkPolicy and BaselineAdminNetworkPolicy
//! (v1alpha1): their CRDs' OpenAPI schema and CEL rules, and the model.
//!
//! The CRDs are those of `kubernetes-sigs/network-policy-api`'s experimental channel
//! (a superset of the standard one: `nodes` and `domainNames` peers, named ports).
//! Rules are in `tier_rules.rs`, peers in `tier_peers.rs`, ports in `tier_ports.rs`,
//! the shared schema checks in `tier_schema.rs`.

use alloc::vec::Vec;

use super::context::{child, Ctx};
use super::meta::{decode_meta, NameRule};
use super::selector::decode_selector;
use super::tier_rules::decode_rules;
use super::tier_schema::{
    bounded, ctx_map, decode_namespaced_pod, exactly_one, required_map, required_string,
};
use crate::doc::Node;
use crate::model::{ClusterPolicy, ClusterPolicyKind, ClusterSubject, Direction, Spanned, Tier};
use crate::source::SourceId;
use crate::validate::{message, schema};

/// What differs between the three kinds' schemas.
pub(super) struct Shape {
    /// The kind.
    pub kind: ClusterPolicyKind,
    /// `maxItems` of the rule lists, the peer lists and the port lists.
    pub max_items: usize,
    /// The `action` enum.
    pub actions: &'static [&'static str],
    /// The name of the ports list: `protocols` (v1alpha2) or `ports` (v1alpha1).
    pub ports_field: &'static str,
    /// The egress peer fields.
    pub egress_peers: &'static [&'static str],
    /// Whether `pods` requires `namespaceSelector` (v1alpha1) or only `podSelector`.
    pub pods_need_namespaces: bool,
    /// The message of the egress rule's CEL rule against named ports with
    /// address-based peers.
    pub named_port_message: &'static str,
}

/// The peer fields of every ingress rule (and of `spec.subject`).
pub(super) const INGRESS_PEERS: &[&str] = &["namespaces", "pods"];

/// The CEL message of v1alpha2 and AdminNetworkPolicy.
const NAMED_PORT_MESSAGE: &str = "networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames";

/// The CEL message of BaselineAdminNetworkPolicy (which has no `domainNames`).
const BASELINE_NAMED_PORT_MESSAGE: &str =
    "networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes";

/// The CEL message of BaselineAdminNetworkPolicy's root rule.
const BASELINE_NAME_MESSAGE: &str = "Only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster";

/// The name the BaselineAdminNetworkPolicy singleton must have.
const BASELINE_NAME: &str = "default";

impl Shape {
    /// The schema of `kind`.
    pub(super) fn of(kind: ClusterPolicyKind) -> Shape {
        match kind {
            ClusterPolicyKind::ClusterNetworkPolicy => Shape {
                kind,
                max_items: 25,
                actions: &["Accept", "Deny", "Pass"],
                ports_field: "protocols",
                egress_peers: &["namespaces", "pods", "nodes", "networks", "domainNames"],
                pods_need_namespaces: false,
                named_port_message: NAMED_PORT_MESSAGE,
            },
            ClusterPolicyKind::AdminNetworkPolicy => Shape {
                kind,
                max_items: 100,
                actions: &["Allow", "Deny", "Pass"],
                ports_field: "ports",
                egress_peers: &["namespaces", "pods", "nodes", "networks", "domainNames"],
                pods_need_namespaces: true,
                named_port_message: NAMED_PORT_MESSAGE,
            },
            ClusterPolicyKind::BaselineAdminNetworkPolicy => Shape {
                kind,
                max_items: 100,
                actions: &["Allow", "Deny"],
                ports_field: "ports",
                egress_peers: &["namespaces", "pods", "nodes", "networks"],
                pods_need_namespaces: true,
                named_port_message: BASELINE_NAMED_PORT_MESSAGE,
            },
        }
    }

    /// Whether the kind is v1alpha1 (AdminNetworkPolicy, BaselineAdminNetworkPolicy).
    pub(super) fn v1alpha1(&self) -> bool {
        self.kind != ClusterPolicyKind::ClusterNetworkPolicy
    }
}

/// Decodes a cluster-wide policy of `kind` (its apiVersion already checked); `None`
/// when the server would reject it.
pub(crate) fn decode_cluster_policy(
    ctx: &mut Ctx,
    root: &Node,
    source: SourceId,
    kind: ClusterPolicyKind,
) -> Option<ClusterPolicy> {
    let shape = Shape::of(kind);
    ctx.check_fields(
        root,
        "",
        &["apiVersion", "kind", "metadata", "spec", "status"],
    );
    let mut meta = decode_meta(ctx, root, source, NameRule::Subdomain, false);
    // Cluster-scoped: the server ignores a namespace.
    meta.namespace = None;
    if kind == ClusterPolicyKind::BaselineAdminNetworkPolicy && meta.name.value != BASELINE_NAME {
        let text = schema::cel("", "object", BASELINE_NAME_MESSAGE);
        ctx.error("invalid-name", "metadata.name", meta.name.span, text);
    }
    let spec = required_map(ctx, root, "spec")?;
    let mut spec_fields = Vec::from(["subject", "ingress", "egress"]);
    match kind {
        ClusterPolicyKind::ClusterNetworkPolicy => spec_fields.extend(["tier", "priority"]),
        ClusterPolicyKind::AdminNetworkPolicy => spec_fields.push("priority"),
        ClusterPolicyKind::BaselineAdminNetworkPolicy => {}
    }
    ctx.check_fields(spec, "spec", &spec_fields);

    let kind_span = root.get("kind").map_or(root.span, |n| n.span);
    let tier = match kind {
        ClusterPolicyKind::ClusterNetworkPolicy => decode_tier(ctx, spec),
        ClusterPolicyKind::AdminNetworkPolicy => Some(Spanned::new(Tier::Admin, kind_span)),
        ClusterPolicyKind::BaselineAdminNetworkPolicy => {
            Some(Spanned::new(Tier::Baseline, kind_span))
        }
    };
    let priority = match kind {
        ClusterPolicyKind::BaselineAdminNetworkPolicy => Some(Spanned::new(0, spec.span)),
        _ => decode_priority(ctx, spec),
    };
    let subject = decode_subject(ctx, spec, &shape);
    let ingress = decode_rules(ctx, spec, Direction::Ingress, &shape);
    let egress = decode_rules(ctx, spec, Direction::Egress, &shape);
    Some(ClusterPolicy {
        meta,
        kind,
        spec_span: spec.span,
        tier: tier?,
        priority: priority?,
        subject: subject?,
        ingress: ingress?,
        egress: egress?,
    })
}

/// `spec.tier`: required, `Admin` or `Baseline`.
fn decode_tier(ctx: &mut Ctx, spec: &Node) -> Option<Spanned<Tier>> {
    let path = "spec.tier";
    let text = required_string(ctx, spec, "tier", path)?;
    let tier = Tier::parse(&text.value);
    if tier.is_none() {
        let msg = message::unsupported(path, &text.value, &["Admin", "Baseline"]);
        ctx.error("invalid-tier", path, text.span, msg);
    }
    Some(Spanned::new(tier?, text.span))
}

/// `spec.priority`: required, 0..=1000.
fn decode_priority(ctx: &mut Ctx, spec: &Node) -> Option<Spanned<u16>> {
    let path = "spec.priority";
    let field = spec.get("priority");
    if super::context::present(field).is_none() {
        let span = field.map_or(spec.span, |n| n.span);
        ctx.error("invalid-priority", path, span, message::required(path, ""));
        return None;
    }
    let value = ctx.int32(field, path)?;
    bounded(ctx, "invalid-priority", path, &value, 0, 1000)
}

/// `spec.subject`: exactly one of `namespaces` and `pods`.
fn decode_subject(ctx: &mut Ctx, spec: &Node, shape: &Shape) -> Option<ClusterSubject> {
    let path = "spec.subject";
    let subject = required_map(ctx, spec, path)?;
    ctx.check_fields(subject, path, INGRESS_PEERS);
    let one = exactly_one(ctx, "invalid-subject", subject, path, INGRESS_PEERS)?;
    let field_path = child(path, one);
    let node = subject.get(one)?;
    if one == "namespaces" {
        let map = ctx_map(ctx, node, &field_path)?;
        let selector = decode_selector(ctx, map, &field_path)?;
        return Some(ClusterSubject::Namespaces {
            span: subject.span,
            selector,
        });
    }
    let (namespaces, pods) = decode_namespaced_pod(ctx, node, &field_path, shape)?;
    Some(ClusterSubject::Pods {
        span: subject.span,
        namespaces,
        pods,
    })
}
