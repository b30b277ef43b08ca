//! `netpol replay`: observed flows (Hubble's JSON export, or CSV) answered by the
//! policies of the inputs.

use alloc::format;
use alloc::string::String;

use super::decoding::load;
use super::{
    Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError, EXIT_FAILURE,
    EXIT_SUCCESS,
};
use crate::api::{ReplayAnswer, ReplayRequest};
use crate::flows::replay::{Decision, ReplayedFlow};
use crate::flows::{FlowProblem, Observed};
use crate::lint::Config;

/// `netpol replay`.
pub(crate) const COMMAND: Command = Command {
    name: "replay",
    summary: "Replay observed flows against the policies: what would they break?",
    usage: "netpol replay --flows FILE [--format text|json] [OPTIONS] PATH...",
    about: "Reads recorded flows (Hubble's JSON export, 'hubble observe -o json': one\n\
            {\"flow\": ...} object per line or a JSON array; or CSV with the header\n\
            from,to,port,protocol and an optional verdict column) and answers each with\n\
            the NetworkPolicies of the inputs: allow, deny or uncertain, with the reason\n\
            and the policies involved. Each end of a flow is mapped to the inputs' pods\n\
            and workloads by namespace and pod name, else by the owning workload, else\n\
            by labels (k8s:app=web), else by IP address; the output says which. A reply\n\
            (is_reply) is replayed as the connection it answers; ICMP and flows without\n\
            ports are uncertain. Then, per pair of endpoints, the connections the\n\
            policies allow that no flow showed. Exits 1 when a flow observed as\n\
            forwarded would be denied ('would break'), 0 otherwise; records that cannot\n\
            be read are noted on stderr with their line.\n",
    options: &[OptionSpec {
        name: "flows",
        takes: Takes::Value("FILE"),
        help: "the recorded flows: Hubble JSON (lines or array) or CSV",
    }],
    common: &[
        CommonOption::Format,
        CommonOption::Output,
        CommonOption::Quiet,
        CommonOption::Strict,
        CommonOption::StdinName,
    ],
    formats: &["text", "json"],
    examples: "hubble observe -o json --since 24h > flows.json\n\
               netpol replay --flows flows.json proposed-policies/ cluster/\n\
               netpol replay --flows flows.csv --format json k8s/\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let path = invocation
        .args
        .value("flows")
        .ok_or_else(|| UsageError::new("missing --flows FILE"))?;
    let flows = read_flows(invocation, path)?;
    let (workspace, mut notes) = load(invocation, Config::default())?;
    let answer = workspace.replay(&ReplayRequest { flows });
    if !invocation.args.common.quiet {
        notes.push_str(&problem_notes(path, &answer.replay.problems));
    }
    let stdout = match invocation.format() {
        "json" => {
            let mut text = serde_json::to_string_pretty(&answer).unwrap_or_default();
            text.push('\n');
            text
        }
        _ => text(&answer),
    };
    let code = if answer.breaks() {
        EXIT_FAILURE
    } else {
        EXIT_SUCCESS
    };
    let mut reply = Reply::new(stdout, code);
    reply.stderr = notes;
    Ok(reply)
}

/// The text of the flow file `path`.
pub(super) fn read_flows(invocation: &Invocation<'_>, path: &str) -> Result<String, UsageError> {
    invocation
        .files
        .read_file(path)
        .map_err(|e| UsageError::new(format!("cannot read flows '{path}': {e}")))
}

/// One stderr note per record left out: `netpol: FILE:LINE: error: message`.
pub(super) fn problem_notes(path: &str, problems: &[FlowProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("netpol: {path}:{}: error: {}\n", p.line, p.message))
        .collect()
}

/// The text report: one line per flow, the unobserved connections, the counts.
fn text(answer: &ReplayAnswer) -> String {
    let replay = &answer.replay;
    let mut out = String::new();
    for flow in &replay.flows {
        out.push_str(&flow_line(flow));
    }
    if !replay.unobserved.is_empty() {
        out.push_str("\nallowed but never observed:\n");
        for pair in &replay.unobserved {
            out.push_str(&format!(
                "  {} -> {}: {}\n",
                pair.from,
                pair.to,
                crate::api::ports_text(&pair.ports).join(" ")
            ));
        }
    }
    let s = &replay.summary;
    out.push_str(&format!(
        "\n{} flows: {} allowed, {} denied, {} uncertain; {} would break\n",
        replay.flows.len(),
        s.allow,
        s.deny,
        s.uncertain,
        s.would_break
    ));
    out
}

/// `#3 line 3: shop/web -> shop/api TCP/8080 (forwarded): deny, WOULD BREAK: reason [ns/policy]`.
fn flow_line(flow: &ReplayedFlow) -> String {
    let port = match flow.protocol {
        Some(protocol) if flow.port != 0 => format!(" {}/{}", protocol.as_str(), flow.port),
        _ => String::new(),
    };
    let breaks = if flow.verdict == Decision::Deny && flow.observed == Observed::Forwarded {
        ", WOULD BREAK"
    } else {
        ""
    };
    let policies = if flow.policies.is_empty() {
        String::new()
    } else {
        format!(" [{}]", flow.policies.join(", "))
    };
    format!(
        "#{} line {}: {} -> {}{port} ({}): {}{breaks}: {}{policies}\n",
        flow.index,
        flow.line,
        flow.from,
        flow.to,
        flow.observed.as_str(),
        flow.verdict.as_str(),
        flow.reason
    )
}
