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
        let in_values = |v: &String| self.values.iter().any(|x| &x.value == v);
        match self.operator.value {
            Operator::In => value.is_some_and(in_values),
            Operator::NotIn => !value.is_some_and(in_values),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
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
            .all(|(k, v)| labels.get(&k.value) == Some(&v.value))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}
