//! The WebAssembly face (feature `wasm`): what the npm package's JavaScript API
//! calls. `npx netpol` is not here: it runs the WASI command (`pkg/wasi/netpol.wasm`,
//! the native binary's source) under Node's `node:wasi`.
//!
//! Thin by design, every export a typed call of [`crate::api`]:
//!
//! - [`WorkspaceHandle`] owns an [`crate::api::Workspace`]: `load` and its
//!   workspace, and the one-shot `lint`, `matrix`, `query`, `testConnectivity`,
//!   `diff` built on it. Typed requests in, typed answers out, with the UTF-16
//!   columns editors need computed from each source's line table.
//! - [`format_answer`] renders the answer of a one-shot call in another format
//!   through the renderers of [`crate::report`]; [`rules_json`] is the rule
//!   catalogue; [`validate_admission`] answers an AdmissionReview
//!   ([`crate::admission`]); [`ports_text`] writes an answer's `allowed` list as
//!   text.
//!
//! Nothing here panics or throws: every problem is an error envelope. Misuse of the
//! API (wrong argument types) is caught by the JavaScript glue before it gets here.

use alloc::string::String;

use wasm_bindgen::prelude::wasm_bindgen;

use crate::report::context::Timestamp;

mod render;
mod reply_json;
mod workspace;

pub use render::{format_answer, ports_text, rules_json, validate_admission};
pub use workspace::WorkspaceHandle;

/// The name configuration errors give the API's `options.config` (and
/// `validateAdmission`'s settings).
pub const CONFIG_PATH: &str = "options.config";

/// The version of netpol (the crate version, as `netpol version` prints it).
#[wasm_bindgen]
pub fn version() -> String {
    String::from(crate::VERSION)
}

/// Milliseconds since the epoch as a [`Timestamp`] (negative or not finite: the
/// epoch).
pub fn timestamp(now_ms: f64) -> Timestamp {
    if !now_ms.is_finite() || now_ms < 0.0 {
        return Timestamp::default();
    }
    let millis = now_ms as i64;
    Timestamp {
        seconds: millis / 1000,
        nanos: i32::try_from((millis % 1000) * 1_000_000).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_split_milliseconds_and_clamp_to_the_epoch() {
        let stamp = timestamp(1_700_000_000_123.0);
        assert_eq!((stamp.seconds, stamp.nanos), (1_700_000_000, 123_000_000));
        assert_eq!(timestamp(-5.0), Timestamp::default());
        assert_eq!(timestamp(f64::NAN), Timestamp::default());
    }
}
