//! The connectivity engine through its Rust API on the demo input in `examples/`
//! (the founding article's policies): the matrix JSON written as its document, and
//! every query agreeing with the matrix. The engine's answers and rendered outputs
//! on the same input are table-driven cases: tests/cases/engine/.
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
use netpol::model::{Model, Protocol};
use netpol::report::connectivity::{json, matrix, MatrixView};
use netpol::source::{Source, SourceSet};

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
                let flow = Flow::new(from, to, protocol, port);
                let verdict = engine.query(&flow);
                assert_eq!(verdict.allowed, m.allowed(i, j).allows(protocol, port));
                // The brief answer is the full one without the closest rules.
                let mut without_closest = verdict.clone();
                without_closest.egress.closest.clear();
                without_closest.ingress.closest.clear();
                assert_eq!(engine.query_brief(&flow), without_closest);
            }
        }
    }
}
