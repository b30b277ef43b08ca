//! SARIF 2.1.0 (GitHub code scanning, GitLab, Azure DevOps).
//!
//! One run whose driver is `netpol` with its version and a `rules[]` entry for every
//! catalogue rule plus any other rule a finding names (reading and validation rules),
//! sorted by id; a catalogue rule's `helpUri` is its page, `docs/rules/<id>.md` in
//! the project's repository at the release (when the build knows the repository). Each result has `ruleId`, `ruleIndex`, `level`, `message.text`, a
//! repository-relative location with a region in UTF-16 columns (the run's
//! `columnKind`), and a `partialFingerprints` entry computed from the rule id, the
//! resource and the field path only, so moving an object inside its file does not
//! reopen an alert.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{json, Map, Value};

use crate::first_seen::first_seen_ids;
use crate::sorted::SortedMap;

use super::context::{rule_help_uri, RenderContext, RuleMeta};
use super::output::Output;
use super::{Finding, LintReport};
use crate::diag::Severity;

/// The `$schema` written at the top of the log.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of the fingerprint in `partialFingerprints` (bump the version if the
/// hashed fields ever change).
pub const FINGERPRINT_KEY: &str = "netpolFindingHash/v1";

/// Renders `report` as a SARIF 2.1.0 log (pretty-printed JSON, final newline).
pub fn render(report: &LintReport, ctx: &RenderContext<'_>) -> String {
    let mut out = Output::collect();
    write(report, ctx, &mut out);
    out.finish()
}

/// [`render`] into `out`, one result at a time.
pub fn write(report: &LintReport, ctx: &RenderContext<'_>, out: &mut Output<'_>) {
    let rules = rule_table(report, ctx);
    let index: SortedMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut driver = Map::new();
    driver.insert("name".into(), json!("netpol"));
    if !ctx.version.is_empty() {
        driver.insert("version".into(), json!(ctx.version));
        driver.insert("semanticVersion".into(), json!(ctx.version));
    }
    let descriptors: Vec<Value> = rules.iter().map(|r| rule_descriptor(r, ctx)).collect();
    driver.insert("rules".into(), Value::Array(descriptors));
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "utf16CodeUnits",
            "results": [],
        }],
    });
    let skeleton = serde_json::to_string_pretty(&log).unwrap_or_default();
    // The results are written one at a time into the place of the empty array, so
    // the log never holds them all as JSON values.
    let Some(at) = skeleton.find(RESULTS_MARKER) else {
        out.push_str(&skeleton);
        out.push('\n');
        return;
    };
    let (head, tail) = skeleton.split_at(at + RESULTS_MARKER.len() - 1);
    out.push_str(head);
    // Each finding's fingerprint hash with how many findings so far have it.
    let hashes: Vec<u64> = report.findings.iter().map(fingerprint_hash).collect();
    let (hash_ids, _) = first_seen_ids(&hashes);
    let mut seen = alloc::vec![0usize; hashes.len()];
    for (n, (f, (hash, id))) in report
        .findings
        .iter()
        .zip(hashes.iter().zip(hash_ids))
        .enumerate()
    {
        let count = match seen.get_mut(id as usize) {
            Some(count) => {
                *count += 1;
                *count
            }
            None => 1,
        };
        let fingerprint = format!("{hash:016x}:{count}");
        let value = result(f, index.get(f.rule_id).copied(), fingerprint, ctx);
        out.push_str(if n == 0 { "\n" } else { ",\n" });
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(RESULT_INDENT);
            out.push_str(line);
        }
    }
    if !report.findings.is_empty() {
        out.push_str("\n      ");
    }
    out.push_str(tail);
    out.push('\n');
}

/// The empty `results` array of the one run, as the pretty printer writes it.
const RESULTS_MARKER: &str = "\n      \"results\": []";

/// The indentation of a result inside `runs[0].results`.
const RESULT_INDENT: &str = "        ";

/// The SARIF `level` of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The `security-severity` of a rule's default severity (GitHub shows 7.0 and up as
/// High, 4.0 and up as Medium, otherwise Low).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

