//! JSON log lines on standard error: one per request, and one per server event.

use std::io::Write;
use std::string::{String, ToString};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::json;

/// One request as logged (never its body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLine<'a> {
    /// The request id (also the `x-request-id` answer header).
    pub id: &'a str,
    /// The HTTP method.
    pub method: &'a str,
    /// The path (without the query string).
    pub path: &'a str,
    /// `HTTP/1.1` or `HTTP/2.0`.
    pub protocol: &'a str,
    /// The status answered.
    pub status: u16,
    /// Time from the headers to the answer.
    pub duration: Duration,
    /// The error message answered, if any.
    pub error: Option<&'a str>,
}

/// Writes the log line of one request.
pub fn request(line: &RequestLine<'_>) {
    let mut value = json!({
        "time": unix_seconds(),
        "level": if line.status >= 500 { "error" } else { "info" },
        "msg": "request",
        "requestId": line.id,
        "method": line.method,
        "path": line.path,
        "protocol": line.protocol,
        "status": line.status,
        "durationMs": line.duration.as_secs_f64() * 1000.0,
    });
    if let (Some(error), Some(map)) = (line.error, value.as_object_mut()) {
        map.insert(String::from("error"), json!(error));
    }
    write_line(&value);
}

/// Writes the log line of a server event (`msg`) with its detail.
pub fn event(msg: &str, detail: &str) {
    write_line(&json!({
        "time": unix_seconds(),
        "level": "info",
        "msg": msg,
        "detail": detail,
    }));
}

/// Seconds since the epoch, with milliseconds.
fn unix_seconds() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
}

/// One line on standard error (a closed stderr is ignored).
fn write_line(value: &serde_json::Value) {
    let mut text = value.to_string();
    text.push('\n');
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
