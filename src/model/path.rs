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
/// of a peer. Written piece by piece, without the formatting machinery: rules
/// write one for every finding about a peer.
pub fn in_peer(direction: Direction, rule: usize, peer: usize, field: &str) -> String {
    let mut path = String::with_capacity(32 + field.len());
    path.push_str("spec.");
    path.push_str(direction.field());
    path.push('[');
    push_decimal(&mut path, rule);
    path.push_str("].");
    path.push_str(direction.peer_field());
    path.push('[');
    push_decimal(&mut path, peer);
    path.push_str("].");
    path.push_str(field);
    path
}

/// Appends `n` in decimal to `out`.
fn push_decimal(out: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `spec.ingress[i].ports[k]` (or egress).
pub fn port(direction: Direction, rule: usize, port: usize) -> String {
    format!("spec.{}[{rule}].ports[{port}]", direction.field())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_fields_are_the_peer_path_and_the_field() {
        for direction in Direction::BOTH {
            for (rule, peer) in [(0, 0), (9, 10), (123, 4567), (usize::MAX, 1)] {
                assert_eq!(
                    in_peer(direction, rule, peer, "ipBlock.cidr"),
                    format!("{}.ipBlock.cidr", self::peer(direction, rule, peer))
                );
            }
        }
    }
}
