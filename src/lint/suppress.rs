//! Suppression by annotation: `netpol/ignore: "rule-a,rule-b"` (or `"*"`) on an
//! object hides the findings located inside that object.

use alloc::vec::Vec;

use crate::diag::Diagnostic;
use crate::model::{Model, ObjectMeta};
use crate::source::{SourceId, Span};

/// The annotation that suppresses rules for one object: a comma-separated list of
/// rule ids, or `*` for all.
pub const IGNORE_ANNOTATION: &str = "netpol/ignore";

/// One annotated object: where it is and what it ignores.
struct Ignore<'a> {
    source: SourceId,
    span: Span,
    rules: &'a str,
}

impl Ignore<'_> {
    /// Whether this object's annotation names `rule` (or is `*`).
    fn names(&self, rule: &str) -> bool {
        self.rules
            .split(',')
            .map(str::trim)
            .any(|r| r == "*" || r == rule)
    }

    fn contains(&self, source: SourceId, span: Span) -> bool {
        self.source == source && self.span.start <= span.start && span.end <= self.span.end
    }
}

/// The `netpol/ignore` annotations of a model.
pub struct Ignores<'a> {
    objects: Vec<Ignore<'a>>,
}

impl<'a> Ignores<'a> {
    /// Collects the annotated objects of `model`.
    pub fn new(model: &'a Model) -> Self {
        let metas = model
            .policies
            .iter()
            .map(|p| &p.meta)
            .chain(model.namespaces.iter().map(|n| &n.meta))
            .chain(model.pods.iter().map(|p| &p.meta))
            .chain(model.workloads.iter().map(|w| &w.meta))
            .chain(model.tests.iter().map(|t| &t.meta))
            .chain(model.foreign_policies.iter().map(|f| &f.meta))
            .chain(model.cluster_policies.iter().map(|c| &c.meta))
            .chain(model.nodes.iter().map(|n| &n.meta))
            .chain(model.services.iter().map(|s| &s.meta));
        let objects = metas.filter_map(ignore_of).collect();
        Ignores { objects }
    }

    /// Whether the object `diagnostic` points into ignores its rule.
    pub fn suppresses(&self, diagnostic: &Diagnostic) -> bool {
        let Some(location) = diagnostic.location else {
            return false;
        };
        self.objects
            .iter()
            .filter(|o| o.contains(location.source, location.span))
            .min_by_key(|o| o.span.end - o.span.start)
            .is_some_and(|o| o.names(diagnostic.rule))
    }
}

fn ignore_of(meta: &ObjectMeta) -> Option<Ignore<'_>> {
    meta.annotations.get(IGNORE_ANNOTATION).map(|rules| Ignore {
        source: meta.source,
        span: meta.span,
        rules,
    })
}
