//! The heatmap of a matrix answer: per pair of endpoints, whether every port,
//! some or none is allowed under a port filter (for any protocol and for each one),
//! the allowed ports as people read them, and a representative address for each
//! class of addresses outside the cluster (what a query about it names).

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use super::answer::{ApiError, MatrixAnswer};
use super::request::MatrixFilter;
use super::workspace::Workspace;
use crate::engine::{Engine, MatrixEndpoint, PortSet, ProtocolPorts};
use crate::model::Protocol;
use crate::report::connectivity::json::EndpointJson;

/// Which port the heatmap's states are about (every port when none is given).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "HeatmapView", optional_fields)
)]
pub struct HeatmapFilter {
    /// Only this port: a pair is `all` for a protocol allowing it, else `none`.
    pub port: Option<u16>,
}

/// What a pair allows under the filter, for one protocol or for all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum CellState {
    /// Every port asked about (the filter's port, else every port).
    All,
    /// Some ports, not all (never with a port filter).
    Some,
    /// Nothing.
    None,
}

/// A pair's state for any protocol and for each one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct CellStates {
    /// Over TCP, UDP and SCTP together: `all` only when each is `all`, `none` only
    /// when each is `none`.
    pub any: CellState,
    /// TCP alone.
    #[serde(rename = "TCP")]
    pub tcp: CellState,
    /// UDP alone.
    #[serde(rename = "UDP")]
    pub udp: CellState,
    /// SCTP alone.
    #[serde(rename = "SCTP")]
    pub sctp: CellState,
}

impl CellStates {
    /// The states of `allowed` under `port`.
    pub fn of(allowed: &ProtocolPorts, port: Option<u16>) -> CellStates {
        let [tcp, udp, sctp] = Protocol::ALL.map(|p| protocol_state(allowed.get(p), port));
        let each = [tcp, udp, sctp];
        let any = if each.iter().all(|s| *s == CellState::All) {
            CellState::All
        } else if each.iter().all(|s| *s == CellState::None) {
            CellState::None
        } else {
            CellState::Some
        };
        CellStates {
            any,
            tcp,
            udp,
            sctp,
        }
    }
}

/// One protocol's state: with a port, whether the set holds it; without, whether
/// it holds every port.
fn protocol_state(set: &PortSet, port: Option<u16>) -> CellState {
    match port {
        _ if set.is_empty() => CellState::None,
        Some(port) if set.contains(port) => CellState::All,
        Some(_) => CellState::None,
        None if set.is_all() => CellState::All,
        None => CellState::Some,
    }
}

/// One protocol's allowed ports, as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PortsText {
    /// `TCP`, `UDP` or `SCTP`.
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Protocol"))]
    pub protocol: &'static str,
    /// `80, 8080-8090`, or `all ports`.
    pub text: String,
    /// The lowest port allowed (the port a query about the pair asks first).
    pub first: u16,
}

/// `80, 8080-8090` for a set of ports; `all ports` for every port.
pub fn port_text(set: &PortSet) -> String {
    if set.is_all() {
        String::from("all ports")
    } else {
        set.ranges_text(", ")
    }
}

/// The allowed ports of each protocol with some, as text.
fn ports_texts(allowed: &ProtocolPorts) -> Vec<PortsText> {
    allowed
        .iter()
        .map(|(protocol, set)| PortsText {
            protocol: protocol.as_str(),
            text: port_text(set),
            first: set.ranges().first().map_or(0, |&(low, _)| low),
        })
        .collect()
}

/// One protocol's entry of an `allowed` list in an answer (`{"protocol": "TCP",
/// "ports": [[80, 80], [8080, 8090]]}`), read back to be written as text.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedRanges {
    /// `TCP`, `UDP` or `SCTP`.
    pub protocol: String,
    /// Inclusive ranges.
    pub ports: Vec<[u16; 2]>,
}

