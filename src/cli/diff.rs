//! `netpol diff`: the connections a change opens or closes.

use alloc::format;
use alloc::string::String;

use super::decoding::decoding_notes;
use super::matrix::parse_grouping;
use super::{
    Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError,
    EXIT_FAILURE, EXIT_SUCCESS,
};
use crate::decode::{self, Loaded};
use crate::diff::{diff, Diff, DiffOptions};
use crate::doc::Limits;
use crate::engine::{representatives, Engine};
use crate::report::connectivity::matrix::default_grouping;
use crate::report::diff::{render, DiffSources, FORMATS};
use crate::source::SourceSet;

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
            ranges are split where a policy of either version draws a line.\n\
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
    let (base_sources, base) = load_side("base", base_paths, cluster, invocation, &mut notes)?;
    let (head_sources, head) = load_side("head", head_paths, cluster, invocation, &mut notes)?;
    let format = invocation.format();
    let grouping = parse_grouping(args.value("group"), default_grouping(format))?;
    let (base_model, head_model) = representatives::complete_pair(&base.model, &head.model);
    let (base_engine, head_engine) = (Engine::new(&base_model), Engine::new(&head_model));
    let result = diff(&base_engine, &head_engine, &DiffOptions::default())
        .grouped([&base_engine, &head_engine], grouping);
    let sources = DiffSources {
        base: &base_sources,
        head: &head_sources,
    };
    let stdout = render(&result, sources, format).unwrap_or_default();
    let code = match fail_on {
        Some(f) if f.matches(&result) => EXIT_FAILURE,
        _ => EXIT_SUCCESS,
    };
    let mut reply = Reply::new(stdout, code);
    reply.stderr = notes;
    Ok(reply)
}

/// Reads one side (its paths, then the shared cluster's) and decodes it. With a
/// cluster, the side keeps only its own NetworkPolicies and the cluster's
/// Namespaces, Pods and workloads. Decoding errors are noted (see
/// [`decoding_notes`]).
fn load_side(
    side: &str,
    paths: &[String],
    cluster: &[String],
    invocation: &Invocation<'_>,
    notes: &mut String,
) -> Result<(SourceSet, Loaded), UsageError> {
    let mut sources = invocation.read_paths(paths)?;
    let own = sources.len();
    if !cluster.is_empty() {
        for (_, source) in invocation.read_paths(cluster)?.iter() {
            sources.add(source.clone());
        }
    }
    let mut loaded = decode::load(&sources, &Limits::default());
    if !cluster.is_empty() {
        let from_side = |source: crate::source::SourceId| (source.0 as usize) < own;
        let model = &mut loaded.model;
        model.policies.retain(|p| from_side(p.meta.source));
        model.namespaces.retain(|n| !from_side(n.meta.source));
        model.pods.retain(|p| !from_side(p.meta.source));
        model.workloads.retain(|w| !from_side(w.meta.source));
    }
    let side_notes = decoding_notes(
        &format!("{side}: "),
        &loaded,
        &sources,
        &invocation.args.common,
    )?;
    notes.push_str(&side_notes);
    Ok((sources, loaded))
}
