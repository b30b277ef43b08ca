//! Label selectors and namespace labels, implemented again from the specification.

use netpol::model::{LabelSelector, Labels, Model, Operator};

/// Whether `labels` satisfy every `matchLabels` pair and every `matchExpressions`
/// requirement of `selector` (the empty selector matches everything).
pub fn selector_matches(selector: &LabelSelector, labels: &Labels) -> bool {
    for (key, value) in &selector.match_labels {
        match labels.get(&key.value) {
            Some(v) if v == value.value => {}
            _ => return false,
        }
    }
    for req in &selector.match_expressions {
        let present = labels.get(&req.key.value);
        let listed = |v: &str| req.values.iter().any(|x| x.value == v);
        let ok = match req.operator.value {
            Operator::In => match present {
                Some(v) => listed(v),
                None => false,
            },
            Operator::NotIn => match present {
                Some(v) => !listed(v),
                None => true,
            },
            Operator::Exists => present.is_some(),
            Operator::DoesNotExist => present.is_none(),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// The labels of namespace `name`: those of every Namespace object declaring it (a
/// namespace not declared has none), then `kubernetes.io/metadata.name=<name>`
/// overriding whatever was written.
pub fn namespace_labels(model: &Model, name: &str) -> Labels {
    let mut labels = Labels::new();
    for ns in &model.namespaces {
        if ns.meta.name.value == name {
            for (k, v) in &ns.meta.labels {
                labels.insert(k, v);
            }
        }
    }
    labels.insert("kubernetes.io/metadata.name", name);
    labels
}
