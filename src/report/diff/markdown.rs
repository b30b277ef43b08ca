//! The diff as a pull-request comment: a heading with the totals, then one compact
//! table of the changes (folded into `<details>` when long).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::{responsible, summary_line, DiffSources};
use crate::diff::{Change, Diff};
use crate::report::connectivity::{ports_text, uncertain};

/// Rows shown unfolded; a longer table goes into `<details>`.
pub const FOLD_AFTER: usize = 20;

/// Renders `diff` as Markdown.
pub fn render(diff: &Diff, sources: DiffSources<'_>) -> String {
    let mut out = String::from("### netpol diff\n\n");
    if diff.is_empty() {
        out.push_str("No change in connectivity.\n");
        return out;
    }
    let _ = writeln!(out, "**{}**\n", summary_line(diff));
    for (title, list) in [
        ("Endpoints added", &diff.endpoints_added),
        ("Endpoints removed", &diff.endpoints_removed),
    ] {
        if !list.is_empty() {
            let ids: Vec<String> = list.iter().map(|&i| code(diff.id(i))).collect();
            let _ = writeln!(out, "{title}: {}\n", ids.join(", "));
        }
    }
    let rows = diff.added.len() + diff.removed.len() + diff.uncertain.len();
    if rows == 0 {
        return out;
    }
    let fold = rows > FOLD_AFTER;
    if fold {
        let _ = writeln!(
            out,
            "<details><summary>{rows} changed connections</summary>\n"
        );
    }
    out.push_str("| | from | to | ports | why |\n| --- | --- | --- | --- | --- |\n");
    for change in &diff.added {
        row(&mut out, diff, change, true, sources);
    }
    for change in &diff.removed {
        row(&mut out, diff, change, false, sources);
    }
    for change in &diff.uncertain {
        let _ = writeln!(
            out,
            "| {} uncertain | {} | {} | {} | |",
            uncertain::MARKER,
            code(diff.id(change.from)),
            code(diff.id(change.to)),
            escape(&ports_text(&change.ports))
        );
    }
    if fold {
        out.push_str("\n</details>\n");
    }
    if !diff.uncertain.is_empty() {
        let _ = writeln!(out, "\n`{}` {}.", uncertain::MARKER, uncertain::LEGEND);
    }
    out
}

/// One table row.
fn row(out: &mut String, diff: &Diff, change: &Change, added: bool, sources: DiffSources<'_>) {
    let sign = if added { "➕ added" } else { "➖ removed" };
    let why = match responsible(diff, change, added, sources) {
        None => String::new(),
        Some(r) => {
            let (now, before) = if added {
                ("head", "base")
            } else {
                ("base", "head")
            };
            let allowed = if r.allowed_by.is_empty() {
                escape(&r.allowed_reason)
            } else {
                let rules: Vec<String> = r.allowed_by.iter().map(|t| code(t)).collect();
                rules.join("<br>")
            };
            format!(
                "{now} allows {}: {allowed}<br>{before}: {}",
                r.flow,
                escape(&r.denied_reason)
            )
        }
    };
    let _ = writeln!(
        out,
        "| {sign} | {} | {} | {} | {why} |",
        code(diff.id(change.from)),
        code(diff.id(change.to)),
        escape(&ports_text(&change.ports))
    );
}

/// Inline code, safe inside a table cell.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'").replace('|', "\\|"))
}

/// Plain text safe inside a table cell.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
