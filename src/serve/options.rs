//! `netpol serve`'s settings: defaults, then the `--server-config` file, then flags.

use std::net::SocketAddr;
use std::string::{String, ToString};
use std::time::Duration;
use std::vec::Vec;
use std::{format, fs};

use serde::Deserialize;

use crate::model::Cni;

/// Default body limit: 3 MiB (the API server's own request limit).
pub const DEFAULT_MAX_BODY: usize = 3 * 1024 * 1024;
/// Default listen address with TLS.
pub const DEFAULT_TLS_LISTEN: &str = "127.0.0.1:8443";
/// Default listen address with `--insecure-http`.
pub const DEFAULT_HTTP_LISTEN: &str = "127.0.0.1:8080";

/// What the server runs with.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The address to listen on.
    pub listen: SocketAddr,
    /// Certificate chain and private key (PEM files), unless `insecure_http`.
    pub tls: Option<TlsFiles>,
    /// The netpol configuration file (rules, failOn), as for every command.
    pub config: Option<String>,
    /// The data plane (`--cni`), over the configuration file's `cni`.
    pub cni: Option<Cni>,
    /// The request body limit in bytes (413 above it).
    pub max_body: usize,
    /// Requests whose engine work may run at once; others wait (back-pressure).
    pub max_concurrent: usize,
    /// Open connections at most; the server stops accepting until one closes.
    pub max_connections: usize,
    /// Time allowed to receive a request's headers (and the TLS handshake).
    pub header_timeout: Duration,
    /// Time allowed to receive a request's body.
    pub body_timeout: Duration,
    /// Time allowed for a request's engine work, waiting included (503 after it).
    pub request_timeout: Duration,
    /// Time requests in flight get to finish after SIGTERM.
    pub drain_timeout: Duration,
}

/// The PEM files of the server certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain (leaf first).
    pub cert: String,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: String,
}

/// The settings as written in the `--server-config` file or on the command line
/// (every key optional; flags win over the file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Written {
    listen: Option<String>,
    tls_cert: Option<String>,
    tls_key: Option<String>,
    insecure_http: Option<bool>,
    config: Option<String>,
    cni: Option<String>,
    max_body: Option<usize>,
    max_concurrent: Option<usize>,
    max_connections: Option<usize>,
    header_timeout: Option<String>,
    body_timeout: Option<String>,
    request_timeout: Option<String>,
    drain_timeout: Option<String>,
}

