//! The OPA module's entrypoints, as plain functions over JSON text (the adapter only
//! moves bytes in and out of WebAssembly memory).

use alloc::string::String;

use serde_json::{json, Value};

use crate::api::Admission;
use crate::lint::Config;
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
/// from its `parameters`/`settings`, else the defaults), answering from the
/// workspace of its objects ([`Admission`]). Never fails: unreadable input and
/// invalid settings come back as findings (so `violations` and `admission` reject),
/// or, for the matrix, as an `errors` list (reading and validation errors: objects
/// with errors are left out of the matrix).
pub fn evaluate(entrypoint: Entrypoint, text: &str) -> Value {
    let admission = Admission::read(text, &Config::default());
    match entrypoint {
        Entrypoint::Violations => Value::Array(gatekeeper::violations(&admission.lint().report)),
        Entrypoint::Admission => json!({"response": admission.decision().response()}),
        Entrypoint::Lint => {
            let answer = admission.lint();
            serde_json::to_value(lint_json::document(&answer.report, crate::VERSION))
                .unwrap_or(Value::Null)
        }
        Entrypoint::Matrix => matrix(&admission),
    }
}

/// The matrix JSON of the input's objects, with the input's reading errors (if any)
/// under `errors`.
fn matrix(admission: &Admission) -> Value {
    let mut value = admission
        .matrix()
        .ok()
        .and_then(|answer| serde_json::to_value(answer).ok())
        .unwrap_or(Value::Null);
    let errors = admission.errors();
    if let (false, Value::Object(map)) = (errors.is_empty(), &mut value) {
        map.insert(String::from("errors"), json!(errors));
    }
    value
}
