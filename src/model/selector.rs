//! Label selectors (`matchLabels` + `matchExpressions`).

use alloc::string::String;
use alloc::vec::Vec;

use super::{Labels, Spanned};
use crate::source::Span;

/// A label selector. `matchLabels` and `matchExpressions` are ANDed; the empty
/// selector matches everything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSelector {
    /// The selector's bytes (for a missing `spec.podSelector`, the span of `spec`).
    pub span: Span,
    /// `matchLabels`, in source order.
    pub match_labels: Vec<(Spanned<String>, Spanned<String>)>,
    /// `matchExpressions`, in source order.
    pub match_expressions: Vec<Requirement>,
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// The entry's bytes.
    pub span: Span,
    /// `key`.
    pub key: Spanned<String>,
    /// `operator`.
    pub operator: Spanned<Operator>,
    /// `values` (empty for `Exists` / `DoesNotExist`).
    pub values: Vec<Spanned<String>>,
}

/// A selector's terms in a canonical order, spans dropped: `matchLabels` as sorted,
/// deduplicated `(key, value)` pairs, and `matchExpressions` as sorted, deduplicated
/// `(key, operator, values)` with each `values` sorted and deduplicated. Two
/// selectors with equal terms select the same pods.
pub type CanonicalTerms<'s> = (
    Vec<(&'s str, &'s str)>,
    Vec<(&'s str, Operator, Vec<&'s str>)>,
);

/// A `matchExpressions` operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operator {
    /// Key present and value in the set.
    In,
    /// Key absent, or value not in the set.
    NotIn,
    /// Key present.
    Exists,
    /// Key absent.
    DoesNotExist,
}

impl Operator {
    /// Parses the operator as written (case-sensitive).
    pub fn parse(s: &str) -> Option<Operator> {
        match s {
            "In" => Some(Operator::In),
            "NotIn" => Some(Operator::NotIn),
            "Exists" => Some(Operator::Exists),
            "DoesNotExist" => Some(Operator::DoesNotExist),
            _ => None,
        }
    }

    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
        }
    }
}

impl Requirement {
    /// Whether `labels` satisfy this requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key.value);
        let in_values = |v: &str| self.values.iter().any(|x| x.value == v);
        match self.operator.value {
            Operator::In => value.is_some_and(in_values),
            Operator::NotIn => !value.is_some_and(in_values),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }

    /// The requirement as `(key, operator, values)` with `values` sorted and
    /// deduplicated.
    fn canonical_term(&self) -> (&str, Operator, Vec<&str>) {
        let mut values: Vec<&str> = self.values.iter().map(|v| v.value.as_str()).collect();
        crate::order::sort(&mut values);
        values.dedup();
        (self.key.value.as_str(), self.operator.value, values)
    }
}

impl LabelSelector {
    /// The empty selector (matches everything) at `span`.
    pub fn everything(span: Span) -> Self {
        LabelSelector {
            span,
            match_labels: Vec::new(),
            match_expressions: Vec::new(),
        }
    }

    /// Whether the selector has no terms (and so matches everything).
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` satisfy every term.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(&k.value) == Some(v.value.as_str()))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }

    /// The selector's terms in a canonical order (see [`CanonicalTerms`]): equal
    /// for selectors that differ only in spans, term order or repeated terms.
    pub fn canonical_terms(&self) -> CanonicalTerms<'_> {
        let mut labels: Vec<(&str, &str)> = self
            .match_labels
            .iter()
            .map(|(k, v)| (k.value.as_str(), v.value.as_str()))
            .collect();
        crate::order::sort(&mut labels);
        labels.dedup();
        let mut expressions: Vec<(&str, Operator, Vec<&str>)> = self
            .match_expressions
            .iter()
            .map(Requirement::canonical_term)
            .collect();
        crate::order::sort(&mut expressions);
        expressions.dedup();
        (labels, expressions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn text(s: &str, at: u32) -> Spanned<String> {
        Spanned::new(String::from(s), Span::new(at, at + 1))
    }

    fn requirement(key: &str, op: Operator, values: &[&str], at: u32) -> Requirement {
        Requirement {
            span: Span::new(at, at + 10),
            key: text(key, at),
            operator: Spanned::new(op, Span::new(at, at + 1)),
            values: values.iter().map(|v| text(v, at)).collect(),
        }
    }

    fn selector(labels: &[(&str, &str)], expressions: Vec<Requirement>, at: u32) -> LabelSelector {
        LabelSelector {
            span: Span::new(at, at + 100),
            match_labels: labels
                .iter()
                .map(|(k, v)| (text(k, at), text(v, at)))
                .collect(),
            match_expressions: expressions,
        }
    }

    #[test]
    fn canonical_terms_sort_and_dedup_every_level() {
        let s = selector(
            &[("tier", "web"), ("app", "a"), ("tier", "web")],
            vec![
                requirement("zone", Operator::NotIn, &["b", "a", "b"], 3),
                requirement("app", Operator::Exists, &[], 4),
                requirement("zone", Operator::NotIn, &["a", "b"], 5),
            ],
            0,
        );
        let (labels, expressions) = s.canonical_terms();
        assert_eq!(labels, vec![("app", "a"), ("tier", "web")]);
        assert_eq!(
            expressions,
            vec![
                ("app", Operator::Exists, vec![]),
                ("zone", Operator::NotIn, vec!["a", "b"]),
            ]
        );
    }

    #[test]
    fn canonical_terms_ignore_spans_and_order_but_not_content() {
        let a = selector(
            &[("app", "a"), ("tier", "web")],
            vec![
                requirement("zone", Operator::In, &["x", "y"], 1),
                requirement("env", Operator::DoesNotExist, &[], 2),
            ],
            0,
        );
        let b = selector(
            &[("tier", "web"), ("app", "a")],
            vec![
                requirement("env", Operator::DoesNotExist, &[], 40),
                requirement("zone", Operator::In, &["y", "x"], 50),
            ],
            30,
        );
        assert_eq!(a.canonical_terms(), b.canonical_terms());
        let c = selector(
            &[("tier", "web"), ("app", "a")],
            vec![
                requirement("env", Operator::DoesNotExist, &[], 40),
                requirement("zone", Operator::NotIn, &["y", "x"], 50),
            ],
            30,
        );
        assert_ne!(a.canonical_terms(), c.canonical_terms());
        let d = selector(&[("app", "b"), ("tier", "web")], vec![], 0);
        let e = selector(&[("app", "a"), ("tier", "web")], vec![], 0);
        assert_ne!(d.canonical_terms(), e.canonical_terms());
        assert_eq!(
            LabelSelector::everything(Span::new(0, 0)).canonical_terms(),
            (vec![], vec![])
        );
    }
}