/// The `allowed` list of an answer (a matrix connection, a diff change) as text per
/// protocol; an unknown protocol is an error.
pub fn allowed_texts(allowed: &[AllowedRanges]) -> Result<Vec<PortsText>, ApiError> {
    let mut ports = ProtocolPorts::default();
    for entry in allowed {
        let protocol = super::request::protocol(Some(&entry.protocol))?;
        let set = PortSet::from_ranges(entry.ports.iter().map(|&[low, high]| (low, high)));
        ports.add(protocol, &set);
    }
    Ok(ports_texts(&ports))
}

/// One pair with something allowed (pairs left out allow nothing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct HeatmapPair {
    /// The source's id.
    pub from: String,
    /// The destination's id.
    pub to: String,
    /// The states under the filter.
    pub states: CellStates,
    /// What is allowed (whatever the filter), per protocol.
    pub ports: Vec<PortsText>,
}

/// An endpoint of the heatmap.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct HeatmapEndpoint {
    /// The endpoint as in the matrix answer.
    #[serde(flatten)]
    pub endpoint: EndpointJson,
    /// For a class of addresses outside the cluster, one address in it (what a
    /// query names); absent for pods and workloads.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub address: Option<String>,
}

/// The heatmap answer (`workspace.heatmap(view)`).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct HeatmapAnswer {
    /// The endpoints of the matrix view, in matrix order.
    pub endpoints: Vec<HeatmapEndpoint>,
    /// Every shown pair with something allowed, except pairs of two classes
    /// outside the cluster (no policy applies between them).
    pub pairs: Vec<HeatmapPair>,
}

impl Workspace {
    /// The heatmap of the whole matrix, its states under `filter`.
    pub fn heatmap(&self, filter: &HeatmapFilter) -> Result<HeatmapAnswer, ApiError> {
        self.heatmap_with(&self.engine(), filter)
    }

    /// [`Workspace::heatmap`] with an index already built by [`Workspace::engine`].
    pub fn heatmap_with(
        &self,
        engine: &Engine<'_>,
        filter: &HeatmapFilter,
    ) -> Result<HeatmapAnswer, ApiError> {
        if filter.port == Some(0) {
            return Err(ApiError::new("invalid port 0 (expected 1-65535)"));
        }
        Ok(self
            .matrix_with(engine, &MatrixFilter::default())?
            .heatmap(filter))
    }
}

impl MatrixAnswer {
    /// The heatmap of this answer's view (asked without a port or protocol filter:
    /// the states are the heatmap filter's), its states under `filter`.
    fn heatmap(&self, filter: &HeatmapFilter) -> HeatmapAnswer {
        let view = self.view();
        let matrix = view.matrix;
        let endpoints = view
            .endpoints()
            .into_iter()
            .filter_map(|i| matrix.endpoints().get(i))
            .map(|e| HeatmapEndpoint {
                endpoint: EndpointJson::of(e),
                address: representative_address(e).map(|ip| alloc::format!("{ip}")),
            })
            .collect();
        let external = |i: usize| matrix.endpoints().get(i).is_some_and(is_external);
        let pairs = view
            .connections()
            .filter(|c| !(external(c.from) && external(c.to)))
            .map(|c| HeatmapPair {
                from: view.id(c.from).into(),
                to: view.id(c.to).into(),
                states: CellStates::of(&c.allowed, filter.port),
                ports: ports_texts(&c.allowed),
            })
            .collect();
        HeatmapAnswer { endpoints, pairs }
    }
}

/// Whether `e` is a class of addresses outside the cluster.
fn is_external(e: &MatrixEndpoint) -> bool {
    e.endpoint.is_none()
}

/// An address of an external class: the first usable host of its first range (the
/// range's own address when it has no other).
fn representative_address(e: &MatrixEndpoint) -> Option<IpAddr> {
    if !is_external(e) {
        return None;
    }
    let net = e.cidrs.first()?;
    Some(match net {
        IpNet::V4(v4) if v4.prefix_len() <= 30 => {
            IpAddr::V4(u32::from(v4.network()).saturating_add(1).into())
        }
        IpNet::V6(v6) if v6.prefix_len() <= 126 => {
            IpAddr::V6(u128::from(v6.network()).saturating_add(1).into())
        }
        other => other.network(),
    })
}

#[cfg(test)]
mod tests;
