//! `netpol query`: one flow's verdict with its explanation.

use alloc::format;
use alloc::string::String;

use super::decoding::{api_error, load_connectivity};
use super::{
    Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError, EXIT_SUCCESS,
};
use crate::api::{FlowRequest, Port};
use crate::model::{PortValue, Protocol};
use crate::report::connectivity::query::{render, FORMATS};

/// `netpol query`.
pub(crate) const COMMAND: Command = Command {
    name: "query",
    summary: "Explain whether one flow is allowed, and by which rule",
    usage: "netpol query --from EP --to EP --port N|NAME [--protocol P] [OPTIONS] PATH...",
    about: "Evaluates one flow against the NetworkPolicies of the inputs and explains the\n\
            verdict: which policies isolate each side, which rule, peer and port entry\n\
            allowed it (with file:line), or for a denied flow the closest rules and what\n\
            did not match. An endpoint is ns/name, ns/kind/name, an IP address, or,\n\
            for namespaces with policies but no Pods or workloads in the inputs, a\n\
            representative endpoint ns/{k=v,...} standing for pods with those labels; the\n\
            port is a number or a named port of the destination. --cni (or cni in the\n\
            configuration) makes the verdict follow that data plane (docs/cni.md).\n\
            Exits 0 whenever it\n\
            answered, whatever the verdict. Objects left out as invalid are noted on\n\
            stderr; with --strict they make it exit 2 instead of answering.\n",
    options: &[
        OptionSpec {
            name: "from",
            takes: Takes::Value("EP"),
            help: "the source: ns/name, ns/kind/name or an IP address",
        },
        OptionSpec {
            name: "to",
            takes: Takes::Value("EP"),
            help: "the destination: ns/name, ns/kind/name or an IP address",
        },
        OptionSpec {
            name: "port",
            takes: Takes::Value("N|NAME"),
            help: "the port: a number, or a named port of the destination",
        },
        OptionSpec {
            name: "protocol",
            takes: Takes::Value("P"),
            help: "TCP (default), UDP or SCTP",
        },
    ],
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
    examples: "netpol query --from shop/web --to shop/api --port 8080 manifests/\n\
               netpol query --from shop/deployment/web --to 10.0.0.7 --port 53 --protocol UDP k8s/\n\
               netpol query --from shop/web --to shop/api --port http --format json k8s/\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let from = required(invocation, "from")?;
    let to = required(invocation, "to")?;
    let port = parse_port(&required(invocation, "port")?)?;
    let protocol = parse_protocol(invocation.args.value("protocol"))?;
    let (workspace, notes) = load_connectivity(invocation)?;
    let flow = FlowRequest {
        from,
        to,
        port: match port {
            PortValue::Number(n) => Port::Number(n),
            PortValue::Name(name) => Port::Name(name),
        },
        protocol: Some(protocol.as_str().into()),
    };
    let answer = workspace.query(&flow).map_err(api_error)?;
    let stdout = render(&answer.verdict, answer.sources, invocation.format()).unwrap_or_default();
    let mut reply = Reply::new(stdout, EXIT_SUCCESS);
    reply.stderr = notes;
    Ok(reply)
}

/// The value of a required option.
fn required(invocation: &Invocation<'_>, name: &str) -> Result<String, UsageError> {
    invocation
        .args
        .value(name)
        .map(String::from)
        .ok_or_else(|| UsageError::new(format!("missing --{name}")))
}

/// A port argument: a number 1-65535, or a port name.
pub(super) fn parse_port(text: &str) -> Result<PortValue, UsageError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(UsageError::new("empty --port"));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u16>() {
            Ok(n) if n > 0 => Ok(PortValue::Number(n)),
            _ => Err(UsageError::new(format!(
                "invalid --port '{text}' (expected 1-65535 or a port name)"
            ))),
        };
    }
    Ok(PortValue::Name(text.into()))
}

/// A `--protocol` argument (case-insensitive; TCP when absent).
pub(super) fn parse_protocol(text: Option<&str>) -> Result<Protocol, UsageError> {
    match text {
        None => Ok(Protocol::Tcp),
        Some(p) => Protocol::parse(&p.to_ascii_uppercase()).ok_or_else(|| {
            UsageError::new(format!(
                "invalid --protocol '{p}' (expected TCP, UDP or SCTP)"
            ))
        }),
    }
}
