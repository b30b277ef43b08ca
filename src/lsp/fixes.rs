//! Quick fixes: the repairs the rules describe, as text edits.
//!
//! | rule | fix |
//! | --- | --- |
//! | `missing-policytypes` | add `policyTypes` with the directions the policy has |
//! | `dns-egress-blocked` | add an egress rule to the cluster DNS on port 53, UDP and TCP |
//! | `rule-without-ports` | add the container ports of the pods on the far side |
//! | `ipblock-allows-metadata` | add the metadata address to `except` |
//! | `peer-namespace-selector-only` | add a `podSelector` for one workload's labels |

use std::prelude::rust_2021::*;
use std::{format, vec};

use std::collections::HashMap;

use ipnet::IpNet;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    NumberOrString, TextEdit, WorkspaceEdit,
};
use serde_json::{json, Value};

use super::position::{offset, range};
use super::selectors::peer_endpoints;
use super::server::source_of;
use super::yaml_edit::{append_item, insert_entry, replace, Insertion};
use crate::api::Workspace;
use crate::diag::Diagnostic;
use crate::doc::{Limits, Node, Value as Tree};
use crate::engine::Engine;
use crate::model::{Direction, IpBlock, NetworkPolicy, Peer, Rule};
use crate::source::{Source, SourceId, Span};

/// How many alternative pod selectors a namespace-only peer is offered.
const SELECTOR_CHOICES: usize = 5;

