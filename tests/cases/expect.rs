//! Compares an answer with a case's expectations, and its texts with snapshot files
//! (`NETPOL_BLESS=1` rewrites the snapshots instead of comparing them).

use std::path::Path;

use crate::ask::Answer;
use crate::case::{Expect, TextCheck};

/// Every way `answer` differs from `expect`, one message each; snapshot paths are
/// relative to `dir`.
pub fn mismatches(expect: &Expect, answer: &Answer, dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(code) = expect.code {
        if code != answer.code {
            found.push(format!(
                "exit code {} instead of {code}; stderr: {}",
                answer.code, answer.stderr
            ));
        }
    }
    if let Some(message) = &expect.usage_error {
        let usage = TextCheck {
            contains: vec![message.clone(), "--help".into()],
            lacks: vec!["panicked".into()],
            ..TextCheck::default()
        };
        check_text("stderr", &usage, &answer.stderr, dir, &mut found);
        if answer.code != 2 || !answer.stdout.is_empty() {
            found.push(format!(
                "not a usage error: exit code {}, stdout {:?}",
                answer.code, answer.stdout
            ));
        }
    }
    check_text("stdout", &expect.stdout, &answer.stdout, dir, &mut found);
    check_text("stderr", &expect.stderr, &answer.stderr, dir, &mut found);
    if !expect.json.is_empty() {
        check_json(expect, &answer.stdout, &mut found);
    }
    for (path, check) in &expect.written {
        match (answer.written.get(path), check) {
            (Some(text), Some(check)) => check_text(path, check, text, dir, &mut found),
            (None, Some(_)) => found.push(format!("{path} was not written")),
            (Some(_), None) => found.push(format!("{path} was written")),
            (None, None) => {}
        }
    }
    found
}

fn check_json(expect: &Expect, stdout: &str, found: &mut Vec<String>) {
    let document: serde_json::Value = match serde_json::from_str(stdout) {
        Ok(document) => document,
        Err(e) => return found.push(format!("stdout is not JSON ({e})")),
    };
    for (pointer, want) in &expect.json {
        match document.pointer(pointer) {
            Some(got) if got == want => {}
            Some(got) => found.push(format!("{pointer} is {got} instead of {want}")),
            None if want.is_null() => {}
            None => found.push(format!("{pointer} is missing (expected {want})")),
        }
    }
}

fn check_text(what: &str, check: &TextCheck, text: &str, dir: &Path, found: &mut Vec<String>) {
    if let Some(equals) = &check.equals {
        if equals != text {
            found.push(format!("{what} is\n{text}\ninstead of\n{equals}"));
        }
    }
    if let Some(start) = &check.starts_with {
        if !text.starts_with(start.as_str()) {
            found.push(format!("{what} does not start with {start:?}:\n{text}"));
        }
    }
    if let Some(end) = &check.ends_with {
        if !text.ends_with(end.as_str()) {
            found.push(format!("{what} does not end with {end:?}:\n{text}"));
        }
    }
    for part in &check.contains {
        if !text.contains(part.as_str()) {
            found.push(format!("{what} lacks {part:?}:\n{text}"));
        }
    }
    let mut rest = text;
    for part in &check.in_order {
        match rest.find(part.as_str()) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or_default(),
            None => {
                found.push(format!(
                    "{what} lacks {part:?} after the parts before it:\n{text}"
                ));
                break;
            }
        }
    }
    for part in &check.lacks {
        if text.contains(part.as_str()) {
            found.push(format!("{what} has {part:?}:\n{text}"));
        }
    }
    for (part, times) in &check.count {
        let got = text.matches(part.as_str()).count();
        if got != *times {
            found.push(format!("{what} has {part:?} {got} times, not {times}"));
        }
    }
    if let Some(name) = &check.snapshot {
        if let Err(problem) = snapshot(&dir.join(format!("{name}.snap")), text) {
            found.push(format!("{what}: {problem}"));
        }
    }
}

/// Compares `text` with the snapshot at `path`, or writes it there when blessing.
fn snapshot(path: &Path, text: &str) -> Result<(), String> {
    if std::env::var_os("NETPOL_BLESS").is_some_and(|v| v == "1") {
        return std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()));
    }
    let Ok(stored) = std::fs::read_to_string(path) else {
        return Err(format!(
            "no snapshot {} (NETPOL_BLESS=1 writes it)",
            path.display()
        ));
    };
    if stored == text {
        return Ok(());
    }
    let (stored_lines, lines): (Vec<&str>, Vec<&str>) =
        (stored.lines().collect(), text.lines().collect());
    let at = stored_lines
        .iter()
        .zip(&lines)
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| stored_lines.len().min(lines.len()));
    let shown = |l: &[&str]| {
        l.get(at)
            .map_or("(end of text)".to_string(), |s| format!("{s:?}"))
    };
    Err(format!(
        "differs from {} at line {} (NETPOL_BLESS=1 rewrites it):\n  snapshot: {}\n  now:      {}",
        path.display(),
        at + 1,
        shown(&stored_lines),
        shown(&lines)
    ))
}
