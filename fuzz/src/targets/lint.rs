//! The whole lint pipeline on any text, as YAML and as JSON: every rule, every
//! output format, the connectivity matrix and the connectivity tests. No panic, and
//! every finding points inside the input (the fuzzer's timeout bounds the time).

use netpol::engine::Engine;
use netpol::lint::{self, Config};
use netpol::report::context::RenderContext;
use netpol::report::formats::{render, LintFormat};
use netpol::report::{LintReport, Summary};

use super::load::{load_as, NAMES};
use super::{checks, text_of};

/// The formats whose output is one JSON document.
const JSON_FORMATS: [LintFormat; 4] = [
    LintFormat::Json,
    LintFormat::Sarif,
    LintFormat::Gatekeeper,
    LintFormat::Conftest,
];

/// Lints the bytes with each reader, renders every format, and runs the engine.
pub fn run(data: &[u8]) {
    let text = text_of(data);
    for name in NAMES {
        let (sources, loaded) = load_as(name, &text);
        let outcome = lint::run(&loaded, &Config::default());
        checks::check_diagnostics(&sources, &outcome.diagnostics);
        let report = LintReport::new(outcome.diagnostics, &sources, Summary::default(), None);
        let ctx = RenderContext::new(&sources);
        for format in LintFormat::ALL {
            let rendered = render(format, &report, &ctx);
            if JSON_FORMATS.contains(&format) {
                let parsed = serde_json::from_str::<serde_json::Value>(&rendered);
                assert!(parsed.is_ok(), "{name}: invalid {} output", format.name());
            }
        }
        let engine = Engine::new(&loaded.model);
        let matrix = engine.matrix();
        assert!(
            matrix.endpoints().len() >= engine.endpoints().len(),
            "{name}: the matrix lists fewer endpoints than the engine has"
        );
        engine.run_tests();
    }
}
