//! Lint findings as LSP diagnostics, grouped by the source they point into.

use std::format;
use std::prelude::rust_2021::*;

use std::collections::BTreeMap;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Range, Uri,
};

use super::position::range;
use super::uri::file_uri;
use crate::diag::{self, Severity};
use crate::source::SourceSet;

/// The `source` of every diagnostic netpol publishes.
pub const DIAGNOSTIC_SOURCE: &str = "netpol";

/// Where a rule's documentation lives: `docs/rules/<id>.md` of the project's
/// repository when the crate names one, else of a `docs/rules` folder in the
/// workspace (a checkout of netpol), else nowhere.
#[derive(Clone, Debug, Default)]
pub struct RuleDocs {
    base: Option<String>,
}

impl RuleDocs {
    /// The rule documentation for a workspace whose `docs/rules` folder, if it has
    /// one, is `workspace_rules`.
    pub fn new(workspace_rules: Option<&str>) -> Self {
        let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
        let base = if repository.is_empty() {
            workspace_rules.map(file_uri)
        } else {
            Some(format!(
                "{repository}/blob/v{}/docs/rules",
                env!("CARGO_PKG_VERSION")
            ))
        };
        RuleDocs { base }
    }

    /// The link to the documentation of `rule`.
    pub fn link(&self, rule: &str) -> Option<Uri> {
        let base = self.base.as_ref()?;
        format!("{base}/{rule}.md").parse().ok()
    }
}

/// The diagnostics of `found` by source name (every source of `sources` present,
/// with an empty list when nothing points into it). A finding without a place is
/// shown at the start of its source; one without a source is left out.
pub fn by_source(
    found: &[diag::Diagnostic],
    sources: &SourceSet,
    docs: &RuleDocs,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut grouped: BTreeMap<String, Vec<Diagnostic>> = sources
        .iter()
        .map(|(_, source)| (String::from(source.name()), Vec::new()))
        .collect();
    for finding in found {
        let Some(location) = finding.location else {
            continue;
        };
        let Some(source) = sources.get(location.source) else {
            continue;
        };
        let related = finding
            .labels
            .iter()
            .filter_map(|label| {
                let other = sources.get(label.location.source)?;
                Some(DiagnosticRelatedInformation {
                    location: Location {
                        uri: file_uri(other.name()).parse().ok()?,
                        range: range(other, label.location.span),
                    },
                    message: label.message.clone(),
                })
            })
            .collect::<Vec<_>>();
        let mut message = finding.message.clone();
        if let Some(help) = finding.help.as_deref().filter(|h| !h.is_empty()) {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let diagnostic = Diagnostic {
            range: if source.has_lines() {
                range(source, location.span)
            } else {
                Range::default()
            },
            severity: Some(severity(finding.severity)),
            code: Some(NumberOrString::String(String::from(finding.rule))),
            code_description: docs.link(finding.rule).map(|href| CodeDescription { href }),
            source: Some(String::from(DIAGNOSTIC_SOURCE)),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        };
        grouped
            .entry(String::from(source.name()))
            .or_default()
            .push(diagnostic);
    }
    grouped
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{SourceFile, Workspace};
    use crate::lint::Config;

    const POLICY: &str = "# one line\n{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, \
        metadata: {name: p, namespace: a, annotations: {note: \"é😀\"}}, \
        spec: {podSelector: {}, ingress: [{from: [{podSelector: {matchLabels: {a: b}}}]}]}}\n";

    #[test]
    fn findings_carry_rule_ids_docs_and_utf16_ranges() {
        let workspace = Workspace::load(
            [
                SourceFile::text("/w/p.yaml", POLICY),
                SourceFile::text("/w/empty.yaml", ""),
            ],
            Config::default(),
        );
        let docs = RuleDocs::new(Some("/w/docs/rules"));
        let grouped = by_source(&workspace.diagnostics(), workspace.sources(), &docs);
        assert_eq!(grouped.get("/w/empty.yaml"), Some(&Vec::new()));
        let found = grouped.get("/w/p.yaml").unwrap();
        assert!(!found.is_empty());
        for diagnostic in found {
            let Some(NumberOrString::String(rule)) = &diagnostic.code else {
                std::panic!("no rule id")
            };
            assert_eq!(diagnostic.source.as_deref(), Some(DIAGNOSTIC_SOURCE));
            let href = diagnostic.code_description.as_ref().unwrap().href.as_str();
            assert_eq!(href, format!("file:///w/docs/rules/{rule}.md"));
        }
        let rule_without_ports = found
            .iter()
            .find(|d| d.code == Some(NumberOrString::String("rule-without-ports".into())))
            .unwrap();
        let line = POLICY.lines().nth(1).unwrap();
        let before_rule = &line[..line.find("{from").unwrap()];
        assert_eq!(rule_without_ports.range.start.line, 1);
        assert_eq!(
            rule_without_ports.range.start.character as usize,
            before_rule.encode_utf16().count()
        );
    }

    #[test]
    fn without_docs_there_is_no_link() {
        assert!(RuleDocs::new(None).link("allow-all-ingress").is_none());
    }
}
