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
        CommonOption::Cni,
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

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec::Vec;

    use super::super::{run, DirEntry, EntryKind, FileError, FileSource, Stream, Timestamp};
    use super::*;

    /// One file, `review.json`, and standard input.
    struct OneFile(&'static str);

    impl FileSource for OneFile {
        fn read_file(&self, path: &str) -> Result<String, FileError> {
            match path {
                "review.json" => Ok(self.0.to_string()),
                _ => Err(FileError::NotFound),
            }
        }
        fn read_dir(&self, _: &str) -> Result<Vec<DirEntry>, FileError> {
            Err(FileError::NotFound)
        }
        fn kind(&self, path: &str) -> Result<EntryKind, FileError> {
            match path {
                "review.json" => Ok(EntryKind::File),
                _ => Err(FileError::NotFound),
            }
        }
        fn read_stdin(&self) -> Result<String, FileError> {
            Ok(self.0.to_string())
        }
        fn write_file(&self, _: &str, _: &str) -> Result<(), FileError> {
            Err(FileError::Other("read-only".to_string()))
        }
        fn is_terminal(&self, _: Stream) -> bool {
            false
        }
        fn now(&self) -> Timestamp {
            Timestamp::default()
        }
    }

    const REVIEW: &str = r#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
      "request": {"uid": "abc", "namespace": "shop", "object": {
        "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p"},
        "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": 0}]}]}}}}"#;

    fn netpol(args: &[&str]) -> super::super::Outcome {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        run(&args, &OneFile(REVIEW))
    }

    #[test]
    fn a_rejected_review_exits_1_with_the_uid_echoed() {
        let outcome = netpol(&["admission", "review.json"]);
        assert_eq!(outcome.code, EXIT_FAILURE, "{}", outcome.stderr);
        let answer: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
        assert_eq!(answer["response"]["uid"], "abc");
        assert_eq!(answer["response"]["allowed"], false);
    }

    #[test]
    fn fail_on_none_admits_with_warnings_from_stdin() {
        let outcome = netpol(&["admission", "--fail-on", "none", "-"]);
        assert_eq!(outcome.code, EXIT_SUCCESS, "{}", outcome.stderr);
        let answer: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
        assert_eq!(answer["response"]["allowed"], true);
        assert!(!answer["response"]["warnings"]
            .as_array()
            .unwrap()
            .is_empty());
    }

    #[test]
    fn usage_errors_exit_2() {
        assert_eq!(netpol(&["admission"]).code, 2);
        assert_eq!(netpol(&["admission", "a", "b"]).code, 2);
        assert_eq!(netpol(&["admission", "missing.json"]).code, 2);
    }
}
