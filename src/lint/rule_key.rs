//! Rules by content: a key that leaves spans out, so the many copies of one rule in
//! similar policies are compared once ([`crate::lint::cover::rule_covers`] compares
//! keys).

use alloc::vec::Vec;
use core::ops::Range;

use ipnet::IpNet;

use crate::first_seen::first_seen_ids_by_hash;
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

/// Rule contents numbered in order of first appearance: per rule of `rules` the
/// id of its content, and per content the first rule that had it, with its key.
/// Contents are told apart by the hash of their [`words`] and a comparison of
/// words: no key is built or ordered per rule.
pub fn number_contents<'m>(rules: &[&'m Rule]) -> (Vec<u32>, Vec<(RuleKey<'m>, &'m Rule)>) {
    let mut all_words: Vec<Word<'m>> = Vec::new();
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(rules.len());
    for rule in rules {
        let start = all_words.len();
        words::write_rule(rule, &mut all_words);
        ranges.push(start..all_words.len());
    }
    let words_of = |at: usize| ranges.get(at).and_then(|r| all_words.get(r.clone()));
    let hashes: Vec<u64> = (0..rules.len())
        .map(|at| words::hash(words_of(at).unwrap_or_default()))
        .collect();
    let (ids, firsts) = first_seen_ids_by_hash(&hashes, &mut |a, b| words_of(a) == words_of(b));
    let contents = firsts
        .into_iter()
        .filter_map(|at| rules.get(at))
        .map(|rule| (RuleKey::of(rule), *rule))
        .collect();
    (ids, contents)
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
        let (ids, contents) = number_contents(&rules.iter().collect::<Vec<_>>());
        assert_eq!(ids, [0, 0, 1, 2, 3]);
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
        let (ids, contents) = number_contents(&rules);
        for (a, id_a) in rules.iter().zip(&ids) {
            for (b, id_b) in rules.iter().zip(&ids) {
                assert_eq!(id_a == id_b, RuleKey::of(a) == RuleKey::of(b));
            }
        }
        assert!(contents.len() > 20);
    }
}
