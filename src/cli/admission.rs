//! `netpol admission`: answers an AdmissionReview the way a validating webhook would.

use alloc::format;
use alloc::string::String;

use super::config::load_config;
use super::{Command, CommonOption, Invocation, Reply, UsageError, EXIT_FAILURE, EXIT_SUCCESS};
use crate::admission;

/// `netpol admission`.
pub(crate) const COMMAND: Command = Command {
    name: "admission",
    summary: "Answer an AdmissionReview (admission.k8s.io/v1) like a webhook",
    usage: "netpol admission [OPTIONS] FILE|-",
    about: "Reads one AdmissionReview (JSON) and prints it back with a 'response': the\n\
            request's uid, 'allowed', a 403 status listing every finding at or above\n\
            --fail-on, and the lower findings as warnings (each under 120 characters).\n\
            Admission sees one object at a time: only single-object rules decide.\n\
            Exits 1 when the object is rejected.\n",
    options: &[],
    common: &[
        CommonOption::FailOn,
        CommonOption::Output,
        CommonOption::Config,
        CommonOption::Rule,
    ],
    formats: &[],
    examples: "netpol admission review.json\n\
               kubectl create -f policy.yaml --dry-run=server -o json | jq '{request: {uid: \"1\", object: .}}' | netpol admission -\n\
               netpol admission --fail-on warning review.json\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let config = load_config(invocation)?;
    let text = review_text(invocation)?;
    let reviewed = admission::review(&text, &config);
    let code = if reviewed.decision.allowed {
        EXIT_SUCCESS
    } else {
        EXIT_FAILURE
    };
    Ok(Reply::new(reviewed.json, code))
}

/// The text of the one AdmissionReview named on the command line (`-`: stdin).
fn review_text(invocation: &Invocation<'_>) -> Result<String, UsageError> {
    let path = match invocation.args.paths.as_slice() {
        [path] => path,
        [] => {
            return Err(UsageError::new(
                "no input: give an AdmissionReview file, or '-' for standard input",
            ))
        }
        [_, extra, ..] => {
            return Err(UsageError::new(format!(
                "unexpected argument '{extra}' ('admission' reads one AdmissionReview)"
            )))
        }
    };
    let read = if path == "-" {
        invocation.files.read_stdin()
    } else {
        invocation.files.read_file(path)
    };
    read.map_err(|error| UsageError::new(format!("cannot read '{path}': {error}")))
}
