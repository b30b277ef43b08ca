//! Every endpoint and every error status, over HTTP/1.1 and HTTP/2.

use hyper::Version;
use serde_json::json;

use crate::support::{review, Protocol, Server, BAD_POLICY};

const PODS: &str =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n";

#[tokio::test]
async fn every_endpoint_answers_over_both_protocols() {
    let server = Server::start(&[]);
    let client = server.client();
    for (protocol, version) in [
        (Protocol::Http1, Version::HTTP_11),
        (Protocol::Http2, Version::HTTP_2),
    ] {
        let reply = client
            .send(protocol, "POST", "/validate", &review("uid-7", BAD_POLICY))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.version, version);
        assert_eq!(reply.headers["content-type"], "application/json");
        assert!(reply.headers.contains_key("x-request-id"));
        let answer = reply.json();
        assert_eq!(answer["apiVersion"], "admission.k8s.io/v1");
        assert_eq!(answer["kind"], "AdmissionReview");
        assert_eq!(answer["response"]["uid"], "uid-7");
        assert_eq!(answer["response"]["allowed"], false);
        assert_eq!(answer["response"]["status"]["code"], 403);

        let provider = json!({"apiVersion": "externaldata.gatekeeper.sh/v1beta1",
            "kind": "ProviderRequest", "request": {"keys": [BAD_POLICY, "{"]}});
        let reply = client
            .send(
                protocol,
                "POST",
                "/gatekeeper/provider",
                &provider.to_string(),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let answer = reply.json();
        assert_eq!(answer["kind"], "ProviderResponse");
        assert_eq!(answer["response"]["items"][0]["key"], BAD_POLICY);
        assert!(answer["response"]["items"][0]["value"][0]["msg"].is_string());
        assert!(answer["response"]["items"][1]["error"].is_string());

        let reply = client.send(protocol, "POST", "/v1/lint", BAD_POLICY).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert!(!reply.json()["findings"].as_array().unwrap().is_empty());

        let body = json!({"manifests": PODS}).to_string();
        let reply = client.send(protocol, "POST", "/v1/matrix", &body).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.json()["endpoints"][0]["id"], "shop/web");

        let body = json!({"manifests": PODS,
            "flow": {"from": "shop/web", "to": "203.0.113.7", "port": 443}})
        .to_string();
        let reply = client.send(protocol, "POST", "/v1/query", &body).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.json()["allowed"], true);

        for path in ["/healthz", "/readyz"] {
            let reply = client.send(protocol, "GET", path, "").await;
            assert_eq!((reply.status, reply.body.as_str()), (200, "ok"));
        }
    }
    let reply = client.send(Protocol::Http1, "GET", "/metrics", "").await;
    assert_eq!(reply.status, 200);
    assert!(reply.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    assert!(
        reply
            .body
            .contains("netpol_requests_total{path=\"/validate\",code=\"200\"} 2\n"),
        "{}",
        reply.body
    );
    assert!(reply
        .body
        .contains("netpol_request_duration_seconds_count{path=\"/v1/lint\"} 2\n"));
    assert!(reply
        .body
        .contains("# TYPE netpol_request_duration_seconds histogram"));
}

#[tokio::test]
async fn error_statuses_are_json_with_a_message() {
    let server = Server::start(&["--max-body", "2048"]);
    let client = server.client();
    for protocol in [Protocol::Http1, Protocol::Http2] {
        let cases: [(&str, &str, String, u16); 8] = [
            ("GET", "/nowhere", String::new(), 404),
            ("GET", "/validate", String::new(), 405),
            ("POST", "/healthz", String::new(), 405),
            ("POST", "/validate", "{not json".into(), 400),
            ("POST", "/validate", "[]".into(), 400),
            ("POST", "/v1/query", "{\"manifests\": \"\"}".into(), 400),
            (
                "POST",
                "/gatekeeper/provider",
                "{\"request\": {}}".into(),
                400,
            ),
            ("POST", "/v1/lint", "x".repeat(4096), 413),
        ];
        for (method, path, body, status) in cases {
            let reply = client.send(protocol, method, path, &body).await;
            assert_eq!(reply.status, status, "{method} {path}: {}", reply.body);
            assert!(reply.json()["error"]
                .as_str()
                .is_some_and(|m| !m.is_empty()));
            if status == 405 {
                assert!(reply.headers.contains_key("allow"));
            }
        }
    }
}

#[tokio::test]
async fn a_request_log_line_names_path_status_and_id_but_never_the_body() {
    let server = Server::start(&[]);
    let reply = server
        .client()
        .send(
            Protocol::Http1,
            "POST",
            "/validate",
            &review("secret-uid", BAD_POLICY),
        )
        .await;
    let id = reply.headers["x-request-id"].to_str().unwrap().to_string();
    let line = server
        .wait_for_log(&id, std::time::Duration::from_secs(5))
        .expect("no log line for the request");
    let value: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(value["path"], "/validate");
    assert_eq!(value["status"], 200);
    assert!(value["durationMs"].is_number());
    assert!(!line.contains("secret-uid"));
}

#[tokio::test]
async fn plain_http_serves_when_asked() {
    let server = Server::start_plain(&[]);
    let reply = server
        .client()
        .send(Protocol::Http1, "GET", "/healthz", "")
        .await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "ok"));
}

#[test]
fn help_and_usage_errors() {
    let netpol = env!("CARGO_BIN_EXE_netpol");
    let help = std::process::Command::new(netpol)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).unwrap();
    for flag in [
        "--listen",
        "--tls-cert",
        "--insecure-http",
        "--max-body",
        "--server-config",
    ] {
        assert!(text.contains(flag), "{flag}");
    }
    let bad = std::process::Command::new(netpol)
        .args(["serve", "--tls-cert", "x"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let missing = std::process::Command::new(netpol)
        .args([
            "serve",
            "--tls-cert",
            "/nonexistent/c",
            "--tls-key",
            "/nonexistent/k",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
}
