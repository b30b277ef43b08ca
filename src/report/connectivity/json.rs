//! The JSON documents of `matrix` and `query` (docs/spec/interfaces.md shapes); the
//! `test` document is in `test_json`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use super::location;
use super::tiers_json::{steps_json, uncertainty_json, TierStepJson, UncertaintyJson};
use super::view::MatrixView;
use crate::engine::{
    Matrix, MatrixEndpoint, MatrixEndpointKind, PolicyRef, ProtocolPorts, RuleRef, SideExplanation,
    Verdict,
};
use crate::model::Labels;
use crate::source::SourceSet;

/// The matrix document.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "MatrixAnswer"))]
pub struct MatrixJson {
    /// Tool version.
    pub version: &'static str,
    /// Every endpoint.
    pub endpoints: Vec<EndpointJson>,
    /// Every pair with something allowed.
    pub connections: Vec<ConnectionJson>,
    /// Present when some pair has ports whose verdict depends on DNS or on the order
    /// of equal-priority policies: neither allowed nor denied for sure (never in
    /// `connections`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<Vec<UncertainConnectionJson>>", optional)
    )]
    pub uncertain: Vec<UncertainConnectionJson>,
    /// Present (`true`) when representative endpoints stand for pods the input does
    /// not hold.
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub representative: bool,
    /// The controllers (`ns/kind/name`) whose pods were left apart because the
    /// policies treat them differently (only with grouping).
    #[serde(rename = "splitOwners", skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub split_owners: Vec<String>,
    /// The notes the other formats print (representative endpoints, owners left
    /// apart).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub notes: Vec<String>,
}

/// ENDPOINT.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "MatrixEndpoint")
)]
pub struct EndpointJson {
    /// Endpoint id.
    pub id: String,
    /// `Pod`, the workload kind, or `External`.
    #[cfg_attr(
        feature = "typescript",
        ts(
            type = "\"Pod\" | \"Deployment\" | \"StatefulSet\" | \"DaemonSet\" | \"ReplicaSet\" | \"ReplicationController\" | \"Job\" | \"CronJob\" | \"Representative\" | \"External\""
        )
    )]
    pub kind: &'static str,
    /// Namespace (null for an external class).
    pub namespace: Option<String>,
    /// Name (null for an external class).
    pub name: Option<String>,
    /// A pod's IPs.
    pub ips: Vec<String>,
    /// An external class's CIDRs.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub cidrs: Option<Vec<String>>,
    /// The labels a representative endpoint stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<alloc::collections::BTreeMap<String, String>>", optional)
    )]
    pub labels: Option<Labels>,
    /// The member pods of a group of one controller's pods.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub pods: Option<Vec<String>>,
}

impl EndpointJson {
    /// ENDPOINT from its parts; `external_cidrs` is an external class's content
    /// (`None` for a pod or workload, which has no `cidrs` key).
    pub fn new(
        id: &str,
        kind: &MatrixEndpointKind,
        namespace: &Option<String>,
        name: &Option<String>,
        ips: &[IpAddr],
        external_cidrs: Option<&[IpNet]>,
    ) -> EndpointJson {
        EndpointJson {
            id: id.into(),
            kind: kind.as_str(),
            namespace: namespace.clone(),
            name: name.clone(),
            ips: ips.iter().map(|ip| format!("{ip}")).collect(),
            cidrs: external_cidrs.map(|cidrs| cidrs.iter().map(|c| format!("{c}")).collect()),
            labels: None,
            pods: None,
        }
    }

    /// ENDPOINT of one matrix endpoint (with its labels and member pods).
    pub fn of(e: &MatrixEndpoint) -> EndpointJson {
        let external = e.endpoint.is_none().then_some(e.cidrs.as_slice());
        EndpointJson::new(&e.id, &e.kind, &e.namespace, &e.name, &e.ips, external)
            .with_members(&e.labels, &e.pods)
    }

    /// Adds what a representative endpoint stands for (`labels`) and a group's
    /// member pods (`pods`, when not empty).
    pub fn with_members(mut self, labels: &Option<Labels>, pods: &[String]) -> EndpointJson {
        self.labels = labels.clone();
        self.pods = (!pods.is_empty()).then(|| pods.to_vec());
        self
    }
}

/// CONNECTION.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Connection"))]
pub struct ConnectionJson {
    /// Source id.
    pub from: String,
    /// Destination id.
    pub to: String,
    /// Per protocol, inclusive port ranges.
    pub allowed: Vec<AllowedJson>,
}

/// A pair with uncertain ports.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "UncertainConnection")
)]
pub struct UncertainConnectionJson {
    /// Source id.
    pub from: String,
    /// Destination id.
    pub to: String,
    /// Per protocol, the inclusive port ranges whose verdict is uncertain.
    pub ports: Vec<AllowedJson>,
}

/// One protocol's ports.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Allowed"))]
pub struct AllowedJson {
    /// `TCP`, `UDP` or `SCTP`.
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Protocol"))]
    pub protocol: &'static str,
    /// Inclusive ranges.
    #[cfg_attr(feature = "typescript", ts(type = "Array<[number, number]>"))]
    pub ports: Vec<[u16; 2]>,
}

/// The `allowed` list of a port set.
pub fn allowed_json(ports: &ProtocolPorts) -> Vec<AllowedJson> {
    ports
        .iter()
        .map(|(p, set)| AllowedJson {
            protocol: p.as_str(),
            ports: set.ranges().iter().map(|&(a, b)| [a, b]).collect(),
        })
        .collect()
}

/// The whole matrix as its JSON document.
pub fn matrix_json(matrix: &Matrix) -> MatrixJson {
    view_json(&MatrixView::all(matrix))
}

