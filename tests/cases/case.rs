//! A case file read into typed cases: YAML through the library's own reader, turned
//! into JSON, then deserialised (unknown keys are errors, so a typo cannot pass).

use std::collections::BTreeMap;
use std::path::Path;

use netpol::doc::{self, Limits};
use netpol::source::{Source, SourceId};
use serde::Deserialize;

use crate::doc_json::to_json;

/// One case file: files shared by its cases, then the cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// Repository files or folders copied into every case's file system.
    #[serde(default)]
    pub include: Vec<Include>,
    /// Files (path to text) in every case's file system.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// The cases, run in order.
    pub cases: Vec<Case>,
}

/// A repository file or folder for the cases' file system.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Include {
    /// At its repository path.
    Same(String),
    /// At other paths: case path to repository path.
    Renamed(BTreeMap<String, String>),
}

/// One question and its expected answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique in its file; failures name it.
    pub name: String,
    /// More files for this case (replacing shared files of the same path).
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Files (among `files`) the command reads as Latin-1 bytes rather than UTF-8.
    #[serde(default)]
    pub latin1: Vec<String>,
    /// Standard input of the command.
    pub stdin: Option<String>,
    /// The command line after `netpol`.
    pub run: Option<Vec<String>>,
    /// An API request over all files: `{lint|matrix|query|replay|synthesize: request}`
    /// or `{test: {}}`; or `{diff: {base: [files], head: [files]}}` over two workspaces.
    pub api: Option<BTreeMap<String, serde_json::Value>>,
    /// The expected answer.
    #[serde(default)]
    pub expect: Expect,
}

/// What the answer must be; every part is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The exit code (commands only).
    pub code: Option<i32>,
    /// A usage error: exit code 2, nothing on stdout, and on stderr this message,
    /// the hint to `--help` and no panic.
    pub usage_error: Option<String>,
    /// Standard output, or the API answer as pretty JSON.
    #[serde(default)]
    pub stdout: TextCheck,
    /// Standard error, or the API error's message.
    #[serde(default)]
    pub stderr: TextCheck,
    /// JSON pointer (`/ingress/isolated`) to the value found there in the output.
    #[serde(default)]
    pub json: BTreeMap<String, serde_json::Value>,
    /// Files the command wrote, path to the checks of their text (`null`: a file
    /// the command must not write).
    #[serde(default)]
    pub written: BTreeMap<String, Option<TextCheck>>,
}

/// Checks on one text.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextCheck {
    /// The whole text.
    pub equals: Option<String>,
    /// How the text begins.
    pub starts_with: Option<String>,
    /// How the text ends.
    pub ends_with: Option<String>,
    /// Substrings that must occur.
    #[serde(default)]
    pub contains: Vec<String>,
    /// Substrings that must occur one after the other, in this order.
    #[serde(default)]
    pub in_order: Vec<String>,
    /// Substrings that must not occur.
    #[serde(default)]
    pub lacks: Vec<String>,
    /// How many times a substring occurs.
    #[serde(default)]
    pub count: BTreeMap<String, usize>,
    /// The snapshot file (beside the case file, `.snap` appended) holding the text.
    pub snapshot: Option<String>,
}

/// Reads and parses the case file at `path`.
pub fn parse(path: &Path) -> Result<CaseFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let source = Source::new(path.to_string_lossy(), text);
    let read = doc::read(&source, SourceId(0), &Limits::default());
    if let Some(d) = read.diagnostics.first() {
        let at = source.position(d.location.map_or(0, |l| l.span.start));
        return Err(format!("line {}: {} ({})", at.line, d.message, d.rule));
    }
    let [document] = read.documents.as_slice() else {
        return Err("expected one YAML document".into());
    };
    let file: CaseFile = serde_json::from_value(to_json(&document.root))
        .map_err(|e| format!("not a case file: {e}"))?;
    let mut names = std::collections::BTreeSet::new();
    for case in &file.cases {
        if !names.insert(case.name.as_str()) {
            return Err(format!("two cases are named {:?}", case.name));
        }
        if case.run.is_some() == case.api.is_some() {
            return Err(format!(
                "{}: give exactly one of `run` and `api`",
                case.name
            ));
        }
        if case.api.is_some() && (case.stdin.is_some() || !case.latin1.is_empty()) {
            return Err(format!(
                "{}: `stdin` and `latin1` are for commands (`run`)",
                case.name
            ));
        }
    }
    Ok(file)
}
