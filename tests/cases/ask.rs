//! Asks a case's question: the command line over an in-memory file system, or one
//! request of the typed API over a workspace of the same files.

use std::collections::BTreeMap;
use std::path::Path;

use netpol::api::{
    FlowRequest, LintOptions, MatrixFilter, ReplayRequest, SourceFile, SynthesizeRequest, Workspace,
};
use netpol::diff::{diff, DiffOptions, DiffStats, Strategy};
use netpol::engine::{Engine, Grouping};
use netpol::lint::Config;
use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseFile, Include};
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
        match include {
            Include::Same(path) => add_repository_files(root, path, path, &mut files)?,
            Include::Renamed(paths) => {
                for (at, path) in paths {
                    add_repository_files(root, path, at, &mut files)?;
                }
            }
        }
    }
    files.extend(file.files.clone());
    files.extend(case.files.clone());
    Ok(files)
}

/// Adds the repository file or folder at `relative` to `files` as `at`.
fn add_repository_files(
    root: &Path,
    relative: &str,
    at: &str,
    files: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    let path = root.join(relative);
    if path.is_dir() {
        let entries = std::fs::read_dir(&path).map_err(|e| format!("{relative}: {e}"))?;
        for entry in entries {
            let name = entry.map_err(|e| e.to_string())?.file_name();
            let name = name.to_string_lossy();
            add_repository_files(
                root,
                &format!("{relative}/{name}"),
                &format!("{at}/{name}"),
                files,
            )?;
        }
        return Ok(());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{relative}: {e}"))?;
    files.insert(at.to_string(), text);
    Ok(())
}

/// Asks the question of `case` over `files`.
pub fn ask(case: &Case, files: BTreeMap<String, String>) -> Result<Answer, String> {
    match (&case.run, &case.api) {
        (Some(args), _) => Ok(run_command(args, case, files)),
        (None, Some(request)) => request_api(request, files),
        (None, None) => Err("no question: give `run` or `api`".into()),
    }
}

fn run_command(args: &[String], case: &Case, files: BTreeMap<String, String>) -> Answer {
    let fs = MemFs {
        files,
        latin1: case.latin1.iter().cloned().collect(),
        stdin: case.stdin.clone(),
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
    if question == "diff" {
        return request_diff(&parse::<DiffRequest>(body)?, &files);
    }
    let sources = files
        .into_iter()
        .map(|(name, text)| SourceFile::text(name, text));
    let workspace = Workspace::load(sources, Config::default());
    let answer = match question.as_str() {
        "lint" => json(workspace.lint(&parse::<LintOptions>(body)?)),
        "matrix" => json(workspace.matrix(&parse::<MatrixFilter>(body)?)),
        "query" => json(workspace.query(&parse::<FlowRequest>(body)?)),
        "test" => json(Ok::<_, netpol::api::ApiError>(workspace.test())),
        "replay" => json(Ok::<_, netpol::api::ApiError>(workspace.replay(&parse::<
            ReplayRequest,
        >(
            body
        )?))),
        "synthesize" => json(workspace.synthesize(&parse::<SynthesizeRequest>(body)?)),
        other => return Err(format!("unknown API request `{other}`")),
    };
    Ok(answer)
}

/// A `diff` request: which of the case's files make up each side.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffRequest {
    /// The files of the base workspace.
    base: Vec<String>,
    /// The files of the head workspace.
    head: Vec<String>,
    /// `owner` merges the pods of one controller; `none` (the default) does not.
    #[serde(default)]
    grouping: Option<String>,
}

/// The diff of two workspaces made of the named files: the API's JSON answer with
/// `stats` (how it was computed) added, after checking that the incremental and
/// the full computation agree on both sides' models.
fn request_diff(request: &DiffRequest, files: &BTreeMap<String, String>) -> Result<Answer, String> {
    let side = |names: &[String]| -> Result<Workspace, String> {
        let mut sources = Vec::new();
        for name in names {
            let text = files
                .get(name)
                .ok_or_else(|| format!("diff: no file {name} in the case"))?;
            sources.push(SourceFile::text(name.clone(), text.clone()));
        }
        Ok(Workspace::load(sources, Config::default()))
    };
    let (base, head) = (side(&request.base)?, side(&request.head)?);
    let grouping = match request.grouping.as_deref() {
        None => Grouping::None,
        Some(name) => Grouping::parse(name).ok_or(format!("diff: unknown grouping {name}"))?,
    };
    strategies_agree(&base, &head)?;
    let answer = base.diff(&head, grouping);
    let mut document = serde_json::to_value(&answer).map_err(|e| e.to_string())?;
    let stats = stats_json(&answer.diff.stats);
    document
        .as_object_mut()
        .ok_or("the diff answer is not a JSON object")?
        .insert("stats".into(), stats);
    Ok(json(Ok::<_, netpol::api::ApiError>(document)))
}

/// Whether the incremental and the full diff of both sides' models agree (same
/// endpoints and changes), each having followed its strategy.
fn strategies_agree(base: &Workspace, head: &Workspace) -> Result<(), String> {
    let engines = (
        Engine::new(&base.loaded().model),
        Engine::new(&head.loaded().model),
    );
    let run = |strategy| {
        let options = DiffOptions {
            strategy,
            ..DiffOptions::default()
        };
        diff(&engines.0, &engines.1, &options)
    };
    let (incremental, full) = (run(Strategy::Incremental), run(Strategy::Full));
    if !incremental.stats.incremental || full.stats.incremental {
        return Err("a diff did not follow the strategy it was asked for".into());
    }
    let changes =
        |d: &netpol::diff::Diff| (d.endpoints.clone(), d.added.clone(), d.removed.clone());
    if changes(&incremental) != changes(&full) {
        return Err(format!(
            "the incremental diff differs from the full one:\n{incremental:#?}\n{full:#?}"
        ));
    }
    Ok(())
}

/// How a diff was computed, as the `stats` of a `diff` answer.
fn stats_json(stats: &DiffStats) -> serde_json::Value {
    serde_json::json!({
        "incremental": stats.incremental,
        "groups": stats.groups,
        "touchedGroups": stats.touched_groups,
        "evaluatedPairs": stats.evaluated_pairs,
        "changedPolicies": stats.changed_policies,
    })
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
