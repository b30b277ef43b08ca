//! The questions a [`super::Workspace`] answers, as typed requests (the JSON the
//! JavaScript API takes: keys camelCase, every field optional unless said).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use super::ApiError;
use crate::model::{PortValue, Protocol};

/// How to lint: rule levels and the failing threshold on top of the workspace's
/// configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "LintRequest"))]
pub struct LintOptions {
    /// Per-rule level: `off`, `info`, `warning` or `error`.
    #[cfg_attr(
        feature = "typescript",
        ts(
            as = "Option<alloc::collections::BTreeMap<String, crate::api::typescript::RuleLevel>>",
            optional
        )
    )]
    pub rules: BTreeMap<String, String>,
    /// Findings at or above this fail: `error`, `warning`, `info` or `none`.
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<crate::api::typescript::FailOn>", optional)
    )]
    pub fail_on: Option<String>,
    /// Keep only the findings at or above the threshold.
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub quiet: bool,
    /// Only the rules that decide on one object alone (what an admission
    /// controller rejects on: rules that need the rest of the cluster belong to
    /// reports). Set by [`super::Admission`], not read from JSON.
    #[serde(skip)]
    #[cfg_attr(feature = "typescript", ts(skip))]
    pub single_object: bool,
}

/// Which part of the matrix to answer: rows, columns, namespaces and ports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "MatrixView", optional_fields)
)]
pub struct MatrixFilter {
    /// Only connections from this endpoint (`ns/name`, `ns/kind/name` or an IP).
    pub from: Option<String>,
    /// Only connections to this endpoint.
    pub to: Option<String>,
    /// Only pods and workloads of these namespaces (external ranges stay).
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub namespace: Vec<String>,
    /// Only this protocol (`TCP`, `UDP`, `SCTP`; TCP when only `port` is given).
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<crate::api::typescript::Protocol>")
    )]
    pub protocol: Option<String>,
    /// Only connections allowing this port.
    pub port: Option<u16>,
    /// `owner`: the pods of one controller as one endpoint where the policies treat
    /// them alike; `none` (the default): one endpoint per pod.
    #[cfg_attr(feature = "typescript", ts(optional, type = "\"owner\" | \"none\""))]
    pub group: Option<String>,
}

/// A port of a flow: a number, or a named port of the destination.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Port {
    /// A number, 1 to 65535.
    Number(u16),
    /// A container port name.
    Name(String),
}

/// One flow to explain.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Flow"))]
pub struct FlowRequest {
    /// The source endpoint.
    pub from: String,
    /// The destination endpoint.
    pub to: String,
    /// The destination port.
    pub port: Port,
    /// `TCP` (default), `UDP` or `SCTP`.
    #[serde(default)]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<crate::api::typescript::Protocol>", optional)
    )]
    pub protocol: Option<String>,
}

impl Port {
    /// The model's port value; `0` and an empty name are errors.
    pub(crate) fn value(&self) -> Result<PortValue, ApiError> {
        match self {
            Port::Number(0) => Err(ApiError::new(
                "invalid port 0 (expected 1-65535 or a port name)",
            )),
            Port::Number(n) => Ok(PortValue::Number(*n)),
            Port::Name(name) if name.trim().is_empty() => Err(ApiError::new("empty port")),
            Port::Name(name) => Ok(PortValue::Name(name.trim().into())),
        }
    }
}

/// `TCP`, `UDP` or `SCTP` in any case; `None` is TCP.
pub(crate) fn protocol(text: Option<&str>) -> Result<Protocol, ApiError> {
    let Some(text) = text else {
        return Ok(Protocol::Tcp);
    };
    Protocol::parse(&text.to_ascii_uppercase()).ok_or_else(|| {
        ApiError::new(format!(
            "invalid protocol '{text}' (expected TCP, UDP or SCTP)"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_their_json_shapes() {
        let flow: FlowRequest = serde_json::from_str(
            r#"{"from": "a/b", "to": "10.0.0.1", "port": 53, "protocol": "udp"}"#,
        )
        .unwrap();
        assert_eq!(flow.port, Port::Number(53));
        assert_eq!(protocol(flow.protocol.as_deref()).unwrap(), Protocol::Udp);
        let named: FlowRequest =
            serde_json::from_str(r#"{"from": "a/b", "to": "a/c", "port": "http"}"#).unwrap();
        assert_eq!(named.port.value().unwrap(), PortValue::Name("http".into()));
        let filter: MatrixFilter =
            serde_json::from_str(r#"{"namespace": ["shop"], "port": 80}"#).unwrap();
        assert_eq!((filter.namespace.len(), filter.port), (1, Some(80)));
        assert!(serde_json::from_str::<MatrixFilter>(r#"{"colour": 1}"#).is_err());
        let lint: LintOptions =
            serde_json::from_str(r#"{"rules": {"missing-namespace": "off"}, "failOn": "warning"}"#)
                .unwrap();
        assert_eq!(lint.fail_on.as_deref(), Some("warning"));
    }

    #[test]
    fn bad_ports_and_protocols_are_errors() {
        assert!(Port::Number(0).value().is_err());
        assert!(Port::Name(" ".into()).value().is_err());
        assert!(protocol(Some("ICMP"))
            .unwrap_err()
            .message()
            .contains("ICMP"));
        assert_eq!(protocol(None).unwrap(), Protocol::Tcp);
    }
}
