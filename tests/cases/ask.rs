//! Asks a case's question: the command line over an in-memory file system, or one
//! request of the typed API over a workspace of the same files.

use std::collections::BTreeMap;
use std::path::Path;

use netpol::api::{FlowRequest, LintOptions, MatrixFilter, SourceFile, Workspace};
use netpol::lint::Config;
use serde::Serialize;

use crate::case::{Case, CaseFile};
use crate::memfs::MemFs;

/// The answer to one case: what a process would leave behind.
pub struct Answer {
    /// The exit code (0 for an answered API request, 2 for an API error).
    pub code: i32,
    /// Standard output (the API answer as pretty JSON).
    pub stdout: String,
    /// Standard error (the API error's message).
    pub stderr: String,
    /// The files the command wrote.
    pub written: BTreeMap<String, String>,
}

/// The files of `case` in its file: the included repository files, the shared
/// files, then the case's own.
pub fn files(
    root: &Path,
    file: &CaseFile,
    case: &Case,
) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    for include in &file.include {
        add_repository_files(root, include, &mut files)?;
    }
    files.extend(file.files.clone());
    files.extend(case.files.clone());
    Ok(files)
}

fn add_repository_files(
    root: &Path,
    relative: &str,
    files: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    let path = root.join(relative);
    if path.is_dir() {
        let entries = std::fs::read_dir(&path).map_err(|e| format!("{relative}: {e}"))?;
        for entry in entries {
            let name = entry.map_err(|e| e.to_string())?.file_name();
            add_repository_files(
                root,
                &format!("{relative}/{}", name.to_string_lossy()),
                files,
            )?;
        }
        return Ok(());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{relative}: {e}"))?;
    files.insert(relative.to_string(), text);
    Ok(())
}

/// Asks the question of `case` over `files`.
pub fn ask(case: &Case, files: BTreeMap<String, String>) -> Result<Answer, String> {
    match (&case.run, &case.api) {
        (Some(args), _) => Ok(run_command(args, case.stdin.as_deref(), files)),
        (None, Some(request)) => request_api(request, files),
        (None, None) => Err("no question: give `run` or `api`".into()),
    }
}

fn run_command(args: &[String], stdin: Option<&str>, files: BTreeMap<String, String>) -> Answer {
    let fs = MemFs {
        files,
        stdin: stdin.map(str::to_string),
        ..MemFs::default()
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = fs.run(&args);
    Answer {
        code: outcome.code,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        written: fs.written.into_inner(),
    }
}

fn request_api(
    request: &BTreeMap<String, serde_json::Value>,
    files: BTreeMap<String, String>,
) -> Result<Answer, String> {
    let [(question, body)] = request.iter().collect::<Vec<_>>()[..] else {
        return Err("`api` holds exactly one request".into());
    };
    let sources = files
        .into_iter()
        .map(|(name, text)| SourceFile::text(name, text));
    let workspace = Workspace::load(sources, Config::default());
    let answer = match question.as_str() {
        "lint" => json(workspace.lint(&parse::<LintOptions>(body)?)),
        "matrix" => json(workspace.matrix(&parse::<MatrixFilter>(body)?)),
        "query" => json(workspace.query(&parse::<FlowRequest>(body)?)),
        "test" => json(Ok::<_, netpol::api::ApiError>(workspace.test())),
        other => return Err(format!("unknown API request `{other}`")),
    };
    Ok(answer)
}

fn parse<T: serde::de::DeserializeOwned>(body: &serde_json::Value) -> Result<T, String> {
    serde_json::from_value(body.clone()).map_err(|e| format!("bad API request: {e}"))
}

fn json<T: Serialize>(answer: Result<T, netpol::api::ApiError>) -> Answer {
    let (code, stdout, stderr) = match answer {
        Ok(answer) => match serde_json::to_string_pretty(&answer) {
            Ok(text) => (0, text + "\n", String::new()),
            Err(e) => (2, String::new(), e.to_string()),
        },
        Err(e) => (2, String::new(), e.message().to_string()),
    };
    Answer {
        code,
        stdout,
        stderr,
        written: BTreeMap::new(),
    }
}
