//! `netpol lint`: validation and best-practice findings.

use super::config::load_config;
use super::query::{api_error, source_files};
use super::render::{render_lint, LINT_FORMATS};
use super::{Command, CommonOption, Invocation, Reply, UsageError, EXIT_FAILURE, EXIT_SUCCESS};
use crate::api::{LintOptions, Workspace};

/// `netpol lint`.
pub(crate) const COMMAND: Command = Command {
    name: "lint",
    summary: "Validate manifests and check NetworkPolicy best practices",
    usage: "netpol lint [OPTIONS] PATH...",
    about: "Checks every NetworkPolicy the way the API server validates it, then against\n\
            the best-practice rule catalogue ('netpol rules'). Namespaces, Pods and\n\
            workloads in the same inputs give the rules their context. Exits 1 when a\n\
            finding is at or above --fail-on.\n",
    options: &[],
    common: &[
        CommonOption::Format,
        CommonOption::FailOn,
        CommonOption::Output,
        CommonOption::Color,
        CommonOption::Quiet,
        CommonOption::Config,
        CommonOption::Rule,
    ],
    formats: LINT_FORMATS,
    examples: "netpol lint manifests/\n\
               helm template chart/ | netpol lint -\n\
               netpol lint --format json --output findings.json k8s/\n\
               netpol lint --fail-on warning --rule missing-namespace=off policy.yaml\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let config = load_config(invocation)?;
    let workspace = Workspace::load(source_files(&invocation.sources()?), config);
    let options = LintOptions {
        quiet: invocation.args.common.quiet,
        ..LintOptions::default()
    };
    let answer = workspace.lint(&options).map_err(api_error)?;
    let code = if answer.fails() {
        EXIT_FAILURE
    } else {
        EXIT_SUCCESS
    };
    let stdout = render_lint(
        invocation,
        &answer.report,
        workspace.sources(),
        &workspace.loaded().model,
    );
    Ok(Reply::new(stdout, code))
}
