//! A set of labels that satisfies a label selector, when a simple choice exists.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;

use crate::model::{LabelSelector, Labels, Operator};

/// What a selector requires of one label key.
#[derive(Default)]
struct KeyConstraint<'s> {
    /// The values the key may take (`matchLabels` and `In`, intersected); `None`
    /// when no term restricts them.
    allowed: Option<BTreeSet<&'s str>>,
    /// Values excluded by `NotIn`.
    excluded: BTreeSet<&'s str>,
    /// The key must be present (`Exists`, or any term with allowed values).
    present: bool,
    /// The key must be absent (`DoesNotExist`).
    absent: bool,
}

/// The labels of a representative pod for `selector`: `matchLabels` as written,
/// the first value (in sorted order) of each `In` that the other terms allow, the
/// empty value for `Exists` (or `other`, `other-1`... when `NotIn` excludes it), and
/// nothing for `NotIn` and `DoesNotExist` alone (a pod without the key satisfies
/// them). `None` when no pod can satisfy the selector (for example `In [a]` with
/// `NotIn [a]` on one key, or `Exists` with `DoesNotExist`): such a selector selects
/// nothing and stands for no pod.
pub(crate) fn labels_for(selector: &LabelSelector) -> Option<Labels> {
    let mut keys: BTreeMap<&str, KeyConstraint<'_>> = BTreeMap::new();
    for (key, value) in &selector.match_labels {
        restrict(
            keys.entry(key.value.as_str()).or_default(),
            [value.value.as_str()],
        );
    }
    for req in &selector.match_expressions {
        let constraint = keys.entry(req.key.value.as_str()).or_default();
        let values = req.values.iter().map(|v| v.value.as_str());
        match req.operator.value {
            Operator::In => restrict(constraint, values),
            Operator::NotIn => constraint.excluded.extend(values),
            Operator::Exists => constraint.present = true,
            Operator::DoesNotExist => constraint.absent = true,
        }
    }
    let mut labels = Labels::new();
    for (key, constraint) in keys {
        if let Some(value) = choose_value(&constraint)? {
            labels.insert(key, value);
        }
    }
    Some(labels)
}

/// Narrows the allowed values of a key to `values` (the key must then be present).
fn restrict<'s>(constraint: &mut KeyConstraint<'s>, values: impl IntoIterator<Item = &'s str>) {
    let values: BTreeSet<&str> = values.into_iter().collect();
    constraint.allowed = Some(match constraint.allowed.take() {
        Some(before) => before.intersection(&values).copied().collect(),
        None => values,
    });
    constraint.present = true;
}

/// `Some(Some(value))` to set the key, `Some(None)` to leave it out, `None` when no
/// choice satisfies the constraint.
fn choose_value(constraint: &KeyConstraint<'_>) -> Option<Option<String>> {
    if !constraint.present {
        return Some(None);
    }
    if constraint.absent {
        return None;
    }
    match &constraint.allowed {
        Some(allowed) => allowed
            .iter()
            .find(|v| !constraint.excluded.contains(*v))
            .map(|v| Some(String::from(*v))),
        None => Some(Some(free_value(&constraint.excluded))),
    }
}

/// A value not in `excluded`: the empty value, else `other`, `other-1`, ...
fn free_value(excluded: &BTreeSet<&str>) -> String {
    if !excluded.contains("") {
        return String::new();
    }
    let mut candidate = String::from("other");
    let mut n = 0usize;
    while excluded.contains(candidate.as_str()) {
        n += 1;
        candidate = format!("other-{n}");
    }
    candidate
}