impl Written {
    /// `self` with every key that `over` sets replaced by its value.
    fn overlay(self, over: Written) -> Written {
        Written {
            listen: over.listen.or(self.listen),
            tls_cert: over.tls_cert.or(self.tls_cert),
            tls_key: over.tls_key.or(self.tls_key),
            insecure_http: over.insecure_http.or(self.insecure_http),
            config: over.config.or(self.config),
            cni: over.cni.or(self.cni),
            max_body: over.max_body.or(self.max_body),
            max_concurrent: over.max_concurrent.or(self.max_concurrent),
            max_connections: over.max_connections.or(self.max_connections),
            header_timeout: over.header_timeout.or(self.header_timeout),
            body_timeout: over.body_timeout.or(self.body_timeout),
            request_timeout: over.request_timeout.or(self.request_timeout),
            drain_timeout: over.drain_timeout.or(self.drain_timeout),
        }
    }
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Parsed {
    /// Run with these options.
    Run(Options),
    /// Print the help text.
    Help,
}

/// Parses the arguments after `serve` (reading `--server-config` if given).
pub fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut flags = Written::default();
    let mut server_config = None;
    let mut parser = lexopt::Parser::from_args(args.iter().cloned());
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        use lexopt::Arg::Long;
        match arg {
            Long("help") | lexopt::Arg::Short('h') => return Ok(Parsed::Help),
            Long("insecure-http") => flags.insecure_http = Some(true),
            Long(name) => {
                let name = name.to_string();
                let value = parser
                    .value()
                    .map_err(|_| format!("option '--{name}' needs a value"))?
                    .into_string()
                    .map_err(|_| format!("the value of '--{name}' is not UTF-8"))?;
                set_flag(&mut flags, &mut server_config, &name, value)?;
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    let written = match server_config {
        Some(path) => read_server_config(&path)?.overlay(flags),
        None => flags,
    };
    resolve(written).map(Parsed::Run)
}

/// Stores the value of `--name`.
fn set_flag(
    flags: &mut Written,
    server_config: &mut Option<String>,
    name: &str,
    value: String,
) -> Result<(), String> {
    match name {
        "listen" => flags.listen = Some(value),
        "tls-cert" => flags.tls_cert = Some(value),
        "tls-key" => flags.tls_key = Some(value),
        "config" => flags.config = Some(value),
        "cni" => flags.cni = Some(value),
        "server-config" => *server_config = Some(value),
        "max-body" => flags.max_body = Some(count(name, &value)?),
        "max-concurrent" => flags.max_concurrent = Some(count(name, &value)?),
        "max-connections" => flags.max_connections = Some(count(name, &value)?),
        "header-timeout" => flags.header_timeout = Some(value),
        "body-timeout" => flags.body_timeout = Some(value),
        "request-timeout" => flags.request_timeout = Some(value),
        "drain-timeout" => flags.drain_timeout = Some(value),
        _ => return Err(format!("unknown option '--{name}'")),
    }
    Ok(())
}

/// The largest count any setting takes (bodies, connections, analyses at once).
pub const MAX_COUNT: usize = 1 << 30;

/// The longest duration any setting takes: one day.
pub const MAX_DURATION_MS: u64 = 24 * 60 * 60 * 1000;

/// A whole number from 1 to [`MAX_COUNT`].
fn count(name: &str, value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if (1..=MAX_COUNT).contains(&n) => Ok(n),
        _ => Err(format!(
            "invalid --{name} '{value}' (expected a whole number from 1 to {MAX_COUNT})"
        )),
    }
}

/// The `--server-config` file: JSON with the flags' names in camelCase.
fn read_server_config(path: &str) -> Result<Written, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read '{path}': {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("invalid server configuration '{path}': {e}"))
}

/// Checks the written settings and fills in the defaults.
fn resolve(written: Written) -> Result<Options, String> {
    let insecure = written.insecure_http.unwrap_or(false);
    let tls = match (insecure, written.tls_cert, written.tls_key) {
        (true, None, None) => None,
        (true, _, _) => {
            return Err("--insecure-http cannot be combined with --tls-cert/--tls-key".into())
        }
        (false, Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        (false, _, _) => {
            return Err(
                "TLS needs both --tls-cert FILE and --tls-key FILE (or --insecure-http)".into(),
            )
        }
    };
    let default_listen = if insecure {
        DEFAULT_HTTP_LISTEN
    } else {
        DEFAULT_TLS_LISTEN
    };
    let listen_text = written.listen.as_deref().unwrap_or(default_listen);
    let listen = listen_text
        .parse()
        .map_err(|_| format!("invalid --listen '{listen_text}' (expected ADDRESS:PORT)"))?;
    Ok(Options {
        listen,
        tls,
        config: written.config,
        cni: written.cni.as_deref().map(data_plane).transpose()?,
        max_body: positive("maxBody", written.max_body, DEFAULT_MAX_BODY)?,
        max_concurrent: positive("maxConcurrent", written.max_concurrent, 64)?,
        max_connections: positive("maxConnections", written.max_connections, 1024)?,
        header_timeout: duration("header-timeout", written.header_timeout, 10_000)?,
        body_timeout: duration("body-timeout", written.body_timeout, 10_000)?,
        request_timeout: duration("request-timeout", written.request_timeout, 5_000)?,
        drain_timeout: duration("drain-timeout", written.drain_timeout, 20_000)?,
    })
}

/// The data plane named `name` (`--cni`, `cni` in the server configuration).
fn data_plane(name: &str) -> Result<Cni, String> {
    Cni::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Cni::ALL.iter().map(|c| c.as_str()).collect();
        format!(
            "invalid --cni '{name}' (expected one of {})",
            names.join(", ")
        )
    })
}

