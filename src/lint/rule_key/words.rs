//! A rule's content as a flat sequence of words: what [`RuleKey::of`] keeps (spans
//! left out, selectors in canonical form), written into a reused buffer instead of
//! a tree of vectors, so that contents are told apart by a hash and a comparison of
//! words.
//!
//! The words encode the key without ambiguity (every optional part starts with
//! whether it is there, every list with its length, every peer with its kind), so
//! two rules have equal words exactly when they have equal keys.
//!
//! [`RuleKey::of`]: super::RuleKey::of

use alloc::vec::Vec;
use core::cmp::Ordering;

use ipnet::IpNet;

use crate::model::{LabelSelector, Operator, Peer, PortEntry, PortValue, Requirement, Rule};
use crate::text_hash::{text_hash, word_hash};

/// One word of a rule's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word<'m> {
    /// A length, a kind, an operator, a protocol or a port number.
    Number(u64),
    /// A label key or value, or a port name.
    Text(&'m str),
    /// A CIDR as written.
    Net(IpNet),
}

/// Appends the words of `rule`'s content to `out`.
pub fn write_rule<'m>(rule: &'m Rule, out: &mut Vec<Word<'m>>) {
    write_list(
        rule.peers.as_ref().map(|p| p.value.as_slice()),
        out,
        write_peer,
    );
    write_list(
        rule.ports.as_ref().map(|p| p.value.as_slice()),
        out,
        write_port,
    );
}

/// A hash of `words` (equal words, equal hashes).
pub fn hash(words: &[Word<'_>]) -> u64 {
    words.iter().fold(0, |hash, word| match word {
        Word::Number(n) => word_hash(*n, hash),
        Word::Text(text) => text_hash(text.as_bytes(), hash),
        Word::Net(IpNet::V4(net)) => {
            text_hash(&net.addr().octets(), hash ^ 4).wrapping_add(u64::from(net.prefix_len()))
        }
        Word::Net(IpNet::V6(net)) => {
            text_hash(&net.addr().octets(), hash ^ 6).wrapping_add(u64::from(net.prefix_len()))
        }
    })
}

/// The word of a list's length.
fn length(n: usize) -> Word<'static> {
    Word::Number(n as u64)
}

/// The word of a present optional part numbered `n` ([`ABSENT`] is `0`).
fn present(n: usize) -> Word<'static> {
    Word::Number(n as u64 + 1)
}

/// The word of an absent optional part.
const ABSENT: Word<'static> = Word::Number(0);

/// Appends an optional list: absent, or present with its length, then its items.
fn write_list<'m, T>(
    list: Option<&'m [T]>,
    out: &mut Vec<Word<'m>>,
    write_item: fn(&'m T, &mut Vec<Word<'m>>),
) {
    let Some(items) = list else {
        out.push(ABSENT);
        return;
    };
    out.push(present(items.len()));
    for item in items {
        write_item(item, out);
    }
}

/// Appends a peer: its kind, then its selectors or its ipBlock.
fn write_peer<'m>(peer: &'m Peer, out: &mut Vec<Word<'m>>) {
    match peer {
        Peer::Selectors {
            pods, namespaces, ..
        } => {
            out.push(Word::Number(0));
            write_selector(pods.as_ref(), out);
            write_selector(namespaces.as_ref(), out);
        }
        Peer::IpBlock(block) => {
            out.push(Word::Number(1));
            out.push(Word::Net(block.cidr.value));
            out.push(length(block.except.len()));
            out.extend(block.except.iter().map(|e| Word::Net(e.value)));
        }
    }
}

/// Appends an optional selector's canonical terms
/// ([`LabelSelector::canonical_terms`]), read as written when they already are.
fn write_selector<'m>(selector: Option<&'m LabelSelector>, out: &mut Vec<Word<'m>>) {
    let Some(selector) = selector else {
        out.push(ABSENT);
        return;
    };
    out.push(present(0));
    let labels = || {
        selector
            .match_labels
            .iter()
            .map(|(k, v)| (k.value.as_str(), v.value.as_str()))
    };
    let expressions = &selector.match_expressions;
    let canonical = strictly_ascending(labels(), |a, b| a.cmp(b))
        && expressions
            .iter()
            .all(|r| strictly_ascending(values(r), Ord::cmp))
        && strictly_ascending(expressions.iter(), |a, b| {
            (a.key.value.as_str(), a.operator.value)
                .cmp(&(b.key.value.as_str(), b.operator.value))
                .then_with(|| values(a).cmp(values(b)))
        });
    if canonical {
        write_labels(labels(), out);
        out.push(length(expressions.len()));
        for r in expressions {
            write_expression(&r.key.value, r.operator.value, values(r), out);
        }
    } else {
        let (labels, expressions) = selector.canonical_terms();
        write_labels(labels.into_iter(), out);
        out.push(length(expressions.len()));
        for (key, operator, values) in expressions {
            write_expression(key, operator, values.into_iter(), out);
        }
    }
}

/// The values of a `matchExpressions` entry as written.
fn values(requirement: &Requirement) -> impl ExactSizeIterator<Item = &str> + Clone {
    requirement.values.iter().map(|v| v.value.as_str())
}

/// Whether `items` are strictly ascending by `compare` (sorted, without repeats: as
/// canonical terms are).
fn strictly_ascending<T>(
    items: impl Iterator<Item = T> + Clone,
    compare: impl Fn(&T, &T) -> Ordering,
) -> bool {
    items
        .clone()
        .zip(items.skip(1))
        .all(|(a, b)| compare(&a, &b).is_lt())
}

/// Appends `matchLabels` pairs.
fn write_labels<'m>(
    labels: impl ExactSizeIterator<Item = (&'m str, &'m str)>,
    out: &mut Vec<Word<'m>>,
) {
    out.push(length(labels.len()));
    for (key, value) in labels {
        out.extend([Word::Text(key), Word::Text(value)]);
    }
}

/// Appends a `matchExpressions` entry.
fn write_expression<'m>(
    key: &'m str,
    operator: Operator,
    values: impl ExactSizeIterator<Item = &'m str>,
    out: &mut Vec<Word<'m>>,
) {
    out.extend([
        Word::Text(key),
        Word::Number(operator as u64),
        length(values.len()),
    ]);
    out.extend(values.map(Word::Text));
}

/// Appends a port entry: protocol, port and end port, each absent or its value.
fn write_port<'m>(entry: &'m PortEntry, out: &mut Vec<Word<'m>>) {
    out.push(
        entry
            .protocol
            .as_ref()
            .map_or(ABSENT, |p| present(p.value as usize)),
    );
    match entry.port.as_ref().map(|p| &p.value) {
        None => out.push(ABSENT),
        Some(PortValue::Number(n)) => out.extend([present(0), Word::Number(u64::from(*n))]),
        Some(PortValue::Name(name)) => out.extend([present(1), Word::Text(name)]),
    }
    out.push(
        entry
            .end_port
            .as_ref()
            .map_or(ABSENT, |e| present(usize::from(e.value))),
    );
}
