//! `netpol diff`: the connections a change opens or closes.

use alloc::format;
use alloc::string::String;

use super::config::load_config;
use super::decoding::{decoding_notes, profile_notes};
use super::matrix::parse_grouping;
use super::{
    Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError,
    EXIT_FAILURE, EXIT_SUCCESS,
};
use crate::api::Workspace;
use crate::diff::Diff;
use crate::lint::Config;
use crate::report::connectivity::matrix::default_grouping;
use crate::report::diff::{render, FORMATS};

/// `netpol diff`.
pub(crate) const COMMAND: Command = Command {
    name: "diff",
    summary: "Show the connections a change to the policies opens or closes",
    usage: "netpol diff --base PATH... --head PATH... [--cluster PATH...] [--fail-on added|removed|any] [--group owner|none] [OPTIONS]",
    about: "Compares two versions of a set of manifests (base: before, head: after) and\n\
            lists, per pair of endpoints, the ports per protocol that head allows and\n\
            base did not (added) and the reverse (removed), with the rules responsible\n\
            on each side, plus the endpoints present on one side only. Each side uses\n\
            its own Namespaces, Pods and workloads; with --cluster both sides use the\n\
            cluster's instead (and only their own NetworkPolicies). External address\n\
            ranges are split where a policy of either version draws a line. Ports\n\
            that became uncertain on head (DNS, undefined order) are listed apart.\n\
            --cni (or cni in the configuration) evaluates both on that data plane.\n\
            --group owner shows the pods of one controller as one endpoint where the\n\
            diff says the same about each (default for text and md; json defaults to\n\
            none). Where both sides hold policies but no Pods or workloads for a\n\
            namespace, representative endpoints ns/{k=v,...} (the same on both sides)\n\
            stand for the pods the policies select there.\n\
            Exits 0 unless --fail-on matches (then 1). Objects left out as invalid are\n\
            noted on stderr; with --strict they make it exit 2 instead of answering.\n",
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
        OptionSpec {
            name: "group",
            takes: Takes::Value("owner|none"),
            help: "one endpoint per controller (owner) or per pod (none); default owner for text and md, none for json",
        },
    ],
    common: &[
        CommonOption::Format,
        CommonOption::Output,
        CommonOption::Color,
        CommonOption::Quiet,
        CommonOption::Strict,
        CommonOption::StdinName,
        CommonOption::Config,
        CommonOption::Cni,
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
    let config = load_config(invocation)?;
    let mut notes = String::new();
    let base = load_side("base", base_paths, cluster, invocation, &config, &mut notes)?;
    let head = load_side("head", head_paths, cluster, invocation, &config, &mut notes)?;
    let format = invocation.format();
    let grouping = parse_grouping(args.value("group"), default_grouping(format))?;
    let answer = base.diff(&head, grouping);
    let stdout = render(&answer.diff, answer.sources, format).unwrap_or_default();
    let code = match fail_on {
        Some(f) if f.matches(&answer.diff) => EXIT_FAILURE,
        _ => EXIT_SUCCESS,
    };
    let mut reply = Reply::new(stdout, code);
    reply.stderr = notes;
    Ok(reply)
}

/// One side's workspace with `config` (its data plane): its own PATHs, plus the
/// `--cluster` PATHs as cluster sources (their Namespaces, Pods and workloads replace
/// the side's own). Decoding errors and the cluster-wide policies the data plane does
/// not enforce are noted.
fn load_side(
    side: &str,
    paths: &[String],
    cluster: &[String],
    invocation: &Invocation<'_>,
    config: &Config,
    notes: &mut String,
) -> Result<Workspace, UsageError> {
    let mut workspace = Workspace::from_sources(invocation.read_paths(paths)?, config.clone());
    if !cluster.is_empty() {
        workspace.add_cluster_sources(invocation.read_paths(cluster)?);
    }
    let side_notes = decoding_notes(
        &format!("{side}: "),
        workspace.loaded(),
        workspace.sources(),
        &invocation.args.common,
    )?;
    notes.push_str(&side_notes);
    let unenforced = profile_notes(&workspace, &invocation.args.common);
    notes.push_str(&unenforced.replace("netpol: note: ", &format!("netpol: note: {side}: ")));
    Ok(workspace)
}
