//! Rendering a [`Diff`]: `text` for a terminal, `json` (docs/spec/interfaces.md shape,
//! plus the responsible rules under `why`), and `md` for a pull-request comment.
//!
//! Base and head were read from different sources, so every renderer takes both
//! [`SourceSet`]s: a base verdict's rules resolve against base's files, a head
//! verdict's against head's.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diff::{Change, Diff, Side, Why};
use crate::engine::{MatrixEndpointKind, RuleRef, Verdict};
use crate::report::connectivity::{location_text, representative_note};
use crate::source::SourceSet;

pub mod json;
pub mod markdown;
pub mod text;

/// The formats `netpol diff` renders, the default first.
pub const FORMATS: &[&str] = &["text", "json", "md"];

/// Both sides' sources.
#[derive(Clone, Copy, Debug)]
pub struct DiffSources<'a> {
    /// What base was read from.
    pub base: &'a SourceSet,
    /// What head was read from.
    pub head: &'a SourceSet,
}

impl<'a> DiffSources<'a> {
    /// The sources of `side`.
    pub fn of(&self, side: Side) -> &'a SourceSet {
        match side {
            Side::Base => self.base,
            Side::Head => self.head,
        }
    }
}

/// Renders `diff` in `format` (one of [`FORMATS`]; `None` for another name).
pub fn render(diff: &Diff, sources: DiffSources<'_>, format: &str) -> Option<String> {
    match format {
        "text" => {
            let mut out = text::render(diff, sources);
            for note in diff_notes(diff) {
                out.push_str(&format!("\nnote: {note}\n"));
            }
            Some(out)
        }
        "json" => Some(crate::report::connectivity::json::to_pretty(
            &json::diff_json(diff, sources),
        )),
        "md" => {
            let mut out = markdown::render(diff, sources);
            for note in diff_notes(diff) {
                out.push_str(&format!("\n> **Note:** {note}\n"));
            }
            Some(out)
        }
        _ => None,
    }
}

/// What the diff says besides the changes: that representative endpoints stand for
/// pods the inputs do not hold, and which controllers' pods were left apart.
pub fn diff_notes(diff: &Diff) -> Vec<String> {
    let mut namespaces: Vec<&str> = diff
        .endpoints
        .iter()
        .filter(|e| e.matrix.kind == MatrixEndpointKind::Representative)
        .filter_map(|e| e.matrix.namespace.as_deref())
        .collect();
    namespaces.dedup();
    let mut notes = Vec::new();
    if !namespaces.is_empty() {
        notes.push(representative_note(&namespaces));
    }
    for owner in &diff.split_owners {
        notes.push(format!(
            "the pods of `{owner}` are shown one by one: the diff says different things about them"
        ));
    }
    notes
}

/// One line of totals: `2 connections added, 1 removed; 1 endpoint added`.
pub fn summary_line(diff: &Diff) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut line = format!(
        "{} added, {} removed",
        plural(diff.added.len(), "connection"),
        diff.removed.len()
    );
    let (ea, er) = (diff.endpoints_added.len(), diff.endpoints_removed.len());
    if ea + er > 0 {
        line.push_str(&format!(
            "; {} added, {} removed",
            plural(ea, "endpoint"),
            er
        ));
    }
    line
}

/// Who is responsible for a change, in words: the rules of the side that allows the
/// representative flow, and why the other side does not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Responsible {
    /// The representative flow (`TCP 8080`).
    pub flow: String,
    /// The rules allowing it on the side that allows it (`ns/name spec.ingress[0]
    /// (file:line)`), or a sentence when no rule is needed (no isolation).
    pub allowed_by: Vec<String>,
    /// The allowing side's one-sentence reason.
    pub allowed_reason: String,
    /// Why the other side denies it (its verdict's reason, or that an endpoint is
    /// absent there).
    pub denied_reason: String,
}

/// The responsible rules of `change` (an added change when `added`) of `diff`.
pub fn responsible(
    diff: &Diff,
    change: &Change,
    added: bool,
    sources: DiffSources<'_>,
) -> Option<Responsible> {
    let why: &Why = change.why.as_ref()?;
    let (allow_side, deny_side) = if added {
        (Side::Head, Side::Base)
    } else {
        (Side::Base, Side::Head)
    };
    let verdict = |side| match side {
        Side::Base => why.base.as_ref(),
        Side::Head => why.head.as_ref(),
    };
    let allowing = verdict(allow_side);
    let allowed_by = allowing
        .map(|v| rules_of(v, sources.of(allow_side)))
        .unwrap_or_default();
    Some(Responsible {
        flow: format!("{} {}", why.protocol.as_str(), why.port),
        allowed_by,
        allowed_reason: allowing.map(|v| v.reason.clone()).unwrap_or_default(),
        denied_reason: match verdict(deny_side) {
            Some(v) => v.reason.clone(),
            None => format!(
                "`{}` does not exist in {}",
                absent_end(diff, change, deny_side),
                side_name(deny_side)
            ),
        },
    })
}

/// The id of the end of `change` missing on `side` (the source when both are).
fn absent_end<'d>(diff: &'d Diff, change: &Change, side: Side) -> &'d str {
    let missing = |i: usize| {
        diff.endpoints.get(i).is_some_and(|e| match side {
            Side::Base => e.base.is_none(),
            Side::Head => e.head.is_none(),
        })
    };
    if missing(change.from) || !missing(change.to) {
        diff.id(change.from)
    } else {
        diff.id(change.to)
    }
}

/// `base` or `head`.
pub fn side_name(side: Side) -> &'static str {
    match side {
        Side::Base => "base",
        Side::Head => "head",
    }
}

/// The rules allowing `verdict`'s flow on both sides of it.
fn rules_of(verdict: &Verdict, sources: &SourceSet) -> Vec<String> {
    verdict
        .egress
        .allowed_by
        .iter()
        .chain(&verdict.ingress.allowed_by)
        .map(|r| rule_text(r, sources))
        .collect()
}

/// `ns/name spec.ingress[0].from[1] (file:line)`.
pub fn rule_text(rule: &RuleRef, sources: &SourceSet) -> String {
    let at = location_text(sources, rule.policy.source, rule.span);
    let mut text = format!(
        "{}/{} {}",
        rule.policy.namespace, rule.policy.name, rule.path
    );
    if !at.is_empty() {
        text.push_str(&format!(" ({at})"));
    }
    text
}
