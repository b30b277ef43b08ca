//! The diff for a terminal: the summary line, the endpoints that appeared or
//! disappeared, then each changed connection with the rules responsible, then the
//! connections that became uncertain (marked `?`).

use alloc::string::String;
use core::fmt::Write as _;

use super::{responsible, summary_line, DiffSources};
use crate::diff::{Change, Diff};
use crate::report::connectivity::{ports_text, uncertain};

/// Renders `diff` as text.
pub fn render(diff: &Diff, sources: DiffSources<'_>) -> String {
    let mut out = String::new();
    if diff.is_empty() {
        out.push_str("no change in connectivity\n");
        return out;
    }
    let _ = writeln!(out, "{}", summary_line(diff));
    for (title, list) in [
        ("endpoints added", &diff.endpoints_added),
        ("endpoints removed", &diff.endpoints_removed),
    ] {
        if !list.is_empty() {
            let ids: alloc::vec::Vec<&str> = list.iter().map(|&i| diff.id(i)).collect();
            let _ = writeln!(out, "\n{title}: {}", ids.join(", "));
        }
    }
    for (title, sign, added, list) in [
        ("added", '+', true, &diff.added),
        ("removed", '-', false, &diff.removed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for change in list.iter() {
            change_lines(&mut out, diff, change, sign, added, sources);
        }
    }
    if !diff.uncertain.is_empty() {
        let _ = writeln!(
            out,
            "\nuncertain on head ({} {}):",
            uncertain::MARKER,
            uncertain::LEGEND
        );
        for change in &diff.uncertain {
            let _ = writeln!(
                out,
                "  {} {} -> {}: {}",
                uncertain::MARKER,
                diff.id(change.from),
                diff.id(change.to),
                ports_text(&change.ports)
            );
        }
    }
    out
}

/// `+ from -> to: ports` and the explanation lines.
fn change_lines(
    out: &mut String,
    diff: &Diff,
    change: &Change,
    sign: char,
    added: bool,
    sources: DiffSources<'_>,
) {
    let _ = writeln!(
        out,
        "  {sign} {} -> {}: {}",
        diff.id(change.from),
        diff.id(change.to),
        ports_text(&change.ports)
    );
    let Some(r) = responsible(diff, change, added, sources) else {
        return;
    };
    let (now, before) = if added {
        ("head", "base")
    } else {
        ("base", "head")
    };
    if r.allowed_by.is_empty() {
        let _ = writeln!(out, "      {now} allows {}: {}", r.flow, r.allowed_reason);
    } else {
        let _ = writeln!(
            out,
            "      {now} allows {} by {}",
            r.flow,
            r.allowed_by.join("; ")
        );
    }
    let _ = writeln!(out, "      {before} denies it: {}", r.denied_reason);
}