/// `value` if from 1 to [`MAX_COUNT`], else `default` when unset.
fn positive(name: &str, value: Option<usize>, default: usize) -> Result<usize, String> {
    match value {
        Some(n) if (1..=MAX_COUNT).contains(&n) => Ok(n),
        Some(n) => Err(format!(
            "invalid {name} {n} (expected a whole number from 1 to {MAX_COUNT})"
        )),
        None => Ok(default),
    }
}

/// A duration written `250ms`, `10s` or `1m` (`default_ms` when unset).
fn duration(name: &str, value: Option<String>, default_ms: u64) -> Result<Duration, String> {
    let Some(text) = value else {
        return Ok(Duration::from_millis(default_ms));
    };
    let invalid =
        || format!("invalid --{name} '{text}' (expected e.g. 500ms, 10s or 1m; at most one day)");
    let trimmed = text.trim();
    let (number, unit_ms) = if let Some(n) = trimmed.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = trimmed.strip_suffix('s') {
        (n, 1_000)
    } else if let Some(n) = trimmed.strip_suffix('m') {
        (n, 60_000)
    } else {
        return Err(invalid());
    };
    match number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_ms))
    {
        Some(ms) if (1..=MAX_DURATION_MS).contains(&ms) => Ok(Duration::from_millis(ms)),
        _ => Err(invalid()),
    }
}

/// `netpol serve --help`.
pub const HELP: &str = "\
Serve netpol over HTTPS: a validating admission webhook, a Gatekeeper external data
provider and a JSON API, answering through the same code as the command line.

Usage: netpol serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE | --insecure-http]
                    [--config FILE] [--max-body BYTES] [--cni NAME] [OPTIONS]

