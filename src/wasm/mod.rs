//! The WebAssembly face (feature `wasm`): what the npm package calls.
//!
//! Thin by design: every export runs the command line of [`crate::cli`] — the one
//! place arguments become output and exit codes — over a [`cli::FileSource`] brought by
//! the caller:
//!
//! - [`run_cli`] is `npx netpol`: the file system is Node's `fs`, reached through
//!   the JavaScript callbacks of a [`Host`] (`js/node/host.cjs`), so arguments,
//!   output and exit codes are those of the native binary.
//! - [`run_with_sources`] renders a result of the JavaScript API in another format
//!   (`format`), lists the rules and answers admission reviews: the sources live in
//!   memory ([`MemoryFiles`]).
//!
//! The questions of the JavaScript API (`load` and its workspace, and the one-shot
//! `lint`, `matrix`, `query`, `testConnectivity`, `diff` built on it) go to
//! [`WorkspaceHandle`], which owns an [`crate::api::Workspace`]: typed requests in,
//! typed answers out, with the UTF-16 columns editors need computed from each
//! source's line table.
//!
//! Nothing here panics or throws: every problem is an exit code and a message, as on
//! the command line, or an error envelope. Misuse of the API (wrong argument types)
//! is caught by the JavaScript glue before it gets here.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::wasm_bindgen;

use crate::cli::{self, Outcome, Timestamp};

mod host;
mod memory;
mod workspace;

pub use host::{Host, HostFiles};
pub use memory::{MemoryFiles, CONFIG_PATH};
pub use workspace::WorkspaceHandle;

/// What a run produced, as JavaScript sees it: stdout, stderr and the exit code.
#[wasm_bindgen(getter_with_clone)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// The exit code: 0, 1 (findings at or above `--fail-on`, failing tests) or 2
    /// (usage error, unreadable input).
    pub code: i32,
}

impl From<Outcome> for RunOutcome {
    fn from(outcome: Outcome) -> Self {
        RunOutcome {
            stdout: outcome.stdout,
            stderr: outcome.stderr,
            code: outcome.code,
        }
    }
}

/// `netpol ARGS...` over the host's file system (`npx netpol`): the same output and
/// exit code as the native binary.
#[wasm_bindgen(js_name = runCli)]
pub fn run_cli(args: Vec<String>, host: Host) -> RunOutcome {
    cli::run(&args, &HostFiles::new(host)).into()
}

/// `netpol ARGS...` over in-memory sources: `names[i]` holds `texts[i]` (a source
/// named `-` is standard input), `config` is the text of the file `CONFIG_PATH`
/// (pass `--config options.config` to use it), `now_ms` the time for report
/// timestamps (milliseconds since the Unix epoch).
#[wasm_bindgen(js_name = runWithSources)]
pub fn run_with_sources(
    args: Vec<String>,
    names: Vec<String>,
    texts: Vec<String>,
    config: Option<String>,
    now_ms: f64,
) -> RunOutcome {
    let files = MemoryFiles::new(names, texts, config, timestamp(now_ms));
    cli::run(&args, &files).into()
}

/// The version of netpol (the crate version, as `netpol version` prints it).
#[wasm_bindgen]
pub fn version() -> String {
    String::from(crate::VERSION)
}

/// Milliseconds since the epoch as a [`Timestamp`] (negative or not finite: the
/// epoch).
pub fn timestamp(now_ms: f64) -> Timestamp {
    if !now_ms.is_finite() || now_ms < 0.0 {
        return Timestamp::default();
    }
    let millis = now_ms as i64;
    Timestamp {
        seconds: millis / 1000,
        nanos: i32::try_from((millis % 1000) * 1_000_000).unwrap_or(0),
    }
}
