//! Certificate reload and the SIGTERM drain.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;

use crate::support::{connector, review, Client, Pki, Protocol, Server, BAD_POLICY};

#[tokio::test]
async fn a_changed_certificate_is_served_without_dropping_connections() {
    let server = Server::start(&[]);
    let first_ca = server.pki.as_ref().unwrap().ca.clone();
    // A connection opened with the first certificate, kept open (HTTP/2).
    let tcp = TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let stream = connector(&first_ca, &[b"h2"])
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    let (mut open, conn) = hyper::client::conn::http2::handshake(
        hyper_util::rt::TokioExecutor::new(),
        hyper_util::rt::TokioIo::new(stream),
    )
    .await
    .unwrap();
    tokio::spawn(conn);

    let second = Pki::generate("second");
    server.scratch.write("tls.key", &second.key_pem);
    server.scratch.write("tls.crt", &second.cert_pem);

    // New connections get the new certificate: trusted by the second CA only.
    let mut reloaded = false;
    for _ in 0..50 {
        let tcp = TcpStream::connect(("127.0.0.1", server.port))
            .await
            .unwrap();
        let attempt = connector(&second.ca, &[b"http/1.1"])
            .connect(ServerName::try_from("localhost").unwrap(), tcp)
            .await;
        if attempt.is_ok() {
            reloaded = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reloaded, "the new certificate was not served");
    let reply = Client::new(server.port, Some(second.ca.clone()))
        .send(Protocol::Http2, "GET", "/healthz", "")
        .await;
    assert_eq!(reply.status, 200);
    let tcp = TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let old = connector(&first_ca, &[b"http/1.1"])
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await;
    assert!(old.is_err(), "the old certificate is still served");

    // The connection opened before the change still answers.
    let request = hyper::Request::get("https://localhost/readyz")
        .body(http_body_util::Full::new(hyper::body::Bytes::new()))
        .unwrap();
    let response = open.send_request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(server
        .wait_for_log("certificate reloaded", Duration::from_secs(5))
        .is_some());
}

#[tokio::test]
async fn sigterm_finishes_requests_in_flight_then_exits_0() {
    let mut server = Server::start(&[]);
    let ca = server.pki.as_ref().unwrap().ca.clone();
    // A request in flight: headers sent, half of the body.
    let body = review("draining", BAD_POLICY);
    let (head, tail) = body.split_at(body.len() / 2);
    let tcp = TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let mut stream = connector(&ca, &[b"http/1.1"])
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    let headers = format!(
        "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(headers.as_bytes()).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    server.terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // New connections are no longer accepted.
    assert!(TcpStream::connect(("127.0.0.1", server.port))
        .await
        .is_err());
    assert_eq!(
        server.child.try_wait().unwrap(),
        None,
        "exited before draining"
    );

    stream.write_all(tail.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"uid\": \"draining\""));
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0));
}
