//! What the lint renderers read besides the findings: the rule catalogue as
//! [`RuleMeta`] and the NetworkPolicies that were checked ([`CheckedObject`]), built
//! the same way for every face that renders a lint report.

use alloc::string::String;
use alloc::vec::Vec;

use super::context::{CheckedObject, RuleMeta};
use super::Resource;
use crate::lint;
use crate::model::{Model, ObjectMeta};
use crate::source::SourceSet;

/// The lint catalogue as the renderers need it. Rules about one object or a policy
/// set check NetworkPolicies; file-scope rules check no object.
pub fn rule_metadata() -> Vec<RuleMeta> {
    lint::catalogue()
        .iter()
        .map(|doc| RuleMeta {
            id: doc.id.into(),
            default_severity: doc.default_severity,
            short: doc.summary.into(),
            full: doc.rationale.into(),
            help: doc.fix.into(),
            tags: Vec::from([String::from(doc.category.as_str())]),
            category: String::from(doc.category.as_str()),
            kinds: match doc.scope {
                lint::Scope::File => Vec::new(),
                _ => Vec::from([String::from("NetworkPolicy")]),
            },
        })
        .collect()
}

/// The NetworkPolicies that were checked (valid ones reach the model).
pub fn checked_objects(model: &Model, sources: &SourceSet) -> Vec<CheckedObject> {
    model
        .policies
        .iter()
        .map(|policy| checked_object(&policy.meta, sources))
        .collect()
}

fn checked_object(meta: &ObjectMeta, sources: &SourceSet) -> CheckedObject {
    let source = sources.get(meta.source);
    CheckedObject {
        resource: Resource::from(meta.resource()),
        file: source.map(|s| String::from(s.name())).unwrap_or_default(),
        line: source.map_or(0, |s| s.position(meta.span.start).line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_metadata_and_file_rules_check_no_object() {
        let meta = rule_metadata();
        assert_eq!(meta.len(), lint::catalogue().len());
        for (doc, rule) in lint::catalogue().iter().zip(&meta) {
            assert_eq!(rule.id, doc.id);
            assert_eq!(rule.kinds.is_empty(), doc.scope == lint::Scope::File);
        }
    }
}
