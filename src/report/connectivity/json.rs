//! The JSON document of `matrix` (docs/spec/interfaces.md shape) and the pieces the
//! other documents share; `query` is in `query_json`, `test` in `test_json`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;
use serde::Serialize;

use super::view::MatrixView;
use crate::engine::{Matrix, MatrixEndpoint, MatrixEndpointKind, ProtocolPorts};
use crate::model::Labels;

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

/// Pretty JSON with a final newline.
pub fn to_pretty<T: Serialize>(value: &T) -> String {
    let mut out =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
