//! The connectivity engine through its public API, on the demo input in `examples/`
//! (the founding article's policies) and on the JSON shapes of docs/spec/interfaces.md.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use netpol::doc::Limits;
use netpol::engine::{EndpointRef, Engine, Flow};
use netpol::model::{Expectation, Model, PortValue, Protocol};
use netpol::report::connectivity::{json, matrix, query, tests as test_report, MatrixView};
use netpol::source::{Source, SourceSet};
use serde_json::Value;

/// The sources of `examples/article/`, in sorted path order.
fn article() -> (SourceSet, Model) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/article");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut sources = SourceSet::new();
    for f in files {
        let name = format!(
            "examples/article/{}",
            f.file_name().unwrap().to_string_lossy()
        );
        sources.add(Source::new(name, std::fs::read_to_string(&f).unwrap()));
    }
    let loaded = netpol::decode::load(&sources, &Limits::default());
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    (sources, loaded.model)
}

#[test]
fn the_article_example_passes_its_connectivity_test() {
    let (_, model) = article();
    let engine = Engine::new(&model);
    let report = engine.run_tests();
    let failures: Vec<String> = report
        .results
        .iter()
        .filter(|r| !r.pass)
        .map(|r| {
            format!(
                "{}: {:?} {:?}",
                r.name,
                r.error,
                r.verdict.as_ref().map(|v| &v.reason)
            )
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(report.summary(), "15 passed, 0 failed");
    let idp = report
        .results
        .iter()
        .find(|r| r.name == "frontend reaches the IdP on 9090")
        .unwrap();
    assert_eq!(idp.actual, Some(Expectation::Allow));
    assert!(report
        .results
        .iter()
        .any(|r| r.expect == Expectation::Deny && r.pass));
}

#[test]
fn a_failing_or_unknown_case_fails_with_its_explanation() {
    let (mut sources, _) = article();
    sources.add(Source::new(
        "extra.yaml",
        "apiVersion: netpol/v1alpha1\nkind: ConnectivityTest\nmetadata:\n  name: wrong\nspec:\n  cases:\n    - from: shop/backend\n      to: identity/keycloak\n      port: 9090\n      expect: allow\n    - name: typo\n      from: shop/nope\n      to: identity/keycloak\n      port: 9090\n      expect: deny\n",
    ));
    let loaded = netpol::decode::load(&sources, &Limits::default());
    let engine = Engine::new(&loaded.model);
    let report = engine.run_tests();
    assert_eq!((report.passed, report.failed), (15, 2));
    let text = test_report::text(&report, &sources);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("FAIL extra.yaml:7 case 1: shop/backend -> identity/keycloak 9090/TCP: expected allow, got deny (denied: egress from `shop/deployment/backend` is isolated"), "{}", lines[0]);
    assert!(lines[1].starts_with("ERROR extra.yaml:11 typo: shop/nope -> identity/keycloak 9090/TCP: from: endpoint `shop/nope` not found"), "{}", lines[1]);
    assert_eq!(lines[2], "15 passed, 2 failed");
    let doc: Value =
        serde_json::from_str(&test_report::render(&report, &sources, "json").unwrap()).unwrap();
    assert_eq!(doc["passed"], 15);
    assert_eq!(doc["failed"], 2);
    let typo = &doc["results"][16];
    assert_eq!(typo["pass"], false);
    assert!(typo.get("actual").is_none());
    assert!(typo["error"].as_str().unwrap().contains("not found"));
    let first = &doc["results"][0];
    for key in [
        "name", "from", "to", "port", "protocol", "expect", "actual", "pass", "file", "line",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["expect"], "allow");
    let junit = test_report::render(&report, &sources, "junit").unwrap();
    assert!(junit.contains("tests=\"17\" failures=\"2\""), "{junit}");
    assert_eq!(junit.matches("<failure ").count(), 2);
}

#[test]
fn query_json_has_the_interface_shape() {
    let (sources, model) = article();
    let engine = Engine::new(&model);
    let flow = engine
        .flow(
            "shop/frontend",
            "shop/backend",
            &PortValue::Number(9000),
            Protocol::Tcp,
        )
        .unwrap();
    let verdict = engine.query(&flow);
    let doc: Value =
        serde_json::from_str(&query::render(&verdict, &sources, "json").unwrap()).unwrap();
    for key in [
        "version", "from", "to", "port", "protocol", "allowed", "reason", "egress", "ingress",
    ] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
    assert_eq!(doc["allowed"], false);
    assert_eq!(doc["from"], "shop/deployment/frontend");
    let ingress = &doc["ingress"];
    assert_eq!(ingress["isolated"], true);
    assert_eq!(
        ingress["isolatedBy"][1]["name"],
        "allow-backend-from-frontend"
    );
    assert_eq!(
        ingress["isolatedBy"][1]["file"],
        "examples/article/policies.yaml"
    );
    let closest = &ingress["closest"][0];
    assert_eq!(closest["path"], "spec.ingress[0].from[0]");
    assert_eq!(
        closest["mismatch"],
        "peer matched but port 9000/TCP not in ports: 8080/TCP"
    );
    assert!(closest["line"].as_u64().unwrap() > 60);
    let text = query::render(&verdict, &sources, "text").unwrap();
    assert!(
        text.starts_with("DENIED: shop/deployment/frontend -> shop/deployment/backend on 9000/TCP"),
        "{text}"
    );
}

#[test]
fn matrix_json_has_the_interface_shape() {
    let (_, model) = article();
    let engine = Engine::new(&model);
    let m = engine.matrix();
    let doc: Value = serde_json::to_value(json::matrix_json(&m)).unwrap();
    let endpoints = doc["endpoints"].as_array().unwrap();
    let ids: Vec<&str> = endpoints
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"shop/deployment/frontend") && ids.contains(&"shop/cronjob/updater"));
    assert!(
        ids.contains(&"13.108.14.0/24")
            && ids.contains(&"169.254.169.254/32")
            && ids.contains(&"::/0")
    );
    let frontend = endpoints
        .iter()
        .find(|e| e["id"] == "shop/deployment/frontend")
        .unwrap();
    assert_eq!(frontend["kind"], "Deployment");
    assert_eq!(frontend["namespace"], "shop");
    assert_eq!(frontend["name"], "frontend");
    assert!(frontend["ips"].as_array().unwrap().is_empty());
    let metadata = endpoints
        .iter()
        .find(|e| e["id"] == "169.254.169.254/32")
        .unwrap();
    assert_eq!(metadata["kind"], "External");
    assert_eq!(metadata["cidrs"][0], "169.254.169.254/32");
    let find = |from: &str, to: &str| {
        doc["connections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["from"] == from && c["to"] == to)
            .cloned()
    };
    let c = find("shop/deployment/frontend", "identity/deployment/keycloak").unwrap();
    assert_eq!(
        c["allowed"],
        serde_json::json!([{"protocol": "TCP", "ports": [[9090, 9090]]}])
    );
    let diag = find("shop/deployment/backend", "shop/deployment/backend").unwrap();
    assert_eq!(diag["allowed"].as_array().unwrap().len(), 3);
    assert!(find("shop/cronjob/updater", "169.254.169.254/32").is_none());
    assert!(find(
        "shop/cronjob/updater",
        "0.0.0.0/0 except 13.108.14.0/24, 169.254.169.254/32"
    )
    .is_some());
    assert!(find("::/0", "13.108.14.0/24").is_none());
}

