//! TLS with rustls: a certificate resolver that re-reads the certificate and key when
//! their files change (checked at each handshake, so connections are never dropped:
//! open ones keep their session, new ones get the new certificate).

use std::fmt;
use std::fs;
use std::string::{String, ToString};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use std::vec::Vec;
use std::{format, vec};

use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::{ClientHello, ResolvesServerCert};
use tokio_rustls::rustls::sign::CertifiedKey;
use tokio_rustls::rustls::ServerConfig;

use super::log;
use super::options::TlsFiles;

/// What identifies one version of the two files: modification time and length.
type Stamp = Option<(SystemTime, u64)>;

/// The certificate in use and the stamps of the files it was read from.
struct Loaded {
    key: Arc<CertifiedKey>,
    stamps: (Stamp, Stamp),
}

/// Serves the certificate of [`TlsFiles`], re-reading it when either file changes.
pub struct ReloadingCert {
    files: TlsFiles,
    current: Mutex<Loaded>,
}

impl fmt::Debug for ReloadingCert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReloadingCert")
            .field("files", &self.files)
            .finish()
    }
}

impl ReloadingCert {
    /// Reads the files once; an unreadable certificate or key is an error.
    pub fn new(files: TlsFiles) -> Result<ReloadingCert, String> {
        let stamps = stamps(&files);
        let key = read_certified_key(&files)?;
        Ok(ReloadingCert {
            files,
            current: Mutex::new(Loaded { key, stamps }),
        })
    }

    /// The current certificate, re-read first if a file changed. A change that does
    /// not read (a half-written file, a key that does not match) keeps the old one
    /// and is logged; the next handshake tries again.
    fn current(&self) -> Option<Arc<CertifiedKey>> {
        let mut loaded = self.current.lock().ok()?;
        let now = stamps(&self.files);
        if now != loaded.stamps {
            match read_certified_key(&self.files) {
                Ok(key) => {
                    *loaded = Loaded { key, stamps: now };
                    log::event("certificate reloaded", &self.files.cert);
                }
                Err(error) => log::event("certificate reload failed", &error),
            }
        }
        Some(Arc::clone(&loaded.key))
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.current()
    }
}

/// The stamps of the certificate and key files now.
fn stamps(files: &TlsFiles) -> (Stamp, Stamp) {
    (stamp(&files.cert), stamp(&files.key))
}

/// One file's modification time and length (`None` when it cannot be read).
fn stamp(path: &str) -> Stamp {
    let meta = fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Reads and checks the certificate chain and its key.
fn read_certified_key(files: &TlsFiles) -> Result<Arc<CertifiedKey>, String> {
    let cert_pem =
        fs::read(&files.cert).map_err(|e| format!("cannot read '{}': {e}", files.cert))?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("invalid certificate '{}': {e}", files.cert))?;
    if chain.is_empty() {
        return Err(format!("no certificate in '{}'", files.cert));
    }
    let key_pem = fs::read(&files.key).map_err(|e| format!("cannot read '{}': {e}", files.key))?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem)
        .map_err(|e| format!("invalid private key '{}': {e}", files.key))?;
    let provider = provider();
    let certified = CertifiedKey::from_der(chain, key, &provider)
        .map_err(|e| format!("certificate '{}' and key '{}': {e}", files.cert, files.key))?;
    Ok(Arc::new(certified))
}

/// rustls's *ring* provider. rustls 0.23.48 deprecates it for lacking post-quantum
/// key exchange (which its aws-lc-rs provider has); aws-lc-rs needs a C toolchain
/// and cmake to build, which the static musl build avoids. The key exchange is
/// X25519 and the NIST curves.
#[allow(deprecated)]
pub fn provider() -> tokio_rustls::rustls::crypto::CryptoProvider {
    ring::default_provider()
}

/// The rustls server configuration: TLS 1.2 and 1.3 (ring), no client certificates,
/// ALPN `h2` then `http/1.1`.
pub fn server_config(cert: Arc<ReloadingCert>) -> Result<ServerConfig, String> {
    let mut config = ServerConfig::builder_with_provider(Arc::new(provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_cert_resolver(cert);
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
