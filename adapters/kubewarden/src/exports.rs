//! The waPC registration and the Kubewarden metadata section (the two items that
//! need symbol-level attributes).
#![allow(unsafe_code)]

use kubewarden_policy_sdk::protocol_version_guest;
use kubewarden_policy_sdk::wapc_guest::register_function;

/// Kubewarden's policy metadata, read from the custom section
/// `io.kubewarden.metadata` (what `kwctl annotate` would write).
const METADATA: &[u8] = include_bytes!("../metadata.json");

// The linker keeps this byte array as a custom section; nothing reads it at run time.
#[link_section = "io.kubewarden.metadata"]
#[used]
static KUBEWARDEN_METADATA: [u8; METADATA.len()] = *include_bytes!("../metadata.json");

/// waPC start-up: registers the three operations.
// `no_mangle`: the host calls this export by name; it takes no arguments.
#[no_mangle]
pub extern "C" fn wapc_init() {
    register_function("protocol_version", protocol_version_guest);
    register_function("validate_settings", crate::validate_settings);
    register_function("validate", crate::validate);
}
