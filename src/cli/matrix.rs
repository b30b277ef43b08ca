//! `netpol matrix`: allowed connections between every pair of endpoints.

use alloc::format;
use alloc::string::String;

use super::decoding::{api_error, load_connectivity};
use super::query::{parse_port, parse_protocol};
use super::{
    Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError, EXIT_SUCCESS,
};
use crate::api::MatrixFilter;
use crate::engine::Grouping;
use crate::model::PortValue;
use crate::report::connectivity::matrix::{default_grouping, render, FORMATS};

/// `netpol matrix`.
pub(crate) const COMMAND: Command = Command {
    name: "matrix",
    summary: "Show the allowed connections between every pair of endpoints",
    usage: "netpol matrix [--from EP] [--to EP] [--namespace NS] [--protocol P] [--port N] [--group owner|none] [OPTIONS] PATH...",
    about: "Computes, for every pair of endpoints (pods, workloads standing for their pods,\n\
            and the address ranges outside the cluster that the policies tell apart),\n\
            the ports allowed per protocol. A pod always reaches itself. Filters narrow\n\
            the rows (--from), the columns (--to), the namespaces shown (--namespace,\n\
            repeatable; external ranges stay) and the ports (--protocol, --port).\n\
            --group owner shows the pods of one controller (ownerReferences) as one\n\
            endpoint ns/kind/name where the policies treat them alike; it is the\n\
            default for text, md, dot and svg, while json and csv default to none.\n\
            Where the inputs hold policies but no Pods or workloads for a namespace,\n\
            representative endpoints ns/{k=v,...} stand for the pods the policies\n\
            select there, and the output says so. Ports whose verdict depends on DNS\n\
            or on the order of equal-priority cluster-wide policies are listed apart\n\
            as uncertain (marked ?). --cni (or cni in the configuration) makes the\n\
            verdicts follow that data plane (docs/cni.md).\n\
            Exits 0 whenever it answered. Objects left out as invalid are noted on\n\
            stderr; with --strict they make it exit 2 instead of answering.\n",
    options: &[
        OptionSpec {
            name: "from",
            takes: Takes::Value("EP"),
            help: "only connections from this endpoint (ns/name, ns/kind/name or an IP)",
        },
        OptionSpec {
            name: "to",
            takes: Takes::Value("EP"),
            help: "only connections to this endpoint",
        },
        OptionSpec {
            name: "namespace",
            takes: Takes::Value("NS"),
            help: "only pods and workloads of this namespace (repeatable)",
        },
        OptionSpec {
            name: "protocol",
            takes: Takes::Value("P"),
            help: "only this protocol: TCP, UDP or SCTP",
        },
        OptionSpec {
            name: "port",
            takes: Takes::Value("N"),
            help: "only connections allowing this port (of --protocol, default TCP)",
        },
        OptionSpec {
            name: "group",
            takes: Takes::Value("owner|none"),
            help: "one endpoint per controller (owner) or per pod (none); default owner for text, md, dot, svg and none for json, csv",
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
    examples: "netpol matrix manifests/\n\
               netpol matrix --format svg --output matrix.svg manifests/\n\
               netpol matrix --namespace shop --port 8080 --format md k8s/\n\
               netpol matrix --from shop/web --format json k8s/\n\
               netpol matrix --group none --format md k8s/\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let args = &invocation.args;
    let port = match args.value("port").map(parse_port).transpose()? {
        None => None,
        Some(PortValue::Number(n)) => Some(n),
        Some(PortValue::Name(name)) => {
            return Err(UsageError::new(format!(
                "--port '{name}' must be a number for 'matrix'"
            )))
        }
    };
    let protocol = match (args.value("protocol"), port) {
        (None, None) => None,
        (text, _) => Some(parse_protocol(text)?),
    };
    let format = invocation.format();
    let grouping = parse_grouping(args.value("group"), default_grouping(format))?;
    let (workspace, notes) = load_connectivity(invocation)?;
    let filter = MatrixFilter {
        from: args.value("from").map(String::from),
        to: args.value("to").map(String::from),
        namespace: args.values("namespace").to_vec(),
        protocol: protocol.map(|p| String::from(p.as_str())),
        port,
        group: Some(String::from(grouping.as_str())),
    };
    let answer = workspace.matrix(&filter).map_err(api_error)?;
    let stdout = render(&answer.view(), format).unwrap_or_default();
    let mut reply = Reply::new(stdout, EXIT_SUCCESS);
    reply.stderr = notes;
    Ok(reply)
}

/// `--group` as written, else `default`.
pub(crate) fn parse_grouping(text: Option<&str>, default: Grouping) -> Result<Grouping, UsageError> {
    match text {
        None => Ok(default),
        Some(text) => Grouping::parse(text).ok_or_else(|| {
            UsageError::new(format!("--group '{text}' is not one of: owner, none"))
        }),
    }
}
