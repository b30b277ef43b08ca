//! A POST request's work: reading its body within the limits, then the endpoint's
//! analysis on the blocking pool within the concurrency bound and the time limit.

use std::format;
use std::sync::Arc;

use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::CONTENT_LENGTH;
use hyper::Request;

use super::handlers::{self, Answer};
use super::routes::Endpoint;
use super::server::State;

/// Reads the body within the size limit (413) and the body timeout (408).
pub async fn read_body(state: &State, request: Request<Incoming>) -> Result<Bytes, Answer> {
    let limit = state.options.max_body;
    let too_large = || Answer::error(413, &format!("the body is over the limit of {limit} bytes"));
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let body = Limited::new(request.into_body(), limit);
    match tokio::time::timeout(state.options.body_timeout, body.collect()).await {
        Err(_) => Err(Answer::error(408, "the body did not arrive in time")),
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Ok(Err(error)) => Err(Answer::bad_request(&format!(
            "the body could not be read: {error}"
        ))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// Runs the endpoint's engine work on the blocking pool: at most `max_concurrent`
/// at once (others wait), within `request_timeout` from here, waiting included.
pub async fn analyse(state: &State, endpoint: Endpoint, body: Bytes) -> Answer {
    let timeout = state.options.request_timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let busy = || {
        Answer::error(
            503,
            &format!(
                "the analysis did not finish within {} ms",
                timeout.as_millis()
            ),
        )
    };
    let permit = match tokio::time::timeout_at(
        deadline,
        Arc::clone(&state.analyses).acquire_owned(),
    )
    .await
    {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) | Err(_) => return busy(),
    };
    let config = state.config.clone();
    // The permit moves into the work: a request that timed out still holds its slot
    // until its analysis really ends, so runaway work cannot pile up.
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let body: &[u8] = &body;
        match endpoint {
            Endpoint::Validate => handlers::validate(body, &config),
            Endpoint::GatekeeperProvider => handlers::gatekeeper_provider(body, &config),
            Endpoint::Lint => handlers::lint(body, &config),
            Endpoint::Matrix => handlers::matrix(body, &config),
            _ => handlers::query(body, &config),
        }
    });
    match tokio::time::timeout_at(deadline, work).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(_)) => Answer::error(500, "the analysis failed"),
        Err(_) => busy(),
    }
}
