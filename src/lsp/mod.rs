//! `netpol lsp`: a language server (LSP 3.17) over standard input/output for the
//! YAML and JSON manifests of a folder.
//!
//! One [`Workspace`](crate::api::Workspace) holds every manifest under the
//! workspace folder; an opened or edited document replaces its one source
//! ([`Workspace::update`](crate::api::Workspace::update)), the whole folder is
//! linted again, and diagnostics are re-published for the files whose findings
//! changed. Hover, go to definition, document symbols and quick fixes answer from
//! the same workspace.
//!
//! The server is one single-threaded loop over `lsp_server::Message::read` and
//! `write`, so it runs unchanged where there are no threads (the WASI command).

use std::prelude::rust_2021::*;
use std::{format, vec};

mod diagnostics;
mod fixes;
#[cfg(test)]
mod fixes_tests;
mod hover;
mod navigate;
mod position;
mod selectors;
mod server;
mod uri;
mod yaml_edit;

use std::io::{BufRead, Write};

use lsp_server::{Message, Response};

use crate::cli::FileSource;

pub use diagnostics::DIAGNOSTIC_SOURCE;
pub use server::Server;
pub use uri::{file_path, file_uri};

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`, as the protocol asks (exit code 0).
    Clean,
    /// `exit` without `shutdown`, or the input closed (exit code 1).
    Abrupt,
}

/// Serves one client speaking JSON-RPC on `input` and `output` until `exit` or the
/// end of the input, reading the workspace folder through `files`. An error is an
/// unreadable or unwritable stream, or a message that is not JSON-RPC.
pub fn serve(
    input: &mut impl BufRead,
    output: &mut impl Write,
    files: &dyn FileSource,
) -> Result<Ending, String> {
    let mut server = Server::new(files);
    let mut shut_down = false;
    loop {
        let message = Message::read(input).map_err(|e| format!("cannot read a message: {e}"))?;
        let replies = match message {
            None => return Ok(Ending::Abrupt),
            Some(Message::Request(request)) if shut_down => {
                let refused = Response::new_err(
                    request.id,
                    lsp_server::ErrorCode::InvalidRequest as i32,
                    String::from("the server is shutting down"),
                );
                vec![Message::Response(refused)]
            }
            Some(Message::Request(request)) => {
                shut_down = request.method == "shutdown";
                server.request(request)
            }
            Some(Message::Notification(notification)) if notification.method == "exit" => {
                return Ok(if shut_down {
                    Ending::Clean
                } else {
                    Ending::Abrupt
                });
            }
            Some(Message::Notification(notification)) => server.notify(notification),
            Some(Message::Response(_)) => Vec::new(),
        };
        for reply in replies {
            reply
                .write(output)
                .map_err(|e| format!("cannot write a message: {e}"))?;
        }
        output
            .flush()
            .map_err(|e| format!("cannot write a message: {e}"))?;
    }
}
