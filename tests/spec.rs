//! The data-driven spec runner: every `tests/spec/**/*.yaml` file is a list of cases,
//! each an input (manifests as a block string) and the findings it must produce.
//! All failing cases of all files are reported together, then the test fails.
//!
//! # File format
//!
//! ```yaml
//! # Which rule ids this file asserts on. Findings of other rules are ignored, so
//! # rules added later do not break the file. Default for files under
//! # tests/spec/validation/: every validation rule (netpol::validate::RULES);
//! # elsewhere `rules` is required.
//! rules: [invalid-cidr, invalid-except]
//! cases:
//!   - name: cidr without a prefix length      # required, unique in the file
//!     input: |                                 # required: the manifests
//!       apiVersion: networking.k8s.io/v1
//!       kind: NetworkPolicy
//!       ...
//!     findings:                                # required; [] means "no findings"
//!       - invalid-cidr 9:19                    # rule line:column (1-based, in `input`)
//!       - invalid-except 11:13 spec.ingress[0].from[0].ipBlock.except[0]   # + path
//!       - at: invalid-cidr 9:19                # map form, to check the message too
//!         message: 'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: ...'
//!     format: json                             # optional: read `input` as JSON
//! ```
//!
//! A file may also be a bare list of cases (then `rules` takes its default).
//! Columns count characters, not bytes. Expected findings are compared with the
//! actual ones as multisets: order does not matter, every expected finding must be
//! there, and no other finding of an asserted rule may be.
//!
//! The findings of an input come from [`findings_for`], the one place that decides
//! which pipeline runs.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netpol::doc::{self, Limits, Node, Value};
use netpol::source::{Source, SourceSet};

/// One finding, reduced to what spec files can assert.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Finding {
    rule: String,
    line: u32,
    column: u32,
    path: String,
    message: String,
}

/// Computes the findings of `input` (read as `name`) through the whole pipeline
/// (decode and validate, then the lint rules): the one place that decides what runs.
fn findings_for(name: &str, input: &str) -> Vec<Finding> {
    let mut sources = SourceSet::new();
    let id = sources.add(Source::new(name, input));
    let loaded = netpol::decode::load(&sources, &Limits::default());
    let source = sources.get(id).expect("the source just added");
    let outcome = netpol::lint::run(&loaded, &netpol::lint::Config::default());
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let position = d.location.map(|l| source.position(l.span.start));
            Finding {
                rule: d.rule.to_string(),
                line: position.map_or(0, |p| p.line),
                column: position.map_or(0, |p| p.column),
                path: d.path.clone().unwrap_or_default(),
                message: d.message.clone(),
            }
        })
        .collect()
}

/// One expected finding.
#[derive(Debug)]
struct Expected {
    rule: String,
    line: u32,
    column: u32,
    path: Option<String>,
    message: Option<String>,
}

impl Expected {
    fn matches(&self, f: &Finding) -> bool {
        self.rule == f.rule
            && self.line == f.line
            && self.column == f.column
            && self.path.as_ref().is_none_or(|p| *p == f.path)
            && self.message.as_ref().is_none_or(|m| *m == f.message)
    }

    fn describe(&self) -> String {
        let mut s = format!("{} {}:{}", self.rule, self.line, self.column);
        if let Some(p) = &self.path {
            let _ = write!(s, " {p}");
        }
        if let Some(m) = &self.message {
            let _ = write!(s, " — {m}");
        }
        s
    }
}

fn describe(f: &Finding) -> String {
    format!(
        "{} {}:{} {} — {}",
        f.rule, f.line, f.column, f.path, f.message
    )
}

/// One case of a spec file.
struct Case {
    name: String,
    line: u32,
    input: String,
    json: bool,
    expected: Vec<Expected>,
}

/// A parsed spec file.
struct SpecFile {
    rules: Vec<String>,
    cases: Vec<Case>,
}

