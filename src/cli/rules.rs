//! `netpol rules`: the rule catalogue with its documentation.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::{Command, CommonOption, Invocation, Reply, UsageError, EXIT_SUCCESS};
use crate::api::RulesAnswer;
use crate::lint::{self, Category, RuleDoc};

/// `netpol rules`.
pub(crate) const COMMAND: Command = Command {
    name: "rules",
    summary: "List the rule catalogue, or document given rules",
    usage: "netpol rules [OPTIONS] [RULE-ID...]",
    about: "Without arguments, lists every rule id netpol emits (validation and best\n\
            practice) with its default severity, scope and summary. With rule ids, prints\n\
            their full documentation: why it matters, an example that fires, the fix,\n\
            and its page in the repository (docs/rules/ID.md).\n",
    options: &[],
    common: &[CommonOption::Format, CommonOption::Output],
    formats: &["text", "json"],
    examples: "netpol rules\n\
               netpol rules ipblock-allows-metadata\n\
               netpol rules --format json\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    let docs = selected(&invocation.args.paths)?;
    let detailed = !invocation.args.paths.is_empty();
    let stdout = match invocation.format() {
        "json" => json(&docs)?,
        _ if detailed => docs
            .iter()
            .map(|d| details(d))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => table(&docs),
    };
    Ok(Reply::new(stdout, EXIT_SUCCESS))
}

/// The documents asked for: all, or the ids given (an unknown id is a usage error
/// naming close matches).
fn selected(ids: &[String]) -> Result<Vec<&'static RuleDoc>, UsageError> {
    if ids.is_empty() {
        return Ok(lint::catalogue().iter().collect());
    }
    ids.iter()
        .map(|id| lint::find_rule(id).map_err(UsageError::new))
        .collect()
}

fn json(docs: &[&'static RuleDoc]) -> Result<String, UsageError> {
    RulesAnswer::of(docs.to_vec())
        .to_json()
        .map_err(|e| UsageError::new(format!("cannot write JSON: {e}")))
}

/// One line per rule, grouped by category.
fn table(docs: &[&'static RuleDoc]) -> String {
    let width = docs.iter().map(|d| d.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for category in [Category::Validation, Category::BestPractice] {
        let group: Vec<&&RuleDoc> = docs.iter().filter(|d| d.category == category).collect();
        if group.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}:", category.as_str());
        for doc in group {
            let _ = writeln!(
                out,
                "  {:width$}  {:7}  {:7}  {}",
                doc.id,
                doc.default_severity.as_str(),
                doc.scope.as_str(),
                doc.summary
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{} rules. `netpol rules ID` documents one; `--rule ID=off|info|warning|error` or `.netpol.yaml` configures them.",
        docs.len()
    );
    out
}

/// The full documentation of one rule.
fn details(doc: &RuleDoc) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", doc.id);
    let _ = writeln!(
        out,
        "  severity: {}   category: {}   scope: {}",
        doc.default_severity.as_str(),
        doc.category.as_str(),
        doc.scope.as_str()
    );
    let _ = writeln!(out, "\n{}\n", doc.summary);
    let _ = writeln!(out, "Why it matters:\n  {}\n", doc.rationale);
    let _ = writeln!(out, "Example that fires it:");
    for line in doc.example.lines() {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(out, "\nFix:\n  {}", doc.fix);
    let _ = writeln!(out, "\nPage: {}", doc.docs_path());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_rule_by_category() {
        let docs = selected(&[]).unwrap();
        let text = table(&docs);
        assert!(text.starts_with("validation:\n"));
        assert!(text.contains("\nbest-practice:\n"));
        for doc in lint::catalogue() {
            assert!(
                text.contains(&format!("  {} ", doc.id)),
                "{} listed",
                doc.id
            );
        }
        assert!(text.contains(&format!("\n{} rules.", lint::catalogue().len())));
    }

    #[test]
    fn details_show_why_example_and_fix() {
        let docs = selected(&[String::from("rule-without-ports")]).unwrap();
        let text = details(docs[0]);
        assert!(text.starts_with(
            "rule-without-ports\n  severity: warning   category: best-practice   scope: object\n"
        ));
        assert!(text.contains("Why it matters:\n"));
        assert!(text.contains("Example that fires it:\n  apiVersion: networking.k8s.io/v1\n"));
        assert!(text.contains("\nFix:\n  Add `ports`"));
        assert!(text.ends_with("\nPage: docs/rules/rule-without-ports.md\n"));
    }

    #[test]
    fn unknown_ids_are_usage_errors_with_suggestions() {
        let error = selected(&[String::from("rule-without-port")]).unwrap_err();
        assert!(
            error.message.contains("did you mean `rule-without-ports`?"),
            "{}",
            error.message
        );
    }

    #[test]
    fn json_carries_the_version_and_every_field() {
        let docs = selected(&[String::from("ipblock-anywhere")]).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json(&docs).unwrap()).unwrap();
        assert_eq!(value["version"], crate::VERSION);
        let rule = &value["rules"][0];
        assert_eq!(rule["id"], "ipblock-anywhere");
        assert_eq!(rule["severity"], "warning");
        assert_eq!(rule["category"], "best-practice");
        assert_eq!(rule["scope"], "object");
        for key in ["summary", "rationale", "example", "fix"] {
            assert!(rule[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
        }
    }
}
