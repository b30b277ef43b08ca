//! The server under test (the real binary, on a loopback port) and an HTTPS client.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Version};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

/// A certificate authority and a server certificate it signed (for `localhost`
/// and 127.0.0.1).
pub struct Pki {
    pub ca: CertificateDer<'static>,
    pub cert_pem: String,
    pub key_pem: String,
}

impl Pki {
    pub fn generate(name: &str) -> Pki {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, format!("{name} test CA"));
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
        Pki {
            ca: ca.der().clone(),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

/// A scratch directory, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new() -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("netpol-serve-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `netpol serve`: killed on drop if still running.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub pki: Option<Pki>,
    pub scratch: Scratch,
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `netpol serve` with TLS (a fresh certificate) and `extra` flags.
    pub fn start(extra: &[&str]) -> Server {
        let scratch = Scratch::new();
        let pki = Pki::generate("first");
        let cert = scratch.write("tls.crt", &pki.cert_pem);
        let key = scratch.write("tls.key", &pki.key_pem);
        let mut args = vec!["--tls-cert", &cert, "--tls-key", &key];
        args.extend_from_slice(extra);
        Server::spawn(&args, Some(pki), scratch)
    }

    /// Starts `netpol serve --insecure-http` with `extra` flags.
    pub fn start_plain(extra: &[&str]) -> Server {
        let mut args = vec!["--insecure-http"];
        args.extend_from_slice(extra);
        Server::spawn(&args, None, Scratch::new())
    }

    fn spawn(args: &[&str], pki: Option<Pki>, scratch: Scratch) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_netpol"))
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(port) = listening_port(&line) {
                    let _ = port_tx.send(port);
                }
                lines.lock().unwrap().push(line);
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server did not start listening");
        Server {
            child,
            port,
            pki,
            scratch,
            log,
        }
    }

    /// A client trusting this server's certificate authority.
    pub fn client(&self) -> Client {
        Client::new(self.port, self.pki.as_ref().map(|p| p.ca.clone()))
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits (bounded) for the process to exit; its exit code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// The resident memory of the process, in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// The log lines written so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// The first log line containing `text`, waiting for it up to `limit` (the log
    /// is read by another thread).
    pub fn wait_for_log(&self, text: &str, limit: Duration) -> Option<String> {
        let start = Instant::now();
        loop {
            if let Some(line) = self.log_lines().into_iter().find(|l| l.contains(text)) {
                return Some(line);
            }
            if start.elapsed() > limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port in the `listening` log line.
fn listening_port(line: &str) -> Option<u16> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    if value["msg"] != "listening" {
        return None;
    }
    value["detail"].as_str()?.rsplit(':').next()?.parse().ok()
}

/// An answer as the client saw it.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub version: Version,
    pub headers: hyper::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// HTTP/1.1 or HTTP/2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Http1,
    Http2,
}

/// Sends requests, one connection each, over TLS (or plain HTTP without a CA).
pub struct Client {
    port: u16,
    tls: Option<TlsConnector>,
}

/// A TLS connector trusting `ca`, offering `alpn`.
pub fn connector(ca: &CertificateDer<'static>, alpn: &[&[u8]]) -> TlsConnector {
    let mut roots = RootCertStore::empty();
    roots.add(ca.clone()).unwrap();
    let provider = Arc::new(netpol::serve::tls::provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    TlsConnector::from(Arc::new(config))
}

impl Client {
    pub fn new(port: u16, ca: Option<CertificateDer<'static>>) -> Client {
        Client {
            port,
            tls: ca.map(|ca| connector(&ca, &[b"h2", b"http/1.1"])),
        }
    }

    /// One request on a new connection (bounded to 30 s).
    pub async fn send(&self, protocol: Protocol, method: &str, path: &str, body: &str) -> Reply {
        tokio::time::timeout(
            Duration::from_secs(30),
            self.send_unbounded(protocol, method, path, body),
        )
        .await
        .expect("request timed out")
    }

    async fn send_unbounded(
        &self,
        protocol: Protocol,
        method: &str,
        path: &str,
        body: &str,
    ) -> Reply {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        match &self.tls {
            Some(tls) => {
                let alpn: &[u8] = match protocol {
                    Protocol::Http1 => b"http/1.1",
                    Protocol::Http2 => b"h2",
                };
                let config = tls_with_alpn(tls, alpn);
                let name = ServerName::try_from("localhost").unwrap();
                let stream = config.connect(name, tcp).await.unwrap();
                exchange(TokioIo::new(stream), protocol, method, path, body).await
            }
            None => exchange(TokioIo::new(tcp), protocol, method, path, body).await,
        }
    }
}

/// `tls` offering only `alpn` (so the protocol is chosen by the client).
fn tls_with_alpn(tls: &TlsConnector, alpn: &[u8]) -> TlsConnector {
    let mut config = (**tls.config()).clone();
    config.alpn_protocols = vec![alpn.to_vec()];
    TlsConnector::from(Arc::new(config))
}

/// One request and its answer over `io`.
pub async fn exchange<I>(io: I, protocol: Protocol, method: &str, path: &str, body: &str) -> Reply
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let request = Request::builder()
        .method(method)
        .uri(format!("https://localhost{path}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let response = match protocol {
        Protocol::Http1 => {
            let (mut sender, conn) = hyper::client::conn::http1::handshake(io).await.unwrap();
            tokio::spawn(conn);
            sender.send_request(request).await.unwrap()
        }
        Protocol::Http2 => {
            let (mut sender, conn) =
                hyper::client::conn::http2::handshake(TokioExecutor::new(), io)
                    .await
                    .unwrap();
            tokio::spawn(conn);
            sender.send_request(request).await.unwrap()
        }
    };
    let status = response.status().as_u16();
    let version = response.version();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        version,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A NetworkPolicy that fails validation (port 0) and one that is clean.
pub const BAD_POLICY: &str = r#"{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "shop"}, "spec": {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": 0}]}]}}"#;

/// An AdmissionReview of `object` with `uid`.
pub fn review(uid: &str, object: &str) -> String {
    format!(
        r#"{{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {{"uid": "{uid}", "namespace": "shop", "operation": "CREATE", "object": {object}}}}}"#
    )
}
