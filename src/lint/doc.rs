//! The documentation record of one rule: what `netpol rules`, the playground and the
//! SARIF `rules[]` array print.

use alloc::format;
use alloc::string::String;
use core::fmt::Write as _;

use serde::Serialize;

use crate::diag::Severity;

/// Which family a rule belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Category {
    /// Reading and API-server validation: the object would be rejected (or the input
    /// could not be read).
    Validation,
    /// Best practice: accepted by the API server, but risky or probably a mistake.
    BestPractice,
}

impl Category {
    /// `validation` or `best-practice`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Validation => "validation",
            Category::BestPractice => "best-practice",
        }
    }
}

/// What a rule needs to see to decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Scope {
    /// One input file (reading problems, configuration files).
    File,
    /// One object alone (an admission controller can decide it).
    Object,
    /// All policies of the input.
    Set,
    /// All policies plus the Namespaces, Pods and workloads of the input.
    Cluster,
}

impl Scope {
    /// `file`, `object`, `set` or `cluster`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::File => "file",
            Scope::Object => "object",
            Scope::Set => "set",
            Scope::Cluster => "cluster",
        }
    }
}

/// The documentation of one rule id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RuleDoc {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Severity when the configuration does not change it.
    #[serde(rename = "severity")]
    #[cfg_attr(feature = "typescript", ts(as = "crate::api::typescript::Severity"))]
    pub default_severity: Severity,
    /// Validation or best practice.
    pub category: Category,
    /// What the rule needs to see.
    pub scope: Scope,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// A manifest (YAML) that fires the rule.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// The folder of the repository that holds one page per rule, `<id>.md`, generated
/// from the catalogue ([`RuleDoc::markdown`]; a test keeps them identical).
pub const RULE_DOCS_DIR: &str = "docs/rules";

impl RuleDoc {
    /// The rule's page in the repository: `docs/rules/<id>.md`.
    pub fn docs_path(&self) -> String {
        format!("{RULE_DOCS_DIR}/{}.md", self.id)
    }

    /// The rule's page (Markdown): id, level, family, scope, then what it flags, why
    /// it matters, an example that fires it and the fix.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# `{}`\n", self.id);
        let _ = writeln!(
            out,
            "Default level: `{}`. Family: {}. Scope: {}.\n",
            self.default_severity.as_str(),
            self.category.as_str(),
            self.scope.as_str()
        );
        let _ = writeln!(out, "Flags {}.\n", self.summary);
        let _ = writeln!(out, "## Why it matters\n\n{}\n", self.rationale);
        let _ = writeln!(
            out,
            "## Example that fires it\n\n```yaml\n{}\n```\n",
            self.example.trim_end()
        );
        let _ = writeln!(out, "## Fix\n\n{}", self.fix);
        out
    }
}
