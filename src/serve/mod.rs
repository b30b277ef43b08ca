//! `netpol serve`: netpol as an HTTPS service in a cluster (feature `serve`, native
//! builds only; never in the no_std core, the npm package or the WASI command).
//!
//! | method, path | body | answer |
//! | --- | --- | --- |
//! | `POST /validate` | AdmissionReview `admission.k8s.io/v1` | the review with `response` |
//! | `POST /gatekeeper/provider` | Gatekeeper `ProviderRequest` | `ProviderResponse` |
//! | `POST /v1/lint` | manifests (YAML or JSON) | the lint JSON |
//! | `POST /v1/matrix`, `/v1/query` | `{"manifests", "view"}`, `{"manifests", "flow"}` | matrix / query JSON |
//! | `GET /healthz`, `/readyz`, `/metrics` | | `ok`, `ok`, Prometheus text |
//!
//! The pieces: [`options`] (flags and the `--server-config` file), [`tls`] (rustls
//! with a certificate re-read when its files change), [`routes`] (paths and methods),
//! [`handlers`] (the engine work per endpoint, through the same core calls as the
//! command line), [`work`] (body limits, the blocking pool, time limits), [`server`]
//! (connections, timeouts, drain), [`metrics`] and [`log`].

use std::net::SocketAddr;
use std::string::String;
use std::sync::Arc;
use std::vec::Vec;
use std::{format, fs};

use crate::lint::Config;
use crate::source::{Source, SourceSet};

pub mod handlers;
pub mod log;
pub mod metrics;
pub mod options;
pub mod routes;
pub mod server;
pub mod tls;
pub mod work;

/// Exit code: stopped cleanly (after SIGTERM).
pub const EXIT_OK: u8 = 0;
/// Exit code: the server could not start (address in use, unreadable certificate).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code: a usage error (bad flag, invalid configuration).
pub const EXIT_USAGE: u8 = 2;

/// Runs `netpol serve` with the arguments after `serve`; returns the exit code.
/// Usage errors and start-up failures are printed on standard error.
pub fn run(args: &[String]) -> u8 {
    let options = match options::parse(args) {
        Ok(options::Parsed::Help) => {
            std::print!("{}", options::HELP);
            return EXIT_OK;
        }
        Ok(options::Parsed::Run(options)) => options,
        Err(message) => return usage(&message),
    };
    let mut config = match options.config.as_deref().map(read_config).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(message) => return usage(&message),
    };
    if let Some(cni) = options.cni {
        config.cni = cni;
    }
    let tls = match &options.tls {
        Some(files) => match tls::ReloadingCert::new(files.clone())
            .and_then(|cert| tls::server_config(Arc::new(cert)))
        {
            Ok(config) => Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))),
            Err(message) => return failure(&message),
        },
        None => None,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(options.max_concurrent.saturating_add(2))
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return failure(&format!("cannot start the runtime: {error}")),
    };
    let listen = options.listen;
    let state = Arc::new(server::State::new(options, config));
    let code = runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(listener) => listener,
            Err(error) => return failure(&format!("cannot listen on {listen}: {error}")),
        };
        let bound = listener.local_addr().unwrap_or(listen);
        log::event("listening", &listening_detail(bound, tls.is_some()));
        server::serve(state, listener, tls).await
    });
    // Analyses that overran their time limit may still be running on the blocking
    // pool: do not wait for them.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    code
}

/// `https://ADDR` or `http://ADDR`.
fn listening_detail(address: SocketAddr, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{address}")
}

/// The netpol configuration file (rules, failOn), as every command reads it.
fn read_config(path: &str) -> Result<Config, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read '{path}': {e}"))?;
    let mut sources = SourceSet::new();
    let id = sources.add(Source::new(path, text));
    let Some(source) = sources.get(id) else {
        return Ok(Config::default());
    };
    Config::parse(source, id).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|d| match d.location {
                Some(location) => {
                    let p = source.position(location.span.start);
                    format!("{path}:{}:{}: {}", p.line, p.column, d.message)
                }
                None => format!("{path}: {}", d.message),
            })
            .collect();
        format!("invalid configuration:\n  {}", lines.join("\n  "))
    })
}

/// Prints a usage error; exit code 2.
fn usage(message: &str) -> u8 {
    std::eprintln!("netpol serve: error: {message}\nrun 'netpol serve --help' for usage");
    EXIT_USAGE
}

/// Prints a start-up failure; exit code 1.
fn failure(message: &str) -> u8 {
    std::eprintln!("netpol serve: error: {message}");
    EXIT_FAILURE
}
