//! The engine work behind each POST endpoint, as plain functions from the request
//! body to an answer: the same core calls as the command line (the admission
//! pipeline for `/validate` and the Gatekeeper provider, the [`Workspace`] for lint,
//! matrix and query). They run on the blocking pool, never on the network threads.

use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::admission;
use crate::api::{FlowRequest, LintOptions, MatrixFilter, SourceFile, Workspace};
use crate::lint::Config;
use crate::report::gatekeeper;

/// The `apiVersion` of Gatekeeper's external data protocol.
pub const PROVIDER_API_VERSION: &str = "externaldata.gatekeeper.sh/v1beta1";

/// The display name of manifests sent in a request body.
pub const BODY_NAME: &str = "request";

/// An answer: a status and a JSON body.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body (JSON).
    pub body: String,
}

impl Answer {
    /// `200` with `value` as JSON.
    pub fn ok(value: &impl serde::Serialize) -> Answer {
        match serde_json::to_string(value) {
            Ok(body) => Answer { status: 200, body },
            Err(error) => Answer::error(500, &format!("cannot write the answer: {error}")),
        }
    }

    /// `status` with `{"error": message}`.
    pub fn error(status: u16, message: &str) -> Answer {
        Answer {
            status,
            body: json!({ "error": message }).to_string(),
        }
    }

    /// `400` with `{"error": message}`.
    pub fn bad_request(message: &str) -> Answer {
        Answer::error(400, message)
    }
}

/// `POST /validate`: an AdmissionReview answered as `netpol admission` does.
pub fn validate(body: &[u8], config: &Config) -> Answer {
    let text = match json_text(body) {
        Ok(text) => text,
        Err(answer) => return answer,
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(review)) if review.get("request").is_some_and(Value::is_object) => {}
        Ok(_) => {
            return Answer::bad_request(
                "expected an AdmissionReview (admission.k8s.io/v1) with a 'request' object",
            )
        }
        Err(error) => return Answer::bad_request(&format!("invalid JSON: {error}")),
    }
    let reviewed = admission::review(text, config);
    Answer {
        status: 200,
        body: reviewed.json,
    }
}

/// Gatekeeper's `ProviderRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProviderRequest {
    api_version: Option<String>,
    kind: Option<String>,
    request: ProviderKeys,
}

/// The keys asked about.
#[derive(Debug, Deserialize)]
struct ProviderKeys {
    keys: Vec<String>,
}

/// `POST /gatekeeper/provider`: each key (the JSON text of one object) answered with
/// its violations (`[]` when clean), or an error when it is not a readable object.
pub fn gatekeeper_provider(body: &[u8], config: &Config) -> Answer {
    let text = match json_text(body) {
        Ok(text) => text,
        Err(answer) => return answer,
    };
    let request: ProviderRequest = match serde_json::from_str(text) {
        Ok(request) => request,
        Err(error) => {
            return Answer::bad_request(&format!(
                "expected a ProviderRequest ({{\"request\": {{\"keys\": [STRING]}}}}): {error}"
            ))
        }
    };
    if request
        .kind
        .as_deref()
        .is_some_and(|k| k != "ProviderRequest")
    {
        return Answer::bad_request("expected kind ProviderRequest");
    }
    if request
        .api_version
        .as_deref()
        .is_some_and(|v| v != PROVIDER_API_VERSION)
    {
        return Answer::bad_request(&format!("expected apiVersion {PROVIDER_API_VERSION}"));
    }
    let items: Vec<Value> = request
        .request
        .keys
        .iter()
        .map(|key| provider_item(key, config))
        .collect();
    Answer::ok(&json!({
        "apiVersion": PROVIDER_API_VERSION,
        "kind": "ProviderResponse",
        "response": {"idempotent": true, "items": items, "systemError": ""},
    }))
}

/// One key's item: `{"key", "value": violations}` or `{"key", "error"}`.
fn provider_item(key: &str, config: &Config) -> Value {
    match serde_json::from_str::<Value>(key) {
        Ok(Value::Object(object)) if object.get("kind").is_some_and(Value::is_string) => {}
        Ok(_) => {
            return json!({"key": key, "error": "not a Kubernetes object (a JSON object with a 'kind')"})
        }
        Err(error) => return json!({"key": key, "error": format!("invalid JSON: {error}")}),
    }
    // The object as Gatekeeper reviews it: one object under admission, so only the
    // rules that decide on one object alone apply.
    let wrapped = format!("{{\"review\": {{\"object\": {key}}}}}");
    let report = admission::check(&wrapped, config);
    json!({"key": key, "value": gatekeeper::violations(&report)})
}

