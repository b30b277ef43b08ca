//! `netpol diff`: the connections a change opens or closes.

use alloc::format;
use alloc::string::String;

use super::query::{note_left_out, source_files};
use super::{
    read_inputs, Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError,
    EXIT_FAILURE, EXIT_SUCCESS,
};
use crate::api::Workspace;
use crate::diff::Diff;
use crate::lint::Config;
use crate::report::diff::{render, FORMATS};

/// `netpol diff`.
pub(crate) const COMMAND: Command = Command {
    name: "diff",
    summary: "Show the connections a change to the policies opens or closes",
    usage: "netpol diff --base PATH... --head PATH... [--cluster PATH...] [--fail-on added|removed|any] [OPTIONS]",
    about: "Compares two versions of a set of manifests (base: before, head: after) and\n\
            lists, per pair of endpoints, the ports per protocol that head allows and\n\
            base did not (added) and the reverse (removed), with the rules responsible\n\
            on each side, plus the endpoints present on one side only. Each side uses\n\
            its own Namespaces, Pods and workloads; with --cluster both sides use the\n\
            cluster's instead (and only their own NetworkPolicies). External address\n\
            ranges are split where a policy of either version draws a line.\n\
            Exits 0 unless --fail-on matches (then 1).\n",
    options: &[
        OptionSpec {
            name: "base",
            takes: Takes::Values("PATH"),
            help: "the manifests before the change (files, directories, '-')",
        },
        OptionSpec {
            name: "head",
            takes: Takes::Values("PATH"),
            help: "the manifests after the change",
        },
        OptionSpec {
            name: "cluster",
            takes: Takes::Values("PATH"),
            help: "Namespaces, Pods and workloads shared by both sides",
        },
        OptionSpec {
            name: "fail-on",
            takes: Takes::Value("WHAT"),
            help: "exit 1 when connections are added, removed, or either (any)",
        },
    ],
    common: &[
        CommonOption::Format,
        CommonOption::Output,
        CommonOption::Color,
        CommonOption::Quiet,
    ],
    formats: FORMATS,
    examples: "netpol diff --base old/ --head new/\n\
               netpol diff --base base/policies --head policies --cluster cluster/ --format md\n\
               netpol diff --base main/ --head . --fail-on added --format json\n",
    run,
};

/// What `--fail-on` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FailOn {
    Added,
    Removed,
    Any,
}

impl FailOn {
    fn parse(text: Option<&str>) -> Result<Option<FailOn>, UsageError> {
        match text {
            None => Ok(None),
            Some("added") => Ok(Some(FailOn::Added)),
            Some("removed") => Ok(Some(FailOn::Removed)),
            Some("any") => Ok(Some(FailOn::Any)),
            Some(other) => Err(UsageError::new(format!(
                "invalid --fail-on '{other}' for 'diff' (expected added, removed or any)"
            ))),
        }
    }

    fn matches(self, diff: &Diff) -> bool {
        match self {
            FailOn::Added => !diff.added.is_empty(),
            FailOn::Removed => !diff.removed.is_empty(),
            FailOn::Any => !diff.added.is_empty() || !diff.removed.is_empty(),
        }
    }
}

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let args = &invocation.args;
    let fail_on = FailOn::parse(args.value("fail-on"))?;
    if let Some(path) = args.paths.first() {
        return Err(UsageError::new(format!(
            "unexpected path '{path}': give the two versions with --base PATH... and --head PATH..."
        )));
    }
    let base_paths = args.values("base");
    let head_paths = args.values("head");
    if base_paths.is_empty() || head_paths.is_empty() {
        return Err(UsageError::new(
            "missing --base or --head (each takes one or more paths)",
        ));
    }
    let cluster = args.values("cluster");
    let mut notes = String::new();
    let base = load_side("base", base_paths, cluster, invocation, &mut notes)?;
    let head = load_side("head", head_paths, cluster, invocation, &mut notes)?;
    let answer = base.diff(&head);
    let stdout = render(&answer.diff, answer.sources, invocation.format()).unwrap_or_default();
    let code = match fail_on {
        Some(f) if f.matches(&answer.diff) => EXIT_FAILURE,
        _ => EXIT_SUCCESS,
    };
    let mut reply = Reply::new(stdout, code);
    reply.stderr = notes;
    Ok(reply)
}

/// One side's workspace: its own PATHs, plus the `--cluster` PATHs as cluster
/// sources (their Namespaces, Pods and workloads replace the side's own).
fn load_side(
    side: &str,
    paths: &[String],
    cluster: &[String],
    invocation: &Invocation<'_>,
    notes: &mut String,
) -> Result<Workspace, UsageError> {
    let own = read_inputs(paths, invocation.files)?;
    let mut workspace = Workspace::load(source_files(&own), Config::default());
    if !cluster.is_empty() {
        let shared = read_inputs(cluster, invocation.files)?;
        workspace.add_cluster(source_files(&shared));
    }
    if !invocation.args.common.quiet {
        note_left_out(
            &format!("{side}: "),
            workspace.loaded(),
            workspace.sources(),
            notes,
        );
    }
    Ok(workspace)
}
