//! The matrix as text (a table), JSON, CSV, Markdown and Graphviz DOT.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::json::{to_pretty, view_json};
use super::view::MatrixView;
use super::{matrix_notes, port_set_text, ports_text};
use crate::engine::{Grouping, MatrixEndpoint};
use crate::model::Protocol;

/// The formats `netpol matrix` renders, the default first.
pub const FORMATS: &[&str] = &["text", "json", "csv", "md", "dot", "svg"];

/// How `format` shows the pods of one controller unless told: grouped for people
/// (`text`, `md`, `dot`, `svg`), one endpoint per pod for tools (`json`, `csv`), so
/// the documented endpoint shapes hold for existing consumers.
pub fn default_grouping(format: &str) -> Grouping {
    match format {
        "json" | "csv" => Grouping::None,
        _ => Grouping::Owner,
    }
}

/// Renders `view` in `format` (one of [`FORMATS`]; `None` for another name).
pub fn render(view: &MatrixView<'_>, format: &str) -> Option<String> {
    Some(match format {
        "text" => text(view),
        "json" => to_pretty(&view_json(view)),
        "csv" => csv(view),
        "md" => markdown(view),
        "dot" => dot(view),
        "svg" => super::svg::render(view),
        _ => return None,
    })
}

/// A table of allowed connections (`FROM`, `TO`, `ALLOWED`), endpoints first.
pub fn text(view: &MatrixView<'_>) -> String {
    let shown = view.endpoints();
    let mut out = String::new();
    let _ = writeln!(out, "{} endpoints:", shown.len());
    for e in shown.iter().filter_map(|&i| view.matrix.endpoints().get(i)) {
        let _ = writeln!(
            out,
            "  {:<10} {}{}",
            e.kind.as_str(),
            e.id,
            endpoint_detail(e)
        );
    }
    let rows: Vec<[String; 3]> = view
        .connections()
        .map(|c| {
            [
                view.id(c.from).into(),
                view.id(c.to).into(),
                ports_text(&c.allowed),
            ]
        })
        .collect();
    let _ = writeln!(
        out,
        "\n{} allowed connections (a pair not listed allows nothing):",
        rows.len()
    );
    let header = [
        String::from("FROM"),
        String::from("TO"),
        String::from("ALLOWED"),
    ];
    let w0 = rows
        .iter()
        .chain([&header])
        .map(|r| r[0].chars().count())
        .max()
        .unwrap_or(0);
    let w1 = rows
        .iter()
        .chain([&header])
        .map(|r| r[1].chars().count())
        .max()
        .unwrap_or(0);
    for row in core::iter::once(&header).chain(rows.iter()) {
        let _ = writeln!(out, "  {:<w0$}  {:<w1$}  {}", row[0], row[1], row[2]);
    }
    for note in matrix_notes(view.matrix) {
        let _ = writeln!(out, "\nnote: {note}");
    }
    out
}

/// `  10.0.0.1` for a pod, `  (3 pods)` for a group, `  (3 CIDRs)` for an external
/// class.
fn endpoint_detail(e: &MatrixEndpoint) -> String {
    if !e.pods.is_empty() {
        let n = e.pods.len();
        format!("  ({n} pod{})", if n == 1 { "" } else { "s" })
    } else if e.endpoint.is_some() {
        let ips: Vec<String> = e.ips.iter().map(|ip| format!("{ip}")).collect();
        if ips.is_empty() {
            String::new()
        } else {
            format!("  {}", ips.join(", "))
        }
    } else {
        let n = e.cidrs.len();
        format!("  ({n} CIDR{})", if n == 1 { "" } else { "s" })
    }
}

/// One row per (pair, protocol): `from,to,protocol,ports` with ports as
/// `80;8080-8090`.
pub fn csv(view: &MatrixView<'_>) -> String {
    let mut out: String = matrix_notes(view.matrix)
        .iter()
        .map(|note| format!("# note: {note}\n"))
        .collect();
    out.push_str("from,to,protocol,ports\n");
    for c in view.connections() {
        for (protocol, set) in c.allowed.iter() {
            let _ = writeln!(
                out,
                "{},{},{},{}",
                csv_field(view.id(c.from)),
                csv_field(view.id(c.to)),
                protocol.as_str(),
                set.ranges_text(";")
            );
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.into()
    }
}

/// A Markdown table: one row per connection, one column per protocol.
pub fn markdown(view: &MatrixView<'_>) -> String {
    let mut out =
        String::from("| From | To | TCP | UDP | SCTP |\n| --- | --- | --- | --- | --- |\n");
    for c in view.connections() {
        let cell = |p: Protocol| {
            let set = c.allowed.get(p);
            if set.is_empty() {
                String::from("–")
            } else {
                port_set_text(set)
            }
        };
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} | {} |",
            md_escape(view.id(c.from)),
            md_escape(view.id(c.to)),
            cell(Protocol::Tcp),
            cell(Protocol::Udp),
            cell(Protocol::Sctp)
        );
    }
    for note in matrix_notes(view.matrix) {
        let _ = writeln!(out, "\n> **Note:** {}", note.replace('|', "\\|"));
    }
    out
}

/// Escapes `|` inside a table cell.
fn md_escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Graphviz DOT: a cluster per namespace, external classes apart, one edge per
/// connection labelled with its ports (self edges left out: always all).
pub fn dot(view: &MatrixView<'_>) -> String {
    let matrix = view.matrix;
    let shown = view.endpoints();
    let mut out = String::from("digraph netpol {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    let mut namespaces: Vec<&str> = shown
        .iter()
        .filter_map(|&i| matrix.endpoints().get(i))
        .filter_map(|e| e.namespace.as_deref())
        .collect();
    namespaces.dedup();
    for (n, ns) in namespaces.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_{n} {{\n    label={};",
            dot_string(ns)
        );
        for &i in &shown {
            let Some(e) = matrix.endpoints().get(i) else {
                continue;
            };
            if e.namespace.as_deref() == Some(*ns) {
                let label = e.name.as_deref().unwrap_or(&e.id);
                let _ = writeln!(
                    out,
                    "    n{i} [label={}, tooltip={}];",
                    dot_string(label),
                    dot_string(&e.id)
                );
            }
        }
        out.push_str("  }\n");
    }
    for &i in &shown {
        let Some(e) = matrix.endpoints().get(i) else {
            continue;
        };
        if e.namespace.is_none() {
            let _ = writeln!(
                out,
                "  n{i} [label={}, shape=ellipse, style=dashed];",
                dot_string(&e.id)
            );
        }
    }
    for c in view.connections().filter(|c| c.from != c.to) {
        let style = if c.allowed.is_all() {
            ""
        } else {
            ", style=dashed"
        };
        let _ = writeln!(
            out,
            "  n{} -> n{} [label={}{style}];",
            c.from,
            c.to,
            dot_string(&ports_text(&c.allowed))
        );
    }
    let notes = matrix_notes(view.matrix);
    if !notes.is_empty() {
        let label: Vec<String> = notes.iter().map(|n| format!("note: {n}")).collect();
        let _ = writeln!(
            out,
            "  labelloc=b;\n  label={};",
            dot_string(&label.join("\n"))
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string.
fn dot_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
