//! Rules by content: a key that leaves spans out, so the many copies of one rule in
//! similar policies are compared once ([`crate::lint::cover::rule_covers`] compares
//! keys).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::ops::Range;

use ipnet::IpNet;

use crate::model::{CanonicalTerms, Peer, PortValue, Protocol, Rule};
use words::Word;

mod words;

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
/// that had it. A rule's content is found by the hash of its [`words`] and a
/// comparison of words: no key is built or ordered per rule.
#[derive(Default)]
pub struct RuleKeys<'m> {
    /// The first content of each hash.
    by_hash: BTreeMap<u64, usize>,
    /// Per content: the next content of the same hash (practically never one).
    same_hash: Vec<Option<usize>>,
    /// The words of every content, one after another (then, while a rule is
    /// numbered, its words).
    words: Vec<Word<'m>>,
    /// Per content: its range in `words`.
    ranges: Vec<Range<usize>>,
    /// Per content: the first rule that had it.
    first: Vec<&'m Rule>,
}

impl<'m> RuleKeys<'m> {
    /// The id of `rule`'s content (a new one for a content not seen before).
    pub fn id(&mut self, rule: &'m Rule) -> usize {
        let start = self.words.len();
        words::write_rule(rule, &mut self.words);
        let written = self.words.get(start..).unwrap_or_default();
        let hash = words::hash(written);
        let mut last_of_hash = None;
        let mut next_of_hash = self.by_hash.get(&hash).copied();
        while let Some(id) = next_of_hash {
            let known = self.ranges.get(id).and_then(|r| self.words.get(r.clone()));
            if known == Some(written) {
                self.words.truncate(start);
                return id;
            }
            last_of_hash = Some(id);
            next_of_hash = self.same_hash.get(id).copied().flatten();
        }
        let id = self.first.len();
        match last_of_hash.and_then(|last| self.same_hash.get_mut(last)) {
            Some(next) => *next = Some(id),
            None => {
                self.by_hash.insert(hash, id);
            }
        }
        self.same_hash.push(None);
        self.ranges.push(start..self.words.len());
        self.first.push(rule);
        id
    }

    /// Every content, by id: its key and the first rule that had it.
    pub fn into_contents(self) -> Vec<(RuleKey<'m>, &'m Rule)> {
        self.first
            .into_iter()
            .map(|rule| (RuleKey::of(rule), rule))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode;
    use crate::doc::Limits;
    use crate::lint::redundancy::tests::generated_policies;
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

    const EXPRESSIONS: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: q\n  namespace: a\nspec:\n  podSelector: {}\n  egress:\n    - to: [{podSelector: {matchExpressions: [{key: b, operator: In, values: [y, x, x]}, {key: a, operator: Exists}]}}]\n    - to: [{podSelector: {matchExpressions: [{key: a, operator: Exists}, {key: b, operator: In, values: [x, y]}]}}]\n    - to: [{podSelector: {matchExpressions: [{key: a, operator: Exists}, {key: b, operator: NotIn, values: [x, y]}]}}]\n";

    #[test]
    fn rules_share_an_id_exactly_when_their_keys_are_equal() {
        let mut sources = SourceSet::new();
        sources.add(Source::new("p.yaml", generated_policies(7, 200)));
        sources.add(Source::new("q.yaml", RULES));
        sources.add(Source::new("r.yaml", EXPRESSIONS));
        let loaded = decode::load(&sources, &Limits::default());
        let rules: Vec<&Rule> = loaded
            .model
            .policies
            .iter()
            .flat_map(|p| Direction::BOTH.map(|d| p.rules(d)))
            .flatten()
            .collect();
        let mut keys = RuleKeys::default();
        let ids: Vec<usize> = rules.iter().map(|r| keys.id(r)).collect();
        for (a, id_a) in rules.iter().zip(&ids) {
            for (b, id_b) in rules.iter().zip(&ids) {
                assert_eq!(id_a == id_b, RuleKey::of(a) == RuleKey::of(b));
            }
        }
        assert!(keys.into_contents().len() > 20);
    }
}
