//! Which rule contents can cover a given rule, found without comparing against all:
//! a rule covering another allows every peer (`from`/`to` absent or empty), or has
//! a peer of the same kind as the other's first peer, and for an ipBlock one whose
//! CIDR contains it ([`crate::lint::cover::rule_covers`] requires as much).

use crate::sorted::SortedMap;
use alloc::vec::Vec;

use ipnet::IpNet;

use crate::model::{Peer, Rule};

/// Rule contents (ids) indexed by what the rules they may cover start with.
#[derive(Clone, Debug, Default)]
pub struct Candidates {
    /// Contents allowing every peer.
    any_peer: Vec<usize>,
    /// Contents with an ipBlock peer, by that peer's CIDR (host bits cleared).
    by_cidr: SortedMap<IpNet, Vec<usize>>,
    /// Contents with a selector peer.
    selectors: Vec<usize>,
}

impl Candidates {
    /// Adds content `id`, whose rule is `rule` (once per content).
    pub fn add(&mut self, id: usize, rule: &Rule) {
        let peers = rule.peer_list();
        if peers.is_empty() {
            self.any_peer.push(id);
            return;
        }
        let mut has_selectors = false;
        for peer in peers {
            match peer {
                Peer::IpBlock(block) => {
                    // As many keys as distinct ipBlock CIDRs: the map stays small.
                    let cidr = block.cidr.value.trunc();
                    match self.by_cidr.get_mut(&cidr) {
                        Some(ids) if ids.last() == Some(&id) => {}
                        Some(ids) => ids.push(id),
                        None => {
                            self.by_cidr.insert(cidr, alloc::vec![id]);
                        }
                    }
                }
                Peer::Selectors { .. } => has_selectors = true,
            }
        }
        if has_selectors {
            self.selectors.push(id);
        }
    }

    /// The contents that may cover `narrow` (a superset of those that do; an id may
    /// come more than once).
    pub fn of<'s>(&'s self, narrow: &Rule) -> impl Iterator<Item = usize> + 's {
        let first = narrow.peer_list().first();
        let selectors = matches!(first, Some(Peer::Selectors { .. }));
        let supernets: Vec<IpNet> = match first {
            Some(Peer::IpBlock(block)) => {
                let net = block.cidr.value.trunc();
                (0..=net.prefix_len())
                    .filter_map(|len| IpNet::new(net.addr(), len).ok())
                    .map(|n| n.trunc())
                    .collect()
            }
            _ => Vec::new(),
        };
        let by_cidr = supernets
            .into_iter()
            .filter_map(|net| self.by_cidr.get(&net))
            .flatten()
            .copied();
        let with_selectors = self.selectors.iter().copied().filter(move |_| selectors);
        self.any_peer
            .iter()
            .copied()
            .chain(by_cidr)
            .chain(with_selectors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode;
    use crate::doc::Limits;
    use crate::model::Direction;
    use crate::source::{Source, SourceSet};

    const RULES: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: a\nspec:\n  podSelector: {}\n  ingress:\n    - ports: [{port: 80}]\n    - from: [{ipBlock: {cidr: 10.0.0.0/8}}]\n    - from: [{ipBlock: {cidr: 10.1.0.0/16, except: [10.1.2.0/24]}}]\n    - from: [{ipBlock: {cidr: 192.168.0.0/16}}, {podSelector: {}}]\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n";

    #[test]
    fn candidates_are_the_contents_that_can_cover() {
        let mut sources = SourceSet::new();
        sources.add(Source::new("p.yaml", RULES));
        let loaded = decode::load(&sources, &Limits::default());
        let rules = loaded.model.policies[0].rules(Direction::Ingress);
        let mut candidates = Candidates::default();
        for (id, rule) in rules.iter().enumerate() {
            candidates.add(id, rule);
        }
        let of = |i: usize| {
            let mut ids: Vec<usize> = candidates.of(&rules[i]).collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(of(0), [0], "all peers: only contents allowing all peers");
        assert_eq!(of(1), [0, 1], "10.0.0.0/8: not the /16 inside it");
        assert_eq!(of(2), [0, 1, 2], "10.1.0.0/16: itself and the /8");
        assert_eq!(of(3), [0, 3], "192.168.0.0/16 first");
        assert_eq!(of(4), [0, 3, 4], "a selector peer first");
    }
}
