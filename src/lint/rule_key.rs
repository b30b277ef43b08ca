//! Rules by content: a key that leaves spans out, so the many copies of one rule in
//! similar policies are compared once ([`crate::lint::cover::rule_covers`] compares
//! keys).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use ipnet::IpNet;

use crate::model::{CanonicalTerms, Peer, PortValue, Protocol, Rule};

/// The content of a rule: peers (selectors in canonical form, ipBlocks as written)
/// and ports as written, without spans.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleKey<'m> {
    peers: Option<Vec<PeerKey<'m>>>,
    ports: Option<Vec<PortKey<'m>>>,
}

/// The content of a peer: selectors in canonical form, an ipBlock as written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PeerKey<'m> {
    /// `podSelector` and/or `namespaceSelector`.
    Selectors {
        /// `podSelector`'s terms.
        pods: Option<CanonicalTerms<'m>>,
        /// `namespaceSelector`'s terms.
        namespaces: Option<CanonicalTerms<'m>>,
    },
    /// `ipBlock`.
    IpBlock {
        /// `cidr` as written.
        cidr: IpNet,
        /// `except` as written.
        except: Vec<IpNet>,
    },
}

/// `protocol` as written, `port`, `endPort`.
pub type PortKey<'m> = (Option<Protocol>, Option<&'m PortValue>, Option<u16>);

impl<'m> RuleKey<'m> {
    /// The key of `rule`.
    pub fn of(rule: &'m Rule) -> RuleKey<'m> {
        let peers = rule.peers.as_ref().map(|peers| {
            peers
                .value
                .iter()
                .map(|peer| match peer {
                    Peer::Selectors {
                        pods, namespaces, ..
                    } => PeerKey::Selectors {
                        pods: pods.as_ref().map(|s| s.canonical_terms()),
                        namespaces: namespaces.as_ref().map(|s| s.canonical_terms()),
                    },
                    Peer::IpBlock(block) => PeerKey::IpBlock {
                        cidr: block.cidr.value,
                        except: block.except.iter().map(|e| e.value).collect(),
                    },
                })
                .collect()
        });
        let ports = rule.ports.as_ref().map(|ports| {
            ports
                .value
                .iter()
                .map(|entry| {
                    (
                        entry.protocol.as_ref().map(|p| p.value),
                        entry.port.as_ref().map(|p| &p.value),
                        entry.end_port.as_ref().map(|e| e.value),
                    )
                })
                .collect()
        });
        RuleKey { peers, ports }
    }

    /// The peers (empty when `from`/`to` is absent or empty: every peer).
    pub fn peers(&self) -> &[PeerKey<'m>] {
        self.peers.as_deref().unwrap_or(&[])
    }

    /// The port entries (empty when `ports` is absent or empty: every port).
    pub fn ports(&self) -> &[PortKey<'m>] {
        self.ports.as_deref().unwrap_or(&[])
    }
}

/// Rule contents numbered in order of first appearance, each with the first rule
/// that had it.
#[derive(Default)]
pub struct RuleKeys<'m> {
    ids: BTreeMap<RuleKey<'m>, usize>,
    first: Vec<&'m Rule>,
}

impl<'m> RuleKeys<'m> {
    /// The id of `rule`'s content (a new one for a content not seen before).
    pub fn id(&mut self, rule: &'m Rule) -> usize {
        let next = self.first.len();
        let id = *self.ids.entry(RuleKey::of(rule)).or_insert(next);
        if id == next {
            self.first.push(rule);
        }
        id
    }

    /// Every content, by id: its key and the first rule that had it.
    pub fn into_contents(self) -> Vec<(RuleKey<'m>, &'m Rule)> {
        let mut keys: Vec<Option<RuleKey<'m>>> = alloc::vec![None; self.first.len()];
        for (key, id) in self.ids {
            if let Some(slot) = keys.get_mut(id) {
                *slot = Some(key);
            }
        }
        keys.into_iter()
            .zip(self.first)
            .filter_map(|(key, rule)| key.map(|key| (key, rule)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode;
    use crate::doc::Limits;
    use crate::model::Direction;
    use crate::source::{Source, SourceSet};

    const RULES: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: a\nspec:\n  podSelector: {}\n  ingress:\n    - from: [{podSelector: {matchLabels: {x: '1', y: '2'}}}]\n      ports: [{port: 80}]\n    - ports: [{port: 80}]\n      from: [{podSelector: {matchLabels: {y: '2', x: '1'}}}]\n    - from: [{podSelector: {matchLabels: {x: '1'}}}]\n      ports: [{port: 80}]\n    - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n    - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.2.0.0/16]}}]\n      ports: [{port: 80, protocol: TCP}]\n";

    #[test]
    fn equal_contents_share_an_id_whatever_the_spans_and_order() {
        let mut sources = SourceSet::new();
        sources.add(Source::new("p.yaml", RULES));
        let loaded = decode::load(&sources, &Limits::default());
        let rules = loaded.model.policies[0].rules(Direction::Ingress);
        let mut keys = RuleKeys::default();
        let ids: Vec<usize> = rules.iter().map(|r| keys.id(r)).collect();
        assert_eq!(ids, [0, 0, 1, 2, 3]);
        let contents = keys.into_contents();
        assert_eq!(contents.len(), 4);
        assert_eq!(contents[0], (RuleKey::of(&rules[0]), &rules[0]));
        assert_eq!(contents[3], (RuleKey::of(&rules[4]), &rules[4]));
    }
}
