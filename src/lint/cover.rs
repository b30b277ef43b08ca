//! Whether one rule content's traffic is contained in another's, decided on the
//! manifests alone (sound: "covered" is only answered when it holds for every
//! cluster). Works on [`RuleKey`]s, whose selectors are already in canonical form,
//! so a comparison allocates nothing.

use ipnet::IpNet;

use crate::lint::nets::same_family;
use crate::lint::rule_key::{PeerKey, PortKey, RuleKey};
use crate::lint::walk::terms_superset;
use crate::model::{CanonicalTerms, PortValue, Protocol};

/// Whether everything `narrow` allows, `broad` allows too (same direction, policies
/// of the same namespace).
pub fn rule_covers(broad: &RuleKey<'_>, narrow: &RuleKey<'_>) -> bool {
    peers_cover(broad, narrow) && ports_cover(broad, narrow)
}

fn peers_cover(broad: &RuleKey<'_>, narrow: &RuleKey<'_>) -> bool {
    if broad.peers().is_empty() {
        return true;
    }
    !narrow.peers().is_empty()
        && narrow
            .peers()
            .iter()
            .all(|n| broad.peers().iter().any(|b| peer_covers(b, n)))
}

fn peer_covers(broad: &PeerKey<'_>, narrow: &PeerKey<'_>) -> bool {
    match (broad, narrow) {
        (
            PeerKey::IpBlock {
                cidr: b,
                except: be,
            },
            PeerKey::IpBlock {
                cidr: n,
                except: ne,
            },
        ) => block_covers((b, be), (n, ne)),
        (
            PeerKey::Selectors {
                pods: bp,
                namespaces: bn,
            },
            PeerKey::Selectors {
                pods: np,
                namespaces: nn,
            },
        ) => {
            let namespaces_ok = match (bn, nn) {
                (None, None) => true,
                (Some(b), Some(n)) => terms_superset(b, n),
                // `namespaceSelector: {}` matches every namespace, the policy's own too.
                (Some(b), None) => selects_all(b),
                (None, Some(_)) => false,
            };
            let pods_ok = match (bp, np) {
                (None, _) => true,
                (Some(b), None) => selects_all(b),
                (Some(b), Some(n)) => terms_superset(b, n),
            };
            namespaces_ok && pods_ok
        }
        _ => false,
    }
}

/// Whether the selector of these terms is empty (it selects everything).
fn selects_all((labels, expressions): &CanonicalTerms<'_>) -> bool {
    labels.is_empty() && expressions.is_empty()
}

/// Whether every address the ipBlock `narrow` (cidr, except) matches, `broad`
/// matches.
fn block_covers(broad: (&IpNet, &[IpNet]), narrow: (&IpNet, &[IpNet])) -> bool {
    let (b, n) = (broad.0.trunc(), narrow.0.trunc());
    if !same_family(&b, &n) || !b.contains(&n) {
        return false;
    }
    broad.1.iter().all(|e| {
        let e = e.trunc();
        let overlaps = n.contains(&e) || e.contains(&n);
        !overlaps || narrow.1.iter().any(|ne| ne.trunc().contains(&e))
    })
}

fn ports_cover(broad: &RuleKey<'_>, narrow: &RuleKey<'_>) -> bool {
    if broad.ports().is_empty() {
        return true;
    }
    !narrow.ports().is_empty()
        && narrow
            .ports()
            .iter()
            .all(|n| broad.ports().iter().any(|b| entry_covers(b, n)))
}

