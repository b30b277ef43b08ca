//! What an editor asks of a [`Workspace`] beyond the lint answer: the findings with
//! their byte spans and related places, before they are resolved to lines.

use alloc::vec::Vec;

use super::Workspace;
use crate::diag::Diagnostic;
use crate::lint;

impl Workspace {
    /// The lint findings of the workspace's configuration as diagnostics: byte spans
    /// into [`Workspace::sources`] and labelled related places (another object a
    /// finding involves), in the lint answer's order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        lint::run(self.loaded(), self.config()).diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::super::SourceFile;
    use super::*;
    use crate::lint::Config;

    #[test]
    fn diagnostics_are_the_lint_findings_with_their_spans() {
        let policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n\
                      metadata: {name: p, namespace: a}\n\
                      spec: {podSelector: {}, ingress: [{}]}\n";
        let workspace = Workspace::load([SourceFile::text("p.yaml", policy)], Config::default());
        let diagnostics = workspace.diagnostics();
        let answer = workspace
            .lint(&super::super::LintOptions::default())
            .unwrap();
        assert!(!diagnostics.is_empty());
        assert_eq!(diagnostics.len(), answer.report.findings.len());
        assert!(diagnostics.iter().all(|d| d.location.is_some()));
        let empty = Workspace::load([SourceFile::text("n.yaml", "")], Config::default());
        assert!(empty.diagnostics().is_empty());
    }
}
