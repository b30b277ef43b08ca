//! `netpol lint`: validation and best-practice findings.

use super::config::load_config;
use super::render::{render_lint, LINT_FORMATS};
use super::{Command, CommonOption, Invocation, Reply, UsageError, EXIT_FAILURE, EXIT_SUCCESS};
use crate::decode;
use crate::doc::Limits;
use crate::lint;
use crate::report::{LintReport, Summary};

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
    let sources = invocation.sources()?;
    let loaded = decode::load(&sources, &Limits::default());
    let outcome = lint::run(&loaded, &config);
    let summary = Summary {
        files: sources.len(),
        objects: loaded.objects,
        suppressed: outcome.suppressed,
        ..Summary::default()
    };
    let fail_on = config.fail_on();
    let mut report = LintReport::new(&outcome.diagnostics, &sources, summary, fail_on);
    // The report holds its own copy of every finding: free the diagnostics before
    // rendering, so a run with many findings holds them once.
    drop(outcome);
    let code = if report.fails() {
        EXIT_FAILURE
    } else {
        EXIT_SUCCESS
    };
    if invocation.args.common.quiet {
        report
            .findings
            .retain(|f| fail_on.is_some_and(|threshold| f.severity >= threshold));
    }
    let stdout = render_lint(invocation, &report, &sources, &loaded.model);
    Ok(Reply::new(stdout, code))
}
