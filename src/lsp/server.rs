//! The server's state and the dispatch of requests and notifications.

use std::prelude::rust_2021::*;
use std::{format, vec};

use std::collections::BTreeMap;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Initialized, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, DocumentSymbolRequest, GotoDefinition, HoverRequest, Initialize,
    Request as _, Shutdown,
};
use lsp_types::{Diagnostic, PublishDiagnosticsParams, Uri};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::diagnostics::{by_source, RuleDocs};
use super::uri::{file_path, file_uri};
use super::{fixes, hover, navigate};
use crate::api::{SourceFile, Workspace};
use crate::cli::{folder_config, is_manifest_name, read_inputs, EntryKind, FileSource};
use crate::lint::Config;
use crate::source::{Source, SourceId};

/// A language server over one workspace folder: what the client has sent so far
/// and what it was last told.
pub struct Server<'f> {
    files: &'f dyn FileSource,
    workspace: Workspace,
    docs: RuleDocs,
    /// The diagnostics last published, by source name.
    published: BTreeMap<String, Vec<Diagnostic>>,
    /// Why the workspace folder could not be read, told once after `initialized`.
    load_error: Option<String>,
}

impl<'f> Server<'f> {
    /// A server with an empty workspace, reading files through `files`.
    pub fn new(files: &'f dyn FileSource) -> Self {
        Server {
            files,
            workspace: Workspace::new(Config::default()),
            docs: RuleDocs::default(),
            published: BTreeMap::new(),
            load_error: None,
        }
    }

    /// The workspace the answers come from.
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// The replies to `request`: its response, then any notification.
    pub fn request(&mut self, request: Request) -> Vec<Message> {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            Initialize::METHOD => params(request).map(|p| self.initialize(&p)),
            Shutdown::METHOD => Ok(Value::Null),
            HoverRequest::METHOD => {
                params(request).map(|p| json(hover::hover(&self.workspace, &p)))
            }
            GotoDefinition::METHOD => {
                params(request).map(|p| json(navigate::definition(&self.workspace, &p)))
            }
            DocumentSymbolRequest::METHOD => {
                params(request).map(|p| json(navigate::symbols(&self.workspace, &p)))
            }
            CodeActionRequest::METHOD => {
                params(request).map(|p| json(fixes::code_actions(&self.workspace, &p)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("netpol lsp does not answer '{other}'"),
            )),
        };
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        vec![Message::Response(response)]
    }

    /// The notifications to send after `notification`.
    pub fn notify(&mut self, notification: Notification) -> Vec<Message> {
        let changed = match notification.method.as_str() {
            Initialized::METHOD => {
                let mut out = Vec::new();
                if let Some(error) = self.load_error.take() {
                    out.push(show_message(&error));
                }
                out.extend(self.publish());
                return out;
            }
            DidOpenTextDocument::METHOD => notification
                .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                .ok()
                .map(|p| self.edit(&p.text_document.uri, Some(p.text_document.text))),
            DidChangeTextDocument::METHOD => notification
                .extract::<lsp_types::DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                .ok()
                .and_then(|p| {
                    let text = p.content_changes.into_iter().last()?.text;
                    Some(self.edit(&p.text_document.uri, Some(text)))
                }),
            DidSaveTextDocument::METHOD => notification
                .extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                .ok()
                .map(|p| self.edit(&p.text_document.uri, p.text)),
            DidCloseTextDocument::METHOD => notification
                .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                .ok()
                .map(|p| self.edit(&p.text_document.uri, None)),
            _ => None,
        };
        if changed == Some(true) {
            self.publish()
        } else {
            Vec::new()
        }
    }