#[test]
fn matrix_formats_render_the_same_connections() {
    let (_, model) = article();
    let engine = Engine::new(&model);
    let m = engine.matrix();
    let view = MatrixView::all(&m);
    let csv = matrix::render(&view, "csv").unwrap();
    assert!(csv.starts_with("from,to,protocol,ports\n"));
    assert!(csv.contains("shop/deployment/frontend,identity/deployment/keycloak,TCP,9090\n"));
    assert!(csv.contains("\"0.0.0.0/0 except 13.108.14.0/24, 169.254.169.254/32\""));
    let md = matrix::render(&view, "md").unwrap();
    assert!(
        md.contains("| `shop/deployment/frontend` | `shop/deployment/backend` | 8080 | – | – |"),
        "{md}"
    );
    let dot = matrix::render(&view, "dot").unwrap();
    assert!(dot.starts_with("digraph netpol {") && dot.trim_end().ends_with('}'));
    assert!(dot.contains("label=\"TCP 9090\""));
    let svg = matrix::render(&view, "svg").unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("data-from=\"shop/deployment/frontend\" data-to=\"identity/deployment/keycloak\" data-state=\"some\""));
    assert!(svg.contains("data-from=\"shop/deployment/frontend\" data-to=\"shop/deployment/frontend\" data-state=\"all\""));
    assert!(!svg.contains("<script") && !svg.contains("href="));
    let cells = svg.matches("<rect x=").count();
    assert!(cells >= m.endpoints().len() * m.endpoints().len());
    let text = matrix::render(&view, "text").unwrap();
    assert!(text.contains("shop/deployment/frontend") && text.contains("TCP 9090"));
    assert!(matrix::render(&view, "xml").is_none());
    // Filters: one source, UDP 53 only.
    let filtered = MatrixView::all(&m)
        .sources(|e| e.id == "shop/deployment/backend")
        .ports(Some(Protocol::Udp), Some(53));
    let csv = matrix::render(&filtered, "csv").unwrap();
    assert_eq!(
        csv,
        "from,to,protocol,ports\nshop/deployment/backend,kube-system/deployment/coredns,UDP,53\nshop/deployment/backend,shop/deployment/backend,UDP,53\n"
    );
}