fn entry_covers(broad: &PortKey<'_>, narrow: &PortKey<'_>) -> bool {
    let protocol = |entry: &PortKey<'_>| entry.0.unwrap_or(Protocol::Tcp);
    if protocol(broad) != protocol(narrow) {
        return false;
    }
    let Some(b) = broad.1 else { return true };
    let Some(n) = narrow.1 else { return false };
    match (b, n) {
        (PortValue::Number(bs), PortValue::Number(ns)) => {
            let be = broad.2.unwrap_or(*bs);
            let ne = narrow.2.unwrap_or(*ns);
            bs <= ns && ne <= be
        }
        (PortValue::Name(bn), PortValue::Name(nn)) => bn == nn,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode;
    use crate::doc::Limits;
    use crate::lint::redundancy::tests::generated_policies;
    use crate::lint::walk::{all_peers, all_ports, selects_superset};
    use crate::model::{Direction, IpBlock, Peer, PortEntry, Rule};
    use crate::source::{Source, SourceSet};
    use alloc::vec::Vec;

    /// [`rule_covers`] on the rules as written (selectors compared with
    /// [`selects_superset`]): what the keys must answer alike.
    fn covers_as_written(broad: &Rule, narrow: &Rule) -> bool {
        let peers = all_peers(broad)
            || !all_peers(narrow)
                && narrow.peer_list().iter().all(|n| {
                    broad
                        .peer_list()
                        .iter()
                        .any(|b| peer_covers_as_written(b, n))
                });
        let ports = all_ports(broad)
            || !all_ports(narrow)
                && narrow.port_list().iter().all(|n| {
                    broad
                        .port_list()
                        .iter()
                        .any(|b| entry_covers_as_written(b, n))
                });
        peers && ports
    }

    fn peer_covers_as_written(broad: &Peer, narrow: &Peer) -> bool {
        match (broad, narrow) {
            (Peer::IpBlock(b), Peer::IpBlock(n)) => block_covers_as_written(b, n),
            (
                Peer::Selectors {
                    pods: bp,
                    namespaces: bn,
                    ..
                },
                Peer::Selectors {
                    pods: np,
                    namespaces: nn,
                    ..
                },
            ) => {
                let namespaces = match (bn, nn) {
                    (None, None) => true,
                    (Some(b), Some(n)) => selects_superset(b, n),
                    (Some(b), None) => b.is_empty(),
                    (None, Some(_)) => false,
                };
                let pods = match (bp, np) {
                    (None, _) => true,
                    (Some(b), None) => b.is_empty(),
                    (Some(b), Some(n)) => selects_superset(b, n),
                };
                namespaces && pods
            }
            _ => false,
        }
    }

    fn block_covers_as_written(broad: &IpBlock, narrow: &IpBlock) -> bool {
        let except = |block: &IpBlock| block.except.iter().map(|e| e.value).collect::<Vec<_>>();
        block_covers(
            (&broad.cidr.value, &except(broad)),
            (&narrow.cidr.value, &except(narrow)),
        )
    }

    fn entry_covers_as_written(broad: &PortEntry, narrow: &PortEntry) -> bool {
        if broad.protocol() != narrow.protocol() {
            return false;
        }
        let Some(b) = &broad.port else { return true };
        let Some(n) = &narrow.port else { return false };
        match (&b.value, &n.value) {
            (PortValue::Number(bs), PortValue::Number(ns)) => {
                let be = broad.end_port.as_ref().map_or(*bs, |e| e.value);
                let ne = narrow.end_port.as_ref().map_or(*ns, |e| e.value);
                bs <= ns && ne <= be
            }
            (PortValue::Name(bn), PortValue::Name(nn)) => bn == nn,
            _ => false,
        }
    }

    #[test]
    fn keys_cover_as_the_rules_written_do() {
        let mut sources = SourceSet::new();
        sources.add(Source::new("p.yaml", generated_policies(7, 120)));
        let loaded = decode::load(&sources, &Limits::default());
        let rules: Vec<&Rule> = loaded
            .model
            .policies
            .iter()
            .flat_map(|p| Direction::BOTH.into_iter().flat_map(|d| p.rules(d)))
            .collect();
        assert!(rules.len() > 100);
        let mut covering = 0;
        for broad in &rules {
            for narrow in &rules {
                let expected = covers_as_written(broad, narrow);
                assert_eq!(
                    rule_covers(&RuleKey::of(broad), &RuleKey::of(narrow)),
                    expected,
                    "{broad:?} over {narrow:?}"
                );
                covering += usize::from(expected);
            }
        }
        assert!(covering > rules.len(), "some distinct rules cover others");
    }
}
