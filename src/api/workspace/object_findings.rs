//! The findings of the lint rules that read one object at a time
//! ([`lint::reads_one_object`]), kept per source: the first lint checks them over
//! every source, an edit checks them again for the one source it changes, and each
//! lint after it checks only the rules that look across objects.

use alloc::vec::Vec;

use crate::diag::Diagnostic;
use crate::lint::{self, Config};
use crate::model::Model;
use crate::source::SourceId;

/// The object-rule findings of each source, in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ObjectFindings {
    per_source: Vec<Vec<Diagnostic>>,
}

impl ObjectFindings {
    /// `found` (the object-rule findings of the whole input) split by source, for
    /// `sources` sources; `found` back when a finding names no source among them.
    pub(super) fn split(found: Vec<Diagnostic>, sources: usize) -> Result<Self, Vec<Diagnostic>> {
        let slot = |d: &Diagnostic| {
            d.location
                .map(|l| l.source.0 as usize)
                .filter(|&i| i < sources)
        };
        if !found.iter().all(|d| slot(d).is_some()) {
            return Err(found);
        }
        let mut per_source: Vec<Vec<Diagnostic>> = Vec::new();
        per_source.resize_with(sources, Vec::new);
        for diagnostic in found {
            if let Some(findings) = slot(&diagnostic).and_then(|i| per_source.get_mut(i)) {
                findings.push(diagnostic);
            }
        }
        Ok(ObjectFindings { per_source })
    }

    /// The findings, source by source.
    pub(super) fn per_source(&self) -> &[Vec<Diagnostic>] {
        &self.per_source
    }

    /// Checks the rules again for the source at `index` (decoded into `model`),
    /// a source added last when `index` is the number of sources.
    pub(super) fn recheck(&mut self, index: usize, model: &Model, config: &Config) {
        let found = lint::object_findings(model, config);
        if index >= self.per_source.len() {
            self.per_source.resize_with(index + 1, Vec::new);
        }
        if let Some(slot) = self.per_source.get_mut(index) {
            *slot = found;
        }
    }

    /// Forgets the source at `index`; the sources after it move one place up.
    pub(super) fn remove(&mut self, index: usize) {
        if index >= self.per_source.len() {
            return;
        }
        self.per_source.remove(index);
        for (i, findings) in self.per_source.iter_mut().enumerate().skip(index) {
            let id = SourceId(u32::try_from(i).unwrap_or(u32::MAX));
            for diagnostic in findings {
                let labels = diagnostic.labels.iter_mut().map(|l| &mut l.location);
                for location in diagnostic.location.iter_mut().chain(labels) {
                    location.source = id;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::source::Span;
    use alloc::vec;

    fn at(source: u32) -> Diagnostic {
        Diagnostic::new("allow-all-ingress", Severity::Warning, "m")
            .at(SourceId(source), Span::default())
    }

    #[test]
    fn findings_split_by_source_and_follow_a_removal() {
        let mut cache = ObjectFindings::split(vec![at(2), at(0), at(2)], 3).unwrap();
        let counts: Vec<usize> = cache.per_source().iter().map(Vec::len).collect();
        assert_eq!(counts, [1, 0, 2]);
        cache.remove(1);
        assert_eq!(cache.per_source().len(), 2);
        assert!(cache.per_source()[1]
            .iter()
            .all(|d| d.location.unwrap().source == SourceId(1)));
        cache.remove(5);
        assert_eq!(cache.per_source().len(), 2);
    }

    #[test]
    fn a_finding_outside_the_sources_leaves_nothing_to_keep() {
        assert_eq!(ObjectFindings::split(vec![at(3)], 2), Err(vec![at(3)]));
        let unplaced = Diagnostic::new("allow-all-ingress", Severity::Warning, "m");
        assert!(ObjectFindings::split(vec![unplaced, at(0)], 2).is_err());
    }
}