#[test]
fn matrix_json_is_written_as_its_document() {
    let (_, model) = article();
    let policies_only = Model {
        pods: Vec::new(),
        workloads: Vec::new(),
        ..model.clone()
    };
    let completed = netpol::engine::representatives::complete(&policies_only);
    for model in [&model, &completed] {
        let engine = Engine::new(model);
        let m = engine.matrix();
        let views = [
            MatrixView::all(&m),
            MatrixView::all(&m)
                .sources(|e| e.namespace.as_deref() == Some("shop"))
                .ports(Some(Protocol::Tcp), None),
        ];
        for view in views {
            let written = matrix::render(&view, "json").unwrap();
            assert_eq!(written, json::to_pretty(&json::view_json(&view)));
        }
    }
    assert!(Engine::new(&completed).matrix().uses_representatives());
}

#[test]
fn queries_agree_with_the_matrix_on_the_example() {
    let (_, model) = article();
    let engine = Engine::new(&model);
    let m = engine.matrix();
    for (i, a) in m.endpoints().iter().enumerate() {
        for (j, b) in m.endpoints().iter().enumerate() {
            if m.is_external(i) && m.is_external(j) {
                continue;
            }
            let side = |e: &netpol::engine::MatrixEndpoint| match e.endpoint {
                Some(id) => EndpointRef::Endpoint(id),
                None => EndpointRef::External(e.cidrs[0].network()),
            };
            let (from, to) = (side(a), side(b));
            assert_eq!(
                m.allowed(i, j),
                &engine.allowed_ports(&from, &to),
                "{} -> {}",
                a.id,
                b.id
            );
            for (protocol, port) in [
                (Protocol::Tcp, 8080),
                (Protocol::Udp, 53),
                (Protocol::Tcp, 80),
            ] {
                let verdict = engine.query(&Flow::new(from, to, protocol, port));
                assert_eq!(verdict.allowed, m.allowed(i, j).allows(protocol, port));
            }
        }
    }
}

/// Runs the real binary in the crate root with `stdin`.
fn netpol(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn commands_answer_with_the_documented_exit_codes() {
    let (code, out, _) = netpol(&["test", "examples/article/"], "");
    assert_eq!((code, out.as_str()), (0, "15 passed, 0 failed\n"));
    let failing = "apiVersion: netpol/v1alpha1\nkind: ConnectivityTest\nmetadata: {name: x}\nspec:\n  cases:\n    - {from: shop/backend, to: identity/keycloak, port: 9090, expect: allow}\n";
    let (code, out, _) = netpol(&["test", "examples/article/", "-"], failing);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.ends_with("15 passed, 1 failed\n") && out.starts_with("FAIL -:6 case 1:"),
        "{out}"
    );
    // query exits 0 whatever the verdict; 2 when it cannot answer.
    let (code, out, _) = netpol(
        &[
            "query",
            "--from",
            "shop/frontend",
            "--to",
            "shop/backend",
            "--port",
            "9000",
            "examples/article/",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("DENIED"), "{out}");
    let (code, out, _) = netpol(
        &[
            "query",
            "examples/article/",
            "--from",
            "shop/frontend",
            "--to",
            "identity/keycloak",
            "--port",
            "9090",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["allowed"], true);
    let (code, _, err) = netpol(
        &[
            "query",
            "--from",
            "shop/nope",
            "--to",
            "shop/backend",
            "--port",
            "80",
            "examples/article/",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains("endpoint `shop/nope` not found"), "{err}");
    let (code, _, err) = netpol(
        &[
            "query",
            "--to",
            "shop/backend",
            "--port",
            "80",
            "examples/article/",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains("missing --from"), "{err}");
    let (code, _, err) = netpol(
        &[
            "query",
            "--from",
            "shop/frontend",
            "--to",
            "shop/backend",
            "--port",
            "80",
            "--protocol",
            "ICMP",
            "examples/article/",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains("invalid --protocol"), "{err}");
    // matrix: formats and filters.
    let (code, out, _) = netpol(&["matrix", "--format", "json", "examples/article/"], "");
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["endpoints"].as_array().unwrap().len(), 11);
    let (code, out, _) = netpol(
        &[
            "matrix",
            "--from",
            "shop/reporter",
            "--port",
            "80",
            "--format",
            "csv",
            "examples/article/",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert_eq!(out, "from,to,protocol,ports\nshop/deployment/reporter,shop/deployment/reporter,TCP,80\nshop/deployment/reporter,13.108.14.0/24,TCP,80\n");
    let (code, out, _) = netpol(
        &[
            "matrix",
            "--to",
            "13.108.14.9",
            "--format",
            "md",
            "examples/article/",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("| `shop/deployment/reporter` | `13.108.14.0/24` | 80 | – | – |"),
        "{out}"
    );
    let (code, _, err) = netpol(&["matrix", "--port", "http", "examples/article/"], "");
    assert_eq!(code, 2);
    assert!(err.contains("must be a number"), "{err}");
}
