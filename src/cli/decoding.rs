//! Reading and decoding the inputs of the connectivity commands (`matrix`, `query`,
//! `test`, `diff`), and what they say about the objects they could not use: one
//! note per decoding error on stderr (unless `--quiet`), and, with `--strict`, exit
//! code 2 when an object was left out as invalid.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Common, Invocation, UsageError};
use crate::api::{ApiError, Workspace};
use crate::decode::{leaves_object_out, Loaded};
use crate::diag::{Diagnostic, Severity};
use crate::lint::Config;
use crate::report::Finding;
use crate::source::SourceSet;

/// Reads the PATH arguments into a workspace linted with `config`; returns it with
/// the notes for stderr ([`decoding_notes`]).
pub(super) fn load(
    invocation: &Invocation<'_>,
    config: Config,
) -> Result<(Workspace, String), UsageError> {
    let workspace = Workspace::from_sources(invocation.sources()?, config);
    let notes = decoding_notes(
        "",
        workspace.loaded(),
        workspace.sources(),
        &invocation.args.common,
    )?;
    Ok((workspace, notes))
}

/// The workspace of a connectivity command (`matrix`, `query`, `test`): the inputs
/// with the configuration (`--config` or `./.netpol.yaml`, then `--cni`), and the
/// notes on stderr: decoding errors, then the cluster-wide policies the data plane
/// does not enforce.
pub(super) fn load_connectivity(
    invocation: &Invocation<'_>,
) -> Result<(Workspace, String), UsageError> {
    let config = super::config::load_config(invocation)?;
    let (workspace, mut notes) = load(invocation, config)?;
    notes.push_str(&profile_notes(&workspace, &invocation.args.common));
    Ok((workspace, notes))
}

/// `netpol: note: ...` for each cluster-wide policy the workspace's data plane does
/// not enforce; empty under `--quiet`.
pub(super) fn profile_notes(workspace: &Workspace, common: &Common) -> String {
    if common.quiet {
        return String::new();
    }
    crate::engine::profile_notes(&workspace.loaded().model, workspace.config().cni)
        .iter()
        .map(|note| alloc::format!("netpol: note: {note}\n"))
        .collect()
}

/// A question the workspace could not answer, as a usage error (exit 2).
pub(super) fn api_error(error: ApiError) -> UsageError {
    UsageError::new(error.message())
}

/// The notes on the decoding errors of `loaded`, one line each:
/// `netpol: {prefix}file:line:column: error[rule]: message (what happened)`, where
/// what happened is that the object was left out, or that it was kept without the
/// field. Empty under `--quiet`. Under `--strict`, an object left out is a
/// [`UsageError`] (exit 2) whose details list every object left out and why,
/// whatever `--quiet` says.
pub(super) fn decoding_notes(
    prefix: &str,
    loaded: &Loaded,
    sources: &SourceSet,
    common: &Common,
) -> Result<String, UsageError> {
    if common.strict {
        let left_out: Vec<&Diagnostic> = loaded
            .diagnostics
            .iter()
            .filter(|d| leaves_object_out(d))
            .collect();
        if !left_out.is_empty() {
            return Err(strict_failure(prefix, &left_out, sources));
        }
    }
    if common.quiet {
        return Ok(String::new());
    }
    let mut notes: String = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| note(prefix, d, sources))
        .collect();
    foreign_policy_notes(prefix, loaded, sources, &mut notes);
    Ok(notes)
}

/// Appends one note per policy of a kind netpol cannot evaluate (the answers leave it
/// out): `netpol: {prefix}file:line:column: note: KIND `ns/name` is not evaluated`.
fn foreign_policy_notes(prefix: &str, loaded: &Loaded, sources: &SourceSet, notes: &mut String) {
    for policy in &loaded.model.foreign_policies {
        let meta = &policy.meta;
        let Some(source) = sources.get(meta.source) else {
            continue;
        };
        let at = source.position(policy.kind_span.start);
        let name = match &meta.namespace {
            Some(namespace) => format!("{}/{}", namespace.value, meta.name.value),
            None => meta.name.value.clone(),
        };
        notes.push_str(&format!(
            "netpol: {prefix}{}:{}:{}: note: {} `{name}` is not evaluated (netpol evaluates Kubernetes NetworkPolicies only)\n",
            source.name(),
            at.line,
            at.column,
            meta.kind
        ));
    }
}

/// The `--strict` error: how many objects were left out, then a note for each error
/// that left one out.
fn strict_failure(prefix: &str, left_out: &[&Diagnostic], sources: &SourceSet) -> UsageError {
    let objects: BTreeSet<_> = left_out
        .iter()
        .map(|d| (d.location.map(|l| l.source), d.resource.as_ref()))
        .collect();
    let count = objects.len();
    let noun = if count == 1 { "object" } else { "objects" };
    let details = left_out.iter().map(|d| note(prefix, d, sources)).collect();
    UsageError::new(format!(
        "--strict: {prefix}{count} input {noun} left out as invalid"
    ))
    .with_details(details)
}

/// One note line for the decoding error `d`.
fn note(prefix: &str, d: &Diagnostic, sources: &SourceSet) -> String {
    let f = Finding::resolve(d.clone(), sources);
    format!(
        "netpol: {prefix}{}:{}:{}: error[{}]: {} ({})\n",
        f.file,
        f.line,
        f.column,
        f.rule_id,
        f.message,
        consequence(d)
    )
}

/// What the error `d` did to its object, as the note says it.
fn consequence(d: &Diagnostic) -> &'static str {
    match d.rule {
        _ if leaves_object_out(d) => "object left out",
        "unknown-field" => "field ignored, object kept",
        _ => "last value used, object kept",
    }
}