/// The catalogue rules plus one entry for each rule id a finding names that the
/// catalogue lacks, sorted by id.
fn rule_table(report: &LintReport, ctx: &RenderContext<'_>) -> Vec<RuleMeta> {
    let known: SortedMap<&str, &RuleMeta> = ctx.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    // Of entries with the same id the last one stays: the findings' (last to first,
    // so the first finding's), then the catalogue's.
    let unknown: Vec<RuleMeta> = report
        .findings
        .iter()
        .rev()
        .filter(|f| !known.contains_key(f.rule_id))
        .map(|f| RuleMeta {
            id: f.rule_id.to_string(),
            default_severity: f.severity,
            short: String::new(),
            full: String::new(),
            help: f.help.clone(),
            tags: Vec::new(),
            category: String::new(),
            kinds: Vec::new(),
        })
        .collect();
    let table: SortedMap<String, RuleMeta> = unknown
        .into_iter()
        .chain(known.into_iter().map(|(_, r)| r.clone()))
        .map(|r| (r.id.clone(), r))
        .collect();
    table.into_iter().map(|(_, r)| r).collect()
}

/// The first non-empty text of `candidates` (the rule id when all are empty).
fn first_text<'a>(id: &'a str, candidates: &[&'a str]) -> &'a str {
    candidates
        .iter()
        .copied()
        .find(|t| !t.trim().is_empty())
        .unwrap_or(id)
}

/// One `reportingDescriptor` of `rules[]`.
fn rule_descriptor(rule: &RuleMeta, ctx: &RenderContext<'_>) -> Value {
    let short = first_text(&rule.id, &[&rule.short, &rule.full]);
    let full = first_text(&rule.id, &[&rule.full, &rule.short]);
    let help = first_text(&rule.id, &[&rule.help, &rule.full, &rule.short]);
    let mut tags: Vec<&str> = rule.tags.iter().map(String::as_str).collect();
    tags.push("security");
    crate::order::sort(&mut tags);
    tags.dedup();
    let mut descriptor = json!({
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help},
        "defaultConfiguration": {"level": level(rule.default_severity)},
        "properties": {
            "tags": tags,
            "security-severity": security_severity(rule.default_severity),
        },
    });
    // Only catalogue rules have a page.
    let page = ctx
        .rule(&rule.id)
        .and_then(|_| rule_help_uri(ctx.repository, ctx.version, &rule.id));
    if let (Some(uri), Value::Object(map)) = (page, &mut descriptor) {
        map.insert("helpUri".into(), json!(uri));
    }
    descriptor
}

/// One `result`.
fn result(
    f: &Finding,
    rule_index: Option<usize>,
    fingerprint: String,
    ctx: &RenderContext<'_>,
) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(f.rule_id));
    if let Some(i) = rule_index {
        result.insert("ruleIndex".into(), json!(i));
    }
    result.insert("level".into(), json!(level(f.severity)));
    result.insert("message".into(), json!({"text": message_text(f)}));
    if let Some(location) = location(f, ctx) {
        result.insert("locations".into(), json!([location]));
    }
    let mut fingerprints = Map::new();
    fingerprints.insert(FINGERPRINT_KEY.into(), json!(fingerprint));
    result.insert("partialFingerprints".into(), Value::Object(fingerprints));
    let mut properties = Map::new();
    if !f.path.is_empty() {
        properties.insert("path".into(), json!(f.path));
    }
    if let Some(r) = &f.resource {
        properties.insert("resource".into(), json!(r));
    }
    if !properties.is_empty() {
        result.insert("properties".into(), Value::Object(properties));
    }
    Value::Object(result)
}

/// The message, with the finding's help on a second line when it has one.
fn message_text(f: &Finding) -> String {
    if f.help.is_empty() {
        f.message.clone()
    } else {
        format!("{}\nhelp: {}", f.message, f.help)
    }
}

