//! Best-practice rules over a decoded model, their configuration, suppression and
//! documentation.
//!
//! - [`run`] checks a [`Loaded`] input: its validation findings plus every enabled
//!   rule's findings, with the configured severities, without `off` rules and without
//!   findings suppressed by a `netpol/ignore` annotation.
//! - [`Config`] is the configuration (`.netpol.yaml`, `--rule`, `--fail-on`): the
//!   settings the rules read (`settings.rs`, which depends on nothing else here) and
//!   their reading and checking against the catalogue (`config.rs`).
//! - [`catalogue`] documents every rule id netpol emits, validation ids included: the
//!   one place `netpol rules`, the playground and SARIF `rules[]` read.
//!
//! ```
//! use netpol::{decode, doc::Limits, lint, source::{Source, SourceSet}};
//!
//! let mut sources = SourceSet::new();
//! sources.add(Source::new("p.json", r#"{"apiVersion": "networking.k8s.io/v1",
//!   "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "shop"},
//!   "spec": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{}]}}"#));
//! let loaded = decode::load(&sources, &Limits::default());
//! let outcome = lint::run(&loaded, &lint::Config::default());
//! assert!(outcome.diagnostics.iter().any(|d| d.rule == "allow-all-ingress"));
//! ```

use alloc::vec::Vec;

use crate::decode::Loaded;
use crate::diag::Diagnostic;
use crate::model::Model;

mod candidates;
mod catalogue;
mod config;
mod contents;
mod context;
mod cover;
mod coverage;
mod doc;
mod namespace_ids;
mod nets;
mod redundancy;
mod rule_key;
mod rules;
mod selector_memo;
mod settings;
mod suppress;
mod tier_cover;
mod walk;

pub use catalogue::rule_doc;
pub use config::{find_rule, Config, Level, INVALID_CONFIG};
pub use doc::{Category, RuleDoc, Scope, RULE_DOCS_DIR};
pub use suppress::IGNORE_ANNOTATION;

/// What a lint run found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Validation and rule findings at their configured severities, in a
    /// deterministic order (source, position, rule, message); `off` rules and
    /// suppressed findings are left out.
    pub diagnostics: Vec<Diagnostic>,
    /// How many findings `netpol/ignore` annotations suppressed.
    pub suppressed: usize,
}

/// Every rule id netpol emits, with its documentation, sorted by category then id.
pub fn catalogue() -> &'static [RuleDoc] {
    catalogue::ALL
}

/// Whether `diagnostic` comes from a rule that can decide on one object alone (what
/// an admission controller rejects on); rules outside the catalogue are reading
/// problems: they do.
pub fn decides_alone(diagnostic: &Diagnostic) -> bool {
    rule_doc(diagnostic.rule).is_none_or(|doc| matches!(doc.scope, Scope::File | Scope::Object))
}

/// Lints `loaded` with `config`: the validation findings of the input and the
/// findings of every enabled rule, configured, filtered and sorted.
pub fn run(loaded: &Loaded, config: &Config) -> Outcome {
    let run = Run::new(loaded, config);
    let object_findings = run.object_findings();
    run.finish(&[object_findings])
}

/// Whether the rule `id` decides on each object from that object alone, never
/// looking at the others: its findings for one source stay valid while other
/// sources change (`tests/corpus_lint.rs` checks it on every corpus file).
pub fn reads_one_object(id: &str) -> bool {
    !READS_OTHER_OBJECTS.contains(&id) && rule_doc(id).is_some_and(|doc| doc.scope == Scope::Object)
}

/// Rules of scope `object` (they report on one object, and admission decides on
/// them) that also read other objects of the input: the Namespaces for a custom
/// label, the namespace's other policies for the allowances a default deny leaves.
const READS_OTHER_OBJECTS: [&str; 2] = [
    rules::namespace_selector_custom_label::DOC.id,
    rules::default_deny_system_namespace::DOC.id,
];

/// The findings of every rule that [`reads_one_object`] over `model`, whatever
/// the rules' levels, before configuration and suppression: what a caller holding
/// sources apart keeps per source and gives [`Run::finish`].
pub fn object_findings(model: &Model, config: &Config) -> Vec<Diagnostic> {
    check_one_object_rules(&context::Context::new(model, config))
}

fn check_one_object_rules(cx: &context::Context) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for rule in rules::ALL.iter().filter(|rule| reads_one_object(rule.id)) {
        (rule.check)(cx, &mut found);
    }
    found
}

/// A lint run whose findings of the rules that [`reads_one_object`] may come from
/// a cache: [`Run::finish`] with them gives what [`run`] gives.
pub struct Run<'a> {
    cx: context::Context<'a>,
    loaded: &'a Loaded,
}

impl<'a> Run<'a> {
    /// The run over `loaded` with `config` (the rules' index built once).
    pub fn new(loaded: &'a Loaded, config: &'a Config) -> Self {
        Run {
            cx: context::Context::new(&loaded.model, config),
            loaded,
        }
    }

    /// [`object_findings`] of the whole input, from this run's index.
    pub fn object_findings(&self) -> Vec<Diagnostic> {
        check_one_object_rules(&self.cx)
    }

    /// The outcome, with `object_findings` (what [`object_findings`] gave for the
    /// objects of the input, source by source or at once) as the findings of the
    /// rules that [`reads_one_object`], and every other enabled rule checked.
    pub fn finish(self, object_findings: &[Vec<Diagnostic>]) -> Outcome {
        let config = self.cx.config;
        let mut found: Vec<Diagnostic> = self.loaded.diagnostics.clone();
        found.extend(object_findings.iter().flatten().cloned());
        for rule in rules::ALL.iter().filter(|rule| !reads_one_object(rule.id)) {
            if config.level(rule.id).is_some() {
                (rule.check)(&self.cx, &mut found);
            }
        }
        settle(found, self.loaded, config)
    }
}

/// The findings `found` configured (off rules dropped), suppressed, sorted and
/// deduplicated.
fn settle(found: Vec<Diagnostic>, loaded: &Loaded, config: &Config) -> Outcome {
    let mut outcome = Outcome::default();
    let ignores = suppress::Ignores::new(&loaded.model);
    for mut diagnostic in found {
        let Some(severity) = configured_severity(config, &diagnostic) else {
            continue;
        };
        diagnostic.severity = severity;
        if ignores.suppresses(&diagnostic) {
            outcome.suppressed += 1;
        } else {
            outcome.diagnostics.push(diagnostic);
        }
    }
    crate::order::sort_by(&mut outcome.diagnostics, |a, b| {
        sort_key(a).cmp(&sort_key(b))
    });
    outcome.diagnostics.dedup();
    outcome
}

/// The severity `diagnostic` is reported at, or `None` when its rule is off. A rule
/// the configuration does not mention keeps the severity it was emitted with.
fn configured_severity(config: &Config, diagnostic: &Diagnostic) -> Option<crate::diag::Severity> {
    if config.is_configured(diagnostic.rule) {
        config.level(diagnostic.rule)
    } else {
        Some(diagnostic.severity)
    }
}

/// Deterministic order: location (source, start, end), then rule and message.
fn sort_key(d: &Diagnostic) -> (Option<(u32, u32, u32)>, &str, &str) {
    let location = d.location.map(|l| (l.source.0, l.span.start, l.span.end));
    (location, d.rule, d.message.as_str())
}
