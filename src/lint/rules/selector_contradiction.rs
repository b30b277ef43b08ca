//! `selector-contradiction`: a label selector that can never match.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::selectors;
use crate::model::{LabelSelector, Operator};
use crate::source::Span;

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "selector-contradiction",
    default_severity: Severity::Error,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a label selector whose terms contradict each other, so it can never match",
    rationale: "Terms of a selector are ANDed: `app In [a]` with `app NotIn [a]`, `Exists` with `DoesNotExist`, or `matchLabels app=a` with `app In [b]` select nothing. The policy or peer silently does nothing.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n    matchExpressions:\n      - key: app\n        operator: In\n        values: [api]\n  policyTypes: [Ingress]\n",
    fix: "Remove or correct the conflicting term; to select several values use one `In` with all of them.",
};

/// What the terms on one key require.
#[derive(Default)]
struct KeyTerms<'a> {
    present: bool,
    absent: bool,
    allowed: Option<BTreeSet<&'a str>>,
    excluded: BTreeSet<&'a str>,
    last: Span,
}

impl<'a> KeyTerms<'a> {
    fn allow(&mut self, values: BTreeSet<&'a str>) {
        self.present = true;
        self.allowed = Some(match self.allowed.take() {
            Some(current) => current.intersection(&values).copied().collect(),
            None => values,
        });
    }

    fn contradicts(&self) -> bool {
        (self.present && self.absent)
            || self
                .allowed
                .as_ref()
                .is_some_and(|a| a.iter().all(|v| self.excluded.contains(v)))
    }
}

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (field, selector) in selectors(policy) {
            let Some((key, span)) = contradiction(selector) else {
                continue;
            };
            let message = format!(
                "`{field}` of policy {} can never match: its terms on label `{key}` contradict each other",
                object_name(&policy.meta)
            );
            out.push(
                finding(&DOC, &policy.meta, span, field, message)
                    .with_help("remove or correct the conflicting term"),
            );
        }
    }
}

/// The first key whose terms contradict, with the span of its last term.
fn contradiction(selector: &LabelSelector) -> Option<(&str, Span)> {
    let mut keys: BTreeMap<&str, KeyTerms> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (k, v) in &selector.match_labels {
        let terms = keys.entry(k.value.as_str()).or_default();
        terms.allow(BTreeSet::from([v.value.as_str()]));
        terms.last = k.span.join(v.span);
        order.push(k.value.as_str());
    }
    for r in &selector.match_expressions {
        let terms = keys.entry(r.key.value.as_str()).or_default();
        let values: BTreeSet<&str> = r.values.iter().map(|v| v.value.as_str()).collect();
        match r.operator.value {
            Operator::In => terms.allow(values),
            Operator::NotIn => terms.excluded.extend(values),
            Operator::Exists => terms.present = true,
            Operator::DoesNotExist => terms.absent = true,
        }
        terms.last = r.span;
        order.push(r.key.value.as_str());
    }
    order.into_iter().find_map(|key| {
        keys.get(key)
            .filter(|t| t.contradicts())
            .map(|t| (key, t.last))
    })
}