/// The `location` of a finding (`None` when it has no file).
fn location(f: &Finding, ctx: &RenderContext<'_>) -> Option<Value> {
    if f.file.is_empty() {
        return None;
    }
    let mut artifact = Map::new();
    let uri = artifact_uri(&f.file);
    if !uri.starts_with("file:") {
        artifact.insert("uriBaseId".into(), json!("%SRCROOT%"));
    }
    artifact.insert("uri".into(), json!(uri));
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), Value::Object(artifact));
    physical.insert("region".into(), region(f, ctx));
    let mut location = Map::new();
    location.insert("physicalLocation".into(), Value::Object(physical));
    if let Some(r) = &f.resource {
        location.insert(
            "logicalLocations".into(),
            json!([{"fullyQualifiedName": logical_name(r), "kind": "resource"}]),
        );
    }
    Some(Value::Object(location))
}

/// `namespace/Kind/name` (or `Kind/name`), the logical location of a resource.
fn logical_name(r: &super::Resource) -> String {
    match &r.namespace {
        Some(ns) => format!("{ns}/{}/{}", r.kind, r.name),
        None => format!("{}/{}", r.kind, r.name),
    }
}

/// The `region`: start and end in UTF-16 columns, with the source line as snippet
/// when the source is at hand and the line is not blank. A finding about a whole
/// file (line 0) points at line 1.
fn region(f: &Finding, ctx: &RenderContext<'_>) -> Value {
    let mut region = Map::new();
    let start_line = f.line.max(1);
    region.insert("startLine".into(), json!(start_line));
    if f.line == 0 {
        return Value::Object(region);
    }
    let start_column = utf16_or_chars(f.utf16_column, f.column);
    region.insert("startColumn".into(), json!(start_column));
    if f.end_line >= f.line {
        let end_column = utf16_or_chars(f.utf16_end_column, f.end_column);
        let same_line = f.end_line == f.line;
        region.insert("endLine".into(), json!(f.end_line));
        region.insert(
            "endColumn".into(),
            json!(if same_line {
                end_column.max(start_column)
            } else {
                end_column
            }),
        );
    }
    if let Some(text) = snippet(f, ctx) {
        region.insert("snippet".into(), json!({"text": text}));
    }
    Value::Object(region)
}

/// The UTF-16 column when the finding has one, else its character column (at least 1).
fn utf16_or_chars(utf16: u32, chars: u32) -> u32 {
    if utf16 > 0 {
        utf16
    } else {
        chars.max(1)
    }
}

/// The text of the finding's first line, when its source is in the context and the
/// line holds more than blanks.
fn snippet(f: &Finding, ctx: &RenderContext<'_>) -> Option<String> {
    let (_, source) = ctx.sources.iter().find(|(_, s)| s.name() == f.file)?;
    let line = source.line_text(f.line);
    if line.trim().is_empty() {
        None
    } else {
        Some(line.to_string())
    }
}

/// A repository-relative URI reference for a display path: `./` dropped, `\`
/// turned into `/`, and every byte outside the unreserved set and `/` percent-encoded.
/// An absolute path (`/x`, `C:\x`) becomes a `file:` URI.
pub fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    let bytes = rest.as_bytes();
    let drive = bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && bytes.get(2) == Some(&b'/');
    let mut out = String::new();
    if rest.starts_with('/') {
        out.push_str("file://");
    } else if drive {
        out.push_str("file:///");
    }
    for (i, b) in rest.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (drive && i == 1);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The stable part of a finding's fingerprint: FNV-1a (64 bits, hex) over the rule
/// id, the resource (or the file for findings without one) and the field path.
pub fn fingerprint(f: &Finding) -> String {
    format!("{:016x}", fingerprint_hash(f))
}

/// The hash [`fingerprint`] writes in hex.
fn fingerprint_hash(f: &Finding) -> u64 {
    let mut hash = Fnv64::new();
    hash.field(f.rule_id);
    match &f.resource {
        Some(r) => {
            hash.field(&r.api_version);
            hash.field(&r.kind);
            hash.field(r.namespace.as_deref().unwrap_or(""));
            hash.field(&r.name);
        }
        None => hash.field(&f.file),
    }
    hash.field(&f.path);
    hash.0
}

/// FNV-1a, 64 bits.
struct Fnv64(u64);

impl Fnv64 {
    fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }

    /// Hashes `text` followed by a unit separator, so fields cannot run together.
    fn field(&mut self, text: &str) {
        for b in text.bytes().chain(core::iter::once(0x1f)) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
