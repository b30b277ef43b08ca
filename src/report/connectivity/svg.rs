//! The matrix as a self-contained SVG heatmap: sources down the left, destinations
//! across the top, one cell per pair coloured by how much it allows (every port,
//! some ports, nothing), namespace bands, a legend, and a tooltip per cell with the
//! exact ports; cells with uncertain ports (DNS, undefined order) outlined with dashes.
//! No scripts, fonts or external references.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::view::MatrixView;
use super::{ports_text, state};
use crate::engine::MatrixEndpoint;
use crate::report::junit::{escape_attr, escape_text};

/// The most rows (and columns) drawn; larger matrices show the first ones and say
/// so.
pub const MAX_ENDPOINTS: usize = 400;

/// Fill colours per state.
const ALL: &str = "#2e7d32";
const SOME: &str = "#f9a825";
const NONE: &str = "#eceff1";
const NOT_APPLICABLE: &str = "#ffffff";

/// The geometry of one drawing.
struct Layout {
    cell: usize,
    left: usize,
    top: usize,
}

/// Renders the heatmap.
pub fn render(view: &MatrixView<'_>) -> String {
    let all_rows = view.rows();
    let all_cols = view.columns();
    let rows: Vec<usize> = all_rows.iter().copied().take(MAX_ENDPOINTS).collect();
    let cols: Vec<usize> = all_cols.iter().copied().take(MAX_ENDPOINTS).collect();
    let n = rows.len().max(cols.len());
    let cell: usize = if n <= 40 {
        18
    } else if n <= 120 {
        10
    } else {
        5
    };
    let eps = view.matrix.endpoints();
    let longest = rows
        .iter()
        .chain(&cols)
        .filter_map(|&i| eps.get(i))
        .map(|e| e.id.chars().count().min(48))
        .max()
        .unwrap_or(4);
    let label = longest * 7 + 16;
    let at = Layout {
        cell,
        left: label + 24,
        top: label + 64,
    };
    let legend_y = at.top + rows.len() * cell + 24;
    // Rotated column labels reach right by half their length.
    let width = (at.left + cols.len() * cell + label / 2 + 24).max(legend_width() + 16);
    let mut notes = super::matrix_notes(view.matrix);
    if !view.uncertain().is_empty() {
        notes.push(alloc::format!(
            "cells outlined with dashes: {}",
            super::uncertain::LEGEND
        ));
    }
    let height = legend_y + 56 + notes.len() * 18;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"12\">"
    );
    let pairs = view.connections().filter(|c| c.from != c.to).count();
    let _ = writeln!(out, "<title>netpol connectivity matrix</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"24\" font-size=\"16\" font-weight=\"600\">Connectivity matrix</text>\n<text x=\"16\" y=\"42\" fill=\"#546e7a\">{} sources × {} destinations, {pairs} pairs with something allowed (rows: from, columns: to)</text>",
        all_rows.len(),
        all_cols.len()
    );
    if rows.len() < all_rows.len() || cols.len() < all_cols.len() {
        let _ = writeln!(out, "<text x=\"16\" y=\"58\" fill=\"#c62828\">showing the first {MAX_ENDPOINTS}; use --format json or csv, or --namespace, for the rest</text>");
    }
    bands(&mut out, eps, &rows, &cols, &at);
    labels(&mut out, eps, &rows, &cols, &at);
    cells(&mut out, view, &rows, &cols, &at);
    legend(&mut out, legend_y);
    for (k, note) in notes.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"16\" y=\"{}\" fill=\"#6a1b9a\" data-testid=\"matrix-note\">note: {}</text>",
            legend_y + 52 + k * 18,
            escape_text(note)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Where the namespace changes along `list` (indices into it, first excluded).
fn namespace_breaks(eps: &[MatrixEndpoint], list: &[usize]) -> Vec<usize> {
    let ns = |k: usize| list.get(k).and_then(|&i| eps.get(i)).map(|e| &e.namespace);
    (1..list.len()).filter(|&k| ns(k) != ns(k - 1)).collect()
}

/// Namespace lines across the grid, and shaded alternate column bands.
fn bands(out: &mut String, eps: &[MatrixEndpoint], rows: &[usize], cols: &[usize], at: &Layout) {
    let (w, h) = (cols.len() * at.cell, rows.len() * at.cell);
    let col_breaks = namespace_breaks(eps, cols);
    let mut edges = Vec::with_capacity(col_breaks.len() + 2);
    edges.push(0);
    edges.extend(col_breaks.iter().copied());
    edges.push(cols.len());
    for (k, pair) in edges.windows(2).enumerate() {
        if let [a, b] = pair {
            if k % 2 == 1 {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{h}\" fill=\"#f5f7fa\"/>",
                    at.left + a * at.cell,
                    at.top,
                    (b - a) * at.cell
                );
            }
        }
    }
    for k in col_breaks {
        let x = at.left + k * at.cell;
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#90a4ae\"/>",
            at.top,
            at.top + h
        );
    }
    for k in namespace_breaks(eps, rows) {
        let y = at.top + k * at.cell;
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#90a4ae\"/>",
            at.left,
            at.left + w
        );
    }
}

