//! Field paths in the API server's style: `spec.ingress[0].from[1].ipBlock.cidr`.
//!
//! Paths are not stored on every field; they follow from where a field sits, and
//! these helpers spell them the one way every message uses.

use alloc::format;
use alloc::string::String;

use super::Direction;

/// `spec.ingress[i]` or `spec.egress[i]`.
pub fn rule(direction: Direction, rule: usize) -> String {
    format!("spec.{}[{rule}]", direction.field())
}

/// `spec.ingress[i].from[j]` or `spec.egress[i].to[j]`.
pub fn peer(direction: Direction, rule: usize, peer: usize) -> String {
    format!(
        "spec.{}[{rule}].{}[{peer}]",
        direction.field(),
        direction.peer_field()
    )
}

/// `spec.ingress[i].ports[k]` (or egress).
pub fn port(direction: Direction, rule: usize, port: usize) -> String {
    format!("spec.{}[{rule}].ports[{port}]", direction.field())
}
