//! Go to definition (a named port → the container ports that define it) and
//! document symbols (one per object).

use std::format;
use std::prelude::rust_2021::*;

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Location, SymbolKind,
};

use super::position::{offset, range};
use super::selectors::{port_owners, target_at, Target};
use super::server::source_of;
use super::uri::file_uri;
use crate::api::Workspace;
use crate::doc::{Limits, Node, Value};
use crate::model::ObjectMeta;
use crate::source::{Source, SourceId, Span};

/// The container ports that define the named port under the cursor.
pub fn definition(
    workspace: &Workspace,
    params: &GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let at = &params.text_document_position_params;
    let (id, source) = source_of(workspace, &at.text_document.uri)?;
    let engine = workspace.engine();
    let (index, target, _) = target_at(engine.model(), id, offset(source.text(), at.position))?;
    let Target::NamedPort {
        name,
        direction,
        rule,
    } = target
    else {
        return None;
    };
    let mut locations = Vec::new();
    for owner in port_owners(&engine, index, direction, rule, name) {
        let Some(owner_source) = workspace.sources().get(owner.meta.source) else {
            continue;
        };
        let Ok(uri) = file_uri(owner_source.name()).parse() else {
            continue;
        };
        for span in container_ports(owner_source, owner.meta.source, owner.meta.span, name) {
            locations.push(Location {
                uri: Clone::clone(&uri),
                range: range(owner_source, span),
            });
        }
    }
    (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
}

/// The entries of `ports` lists inside `object` of `source` whose `name` is
/// `name` and that have a `containerPort`.
fn container_ports(source: &Source, id: SourceId, object: Span, name: &str) -> Vec<Span> {
    let mut found = Vec::new();
    for document in crate::doc::read(source, id, &Limits::default()).documents {
        collect_ports(&document.root, object, name, &mut found);
    }
    found
}

fn collect_ports(node: &Node, object: Span, name: &str, found: &mut Vec<Span>) {
    if node.span.end < object.start || node.span.start > object.end {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                if entry.key == "ports" {
                    if let Value::Seq(items) = &entry.value.value {
                        for item in items {
                            let named = item.get("name").and_then(Node::as_str) == Some(name);
                            if named && item.get("containerPort").is_some() {
                                found.push(item.span);
                            }
                        }
                    }
                }
                collect_ports(&entry.value, object, name, found);
            }
        }
        Value::Seq(items) => {
            for item in items {
                collect_ports(item, object, name, found);
            }
        }
        _ => {}
    }
}

/// One symbol per object of the document: its kind, namespace and name.
pub fn symbols(
    workspace: &Workspace,
    params: &DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let (id, source) = source_of(workspace, &params.text_document.uri)?;
    let model = &workspace.loaded().model;
    let metas = model
        .policies
        .iter()
        .map(|p| &p.meta)
        .chain(model.namespaces.iter().map(|n| &n.meta))
        .chain(model.pods.iter().map(|p| &p.meta))
        .chain(model.workloads.iter().map(|w| &w.meta))
        .chain(model.tests.iter().map(|t| &t.meta))
        .chain(model.foreign_policies.iter().map(|f| &f.meta));
    let mut found: Vec<DocumentSymbol> = metas
        .filter(|meta| meta.source == id)
        .map(|meta| symbol(source, meta))
        .collect();
    found.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    Some(DocumentSymbolResponse::Nested(found))
}

#[allow(deprecated)] // `deprecated` is a required field of the type, itself deprecated.
fn symbol(source: &Source, meta: &ObjectMeta) -> DocumentSymbol {
    let name = match &meta.namespace {
        Some(ns) => format!("{}/{}", ns.value, meta.name.value),
        None => meta.name.value.clone(),
    };
    let full = range(source, meta.span);
    let selection = if meta.name.span.end > meta.name.span.start {
        range(source, meta.name.span)
    } else {
        full
    };
    DocumentSymbol {
        name: if name.is_empty() {
            String::from("(unnamed)")
        } else {
            name
        },
        detail: Some(meta.kind.clone()),
        kind: if meta.kind == "Namespace" {
            SymbolKind::NAMESPACE
        } else {
            SymbolKind::OBJECT
        },
        tags: None,
        deprecated: None,
        range: full,
        selection_range: selection,
        children: None,
    }
}