    /// Reads every manifest under the workspace folder named by `params`.
    fn initialize(&mut self, params: &RootParams) -> Value {
        if let Some(root) = root_path(params) {
            let root = String::from(root.trim_end_matches('/'));
            let config = folder_config(self.files, &root).unwrap_or_else(|error| {
                self.load_error = Some(format!("netpol: {}", error.message));
                Config::default()
            });
            match read_inputs(std::slice::from_ref(&root), self.files, "-") {
                Ok(sources) => self.workspace = Workspace::from_sources(sources, config),
                Err(error) => {
                    self.load_error = Some(format!(
                        "netpol: cannot read the workspace folder: {}",
                        error.message
                    ));
                }
            }
            let rules = format!("{root}/docs/rules");
            let has_rules = matches!(self.files.kind(&rules), Ok(EntryKind::Directory));
            self.docs = RuleDocs::new(has_rules.then_some(rules.as_str()));
        }
        serde_json::json!({
            "capabilities": capabilities(),
            "serverInfo": {"name": "netpol", "version": crate::VERSION}
        })
    }

    /// Replaces the source of `uri` with `text` (with `None`, with the file on
    /// disk). False when `uri` is not a manifest the workspace reads.
    fn edit(&mut self, uri: &Uri, text: Option<String>) -> bool {
        let Some(name) = file_path(uri.as_str()).filter(|n| is_manifest_name(n)) else {
            return false;
        };
        let text = match text {
            Some(text) => text,
            None => match self.files.read_file(&name) {
                Ok(text) => text,
                Err(_) => return self.workspace.remove(&name),
            },
        };
        self.workspace.update(SourceFile::text(name, text));
        true
    }

    /// `textDocument/publishDiagnostics` for each file whose findings changed.
    fn publish(&mut self) -> Vec<Message> {
        let current = by_source(
            &self.workspace.diagnostics(),
            self.workspace.sources(),
            &self.docs,
        );
        let mut out = Vec::new();
        for name in self.published.keys() {
            if !current.contains_key(name) {
                out.extend(publication(name, Vec::new()));
            }
        }
        for (name, diagnostics) in &current {
            let unchanged = self
                .published
                .get(name)
                .map_or(diagnostics.is_empty(), |before| before == diagnostics);
            if !unchanged {
                out.extend(publication(name, diagnostics.clone()));
            }
        }
        self.published = current;
        out
    }
}

/// The source of `uri` in `workspace`, with its id.
pub(super) fn source_of<'w>(workspace: &'w Workspace, uri: &Uri) -> Option<(SourceId, &'w Source)> {
    let name = file_path(uri.as_str())?;
    workspace
        .sources()
        .iter()
        .find(|(_, source)| source.name() == name)
}

/// What the server does: full-text sync with the text on save, hover, definition,
/// document symbols and quick fixes (written as JSON: lsp-types' capability types
/// would add their serialisers to the WASI module for one constant answer).
fn capabilities() -> Value {
    serde_json::json!({
        "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": true}},
        "hoverProvider": true,
        "definitionProvider": true,
        "documentSymbolProvider": true,
        "codeActionProvider": {"codeActionKinds": ["quickfix"]}
    })
}

/// What `initialize` says about the folder to serve (the rest of its parameters,
/// the client's capabilities, are not read: the server sends the same things to
/// every client, and skipping their types keeps the WASI module small).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RootParams {
    #[serde(default)]
    root_uri: Option<String>,
    #[serde(default)]
    workspace_folders: Option<Vec<Folder>>,
}

/// One workspace folder of `initialize`.
#[derive(Debug, serde::Deserialize)]
struct Folder {
    uri: String,
}

/// The folder the client opened: the first workspace folder, else the root URI.
fn root_path(params: &RootParams) -> Option<String> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri);
    file_path(folder.or(params.root_uri.as_ref())?)
}

type Failure = (ErrorCode, String);

fn params<P: DeserializeOwned>(request: Request) -> Result<P, Failure> {
    serde_json::from_value(request.params).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("invalid parameters for '{}': {e}", request.method),
        )
    })
}

fn json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn publication(name: &str, diagnostics: Vec<Diagnostic>) -> Option<Message> {
    let uri = file_uri(name).parse().ok()?;
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: None,
    };
    Some(Message::Notification(Notification::new(
        String::from(PublishDiagnostics::METHOD),
        params,
    )))
}

fn show_message(text: &str) -> Message {
    Message::Notification(Notification::new(
        String::from("window/showMessage"),
        lsp_types::ShowMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message: String::from(text),
        },
    ))
}