/// The quick fixes for the findings in the range of `params`.
pub fn code_actions(workspace: &Workspace, params: &CodeActionParams) -> CodeActionResponse {
    let Some((id, source)) = source_of(workspace, &params.text_document.uri) else {
        return Vec::new();
    };
    let wanted = Span {
        start: offset(source.text(), params.range.start),
        end: offset(source.text(), params.range.end),
    };
    let engine = workspace.engine();
    let mut actions = Vec::new();
    for finding in workspace.diagnostics() {
        let Some(location) = finding.location.filter(|l| l.source == id) else {
            continue;
        };
        if location.span.end < wanted.start || location.span.start > wanted.end {
            continue;
        }
        for (title, insertion) in fixes(
            &engine,
            id,
            source,
            &finding,
            location.span,
            &workspace.config().metadata_addresses,
        ) {
            let edit = TextEdit {
                range: range(source, insertion.replaced),
                new_text: insertion.text,
            };
            let diagnostics = params
                .context
                .diagnostics
                .iter()
                .filter(|d| d.code == Some(NumberOrString::String(finding.rule.into())))
                .filter(|d| d.range == range(source, location.span))
                .cloned()
                .collect::<Vec<_>>();
            let changes = HashMap::from([(params.text_document.uri.clone(), vec![edit])]);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// The fixes of one finding at `span`, each with its title.
fn fixes(
    engine: &Engine<'_>,
    id: SourceId,
    source: &Source,
    finding: &Diagnostic,
    span: Span,
    metadata: &[IpNet],
) -> Vec<(String, Insertion)> {
    let Some(policy) = engine.model().policies.iter().find(|p| {
        p.meta.source == id && p.meta.span.start <= span.start && span.end <= p.meta.span.end
    }) else {
        return Vec::new();
    };
    let text = source.text();
    let one = |title: String, insertion: Option<Insertion>| {
        insertion.map(|i| vec![(title, i)]).unwrap_or_default()
    };
    match finding.rule {
        "missing-policytypes" => {
            let types = intended_types(policy);
            let title = format!("Add policyTypes: [{}]", types.join(", "));
            let insertion = match &policy.policy_types {
                Some(written) => replace(written.span, &json!(types)),
                None => insert_entry(text, policy.spec_span, "policyTypes", &json!(types)),
            };
            one(title, insertion)
        }
        "dns-egress-blocked" => {
            let insertion = match &policy.egress {
                Some(egress) => append_item(text, egress.span, &dns_rule()),
                None => insert_entry(text, policy.spec_span, "egress", &json!([dns_rule()])),
            };
            one(
                String::from("Allow egress to the cluster DNS (port 53, UDP and TCP)"),
                insertion,
            )
        }
        "rule-without-ports" => {
            let Some((direction, rule)) = rule_at(policy, span) else {
                return Vec::new();
            };
            let ports = far_side_ports(engine, policy, direction, rule);
            if ports.is_empty() {
                return Vec::new();
            }
            let shown: Vec<String> = ports.iter().map(|(p, n)| format!("{p} {n}")).collect();
            let title = format!("Add ports: {}", shown.join(", "));
            let ports: Vec<Value> = ports
                .into_iter()
                .map(|(protocol, port)| json!({"protocol": protocol, "port": port}))
                .collect();
            one(
                title,
                insert_entry(text, rule.span, "ports", &Value::Array(ports)),
            )
        }
        "ipblock-allows-metadata" => {
            let Some(block) = ipblock_at(policy, span) else {
                return Vec::new();
            };
            let open: Vec<String> = metadata
                .iter()
                .filter(|m| block.cidr.value.trunc().contains(*m))
                .filter(|m| !block.except.iter().any(|e| e.value.trunc().contains(*m)))
                .map(|m| format!("{m}"))
                .collect();
            if open.is_empty() {
                return Vec::new();
            }
            let title = format!("Except the metadata addresses: {}", open.join(", "));
            one(title, except_addresses(text, source, id, block, &open))
        }
        "peer-namespace-selector-only" => pod_selector_choices(engine, text, policy, span),
        _ => Vec::new(),
    }
}

/// The directions a policy without `policyTypes` is written for: those it has
/// rules for (ingress when it has neither).
fn intended_types(policy: &NetworkPolicy) -> Vec<&'static str> {
    let mut types = Vec::new();
    if policy.ingress.is_some() || policy.egress.is_none() {
        types.push("Ingress");
    }
    if policy.egress.is_some() {
        types.push("Egress");
    }
    types
}

/// Egress to the cluster DNS: the kube-dns pods of kube-system on port 53.
fn dns_rule() -> Value {
    json!({
        "to": [{
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
            "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}
        }],
        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]
    })
}

/// The rule spanning exactly `span`.
fn rule_at(policy: &NetworkPolicy, span: Span) -> Option<(Direction, &Rule)> {
    Direction::BOTH.into_iter().find_map(|direction| {
        policy
            .rules(direction)
            .iter()
            .find(|rule| rule.span == span)
            .map(|rule| (direction, rule))
    })
}

/// The numbered container ports of the pods a rule reaches: the policy's pods for
/// ingress, the rule's peers for egress (protocol and port, sorted).
fn far_side_ports(
    engine: &Engine<'_>,
    policy: &NetworkPolicy,
    direction: Direction,
    rule: &Rule,
) -> Vec<(&'static str, u16)> {
    let index = engine
        .model()
        .policies
        .iter()
        .position(|p| core::ptr::eq(p, policy));
    let endpoints = match (direction, index) {
        (Direction::Ingress, Some(index)) => engine
            .selected_endpoints(index)
            .iter()
            .filter_map(|e| engine.endpoint(*e))
            .collect(),
        (Direction::Ingress, None) => Vec::new(),
        (Direction::Egress, _) => rule
            .peer_list()
            .iter()
            .flat_map(|peer| match peer {
                Peer::Selectors {
                    pods, namespaces, ..
                } => peer_endpoints(engine, policy, pods.as_ref(), namespaces.as_ref()),
                Peer::IpBlock(_) => Vec::new(),
            })
            .collect::<Vec<_>>(),
    };
    let mut ports: Vec<(&'static str, u16)> = endpoints
        .iter()
        .flat_map(|e| e.ports.iter().map(|p| (p.protocol.as_str(), p.port)))
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// The ipBlock whose `cidr` spans `cidr`.
fn ipblock_at(policy: &NetworkPolicy, cidr: Span) -> Option<&IpBlock> {
    Direction::BOTH
        .into_iter()
        .flat_map(|d| policy.rules(d))
        .flat_map(Rule::peer_list)
        .find_map(|peer| match peer {
            Peer::IpBlock(block) if block.cidr.span == cidr => Some(block),
            _ => None,
        })
}

/// `addresses` added to the `except` of `block`.
fn except_addresses(
    text: &str,
    source: &Source,
    id: SourceId,
    block: &IpBlock,
    addresses: &[String],
) -> Option<Insertion> {
    let map = ipblock_map(source, id, block.cidr.span)?;
    match map.get("except") {
        Some(except) if matches!(except.value, Tree::Seq(_)) && !block.except.is_empty() => {
            match addresses {
                [address] => append_item(text, except.span, &json!(address)),
                _ => {
                    let mut all: Vec<String> = block
                        .except
                        .iter()
                        .map(|e| format!("{}", e.value))
                        .collect();
                    all.extend(addresses.iter().cloned());
                    replace(except.span, &json!(all))
                }
            }
        }
        Some(except) => replace(except.span, &json!(addresses)),
        None => insert_entry(text, map.span, "except", &json!(addresses)),
    }
}

/// The mapping node (an `ipBlock`) whose `cidr` value spans `cidr`.
fn ipblock_map(source: &Source, id: SourceId, cidr: Span) -> Option<Node> {
    fn find(node: &Node, cidr: Span) -> Option<&Node> {
        match &node.value {
            Tree::Map(entries) => {
                if entries
                    .iter()
                    .any(|e| e.key == "cidr" && e.value.span == cidr)
                {
                    return Some(node);
                }
                entries.iter().find_map(|e| find(&e.value, cidr))
            }
            Tree::Seq(items) => items.iter().find_map(|item| find(item, cidr)),
            _ => None,
        }
    }
    crate::doc::read(source, id, &Limits::default())
        .documents
        .iter()
        .find_map(|document| find(&document.root, cidr).cloned())
}

/// For a namespace-only peer whose `namespaceSelector` spans `span`: one fix per
/// label set of the workloads and pods it admits, adding a `podSelector` for it.
fn pod_selector_choices(
    engine: &Engine<'_>,
    text: &str,
    policy: &NetworkPolicy,
    span: Span,
) -> Vec<(String, Insertion)> {
    let found = Direction::BOTH
        .into_iter()
        .flat_map(|d| policy.rules(d))
        .flat_map(Rule::peer_list)
        .find_map(|peer| match peer {
            Peer::Selectors {
                span: peer_span,
                pods: None,
                namespaces: Some(selector),
            } if selector.span == span => Some((*peer_span, selector)),
            _ => None,
        });
    let Some((peer_span, selector)) = found else {
        return Vec::new();
    };
    let mut choices: Vec<(String, Insertion)> = Vec::new();
    let mut seen = Vec::new();
    for endpoint in peer_endpoints(engine, policy, None, Some(selector)) {
        if endpoint.labels.is_empty() || endpoint.representative || seen.contains(&endpoint.labels)
        {
            continue;
        }
        seen.push(endpoint.labels);
        let labels: serde_json::Map<String, Value> = endpoint
            .labels
            .iter()
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect();
        let selector = json!({"matchLabels": labels});
        if let Some(insertion) = insert_entry(text, peer_span, "podSelector", &selector) {
            choices.push((format!("Admit only the pods of {}", endpoint.id), insertion));
        }
        if choices.len() == SELECTOR_CHOICES {
            break;
        }
    }
    choices
}
