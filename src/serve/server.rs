//! The network side: accepting (TLS or plain), HTTP/1.1 and HTTP/2 per connection,
//! the limits (connections, body size, read timeouts, concurrent analyses, analysis
//! time), and the drain on SIGTERM.

use std::convert::Infallible;
use std::format;
use std::string::{String, ToString};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio_rustls::TlsAcceptor;

use super::handlers::Answer;
use super::log::{self, RequestLine};
use super::metrics::Metrics;
use super::options::Options;
use super::routes::{Endpoint, OTHER_PATH};
use super::work;
use crate::lint::Config;

const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";
const PROMETHEUS: &str = "text/plain; version=0.0.4; charset=utf-8";

/// What every request shares.
pub struct State {
    /// The settings.
    pub(super) options: Options,
    /// The netpol configuration every analysis uses.
    pub(super) config: Config,
    metrics: Metrics,
    /// Slots for analyses running at once.
    pub(super) analyses: Arc<Semaphore>,
    draining: AtomicBool,
    next_id: AtomicU64,
    id_prefix: String,
}

impl State {
    /// The state of a server with `options`, answering with `config`.
    pub fn new(options: Options, config: Config) -> State {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        State {
            analyses: Arc::new(Semaphore::new(options.max_concurrent)),
            options,
            config,
            metrics: Metrics::default(),
            draining: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            id_prefix: format!("{:x}", started & 0xffff_ffff_ffff),
        }
    }

    /// A new request id: unique within the process, distinct across restarts.
    fn request_id(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.id_prefix)
    }
}

/// A reply before it becomes a response.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
    allow: Option<&'static str>,
}

impl From<Answer> for Reply {
    fn from(answer: Answer) -> Reply {
        Reply {
            status: answer.status,
            content_type: JSON,
            body: answer.body,
            allow: None,
        }
    }
}

/// Accepts connections on `listener` until SIGTERM (or SIGINT), then drains.
pub async fn serve(state: Arc<State>, listener: TcpListener, tls: Option<TlsAcceptor>) -> u8 {
    let connections = Arc::new(Semaphore::new(state.options.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut stop = match Stop::new() {
        Ok(stop) => stop,
        Err(error) => {
            log::event("cannot listen for signals", &error);
            return 1;
        }
    };
    loop {
        // Back-pressure: at the connection limit, stop accepting (the kernel's
        // backlog holds new connections) until one closes.
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => permit,
            () = stop.wait() => break,
        };
        let Ok(permit) = permit else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = stop.wait() => break,
        };
        let Ok((stream, _peer)) = accepted else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let state = Arc::clone(&state);
        let stop_rx = stop_rx.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let _permit = permit;
            match tls {
                Some(acceptor) => {
                    let handshake =
                        tokio::time::timeout(state.options.header_timeout, acceptor.accept(stream))
                            .await;
                    if let Ok(Ok(stream)) = handshake {
                        let protocol = match stream.get_ref().1.alpn_protocol() {
                            Some(b"h2") => Protocol::Http2,
                            _ => Protocol::Http1,
                        };
                        connection(state, stream, protocol, stop_rx).await;
                    }
                }
                None => connection(state, stream, Protocol::Detect, stop_rx).await,
            }
        });
    }
    drop(listener);
    state.draining.store(true, Ordering::SeqCst);
    log::event(
        "draining",
        "stopped accepting; finishing requests in flight",
    );
    let _ = stop_tx.send(true);
    let all = u32::try_from(state.options.max_connections).unwrap_or(u32::MAX);
    let drained =
        tokio::time::timeout(state.options.drain_timeout, connections.acquire_many(all)).await;
    match drained {
        Ok(_) => log::event("stopped", "every connection finished"),
        Err(_) => log::event(
            "stopped",
            "drain timeout: closing the remaining connections",
        ),
    }
    0
}

/// SIGTERM or SIGINT.
struct Stop {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Stop {
    fn new() -> Result<Stop, String> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Stop {
            term: signal(SignalKind::terminate()).map_err(|e| e.to_string())?,
            int: signal(SignalKind::interrupt()).map_err(|e| e.to_string())?,
        })
    }

    async fn wait(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.int.recv() => {},
        }
    }
}

