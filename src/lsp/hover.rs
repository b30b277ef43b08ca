//! Hover: which pods a selector matches, what a policy isolates and allows, which
//! containers define a named port.

use std::format;
use std::prelude::rust_2021::*;

use std::fmt::Write as _;

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::position::{offset, range};
use super::selectors::{self, peer_endpoints, port_owners, target_at, Target};
use super::server::source_of;
use crate::api::Workspace;
use crate::engine::{Endpoint, Engine};
use crate::model::{Direction, NetworkPolicy, Peer, PortEntry, PortValue, Rule};

/// How many endpoints a list shows before "and N more".
const SHOWN: usize = 8;

/// The hover at the position of `params`, if the cursor is on something netpol
/// explains.
pub fn hover(workspace: &Workspace, params: &HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let (id, source) = source_of(workspace, &at.text_document.uri)?;
    let engine = workspace.engine();
    let model = engine.model();
    let (index, target, span) = target_at(model, id, offset(source.text(), at.position))?;
    let policy = model.policies.get(index)?;
    let text = match target {
        Target::PolicyName => describe_policy(&engine, index, policy),
        Target::PodSelector => {
            let selected: Vec<&Endpoint<'_>> = engine
                .selected_endpoints(index)
                .iter()
                .filter_map(|e| engine.endpoint(*e))
                .collect();
            let ns = policy.meta.namespace_name();
            format!("Selects in namespace `{ns}`: {}", list(&selected))
        }
        Target::PeerPods { pods, namespaces } => {
            let matched = peer_endpoints(&engine, policy, Some(pods), namespaces);
            format!("Matches: {}", list(&matched))
        }
        Target::PeerNamespaces(selector) => {
            let names: Vec<String> = selectors::namespaces(&engine, selector)
                .iter()
                .map(|ns| format!("`{}`", ns.name))
                .collect();
            let pods = peer_endpoints(&engine, policy, None, Some(selector));
            format!(
                "Matches {} namespace(s): {}\n\nPods and workloads in them: {}",
                names.len(),
                shorten(&names),
                list(&pods)
            )
        }
        Target::NamedPort {
            name,
            direction,
            rule,
        } => {
            let owners = port_owners(&engine, index, direction, rule, name);
            describe_port_owners(name, &owners)
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range(source, span)),
    })
}

/// A policy: what it selects, which directions it isolates, and what each rule
/// allows.
fn describe_policy(engine: &Engine<'_>, index: usize, policy: &NetworkPolicy) -> String {
    let selected: Vec<&Endpoint<'_>> = engine
        .selected_endpoints(index)
        .iter()
        .filter_map(|e| engine.endpoint(*e))
        .collect();
    let mut out = format!(
        "**NetworkPolicy `{}/{}`**\n\nSelects: {}\n",
        policy.meta.namespace_name(),
        policy.meta.name.value,
        list(&selected)
    );
    for direction in Direction::BOTH {
        let field = direction.field();
        if !policy.applies_to(direction) {
            let _ = write!(out, "\nDoes not isolate {field}.\n");
            continue;
        }
        let rules = policy.rules(direction);
        if rules.is_empty() {
            let _ = write!(out, "\nIsolates {field} and allows none.\n");
            continue;
        }
        let _ = write!(out, "\nIsolates {field}; allows:\n");
        let other_side = if direction == Direction::Ingress {
            "from"
        } else {
            "to"
        };
        for rule in rules {
            let _ = writeln!(
                out,
                "- {other_side} {} on {}",
                describe_peers(engine, policy, rule),
                describe_ports(rule.port_list())
            );
        }
    }
    out
}

fn describe_peers(engine: &Engine<'_>, policy: &NetworkPolicy, rule: &Rule) -> String {
    if rule.peer_list().is_empty() {
        return String::from("everywhere");
    }
    let parts: Vec<String> = rule
        .peer_list()
        .iter()
        .map(|peer| match peer {
            Peer::Selectors {
                pods, namespaces, ..
            } => list(&peer_endpoints(
                engine,
                policy,
                pods.as_ref(),
                namespaces.as_ref(),
            )),
            Peer::IpBlock(block) => {
                let mut text = format!("`{}`", block.cidr.value);
                for except in &block.except {
                    let _ = write!(text, " except `{}`", except.value);
                }
                text
            }
        })
        .collect();
    parts.join("; ")
}

fn describe_ports(ports: &[PortEntry]) -> String {
    if ports.is_empty() {
        return String::from("every port");
    }
    let parts: Vec<String> = ports
        .iter()
        .map(|entry| {
            let protocol = entry
                .protocol
                .as_ref()
                .map(|p| p.value)
                .unwrap_or_default()
                .as_str();
            match (&entry.port, &entry.end_port) {
                (None, _) => format!("{protocol} (every port)"),
                (Some(port), end) => {
                    let port = match &port.value {
                        PortValue::Number(n) => format!("{n}"),
                        PortValue::Name(name) => String::from(name),
                    };
                    match end {
                        Some(end) => format!("{protocol} {port}-{}", end.value),
                        None => format!("{protocol} {port}"),
                    }
                }
            }
        })
        .collect();
    parts.join(", ")
}

fn describe_port_owners(name: &str, owners: &[&Endpoint<'_>]) -> String {
    if owners.is_empty() {
        return format!("No container defines the port `{name}` here.");
    }
    let mut out = format!("Port `{name}` is defined by:\n");
    for owner in owners.iter().take(SHOWN) {
        for port in owner
            .ports
            .iter()
            .filter(|p| p.name.as_deref() == Some(name))
        {
            let _ = writeln!(
                out,
                "- `{}` ({}): {} {}",
                owner.id,
                owner.kind_name(),
                port.protocol.as_str(),
                port.port
            );
        }
    }
    if owners.len() > SHOWN {
        let _ = writeln!(out, "- and {} more", owners.len() - SHOWN);
    }
    out
}

/// `N — a (Pod), b (Deployment) and K more`, or `no pods or workloads`.
fn list(endpoints: &[&Endpoint<'_>]) -> String {
    if endpoints.is_empty() {
        return String::from("no pods or workloads");
    }
    let names: Vec<String> = endpoints
        .iter()
        .map(|e| format!("`{}` ({})", e.id, e.kind_name()))
        .collect();
    format!("{} — {}", endpoints.len(), shorten(&names))
}

fn shorten(names: &[String]) -> String {
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        let _ = write!(text, " and {} more", names.len() - SHOWN);
    }
    text
}