/// The matrix as filtered by `view`, as its JSON document.
pub fn view_json(view: &MatrixView<'_>) -> MatrixJson {
    let matrix = view.matrix;
    let endpoints = view
        .endpoints()
        .into_iter()
        .filter_map(|i| matrix.endpoints().get(i))
        .map(EndpointJson::of)
        .collect();
    let connections = view
        .connections()
        .map(|c| ConnectionJson {
            from: view.id(c.from).into(),
            to: view.id(c.to).into(),
            allowed: allowed_json(&c.allowed),
        })
        .collect();
    let uncertain = view
        .uncertain()
        .iter()
        .map(|c| UncertainConnectionJson {
            from: view.id(c.from).into(),
            to: view.id(c.to).into(),
            ports: allowed_json(&c.allowed),
        })
        .collect();
    MatrixJson {
        version: crate::VERSION,
        endpoints,
        connections,
        uncertain,
        representative: matrix.uses_representatives(),
        split_owners: matrix.split_owners().to_vec(),
        notes: super::matrix_notes(matrix),
    }
}

/// POLICYREF.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "PolicyRef"))]
pub struct PolicyRefJson {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Source file.
    pub file: String,
    /// 1-based line of the policy.
    pub line: u32,
}

/// RULEREF.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "RuleRef"))]
pub struct RuleRefJson {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Source file.
    pub file: String,
    /// 1-based line of `path`.
    pub line: u32,
    /// `spec.ingress[0].from[1]` (or the rule's path when no peer matched).
    pub path: String,
    /// The matching port entry's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port_path: Option<String>,
    /// For a closest rule, what did not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub mismatch: Option<String>,
}

/// One side of a query.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "SideExplanation")
)]
pub struct SideJson {
    /// Whether a policy isolates this side.
    pub isolated: bool,
    /// Whether this side allows the flow.
    pub allowed: bool,
    /// The isolating policies.
    pub isolated_by: Vec<PolicyRefJson>,
    /// The rules allowing the flow.
    pub allowed_by: Vec<RuleRefJson>,
    /// The closest rules of a denied side.
    pub closest: Vec<RuleRefJson>,
    /// The cluster-wide tier rules met, in order (absent without them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<TierStepJson>>", optional))]
    pub tiers: Vec<TierStepJson>,
    /// Which layer decided: `admin`, `networkPolicy`, `baseline` or `default` (absent
    /// without cluster-wide policies).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "typescript",
        ts(
            type = "\"admin\" | \"networkPolicy\" | \"baseline\" | \"default\"",
            optional
        )
    )]
    pub layer: Option<&'static str>,
}

/// The query document.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "QueryAnswer"))]
pub struct QueryJson {
    /// Tool version.
    pub version: &'static str,
    /// Source id.
    pub from: String,
    /// Destination id.
    pub to: String,
    /// Port number.
    pub port: u16,
    /// Port name, when the query named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port_name: Option<String>,
    /// Protocol.
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Protocol"))]
    pub protocol: &'static str,
    /// The verdict.
    pub allowed: bool,
    /// Why.
    pub reason: String,
    /// An endpoint talking to itself.
    pub self_traffic: bool,
    /// The IP family explained, when addresses took part.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(type = "\"IPv4\" | \"IPv6\"", optional))]
    pub family: Option<&'static str>,
    /// The source's egress.
    pub egress: SideJson,
    /// The destination's ingress.
    pub ingress: SideJson,
    /// Present (`true`) when a side is a representative endpoint.
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub representative: bool,
    /// Present when the answer depends on DNS or on an undefined order (`allowed` is
    /// then `false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub uncertain: Option<UncertaintyJson>,
}

fn policy_json(p: &PolicyRef, sources: &SourceSet) -> PolicyRefJson {
    let (file, line) = location(sources, p.source, p.span);
    PolicyRefJson {
        namespace: p.namespace.clone(),
        name: p.name.clone(),
        file,
        line,
    }
}

fn rule_json(r: &RuleRef, sources: &SourceSet) -> RuleRefJson {
    let (file, line) = location(sources, r.policy.source, r.span);
    RuleRefJson {
        namespace: r.policy.namespace.clone(),
        name: r.policy.name.clone(),
        file,
        line,
        path: r.path.clone(),
        port_path: r.port_path.clone(),
        mismatch: r.mismatch.clone(),
    }
}

fn side_json(side: &SideExplanation, sources: &SourceSet) -> SideJson {
    SideJson {
        isolated: side.isolated,
        allowed: side.allowed,
        isolated_by: side
            .isolated_by
            .iter()
            .map(|p| policy_json(p, sources))
            .collect(),
        allowed_by: side
            .allowed_by
            .iter()
            .map(|r| rule_json(r, sources))
            .collect(),
        closest: side.closest.iter().map(|r| rule_json(r, sources)).collect(),
        tiers: steps_json(&side.tiers, sources),
        layer: side.layer.map(|l| l.as_str()),
    }
}

/// A verdict as the query document.
pub fn query_json(verdict: &Verdict, sources: &SourceSet) -> QueryJson {
    QueryJson {
        version: crate::VERSION,
        from: verdict.from.clone(),
        to: verdict.to.clone(),
        port: verdict.port,
        port_name: verdict.port_name.clone(),
        protocol: verdict.protocol.as_str(),
        allowed: verdict.allowed,
        reason: verdict.reason.clone(),
        self_traffic: verdict.self_traffic,
        family: verdict.family.map(|f| f.as_str()),
        egress: side_json(&verdict.egress, sources),
        ingress: side_json(&verdict.ingress, sources),
        representative: verdict.representative,
        uncertain: verdict.uncertain.as_ref().map(uncertainty_json),
    }
}

/// Pretty JSON with a final newline.
pub fn to_pretty<T: Serialize>(value: &T) -> String {
    let mut out =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
