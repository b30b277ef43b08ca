//! `netpol matrix`: allowed connections between every pair of endpoints.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::decoding::load;
use super::query::{parse_port, parse_protocol};
use super::{
    Command, CommonOption, Invocation, OptionSpec, Reply, Takes, UsageError, EXIT_SUCCESS,
};
use crate::engine::{representatives, EndpointRef, Engine, Grouping, Matrix, MatrixEndpoint};
use crate::model::PortValue;
use crate::report::connectivity::matrix::{default_grouping, render, FORMATS};
use crate::report::connectivity::MatrixView;

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
            select there, and the output says so.\n\
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
    let (_, loaded, notes) = load(invocation)?;
    let model = representatives::complete(&loaded.model);
    let engine = Engine::new(&model);
    let matrix = engine.matrix().grouped(&engine, grouping);
    let from = endpoint_filter(&engine, &matrix, args.value("from"))?;
    let to = endpoint_filter(&engine, &matrix, args.value("to"))?;
    let namespaces: Vec<String> = args.values("namespace").to_vec();
    let in_namespaces = |e: &MatrixEndpoint| {
        namespaces.is_empty()
            || e.namespace
                .as_ref()
                .is_none_or(|ns| namespaces.contains(ns))
    };
    let view = MatrixView::all(&matrix)
        .sources(|e| in_namespaces(e) && from.as_ref().is_none_or(|id| &e.id == id))
        .destinations(|e| in_namespaces(e) && to.as_ref().is_none_or(|id| &e.id == id))
        .ports(protocol, port);
    let stdout = render(&view, format).unwrap_or_default();
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

/// The matrix endpoint id an `--from`/`--to` argument denotes (an address outside
/// the cluster denotes its external class; a pod, the group it belongs to).
fn endpoint_filter(
    engine: &Engine<'_>,
    matrix: &Matrix,
    text: Option<&str>,
) -> Result<Option<String>, UsageError> {
    let Some(text) = text else { return Ok(None) };
    if let Some(group) = matrix.endpoints().iter().find(|e| e.id == text) {
        return Ok(Some(group.id.clone()));
    }
    let endpoint = engine
        .resolve(text)
        .map_err(|e| UsageError::new(format!("{e}")))?;
    let id = match endpoint {
        EndpointRef::Endpoint(_) => {
            let pod = engine.display(&endpoint);
            matrix
                .endpoints()
                .iter()
                .find(|e| e.id == pod || e.pods.contains(&pod))
                .map(|e| e.id.clone())
        }
        EndpointRef::External(ip) => matrix
            .endpoints()
            .iter()
            .find(|e| e.endpoint.is_none() && e.cidrs.iter().any(|c| c.contains(&ip)))
            .map(|e| e.id.clone()),
    };
    id.map(Some)
        .ok_or_else(|| UsageError::new(format!("endpoint `{text}` is not in the matrix")))
}