/// `POST /v1/lint`: the lint JSON of the manifests in the body (YAML or JSON text; a
/// JSON array of objects too). Reading problems are findings, as on the command line.
pub fn lint(body: &[u8], config: &Config) -> Answer {
    let text = match utf8(body) {
        Ok(text) => text,
        Err(answer) => return answer,
    };
    if text.trim().is_empty() {
        return Answer::bad_request("empty body: expected manifests (YAML or JSON)");
    }
    let file = if text.trim_start().starts_with('[') {
        match serde_json::from_str::<Value>(text) {
            Ok(array) => SourceFile::object(BODY_NAME, array),
            Err(_) => SourceFile::text(BODY_NAME, text),
        }
    } else {
        SourceFile::text(BODY_NAME, text)
    };
    let workspace = Workspace::load(vec![file], config.clone());
    match workspace.lint(&LintOptions::default()) {
        Ok(answer) => Answer::ok(&answer),
        Err(error) => Answer::bad_request(error.message()),
    }
}

/// The body of `/v1/matrix`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MatrixBody {
    manifests: Value,
    #[serde(default)]
    view: MatrixFilter,
}

/// The body of `/v1/query`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryBody {
    manifests: Value,
    flow: FlowRequest,
}

/// `POST /v1/matrix`: `{"manifests": ..., "view"?: {...}}` to the matrix JSON.
pub fn matrix(body: &[u8], config: &Config) -> Answer {
    let request: MatrixBody = match parse_body(body, "{\"manifests\": ..., \"view\"?: {...}}") {
        Ok(request) => request,
        Err(answer) => return answer,
    };
    let workspace = match workspace(request.manifests, config) {
        Ok(workspace) => workspace,
        Err(answer) => return answer,
    };
    match workspace.matrix(&request.view) {
        Ok(answer) => Answer::ok(&answer),
        Err(error) => Answer::bad_request(error.message()),
    }
}

/// `POST /v1/query`: `{"manifests": ..., "flow": {...}}` to the query JSON.
pub fn query(body: &[u8], config: &Config) -> Answer {
    let request: QueryBody = match parse_body(
        body,
        "{\"manifests\": ..., \"flow\": {\"from\", \"to\", \"port\", \"protocol\"?}}",
    ) {
        Ok(request) => request,
        Err(answer) => return answer,
    };
    let workspace = match workspace(request.manifests, config) {
        Ok(workspace) => workspace,
        Err(answer) => return answer,
    };
    match workspace.query(&request.flow) {
        Ok(answer) => Answer::ok(&answer),
        Err(error) => Answer::bad_request(error.message()),
    }
}

/// A workspace over `manifests`: a text (YAML or JSON), an object or an array.
fn workspace(manifests: Value, config: &Config) -> Result<Workspace, Answer> {
    let file = match manifests {
        Value::String(text) => SourceFile::text(BODY_NAME, text),
        Value::Object(_) | Value::Array(_) => SourceFile::object(BODY_NAME, manifests),
        _ => {
            return Err(Answer::bad_request(
                "'manifests' must be a text (YAML or JSON), an object or an array",
            ))
        }
    };
    Ok(Workspace::load(vec![file], config.clone()))
}

/// The body parsed as JSON of type `T` (`shape` names it in the error).
fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8], shape: &str) -> Result<T, Answer> {
    let text = json_text(body)?;
    serde_json::from_str(text)
        .map_err(|error| Answer::bad_request(&format!("expected {shape}: {error}")))
}

/// The body as UTF-8 text that is not empty.
fn json_text(body: &[u8]) -> Result<&str, Answer> {
    let text = utf8(body)?;
    if text.trim().is_empty() {
        return Err(Answer::bad_request("empty body: expected JSON"));
    }
    Ok(text)
}

/// The body as UTF-8 text.
fn utf8(body: &[u8]) -> Result<&str, Answer> {
    std::str::from_utf8(body)
        .map_err(|error| Answer::bad_request(&format!("the body is not UTF-8 text: {error}")))
}

#[cfg(test)]
#[path = "handlers_tests.rs"]
mod tests;
