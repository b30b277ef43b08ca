//! How many findings each rule produced: the per-rule table that ends a long text
//! report, so that a flood of findings stays readable.

use alloc::vec::Vec;

use super::Finding;
use crate::diag::Severity;
use crate::sorted::SortedMap;

/// The findings of one rule at one severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCount {
    /// The rule id.
    pub rule_id: &'static str,
    /// The findings' severity (after configuration).
    pub severity: Severity,
    /// How many findings.
    pub count: usize,
}

/// `findings` counted per rule and severity: the most frequent first, then the most
/// severe, then by rule id.
pub fn count_by_rule(findings: &[Finding]) -> Vec<RuleCount> {
    let counts = SortedMap::grouped(findings.iter().map(|f| ((f.rule_id, f.severity), ())));
    let mut rows: Vec<RuleCount> = counts
        .into_iter()
        .map(|((rule_id, severity), found)| RuleCount {
            rule_id,
            severity,
            count: found.len(),
        })
        .collect();
    crate::order::sort_by(&mut rows, |a, b| {
        b.count
            .cmp(&a.count)
            .then(b.severity.cmp(&a.severity))
            .then(a.rule_id.cmp(b.rule_id))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;
    use crate::source::SourceSet;

    fn finding(rule: &'static str, severity: Severity) -> Finding {
        Finding::resolve(Diagnostic::new(rule, severity, "m"), &SourceSet::new())
    }

    #[test]
    fn counts_per_rule_most_frequent_then_most_severe_first() {
        let findings = [
            finding("b-rule", Severity::Info),
            finding("a-rule", Severity::Warning),
            finding("c-rule", Severity::Error),
            finding("b-rule", Severity::Info),
            finding("a-rule", Severity::Warning),
            finding("d-rule", Severity::Warning),
        ];
        let rows: Vec<(&str, Severity, usize)> = count_by_rule(&findings)
            .iter()
            .map(|r| (r.rule_id, r.severity, r.count))
            .collect();
        assert_eq!(
            rows,
            [
                ("a-rule", Severity::Warning, 2),
                ("b-rule", Severity::Info, 2),
                ("c-rule", Severity::Error, 1),
                ("d-rule", Severity::Warning, 1),
            ]
        );
        assert!(count_by_rule(&[]).is_empty());
    }
}
