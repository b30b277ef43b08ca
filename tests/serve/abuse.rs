//! Abuse on loopback, bounded in count and time: oversized, truncated and slow
//! requests, many connections at once; the server keeps answering and stays small.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;

use crate::support::{connector, review, Protocol, Server, BAD_POLICY};

/// A raw HTTP/1.1-over-TLS stream to `server`.
async fn raw(server: &Server) -> tokio_rustls::client::TlsStream<TcpStream> {
    let tcp = TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let tls = connector(&server.pki.as_ref().unwrap().ca, &[b"http/1.1"]);
    tls.connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap()
}

/// Reads until the server closes (or `limit`): what it sent, and whether it closed.
async fn read_until_closed<R: AsyncReadExt + Unpin>(
    stream: &mut R,
    limit: Duration,
) -> (String, bool) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        match tokio::time::timeout(deadline - Instant::now(), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&seen).into_owned(), true),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    (String::from_utf8_lossy(&seen).into_owned(), false)
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413_declared_or_not() {
    let server = Server::start(&["--max-body", "10000"]);
    // Declared: refused before the body is read.
    let mut stream = raw(&server).await;
    stream
        .write_all(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n")
        .await
        .unwrap();
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Chunked, no length: cut off at the limit.
    let mut stream = raw(&server).await;
    stream
        .write_all(b"POST /v1/lint HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        .await
        .unwrap();
    for _ in 0..4 {
        stream.write_all(b"1000\r\n").await.unwrap();
        stream.write_all(&[b'a'; 4096]).await.unwrap();
        stream.write_all(b"\r\n").await.unwrap();
    }
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // HTTP/2 too.
    let big = "x".repeat(20_000);
    let reply = server
        .client()
        .send(Protocol::Http2, "POST", "/v1/lint", &big)
        .await;
    assert_eq!(reply.status, 413);
}

#[tokio::test]
async fn truncated_bodies_and_malformed_input_do_not_hurt_others() {
    let server = Server::start(&[]);
    for _ in 0..5 {
        let mut stream = raw(&server).await;
        stream
            .write_all(
                b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"request\":",
            )
            .await
            .unwrap();
        stream.shutdown().await.unwrap();
        drop(stream);
    }
    let client = server.client();
    for body in [
        "{",
        "\u{0}\u{1}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "{\"request\": {\"object\": 5}}",
    ] {
        let reply = client
            .send(Protocol::Http1, "POST", "/validate", body)
            .await;
        assert!(
            reply.status == 400 || reply.status == 200,
            "{body}: {}",
            reply.status
        );
    }
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let reply = client
        .send(Protocol::Http2, "POST", "/v1/lint", &deep)
        .await;
    assert!(reply.status < 500, "{}", reply.status);
    let yaml = "a: [\n  - {b: &x c, d: *y\n\t- :";
    let reply = client.send(Protocol::Http1, "POST", "/v1/lint", yaml).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = client
        .send(
            Protocol::Http1,
            "POST",
            "/validate",
            &review("after", BAD_POLICY),
        )
        .await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn a_client_sending_a_byte_a_second_is_cut_off() {
    let server = Server::start(&["--header-timeout", "1s", "--body-timeout", "1s"]);
    // Slow headers: the connection is closed.
    let mut stream = raw(&server).await;
    let started = Instant::now();
    let mut closed = false;
    for byte in b"POST /validate HTTP/1.1\r\nHost: slow\r\n".iter().take(8) {
        if stream.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    if !closed {
        closed = read_until_closed(&mut stream, Duration::from_secs(5))
            .await
            .1;
    }
    assert!(closed, "slow headers were not cut off");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Silent after the handshake: closed too.
    let mut stream = raw(&server).await;
    let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(closed, "a silent connection was kept open");
    // Slow body: 408.
    let mut stream = raw(&server).await;
    stream
        .write_all(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        .await
        .unwrap();
    for _ in 0..4 {
        let _ = stream.write_all(b"{").await;
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn many_connections_at_once_while_others_get_answers() {
    let server = Server::start(&["--max-concurrent", "2"]);
    // 200 idle connections (TCP only) hold sockets open.
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(
            TcpStream::connect(("127.0.0.1", server.port))
                .await
                .unwrap(),
        );
    }
    // 60 requests in parallel over both protocols: all answered (back-pressure, no
    // refusals), and a health check in the middle is answered quickly.
    let client = std::sync::Arc::new(server.client());
    let mut tasks = Vec::new();
    for i in 0..60 {
        let client = std::sync::Arc::clone(&client);
        let protocol = if i % 2 == 0 {
            Protocol::Http1
        } else {
            Protocol::Http2
        };
        tasks.push(tokio::spawn(async move {
            client
                .send(
                    protocol,
                    "POST",
                    "/validate",
                    &review(&format!("u{i}"), BAD_POLICY),
                )
                .await
                .status
        }));
    }
    let started = Instant::now();
    let health = client.send(Protocol::Http1, "GET", "/healthz", "").await;
    assert_eq!(health.status, 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    drop(idle);
}

#[tokio::test]
async fn memory_stays_bounded_under_repeated_large_requests() {
    let server = Server::start(&["--max-body", "1048576"]);
    let client = server.client();
    let warm = client
        .send(
            Protocol::Http1,
            "POST",
            "/validate",
            &review("w", BAD_POLICY),
        )
        .await;
    assert_eq!(warm.status, 200);
    let before = server.rss_kib();
    let big = "y".repeat(2 * 1024 * 1024);
    let many_keys: Vec<&str> = std::iter::repeat_n(BAD_POLICY, 500).collect();
    let provider = json!({"request": {"keys": many_keys}}).to_string();
    for _ in 0..20 {
        assert_eq!(
            client
                .send(Protocol::Http2, "POST", "/v1/lint", &big)
                .await
                .status,
            413
        );
        let reply = client
            .send(Protocol::Http1, "POST", "/gatekeeper/provider", &provider)
            .await;
        assert_eq!(reply.status, 200);
    }
    let after = server.rss_kib();
    assert!(
        after < before + 64 * 1024,
        "RSS grew from {before} KiB to {after} KiB"
    );
}

#[tokio::test]
async fn analysis_over_the_time_limit_is_503_and_the_server_recovers() {
    let server = Server::start(&["--request-timeout", "1ms", "--max-concurrent", "1"]);
    let mut pods = String::new();
    for i in 0..3000 {
        pods.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: n{}, labels: {{app: a{}}}}}\n",
            i % 30,
            i % 7
        ));
    }
    let body = json!({"manifests": pods}).to_string();
    let reply = server
        .client()
        .send(Protocol::Http1, "POST", "/v1/matrix", &body)
        .await;
    assert_eq!(
        reply.status,
        503,
        "{}",
        &reply.body[..reply.body.len().min(200)]
    );
    let health = server
        .client()
        .send(Protocol::Http1, "GET", "/healthz", "")
        .await;
    assert_eq!(health.status, 200);
}
