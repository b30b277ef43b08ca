//! `netpol synthesize`: least-privilege NetworkPolicies from observed flows or from
//! the ConnectivityTest cases of the inputs, proved by the engine.

use alloc::format;
use alloc::string::String;

use super::decoding::load;
use super::files::{EntryKind, FileError};
use super::replay::{problem_notes, read_flows};
use super::{
    Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError, EXIT_SUCCESS,
    EXIT_USAGE,
};
use crate::api::{SynthesizeAnswer, SynthesizeRequest};
use crate::lint::Config;

/// `netpol synthesize`.
pub(crate) const COMMAND: Command = Command {
    name: "synthesize",
    summary: "Write least-privilege policies for observed flows or test cases, and prove them",
    usage: "netpol synthesize (--flows FILE | --tests) [--output DIR | -] [OPTIONS] PATH...",
    about: "Writes NetworkPolicies that allow the required flows: those of a flow file\n\
            observed as forwarded (--flows, the formats of 'netpol replay'), and/or the\n\
            allow cases of the ConnectivityTests in the inputs (--tests), whose deny\n\
            cases must stay denied. The style is the rule catalogue's: a default deny\n\
            per namespace (system namespaces are left alone), one policy per group of\n\
            pods sharing their role labels, peers by pod labels with a\n\
            kubernetes.io/metadata.name namespace selector, ports and protocols always,\n\
            DNS egress, single-address ipBlocks outside the cluster. Comments say which\n\
            flows each rule serves. Then the engine evaluates the output with the\n\
            inputs: every required flow allowed, no deny case allowed, and the\n\
            connections allowed beyond the requirements with the reason (stderr, or the\n\
            JSON). Requirements that are contradictory or that labels cannot express\n\
            (two pods with identical labels that must be treated differently) write\n\
            nothing and exit 2, naming the pods.\n\
            \n\
            With --cluster-baseline, the default deny and the DNS allowance are one\n\
            cluster-wide ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) in\n\
            the Baseline tier, for every namespace but the system ones, instead of a\n\
            default-deny and an allow-dns policy per namespace; each group policy then\n\
            carries its own DNS rule (a NetworkPolicy that isolates a pod takes the\n\
            Baseline tier's rules away from it).\n\
            \n\
            Output: one YAML stream on stdout (default, or '--output -'), or one file\n\
            per namespace, DIR/NAMESPACE.yaml, and the cluster-wide policy in\n\
            DIR/_cluster.yaml (DIR and its parents are created when missing);\n\
            --format json writes the answer (files, cluster, proof) as JSON on stdout.\n",
    options: &[
        OptionSpec {
            name: "flows",
            takes: Takes::Value("FILE"),
            help: "synthesize from these recorded flows (Hubble JSON or CSV)",
        },
        OptionSpec {
            name: "tests",
            takes: Takes::Flag,
            help: "synthesize from the ConnectivityTest cases of the inputs",
        },
        OptionSpec {
            name: "output",
            takes: Takes::Value("DIR|-"),
            help: "one file per namespace in DIR (created if missing), or '-' for one stream on stdout",
        },
        OptionSpec {
            name: "cluster-baseline",
            takes: Takes::Flag,
            help: "one Baseline-tier ClusterNetworkPolicy for the default deny and DNS, not one per namespace",
        },
    ],
    common: &[
        CommonOption::Format,
        CommonOption::Quiet,
        CommonOption::Strict,
        CommonOption::StdinName,
    ],
    formats: &["yaml", "json"],
    examples: "netpol synthesize --flows flows.json cluster/ > policies.yaml\n\
               netpol synthesize --flows flows.json --output policies/ cluster/\n\
               netpol synthesize --tests --format json k8s/\n\
               netpol synthesize --flows flows.json --cluster-baseline --output policies/ cluster/\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let flows_path = invocation.args.value("flows");
    let tests = invocation.args.flag("tests");
    if flows_path.is_none() && !tests {
        return Err(UsageError::new("give --flows FILE or --tests"));
    }
    let flows = match flows_path {
        Some(path) => Some(read_flows(invocation, path)?),
        None => None,
    };
    let (workspace, mut notes) = load(invocation, Config::default())?;
    let answer = workspace
        .synthesize(&SynthesizeRequest {
            flows,
            tests,
            cluster_baseline: invocation.args.flag("cluster-baseline"),
        })
        .map_err(super::decoding::api_error)?;
    if !invocation.args.common.quiet {
        notes.push_str(&problem_notes(flows_path.unwrap_or("-"), &answer.problems));
    }
    if invocation.format() == "json" {
        let mut stdout = serde_json::to_string_pretty(&answer).unwrap_or_default();
        stdout.push('\n');
        let code = if answer.error.is_some() { EXIT_USAGE } else { EXIT_SUCCESS };
        let mut reply = Reply::new(stdout, code);
        reply.stderr = notes;
        return Ok(reply);
    }
    if let Some(error) = &answer.error {
        return Err(UsageError::new(format!("nothing written: {error}")).with_details(notes));
    }
    if !invocation.args.common.quiet {
        notes.push_str(&proof_notes(&answer));
    }
    let stdout = match invocation.args.value("output") {
        None | Some("-") => answer.stream.clone(),
        Some(dir) => {
            let dir = output_dir(invocation, dir, &mut notes)?;
            let cluster = answer
                .cluster
                .iter()
                .map(|yaml| (CLUSTER_FILE, yaml.as_str()));
            let namespaces = answer
                .files
                .iter()
                .map(|f| (f.namespace.as_str(), f.yaml.as_str()));
            for (name, yaml) in cluster.chain(namespaces) {
                let path = format!("{dir}/{name}.yaml");
                invocation
                    .files
                    .write_file(&path, yaml)
                    .map_err(|e| UsageError::new(format!("cannot write '{path}': {e}")))?;
                notes.push_str(&format!("netpol: wrote {path}\n"));
            }
            String::new()
        }
    };
    let mut reply = Reply::new(stdout, EXIT_SUCCESS);
    reply.stderr = notes;
    Ok(reply)
}

