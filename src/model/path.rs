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

/// `spec.ingress[i].from[j].<field>` or `spec.egress[i].to[j].<field>`: a field
/// of a peer.
pub fn in_peer(direction: Direction, rule: usize, peer: usize, field: &str) -> String {
    let mut path = self::peer(direction, rule, peer);
    path.push('.');
    path.push_str(field);
    path
}

/// `spec.ingress[i].ports[k]` (or egress).
pub fn port(direction: Direction, rule: usize, port: usize) -> String {
    format!("spec.{}[{rule}].ports[{port}]", direction.field())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_fields_follow_the_peer_path() {
        assert_eq!(
            in_peer(Direction::Ingress, 0, 12, "ipBlock.cidr"),
            "spec.ingress[0].from[12].ipBlock.cidr"
        );
        assert_eq!(
            in_peer(Direction::Egress, 3, 1, "namespaceSelector"),
            "spec.egress[3].to[1].namespaceSelector"
        );
    }
}
