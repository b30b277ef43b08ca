//! The names of representative pods: `{k=v,k=v}`, labels sorted by key.

use alloc::string::String;

use crate::model::Labels;

/// The name of the representative pod carrying `labels`: `{k=v,k=v}` in key order
/// (`{}` for no labels).
pub fn pod_name(labels: &Labels) -> String {
    let mut name = String::from("{");
    for (i, (key, value)) in labels.iter().enumerate() {
        if i > 0 {
            name.push(',');
        }
        name.push_str(key);
        name.push('=');
        name.push_str(value);
    }
    name.push('}');
    name
}

/// A representative name as a user may write it (`{b=2, a=1}`: any order, spaces
/// around terms) in its canonical spelling (`{a=1,b=2}`); `None` when `text` is not
/// a brace-enclosed list of `key=value` terms.
pub fn canonical_name(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut labels = Labels::new();
    for term in inner.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let (key, value) = term.split_once('=')?;
        let key = key.trim();
        if key.is_empty() {
            return None;
        }
        labels.insert(key, value.trim());
    }
    Some(pod_name(&labels))
}