/// The name (without `.yaml`) of the cluster-wide policy's file in `--output DIR`:
/// a namespace name cannot start with `_`, so no namespace's file is ever this one.
const CLUSTER_FILE: &str = "_cluster";

/// `dir` without its trailing `/`, made (with its parents) when it does not exist.
fn output_dir<'a>(
    invocation: &Invocation<'_>,
    dir: &'a str,
    notes: &mut String,
) -> Result<&'a str, UsageError> {
    let trimmed = dir.trim_end_matches('/');
    let dir = if trimmed.is_empty() { dir } else { trimmed };
    match invocation.files.kind(dir) {
        Ok(EntryKind::Directory) => Ok(dir),
        Ok(_) => Err(UsageError::new(format!(
            "cannot write into '{dir}': it exists and is not a directory"
        ))),
        Err(FileError::NotFound) => {
            invocation
                .files
                .create_dir_all(dir)
                .map_err(|e| UsageError::new(format!("cannot create directory '{dir}': {e}")))?;
            notes.push_str(&format!("netpol: created {dir}/\n"));
            Ok(dir)
        }
        Err(e) => Err(UsageError::new(format!("cannot write into '{dir}': {e}"))),
    }
}

/// The proof on stderr: what is allowed and denied, and what else the rules allow.
fn proof_notes(answer: &SynthesizeAnswer) -> String {
    let proof = &answer.proof;
    let mut out = format!(
        "netpol: proof: {}/{} required flows allowed, {}/{} forbidden flows denied\n",
        proof.allowed, proof.required, proof.denied, proof.forbidden
    );
    for beyond in &proof.beyond {
        let at_least = if beyond.exact { "" } else { "at least " };
        out.push_str(&format!(
            "netpol: beyond the requirements: {} rule {} ({}) allows {at_least}{} more pair(s), e.g. {}: {}\n",
            beyond.policy,
            beyond.rule,
            beyond.ports.join(" "),
            beyond.pairs,
            beyond.example,
            beyond.reason
        ));
    }
    out
}