fn spec_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("spec")
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_yaml(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Parses "rule line:column [path]".
fn parse_at(text: &str) -> Result<Expected, String> {
    let mut parts = text.split_whitespace();
    let rule = parts.next().ok_or("empty finding")?.to_string();
    let at = parts
        .next()
        .ok_or_else(|| format!("`{text}`: missing line:column"))?;
    let (line, column) = at
        .split_once(':')
        .and_then(|(l, c)| Some((l.parse().ok()?, c.parse().ok()?)))
        .ok_or_else(|| format!("`{text}`: `{at}` is not line:column"))?;
    let path = parts.next().map(str::to_string);
    if parts.next().is_some() {
        return Err(format!("`{text}`: expected `rule line:column [path]`"));
    }
    Ok(Expected {
        rule,
        line,
        column,
        path,
        message: None,
    })
}

fn parse_expected(node: &Node) -> Result<Expected, String> {
    match &node.value {
        Value::String(s) => parse_at(s),
        Value::Map(entries) => {
            let mut at = None;
            let mut message = None;
            for e in entries {
                match (&*e.key, e.value.as_str()) {
                    ("at", Some(s)) => at = Some(parse_at(s)?),
                    ("message", Some(s)) => message = Some(s.to_string()),
                    (k, _) => return Err(format!("finding: unknown or non-string key `{k}`")),
                }
            }
            let mut expected = at.ok_or("finding map needs `at`")?;
            expected.message = message;
            Ok(expected)
        }
        _ => Err("a finding is a string `rule line:column [path]` or a map with `at`".into()),
    }
}

fn parse_case(node: &Node, source: &Source) -> Result<Case, String> {
    let line = source.position(node.span.start).line;
    let Value::Map(entries) = &node.value else {
        return Err(format!("line {line}: a case must be a mapping"));
    };
    let (mut name, mut input, mut expected, mut json) = (None, None, None, false);
    for e in entries {
        match &*e.key {
            "name" => name = e.value.as_str().map(str::to_string),
            "input" => input = e.value.as_str().map(str::to_string),
            "format" => match e.value.as_str() {
                Some("json") => json = true,
                Some("yaml") => json = false,
                _ => return Err(format!("line {line}: format is `yaml` or `json`")),
            },
            "findings" => {
                let Value::Seq(items) = &e.value.value else {
                    return Err(format!(
                        "line {line}: findings must be a list ([] for none)"
                    ));
                };
                let parsed: Result<Vec<_>, _> = items.iter().map(parse_expected).collect();
                expected = Some(parsed.map_err(|err| format!("line {line}: {err}"))?);
            }
            other => return Err(format!("line {line}: unknown case key `{other}`")),
        }
    }
    Ok(Case {
        name: name.ok_or_else(|| format!("line {line}: case without a string `name`"))?,
        line,
        input: input.ok_or_else(|| format!("line {line}: case without a string `input`"))?,
        json,
        expected: expected.ok_or_else(|| format!("line {line}: case without `findings`"))?,
    })
}

fn string_list(node: &Node) -> Result<Vec<String>, String> {
    let Value::Seq(items) = &node.value else {
        return Err("`rules` must be a list of rule ids".into());
    };
    items
        .iter()
        .map(|i| {
            i.as_str()
                .map(str::to_string)
                .ok_or_else(|| "rule ids are strings".to_string())
        })
        .collect()
}

fn parse_file(path: &Path) -> Result<SpecFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let source = Source::new(path.to_string_lossy(), text);
    let read = doc::read(&source, netpol::source::SourceId(0), &Limits::default());
    if let Some(d) = read.diagnostics.first() {
        return Err(format!(
            "cannot read the spec file: {} ({})",
            d.message, d.rule
        ));
    }
    let [document] = read.documents.as_slice() else {
        return Err(format!(
            "expected one YAML document, found {}",
            read.documents.len()
        ));
    };
    let in_validation = path.starts_with(spec_root().join("validation"));
    let default_rules = || -> Result<Vec<String>, String> {
        if in_validation {
            Ok(netpol::validate::RULES
                .iter()
                .map(|r| r.to_string())
                .collect())
        } else {
            Err("files outside tests/spec/validation must say which `rules` they assert".into())
        }
    };
    let (rules, cases_node) = match &document.root.value {
        Value::Seq(_) => (default_rules()?, &document.root),
        Value::Map(entries) => {
            for e in entries {
                if e.key != "rules" && e.key != "cases" {
                    return Err(format!("unknown top-level key `{}`", e.key));
                }
            }
            let rules = match document.root.get("rules") {
                Some(node) => string_list(node)?,
                None => default_rules()?,
            };
            (rules, document.root.get("cases").ok_or("missing `cases`")?)
        }
        _ => return Err("a spec file is a list of cases or a mapping with `cases`".into()),
    };
    let Value::Seq(items) = &cases_node.value else {
        return Err("`cases` must be a list".into());
    };
    let cases = items
        .iter()
        .map(|c| parse_case(c, &source))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SpecFile { rules, cases })
}

/// Runs one case; `Err` describes the mismatch.
fn run_case(case: &Case, rules: &[String]) -> Result<(), String> {
    for e in &case.expected {
        if !rules.contains(&e.rule) {
            return Err(format!(
                "expects `{}`, which the file does not assert (add it to `rules`)",
                e.rule
            ));
        }
    }
    let name = if case.json {
        "input.json"
    } else {
        "input.yaml"
    };
    let mut actual: Vec<Finding> = findings_for(name, &case.input)
        .into_iter()
        .filter(|f| rules.contains(&f.rule))
        .collect();
    let mut missing = Vec::new();
    for e in &case.expected {
        match actual.iter().position(|f| e.matches(f)) {
            Some(i) => {
                actual.remove(i);
            }
            None => missing.push(e.describe()),
        }
    }
    if missing.is_empty() && actual.is_empty() {
        return Ok(());
    }
    let mut report = String::new();
    for m in &missing {
        let _ = write!(report, "\n      missing:    {m}");
    }
    for f in &actual {
        let _ = write!(report, "\n      unexpected: {}", describe(f));
    }
    Err(report)
}

#[test]
fn spec_files() {
    let mut files = Vec::new();
    collect_yaml(&spec_root(), &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "no spec files under {}",
        spec_root().display()
    );
    let (mut failures, mut cases_run) = (Vec::new(), 0usize);
    for path in &files {
        let shown = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .display()
            .to_string();
        let spec = match parse_file(path) {
            Ok(spec) => spec,
            Err(e) => {
                failures.push(format!("{shown}: {e}"));
                continue;
            }
        };
        let mut names = std::collections::BTreeSet::new();
        for case in &spec.cases {
            cases_run += 1;
            if !names.insert(case.name.as_str()) {
                failures.push(format!(
                    "{shown}:{}: duplicate case name `{}`",
                    case.line, case.name
                ));
            }
            if let Err(e) = run_case(case, &spec.rules) {
                failures.push(format!("{shown}:{}: case `{}`:{e}", case.line, case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases_run} spec cases failed:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn finding_strings_parse() {
    let e = parse_at("invalid-cidr 3:17 spec.x").unwrap();
    assert_eq!(
        (e.rule.as_str(), e.line, e.column, e.path.as_deref()),
        ("invalid-cidr", 3, 17, Some("spec.x"))
    );
    assert!(parse_at("invalid-cidr").is_err());
    assert!(parse_at("invalid-cidr 3").is_err());
    assert!(parse_at("invalid-cidr 3:x").is_err());
}
