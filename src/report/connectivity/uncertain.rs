//! Uncertain cells of a matrix in every format: ports whose verdict depends on DNS
//! (a `domainNames` peer) or on the order of equal-priority policies, which are
//! neither allowed nor denied for sure. Each format marks them apart from the
//! allowed connections: `?` and a legend (text, md), a `verdict` column (csv), a
//! dotted edge (dot); JSON lists them under `uncertain` and SVG outlines the cell.

use alloc::string::String;
use core::fmt::Write as _;

use super::view::{MatrixView, ViewConnection};
use super::write_ports;

/// The marker of an uncertain cell in text and Markdown.
pub const MARKER: &str = "?";

/// What the marker means.
pub const LEGEND: &str =
    "uncertain: the verdict depends on DNS (a `domainNames` peer) or on the order of equal-priority policies, which the API leaves undefined; not allowed for sure";

/// The text section after the allowed connections (empty when nothing is uncertain).
pub fn text(view: &MatrixView<'_>, out: &mut String) {
    let cells = view.uncertain();
    if cells.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{} uncertain connections ({MARKER} {LEGEND}):",
        cells.len()
    );
    for c in &cells {
        let _ = write!(out, "  {MARKER} {} -> {}  ", view.id(c.from), view.id(c.to));
        write_ports(out, &c.allowed);
        out.push('\n');
    }
}

/// The Markdown legend under the table (empty when nothing is uncertain).
pub fn markdown_legend(cells: &[ViewConnection<'_>], out: &mut String) {
    if !cells.is_empty() {
        let _ = writeln!(out, "\n`{MARKER}` {LEGEND}.");
    }
}

/// The DOT edges of the uncertain cells: dotted, labelled `? ports`, and a legend.
pub fn dot_edges(view: &MatrixView<'_>, out: &mut String) {
    let cells = view.uncertain();
    for c in &cells {
        let mut label = String::from(MARKER);
        label.push(' ');
        write_ports(&mut label, &c.allowed);
        let _ = writeln!(
            out,
            "  n{} -> n{} [label={}, style=dotted, color=\"#6a1b9a\", fontcolor=\"#6a1b9a\"];",
            c.from,
            c.to,
            super::matrix::dot_string(&label)
        );
    }
    if !cells.is_empty() {
        let _ = writeln!(
            out,
            "  legend_uncertain [shape=note, color=\"#6a1b9a\", label={}];",
            super::matrix::dot_string(&alloc::format!("dotted edge: {LEGEND}"))
        );
    }
}
