//! Verdicts about label selectors, each distinct selector judged once per run
//! without putting selectors in a canonical form (no allocation per lookup).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::model::LabelSelector;
use crate::text_hash::{text_hash, word_hash};

/// A verdict per distinct selector: selectors are told apart by their terms as
/// written (spans aside), found by a hash of them and compared in full on an
/// equal hash. Selectors that differ only in term order are judged apart, which
/// the verdict, a function of the selector, does not notice.
pub struct SelectorMemo<'s, T> {
    /// Per hash of the terms: the selectors judged, with their verdicts.
    verdicts: BTreeMap<u64, Vec<(&'s LabelSelector, T)>>,
}

impl<T> Default for SelectorMemo<'_, T> {
    fn default() -> Self {
        SelectorMemo {
            verdicts: BTreeMap::new(),
        }
    }
}

impl<'s, T: Copy> SelectorMemo<'s, T> {
    /// The verdict on `selector`: `judge`'s, asked the first time a selector with
    /// the same terms comes.
    pub fn verdict(
        &mut self,
        selector: &'s LabelSelector,
        judge: impl FnOnce(&LabelSelector) -> T,
    ) -> T {
        let judged = self
            .verdicts
            .entry(written_terms_hash(selector))
            .or_default();
        if let Some((_, verdict)) = judged.iter().find(|(s, _)| same_terms(s, selector)) {
            return *verdict;
        }
        let verdict = judge(selector);
        judged.push((selector, verdict));
        verdict
    }
}

/// A hash of `selector`'s terms in the order written (spans left out).
fn written_terms_hash(selector: &LabelSelector) -> u64 {
    let mut hash = word_hash(selector.match_labels.len() as u64, 0);
    for (key, value) in &selector.match_labels {
        hash = text_hash(
            value.value.as_bytes(),
            text_hash(key.value.as_bytes(), hash),
        );
    }
    for requirement in &selector.match_expressions {
        hash = text_hash(requirement.key.value.as_bytes(), hash);
        hash = word_hash(requirement.operator.value as u64, hash);
        hash = word_hash(requirement.values.len() as u64, hash);
        for value in &requirement.values {
            hash = text_hash(value.value.as_bytes(), hash);
        }
    }
    hash
}

/// Whether `a` and `b` have the same terms in the same order (spans aside).
fn same_terms(a: &LabelSelector, b: &LabelSelector) -> bool {
    let labels = a.match_labels.len() == b.match_labels.len()
        && a.match_labels
            .iter()
            .zip(&b.match_labels)
            .all(|((ka, va), (kb, vb))| ka.value == kb.value && va.value == vb.value);
    let expressions = a.match_expressions.len() == b.match_expressions.len()
        && a.match_expressions
            .iter()
            .zip(&b.match_expressions)
            .all(|(ra, rb)| {
                ra.key.value == rb.key.value
                    && ra.operator.value == rb.operator.value
                    && ra.values.len() == rb.values.len()
                    && ra
                        .values
                        .iter()
                        .zip(&rb.values)
                        .all(|(x, y)| x.value == y.value)
            });
    labels && expressions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Spanned;
    use crate::source::Span;
    use alloc::string::String;

    fn selector(labels: &[(&str, &str)], at: u32) -> LabelSelector {
        let text = |s: &str| Spanned::new(String::from(s), Span::new(at, at + 1));
        LabelSelector {
            span: Span::new(at, at + 10),
            match_labels: labels.iter().map(|(k, v)| (text(k), text(v))).collect(),
            match_expressions: Vec::new(),
        }
    }

    #[test]
    fn selectors_with_the_same_terms_are_judged_once() {
        let team_a = selector(&[("team", "a")], 0);
        let team_a_elsewhere = selector(&[("team", "a")], 50);
        let team_b = selector(&[("team", "b")], 0);
        let mut memo = SelectorMemo::default();
        let mut judged = 0;
        let mut judge = |s: &LabelSelector| {
            judged += 1;
            s.match_labels.iter().any(|(_, v)| v.value == "a")
        };
        assert!(memo.verdict(&team_a, &mut judge));
        assert!(memo.verdict(&team_a_elsewhere, &mut judge));
        assert!(!memo.verdict(&team_b, &mut judge));
        assert_eq!(judged, 2);
    }
}