/// The HTTP version a connection speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Protocol {
    /// HTTP/1.1 (TLS without ALPN `h2`).
    Http1,
    /// HTTP/2 (ALPN `h2`).
    Http2,
    /// Either, told by the first bytes (plain HTTP).
    Detect,
}

/// Serves one connection until it closes, or until the stop signal, when it
/// finishes the requests in flight and closes. With TLS the version comes from ALPN,
/// so an HTTP/1.1 connection is under the header timeout from its first byte.
async fn connection<I>(
    state: Arc<State>,
    io: I,
    protocol: Protocol,
    mut stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder = match protocol {
        Protocol::Http1 => builder.http1_only(),
        Protocol::Http2 => builder.http2_only(),
        Protocol::Detect => builder,
    };
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(state.options.header_timeout)
        .max_buf_size(64 * 1024);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(64)
        .max_header_list_size(64 * 1024)
        .keep_alive_interval(Some(state.options.header_timeout))
        .keep_alive_timeout(state.options.header_timeout);
    let service = hyper::service::service_fn(move |request| {
        let state = Arc::clone(&state);
        async move { Ok::<_, Infallible>(handle(&state, request).await) }
    });
    let conn = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    if *stop.borrow() {
        conn.as_mut().graceful_shutdown();
    }
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stop.changed() => conn.as_mut().graceful_shutdown(),
    }
    let _ = conn.await;
}

/// Answers one request, counts it and logs it.
async fn handle(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let id = state.request_id();
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let protocol = format!("{:?}", request.version());
    let endpoint = Endpoint::find(&path);
    let reply = route(state, endpoint, request).await;
    let duration = started.elapsed();
    let label = endpoint.map_or(OTHER_PATH, Endpoint::path);
    state.metrics.observe(label, reply.status, duration);
    let error = (reply.status >= 400 && reply.content_type == JSON)
        .then(|| error_message(&reply.body))
        .flatten();
    log::request(&RequestLine {
        id: &id,
        method: &method,
        path: &path,
        protocol: &protocol,
        status: reply.status,
        duration,
        error: error.as_deref(),
    });
    response(reply, &id)
}

/// The error message of an error body.
fn error_message(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    value.get("error")?.as_str().map(String::from)
}

/// The reply to one request.
async fn route(state: &State, endpoint: Option<Endpoint>, request: Request<Incoming>) -> Reply {
    let Some(endpoint) = endpoint else {
        return Answer::error(
            404,
            "not found: see 'netpol serve --help' for the endpoints",
        )
        .into();
    };
    if request.method().as_str() != endpoint.method() {
        let mut reply = Reply::from(Answer::error(
            405,
            &format!(
                "method not allowed: {} takes {}",
                endpoint.path(),
                endpoint.method()
            ),
        ));
        reply.allow = Some(endpoint.method());
        return reply;
    }
    match endpoint {
        Endpoint::Healthz => text("ok"),
        Endpoint::Readyz if state.draining.load(Ordering::SeqCst) => Reply {
            status: 503,
            ..text("draining")
        },
        Endpoint::Readyz => text("ok"),
        Endpoint::Metrics => Reply {
            content_type: PROMETHEUS,
            ..text(&state.metrics.render())
        },
        _ => match work::read_body(state, request).await {
            Ok(body) => work::analyse(state, endpoint, body).await.into(),
            Err(answer) => answer.into(),
        },
    }
}

/// `200` with a plain-text body.
fn text(body: &str) -> Reply {
    Reply {
        status: 200,
        content_type: TEXT,
        body: String::from(body),
        allow: None,
    }
}

/// The HTTP response of `reply`, with the request id.
fn response(reply: Reply, id: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    if let Ok(value) = HeaderValue::from_str(id) {
        headers.insert("x-request-id", value);
    }
    if let Some(allow) = reply.allow {
        headers.insert(ALLOW, HeaderValue::from_static(allow));
    }
    response
}
