//! `netpol lint`: validation and best-practice findings.

use super::config::load_config;
use super::decoding::api_error;
use super::render::{render_lint, LINT_FORMATS};
use super::{
    Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError, EXIT_FAILURE,
    EXIT_SUCCESS,
};
use crate::api::{LintOptions, Workspace};

/// `netpol lint`.
pub(crate) const COMMAND: Command = Command {
    name: "lint",
    summary: "Validate manifests and check NetworkPolicy best practices",
    usage: "netpol lint [OPTIONS] PATH...",
    about: "Checks every NetworkPolicy the way the API server validates it, then against\n\
            the best-practice rule catalogue ('netpol rules'). Namespaces, Pods and\n\
            workloads in the same inputs give the rules their context. Exits 1 when a\n\
            finding is at or above --fail-on. A text report of more than ten findings\n\
            (or one cut by --max-findings) ends with the findings counted per rule.\n",
    options: &[OptionSpec {
        name: "max-findings",
        takes: Takes::Value("N"),
        help: "text: print at most N findings (the counts still cover all; other formats are never cut)",
    }],
    common: &[
        CommonOption::Format,
        CommonOption::FailOn,
        CommonOption::Output,
        CommonOption::Color,
        CommonOption::Quiet,
        CommonOption::Config,
        CommonOption::Rule,
        CommonOption::Cni,
        CommonOption::StdinName,
    ],
    formats: LINT_FORMATS,
    examples: "netpol lint manifests/\n\
               helm template chart/ | netpol lint -\n\
               helm template chart/ | netpol lint --stdin-name chart/rendered.yaml --format sarif -\n\
               netpol lint --format json --output findings.json k8s/\n\
               netpol lint --fail-on warning --rule missing-namespace=off policy.yaml\n\
               netpol lint --max-findings 50 big-cluster/\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let max_findings = max_findings(invocation)?;
    let config = load_config(invocation)?;
    let workspace = Workspace::from_sources(invocation.sources()?, config);
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
        max_findings,
    );
    Ok(Reply::new(stdout, code))
}

/// `--max-findings N`: a count of findings, 0 or more.
fn max_findings(invocation: &Invocation<'_>) -> Result<Option<usize>, UsageError> {
    invocation
        .args
        .value("max-findings")
        .map(|text| {
            text.trim().parse::<usize>().map_err(|_| {
                UsageError::new(alloc::format!(
                    "invalid --max-findings '{text}' (expected a number, 0 or more)"
                ))
            })
        })
        .transpose()
}