Options:
  --listen ADDR:PORT        address to listen on (default 127.0.0.1:8443; 127.0.0.1:8080
                            with --insecure-http)
  --tls-cert FILE           server certificate chain, PEM (re-read when the file changes)
  --tls-key FILE            its private key, PEM (re-read when the file changes)
  --insecure-http           plain HTTP instead of TLS (tests and local use only)
  --config FILE             the netpol configuration (rules, failOn) for every request
  --cni NAME                 the cluster's data plane: generic (default), calico, cilium,
                            antrea, ovn-kubernetes (over the configuration's `cni`)
  --server-config FILE      these settings as JSON, keys in camelCase (listen, tlsCert,
                            tlsKey, insecureHttp, config, cni, maxBody, maxConcurrent,
                            maxConnections, headerTimeout, bodyTimeout, requestTimeout,
                            drainTimeout); flags win over the file
  --max-body BYTES          request body limit, 413 above it (default 3145728 = 3 MiB)
  --max-concurrent N        requests analysed at once; more wait (default 64)
  --max-connections N       open connections at most; more wait to be accepted (default 1024)
  --header-timeout DUR      time for the TLS handshake and a request's headers (default 10s)
  --body-timeout DUR        time for a request's body, 408 after it (default 10s)
  --request-timeout DUR     time for a request's analysis, waiting included, 503 after
                            it (default 5s)
  --drain-timeout DUR       on SIGTERM, time requests in flight get to finish (default 20s)
  -h, --help                print this help
  DUR is a whole number with a unit: 500ms, 10s, 1m.

Endpoints:
  POST /validate             AdmissionReview admission.k8s.io/v1 -> the review with 'response'
  POST /gatekeeper/provider  Gatekeeper ProviderRequest -> ProviderResponse (violations per key)
  POST /v1/lint              manifests (YAML or JSON text, object or array) -> lint JSON
  POST /v1/matrix            {\"manifests\": ..., \"view\"?: {...}} -> matrix JSON
  POST /v1/query             {\"manifests\": ..., \"flow\": {from, to, port, protocol?}} -> query JSON
  GET  /healthz, /readyz     200 'ok' (/readyz: 503 while draining)
  GET  /metrics              Prometheus text: netpol_requests_total, netpol_request_duration_seconds

Errors are JSON {\"error\": \"...\"}: 400 a body the path does not take, 404 unknown path,
405 wrong method, 408 body too slow, 413 body over --max-body, 503 analysis timed out.
One JSON log line per request on standard error (request id, method, path, status,
duration; never the body). SIGTERM stops accepting, drains, then exits 0.

Examples:
  netpol serve --tls-cert tls.crt --tls-key tls.key --listen 0.0.0.0:8443
  netpol serve --insecure-http --config .netpol.yaml
";

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    fn run_options(list: &[&str]) -> Options {
        match parse(&args(list)).unwrap() {
            Parsed::Run(options) => options,
            Parsed::Help => panic!("help"),
        }
    }

    #[test]
    fn insecure_http_defaults_to_port_8080_and_3_mib() {
        let options = run_options(&["--insecure-http"]);
        assert_eq!(options.listen.to_string(), DEFAULT_HTTP_LISTEN);
        assert_eq!(options.max_body, 3 * 1024 * 1024);
        assert!(options.tls.is_none());
    }

    #[test]
    fn tls_defaults_to_port_8443() {
        let options = run_options(&["--tls-cert", "c.pem", "--tls-key", "k.pem"]);
        assert_eq!(options.listen.to_string(), DEFAULT_TLS_LISTEN);
        assert_eq!(options.tls.unwrap().key, "k.pem");
    }

    #[test]
    fn durations_take_units() {
        let options = run_options(&["--insecure-http", "--request-timeout", "250ms"]);
        assert_eq!(options.request_timeout, Duration::from_millis(250));
        let options = run_options(&["--insecure-http", "--drain-timeout", "2m"]);
        assert_eq!(options.drain_timeout, Duration::from_secs(120));
    }

    #[test]
    fn bad_flags_are_errors() {
        for bad in [
            &["--tls-cert", "c.pem"][..],
            &["--insecure-http", "--tls-key", "k"],
            &["--insecure-http", "--max-body", "0"],
            &["--insecure-http", "--max-body", "lots"],
            &["--insecure-http", "--listen", "nowhere"],
            &["--insecure-http", "--body-timeout", "10"],
            &["--insecure-http", "--body-timeout", "0s"],
            &["--insecure-http", "--drain-timeout", "99999999999999m"],
            &["--insecure-http", "--max-connections", "99999999999999"],
            &["--insecure-http", "--cheese", "1"],
            &["--insecure-http", "--cni", "flannel"],
            &["--insecure-http", "path"],
            &["--server-config", "/nonexistent/serve.json"],
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn cni_names_a_data_plane() {
        assert_eq!(run_options(&["--insecure-http"]).cni, None);
        let options = run_options(&["--insecure-http", "--cni", "ovn-kubernetes"]);
        assert_eq!(options.cni, Some(Cni::OvnKubernetes));
    }

    #[test]
    fn help_is_asked_for() {
        assert_eq!(parse(&args(&["--help"])).unwrap(), Parsed::Help);
    }

    #[test]
    fn flags_win_over_the_file() {
        let file = Written {
            listen: Some("127.0.0.1:9000".into()),
            max_body: Some(10),
            ..Written::default()
        };
        let flags = Written {
            max_body: Some(20),
            insecure_http: Some(true),
            ..Written::default()
        };
        let options = resolve(file.overlay(flags)).unwrap();
        assert_eq!(options.max_body, 20);
        assert_eq!(options.listen.to_string(), "127.0.0.1:9000");
    }
}
