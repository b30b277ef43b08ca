//! The network side: accepting (TLS or plain), HTTP/1.1 and HTTP/2 per connection,
//! the limits (connections, body size, read timeouts, concurrent analyses, analysis
//! time), and the drain on SIGTERM.

use std::convert::Infallible;
use std::format;
use std::string::{String, ToString};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio_rustls::TlsAcceptor;

use super::handlers::{self, Answer};
use super::log::{self, RequestLine};
use super::metrics::Metrics;
use super::options::Options;
use super::routes::{Endpoint, OTHER_PATH};
use crate::lint::Config;

const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";
const PROMETHEUS: &str = "text/plain; version=0.0.4; charset=utf-8";

/// What every request shares.
pub struct State {
    options: Options,
    config: Config,
    metrics: Metrics,
    analyses: Arc<Semaphore>,
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
                        connection(state, stream, stop_rx).await;
                    }
                }
                None => connection(state, stream, stop_rx).await,
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

/// Serves one connection (HTTP/1.1 or HTTP/2) until it closes, or until the stop
/// signal, when it finishes the requests in flight and closes.
async fn connection<I>(state: Arc<State>, io: I, mut stop: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
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
        _ => match read_body(state, request).await {
            Ok(body) => analyse(state, endpoint, body).await.into(),
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

/// Reads the body within the size limit (413) and the body timeout (408).
async fn read_body(state: &State, request: Request<Incoming>) -> Result<Bytes, Answer> {
    let limit = state.options.max_body;
    let too_large = || Answer::error(413, &format!("the body is over the limit of {limit} bytes"));
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let body = Limited::new(request.into_body(), limit);
    match tokio::time::timeout(state.options.body_timeout, body.collect()).await {
        Err(_) => Err(Answer::error(408, "the body did not arrive in time")),
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Ok(Err(error)) => Err(Answer::bad_request(&format!(
            "the body could not be read: {error}"
        ))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// Runs the endpoint's engine work on the blocking pool: at most `max_concurrent`
/// at once (others wait), within `request_timeout` from here, waiting included.
async fn analyse(state: &State, endpoint: Endpoint, body: Bytes) -> Answer {
    let timeout = state.options.request_timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let busy = || {
        Answer::error(
            503,
            &format!(
                "the analysis did not finish within {} ms",
                timeout.as_millis()
            ),
        )
    };
    let permit = match tokio::time::timeout_at(
        deadline,
        Arc::clone(&state.analyses).acquire_owned(),
    )
    .await
    {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) | Err(_) => return busy(),
    };
    let config = state.config.clone();
    // The permit moves into the work: a request that timed out still holds its slot
    // until its analysis really ends, so runaway work cannot pile up.
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let body: &[u8] = &body;
        match endpoint {
            Endpoint::Validate => handlers::validate(body, &config),
            Endpoint::GatekeeperProvider => handlers::gatekeeper_provider(body, &config),
            Endpoint::Lint => handlers::lint(body, &config),
            Endpoint::Matrix => handlers::matrix(body, &config),
            _ => handlers::query(body, &config),
        }
    });
    match tokio::time::timeout_at(deadline, work).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(_)) => Answer::error(500, "the analysis failed"),
        Err(_) => busy(),
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
