//! Rendering the engine's answers: the matrix (`text`, `json`, `csv`, `md`, `dot`,
//! `svg`), one query (`text`, `json`) and connectivity tests (`text`, `json`,
//! `junit`).
//!
//! Every JSON shape is the one of docs/spec/interfaces.md; the other formats show the
//! same content for people or other tools. Positions (file, line) are resolved
//! through the [`SourceSet`] the model was read from.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::engine::{Matrix, MatrixEndpointKind, PortSet, ProtocolPorts};
use crate::source::{SourceId, SourceSet, Span};

pub mod json;
pub mod matrix;
pub mod matrix_json;
pub mod query;
pub mod query_json;
pub mod svg;
pub mod test_json;
pub mod tests;
pub mod tiers_json;
pub mod uncertain;
pub mod view;

pub use view::{MatrixView, ViewConnection};

/// What every matrix format says besides the connections: that representative
/// endpoints stand for pods the input does not hold, and which controllers' pods
/// were left apart because the policies treat them differently.
pub fn matrix_notes(matrix: &Matrix) -> Vec<String> {
    let mut notes = Vec::new();
    let mut namespaces: Vec<&str> = matrix
        .endpoints()
        .iter()
        .filter(|e| e.kind == MatrixEndpointKind::Representative)
        .filter_map(|e| e.namespace.as_deref())
        .collect();
    namespaces.dedup();
    if !namespaces.is_empty() {
        notes.push(representative_note(&namespaces));
    }
    for owner in matrix.split_owners() {
        notes.push(format!(
            "the pods of `{owner}` are shown one by one: the policies treat them differently"
        ));
    }
    notes
}

/// The note of a query or test that named representative endpoints.
pub const REPRESENTATIVE_FLOW_NOTE: &str = "representative endpoints `ns/{labels}` stand for the pods the policies select in namespaces without Pods or workloads in the inputs";

/// The note saying representative endpoints were used in `namespaces`.
pub fn representative_note(namespaces: &[&str]) -> String {
    format!(
        "no Pods or workloads in namespace{} {}: representative endpoints `ns/{{labels}}` stand for the pods the policies select there",
        if namespaces.len() == 1 { "" } else { "s" },
        namespaces.join(", ")
    )
}

/// How much of the port space a cell allows: `all`, `some` or `none` (the
/// playground's `data-state`).
pub fn state(ports: &ProtocolPorts) -> &'static str {
    if ports.is_all() {
        "all"
    } else if ports.is_empty() {
        "none"
    } else {
        "some"
    }
}

/// One port set as people write it: `all`, or `80, 8080-8090`.
pub fn port_set_text(set: &PortSet) -> String {
    let mut out = String::new();
    write_port_set(&mut out, set);
    out
}

/// Appends [`port_set_text`] to `out`.
pub fn write_port_set(out: &mut String, set: &PortSet) {
    if set.is_all() {
        out.push_str("all");
    } else {
        set.write_ranges(out, ", ");
    }
}

/// Ports per protocol: `all`, `none`, or `TCP 80, 443; UDP 53`.
pub fn ports_text(ports: &ProtocolPorts) -> String {
    let mut out = String::new();
    write_ports(&mut out, ports);
    out
}

/// Appends [`ports_text`] to `out`.
pub fn write_ports(out: &mut String, ports: &ProtocolPorts) {
    if ports.is_all() {
        out.push_str("all");
    } else if ports.is_empty() {
        out.push_str("none");
    } else {
        for (i, (protocol, set)) in ports.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            out.push_str(protocol.as_str());
            out.push(' ');
            write_port_set(out, set);
        }
    }
}

/// The display name and 1-based line of `span` in `source` (empty and 0 when the
/// source is unknown).
pub fn location(sources: &SourceSet, source: SourceId, span: Span) -> (&str, u32) {
    match sources.get(source) {
        Some(s) => (s.name(), s.position(span.start).line),
        None => ("", 0),
    }
}

/// `file:line`, or the empty string when unknown.
pub fn location_text(sources: &SourceSet, source: SourceId, span: Span) -> String {
    match location(sources, source, span) {
        (file, line) if !file.is_empty() => format!("{file}:{line}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod unit_tests {
    use super::*;
    use crate::model::Protocol;

    #[test]
    fn port_texts() {
        let mut p = ProtocolPorts::only(
            Protocol::Tcp,
            PortSet::from_ranges([(80, 80), (8080, 8090)]),
        );
        p.add(Protocol::Udp, &PortSet::all());
        assert_eq!(ports_text(&p), "TCP 80, 8080-8090; UDP all");
        assert_eq!(ports_text(&ProtocolPorts::all()), "all");
        assert_eq!(ports_text(&ProtocolPorts::none()), "none");
        assert_eq!(
            (
                state(&p),
                state(&ProtocolPorts::all()),
                state(&ProtocolPorts::none())
            ),
            ("some", "all", "none")
        );
    }
}