/// Row labels (right-aligned) and column labels (rotated).
fn labels(out: &mut String, eps: &[MatrixEndpoint], rows: &[usize], cols: &[usize], at: &Layout) {
    let font = if at.cell >= 10 { 12 } else { 5 };
    let colour = |e: &MatrixEndpoint| {
        if e.endpoint.is_none() {
            "#6a1b9a"
        } else {
            "#263238"
        }
    };
    for (k, e) in rows.iter().filter_map(|&i| eps.get(i)).enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"{font}\" fill=\"{}\">{}</text>",
            at.left - 6,
            at.top + k * at.cell + at.cell / 2 + font / 3,
            colour(e),
            escape_text(&short(&e.id))
        );
    }
    for (k, e) in cols.iter().filter_map(|&i| eps.get(i)).enumerate() {
        let (x, y) = (at.left + k * at.cell + at.cell / 2 + font / 3, at.top - 6);
        let _ = writeln!(
            out,
            "<text transform=\"translate({x},{y}) rotate(-60)\" font-size=\"{font}\" fill=\"{}\">{}</text>",
            colour(e),
            escape_text(&short(&e.id))
        );
    }
}

/// An id cut to 48 characters.
fn short(id: &str) -> String {
    if id.chars().count() <= 48 {
        return id.into();
    }
    let mut s: String = id.chars().take(47).collect();
    s.push('…');
    s
}

/// One rectangle per pair, with a tooltip.
fn cells(out: &mut String, view: &MatrixView<'_>, rows: &[usize], cols: &[usize], at: &Layout) {
    let gap = usize::from(at.cell >= 10);
    let size = at.cell - 2 * gap;
    for (r, &i) in rows.iter().enumerate() {
        for (c, &j) in cols.iter().enumerate() {
            let both_external = view.matrix.is_external(i) && view.matrix.is_external(j);
            let ports = view.allowed(i, j);
            let (fill, st, tip) = if both_external {
                (
                    NOT_APPLICABLE,
                    "none",
                    String::from("no policy applies between addresses outside the cluster"),
                )
            } else if i == j {
                (ALL, "all", String::from("itself: always allowed"))
            } else {
                let st = state(&ports);
                let fill = match st {
                    "all" => ALL,
                    "some" => SOME,
                    _ => NONE,
                };
                (fill, st, ports_text(&ports))
            };
            let (from, to) = (view.id(i), view.id(j));
            let unsure = view.matrix.uncertain(i, j);
            let (tip, outline) = if unsure.is_empty() {
                (tip, "")
            } else {
                (
                    alloc::format!(
                        "{tip}; {}: {}",
                        super::uncertain::MARKER,
                        ports_text(unsure)
                    ),
                    UNCERTAIN_OUTLINE,
                )
            };
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{size}\" height=\"{size}\" fill=\"{fill}\"{outline} data-from=\"{}\" data-to=\"{}\" data-state=\"{st}\"><title>{} → {}: {}</title></rect>",
                at.left + c * at.cell + gap,
                at.top + r * at.cell + gap,
                escape_attr(from),
                escape_attr(to),
                escape_text(from),
                escape_text(to),
                escape_text(&tip)
            );
        }
    }
}

/// The outline of a cell with uncertain ports (`data-uncertain` for scripts).
const UNCERTAIN_OUTLINE: &str =
    " stroke=\"#6a1b9a\" stroke-width=\"2\" stroke-dasharray=\"3 2\" data-uncertain=\"true\"";

/// The legend's entries.
const LEGEND: [(&str, &str); 4] = [
    (ALL, "every port of every protocol"),
    (SOME, "some ports or protocols (hover for the list)"),
    (NONE, "nothing allowed"),
    (NOT_APPLICABLE, "outside ↔ outside: no policy applies"),
];

/// How far the legend reaches to the right.
fn legend_width() -> usize {
    LEGEND
        .iter()
        .fold(16, |x, (_, text)| x + 20 + text.chars().count() * 7 + 16)
}

/// The colour legend.
fn legend(out: &mut String, y: usize) {
    let mut x = 16;
    for (fill, text) in LEGEND {
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{fill}\" stroke=\"#90a4ae\"/><text x=\"{}\" y=\"{}\">{}</text>",
            x + 20,
            y + 11,
            escape_text(text)
        );
        x += 20 + text.chars().count() * 7 + 16;
    }
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"{}\" fill=\"#546e7a\">{}</text>",
        y + 34,
        escape_text(
            "purple labels: addresses outside the cluster, split where ipBlocks draw a line"
        )
    );
}
