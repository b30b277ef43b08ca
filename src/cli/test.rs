//! `netpol test`: runs the ConnectivityTest cases of the inputs.

use super::decoding::load_connectivity;
use super::{Command, CommonOption, Invocation, Reply, UsageError, EXIT_FAILURE, EXIT_SUCCESS};
use crate::report::connectivity::tests::{render, FORMATS};

/// `netpol test`.
pub(crate) const COMMAND: Command = Command {
    name: "test",
    summary: "Run the ConnectivityTest cases found in the inputs",
    usage: "netpol test [OPTIONS] PATH...",
    about: "Evaluates every case of every ConnectivityTest (netpol/v1alpha1) in the inputs\n\
            against the NetworkPolicies of the same inputs. Prints one line per failing\n\
            case with the explanation, then 'N passed, M failed'. Exits 1 if a case\n\
            failed or could not be evaluated. A case whose verdict depends on DNS\n\
            (domainNames) or on the order of equal-priority cluster-wide policies is\n\
            UNCERTAIN and fails whatever it expects. --cni (or cni in the\n\
            configuration) makes the verdicts follow that data plane (docs/cni.md). Problems in the manifests go to stderr and\n\
            do not change the exit code; with --strict, an object left out as invalid\n\
            makes it exit 2 instead. Cases may name representative endpoints\n\
            ns/{k=v,...} where the inputs hold policies but no Pods or workloads for a\n\
            namespace; the output then says so.\n",
    options: &[],
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
    examples: "netpol test manifests/\n\
               netpol test --format junit --output connectivity.xml k8s/\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let (workspace, notes) = load_connectivity(invocation)?;
    let answer = workspace.test();
    let code = if answer.report.all_passed() {
        EXIT_SUCCESS
    } else {
        EXIT_FAILURE
    };
    let stdout = render(&answer.report, answer.sources, invocation.format()).unwrap_or_default();
    let mut reply = Reply::new(stdout, code);
    reply.stderr = notes;
    if workspace.loaded().model.tests.is_empty() && !invocation.args.common.quiet {
        reply
            .stderr
            .push_str("netpol: note: no ConnectivityTest found in the inputs\n");
    }
    Ok(reply)
}
