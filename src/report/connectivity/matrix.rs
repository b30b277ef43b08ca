//! The matrix as text (a table), JSON, CSV, Markdown and Graphviz DOT, uncertain
//! cells marked apart (see `uncertain.rs`).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::view::{MatrixView, ViewConnection};
use super::{matrix_notes, ports_text, uncertain, write_port_set, write_ports};
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
        "json" => super::matrix_json::render(view),
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
    let connections: Vec<ViewConnection<'_>> = view.connections().collect();
    let mut out = String::with_capacity(
        (shown.len() + connections.len()).saturating_mul(TEXT_BYTES_PER_LINE),
    );
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
    let _ = writeln!(
        out,
        "\n{} allowed connections (a pair not listed allows nothing):",
        connections.len()
    );
    let width = |side: fn(&ViewConnection<'_>) -> usize, header: &str| {
        connections
            .iter()
            .map(|c| view.id(side(c)).chars().count())
            .filter(|&n| n <= MAX_COLUMN_WIDTH)
            .chain([header.len()])
            .max()
            .unwrap_or(0)
    };
    let w0 = width(|c| c.from, "FROM");
    let w1 = width(|c| c.to, "TO");
    push_row(&mut out, ["FROM", "TO"], [w0, w1]);
    out.push_str("ALLOWED\n");
    for c in &connections {
        push_row(&mut out, [view.id(c.from), view.id(c.to)], [w0, w1]);
        write_ports(&mut out, &c.allowed);
        out.push('\n');
    }
    uncertain::text(view, &mut out);
    for note in matrix_notes(view.matrix) {
        let _ = writeln!(out, "\nnote: {note}");
    }
    out
}

/// A guess of the bytes of one line of the text table, to size its buffer once.
const TEXT_BYTES_PER_LINE: usize = 96;

/// The longest cell, in characters, that sets the width of its column in the text
/// table: a longer one (an outside class listing many ranges) is written whole and
/// pushes the rest of its own row right, instead of widening every row.
const MAX_COLUMN_WIDTH: usize = 64;

/// `  FROM  TO  ` of one table row: each cell left-aligned to its width in characters.
fn push_row(out: &mut String, cells: [&str; 2], widths: [usize; 2]) {
    out.push_str("  ");
    for (cell, width) in cells.into_iter().zip(widths) {
        out.push_str(cell);
        let pad = width.saturating_sub(cell.chars().count());
        push_spaces(out, pad + 2);
    }
}

/// Spaces copied a block at a time by [`push_spaces`].
const SPACES: &str = "                                                                ";

/// Appends `count` spaces (every cell of a table row is padded, so this runs often).
fn push_spaces(out: &mut String, mut count: usize) {
    while count > 0 {
        let n = count.min(SPACES.len());
        out.push_str(SPACES.get(..n).unwrap_or_default());
        count -= n;
    }
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
/// `80;8080-8090`. When some ports are uncertain (see [`uncertain`]), a fifth
/// column `verdict` says `allow` or `uncertain`, and the uncertain rows follow.
pub fn csv(view: &MatrixView<'_>) -> String {
    let mut out = String::with_capacity(view.matrix.endpoints().len().saturating_mul(1024));
    for note in matrix_notes(view.matrix) {
        let _ = writeln!(out, "# note: {note}");
    }
    let cells = view.uncertain();
    let with_verdict = !cells.is_empty();
    out.push_str(if with_verdict {
        "from,to,protocol,ports,verdict\n"
    } else {
        "from,to,protocol,ports\n"
    });
    for c in view.connections() {
        csv_rows(&mut out, view, &c, with_verdict.then_some("allow"));
    }
    for c in &cells {
        csv_rows(&mut out, view, c, Some("uncertain"));
    }
    out
}

/// The rows of one cell, one per protocol, with the `verdict` column when given.
fn csv_rows(
    out: &mut String,
    view: &MatrixView<'_>,
    c: &ViewConnection<'_>,
    verdict: Option<&str>,
) {
    for (protocol, set) in c.allowed.iter() {
        push_csv_field(out, view.id(c.from));
        out.push(',');
        push_csv_field(out, view.id(c.to));
        out.push(',');
        out.push_str(protocol.as_str());
        out.push(',');
        set.write_ranges(out, ";");
        if let Some(verdict) = verdict {
            out.push(',');
            out.push_str(verdict);
        }
        out.push('\n');
    }
}

/// Appends a CSV field, quoted when it holds a comma, quote or line break.
fn push_csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A Markdown table: one row per connection, one column per protocol; uncertain
/// cells follow as rows whose ports carry the marker, with the legend under the table.
pub fn markdown(view: &MatrixView<'_>) -> String {
    let mut out = String::with_capacity(view.matrix.endpoints().len().saturating_mul(1024));
    out.push_str("| From | To | TCP | UDP | SCTP |\n| --- | --- | --- | --- | --- |\n");
    for c in view.connections() {
        markdown_row(&mut out, view, &c, "");
    }
    let cells = view.uncertain();
    for c in &cells {
        markdown_row(&mut out, view, c, uncertain::MARKER);
    }
    uncertain::markdown_legend(&cells, &mut out);
    for note in matrix_notes(view.matrix) {
        out.push_str("\n> **Note:** ");
        push_md_cell(&mut out, &note);
        out.push('\n');
    }
    out
}

/// One table row: the two ids, then per protocol its ports (after `marker`) or `–`.
fn markdown_row(out: &mut String, view: &MatrixView<'_>, c: &ViewConnection<'_>, marker: &str) {
    for id in [view.id(c.from), view.id(c.to)] {
        out.push_str("| `");
        push_md_cell(out, id);
        out.push_str("` ");
    }
    for protocol in [Protocol::Tcp, Protocol::Udp, Protocol::Sctp] {
        out.push_str("| ");
        let set = c.allowed.get(protocol);
        if set.is_empty() {
            out.push('–');
        } else {
            if !marker.is_empty() {
                out.push_str(marker);
                out.push(' ');
            }
            write_port_set(out, set);
        }
        out.push(' ');
    }
    out.push_str("|\n");
}

/// Appends `text` with `|` escaped, for a table cell.
fn push_md_cell(out: &mut String, text: &str) {
    for (i, part) in text.split('|').enumerate() {
        if i > 0 {
            out.push_str("\\|");
        }
        out.push_str(part);
    }
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
    uncertain::dot_edges(view, &mut out);
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
pub(crate) fn dot_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod padding_tests {
    use super::*;

    #[test]
    fn cells_pad_to_their_width_in_characters_across_space_blocks() {
        let mut out = String::new();
        push_row(&mut out, ["ns/é", "b"], [4, 150]);
        assert_eq!(out, format!("  ns/é  b{}", " ".repeat(151)));
        let mut wide = String::new();
        push_spaces(&mut wide, SPACES.len() * 2 + 3);
        assert_eq!(wide, " ".repeat(SPACES.len() * 2 + 3));
        let mut none = String::from("x");
        push_spaces(&mut none, 0);
        assert_eq!(none, "x");
    }
}
