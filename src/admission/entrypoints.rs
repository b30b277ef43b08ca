//! The OPA module's entrypoints, as plain functions over JSON text (the adapter only
//! moves bytes in and out of WebAssembly memory).

use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{json, Value};

use super::{check, Decision, Input};
use crate::engine::{representatives, Engine};
use crate::lint::Config;
use crate::report::connectivity::json::matrix_json;
use crate::report::{gatekeeper, json as lint_json};

/// One entrypoint of `pkg/opa/policy.wasm`; its id is its index in
/// [`Entrypoint::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entrypoint {
    /// `netpol/violations` (id 0): Gatekeeper-style violations at or above `failOn`.
    Violations,
    /// `netpol/admission`: `{"response": AdmissionResponse}`.
    Admission,
    /// `netpol/lint`: the lint JSON.
    Lint,
    /// `netpol/matrix`: the matrix JSON.
    Matrix,
}

impl Entrypoint {
    /// Every entrypoint, by id.
    pub const ALL: [Entrypoint; 4] = [
        Entrypoint::Violations,
        Entrypoint::Admission,
        Entrypoint::Lint,
        Entrypoint::Matrix,
    ];

    /// The name OPA hosts look up (`netpol/violations`...).
    pub const fn name(self) -> &'static str {
        match self {
            Entrypoint::Violations => "netpol/violations",
            Entrypoint::Admission => "netpol/admission",
            Entrypoint::Lint => "netpol/lint",
            Entrypoint::Matrix => "netpol/matrix",
        }
    }

    /// The entrypoint with id `id`.
    pub fn from_id(id: i32) -> Option<Entrypoint> {
        usize::try_from(id)
            .ok()
            .and_then(|i| Entrypoint::ALL.get(i).copied())
    }

    /// `{"netpol/violations": 0, ...}`: what the module's `entrypoints` export gives.
    pub fn table() -> Value {
        let map: serde_json::Map<String, Value> = Entrypoint::ALL
            .iter()
            .enumerate()
            .map(|(id, e)| (String::from(e.name()), json!(id)))
            .collect();
        Value::Object(map)
    }
}

/// Evaluates `entrypoint` on the input `text` (JSON in any accepted shape; settings
/// from its `parameters`/`settings`, else the defaults). Never fails: unreadable
/// input and invalid settings come back as findings (so `violations` and
/// `admission` reject), or, for the matrix, as an `errors` list (reading and
/// validation errors: objects with errors are left out of the matrix).
pub fn evaluate(entrypoint: Entrypoint, text: &str) -> Value {
    let mut input = Input::read(text);
    let base = Config::default();
    match entrypoint {
        Entrypoint::Violations => {
            let report = check(&mut input, &base);
            Value::Array(gatekeeper::violations(&report))
        }
        Entrypoint::Admission => {
            let report = check(&mut input, &base);
            json!({"response": Decision::new(&input.uid, &report).response()})
        }
        Entrypoint::Lint => {
            let report = check(&mut input, &base);
            serde_json::to_value(lint_json::document(&report, crate::VERSION))
                .unwrap_or(Value::Null)
        }
        Entrypoint::Matrix => matrix(&input),
    }
}

/// The matrix JSON of the input's objects, with the input's reading errors (if any)
/// under `errors`.
fn matrix(input: &Input) -> Value {
    let model = representatives::complete(&input.loaded.model);
    let engine = Engine::new(&model);
    let mut value = serde_json::to_value(matrix_json(&engine.matrix())).unwrap_or(Value::Null);
    let errors: Vec<String> = input
        .loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| alloc::format!("[{}] {}", d.rule, d.message))
        .collect();
    if let (false, Value::Object(map)) = (errors.is_empty(), &mut value) {
        map.insert(String::from("errors"), json!(errors));
    }
    value
}
