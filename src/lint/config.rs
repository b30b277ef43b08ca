//! The lint configuration: per-rule levels, cluster ranges, metadata addresses,
//! system namespaces, the port-range threshold and the failure threshold.
//!
//! Read from `.netpol.yaml` / `--config` (YAML or JSON) with [`Config::parse`], then
//! adjusted by `--rule ID=LEVEL` ([`Config::set_rule`]) and `--fail-on`
//! ([`Config::set_fail_on`]). Problems in the file are `invalid-config` errors that
//! point at the key or value at fault.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::IpAddr;
use core::str::FromStr;

use ipnet::IpNet;

use crate::diag::{Diagnostic, Severity};
use crate::doc::{Entry, Limits, Node, Value};
use crate::lint::catalogue::{self, rule_doc};
use crate::lint::doc::RuleDoc;
use crate::model::Cni;
use crate::similar::close_matches;
use crate::source::{Source, SourceId, Span};

pub use super::settings::{Config, Level};

/// The rule id of configuration problems.
pub const INVALID_CONFIG: &str = "invalid-config";

/// The configuration keys, in documentation order.
const KEYS: [&str; 8] = [
    "rules",
    "cni",
    "podCIDRs",
    "serviceCIDRs",
    "metadataAddresses",
    "systemNamespaces",
    "portRangeThreshold",
    "failOn",
];

impl Config {
    /// Reads a configuration file (YAML or JSON, chosen like any input by
    /// [`crate::doc::is_json`]). An empty file is the default configuration. Unknown
    /// keys, unknown rule ids and bad values are `invalid-config` errors located at
    /// the key or value; reading problems (`yaml-syntax`, `duplicate-field`) are
    /// returned as they are.
    pub fn parse(source: &Source, id: SourceId) -> Result<Config, Vec<Diagnostic>> {
        let read = crate::doc::read(source, id, &Limits::default());
        let mut errors: Vec<Diagnostic> = read
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let mut config = Config::default();
        let mut documents = read.documents.iter();
        if let Some(document) = documents.next() {
            let mut parser = Parser {
                id,
                errors: &mut errors,
            };
            parser.root(&document.root, &mut config);
        }
        if let Some(extra) = documents.next() {
            errors.push(config_error(
                id,
                extra.root.span,
                "the configuration must be one document",
            ));
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// Applies `--rule ID=LEVEL` (`LEVEL`: `off`, `info`, `warning`, `error`). An
    /// unknown id is an error naming the closest known ids.
    pub fn set_rule(&mut self, spec: &str) -> Result<(), String> {
        let Some((rule, level)) = spec.split_once('=') else {
            return Err(format!("expected `ID=LEVEL` in `--rule {spec}`"));
        };
        let rule = known_rule(rule.trim())?;
        let level = parse_level(level.trim())?;
        self.levels.insert(rule, level);
        Ok(())
    }

    /// Sets the level of `rule` directly (`None`: off). Fails for an unknown id.
    pub fn set_level(&mut self, rule: &str, level: Level) -> Result<(), String> {
        let rule = known_rule(rule)?;
        self.levels.insert(rule, level);
        Ok(())
    }

    /// The level `rule` runs at: the configured one, else its default severity
    /// (`None`: off).
    pub fn level(&self, rule: &str) -> Level {
        match self.levels.get(rule) {
            Some(level) => *level,
            None => rule_doc(rule).map(|d| d.default_severity),
        }
    }

    /// Applies `--fail-on error|warning|info|none`.
    pub fn set_fail_on(&mut self, spec: &str) -> Result<(), String> {
        self.fail_on = parse_fail_on(spec)?;
        Ok(())
    }
}

/// The catalogue id equal to `rule`, or an error naming close matches.
fn known_rule(rule: &str) -> Result<&'static str, String> {
    find_rule(rule).map(|doc| doc.id)
}

/// The documentation of `rule`, or an error naming the closest known ids.
pub fn find_rule(rule: &str) -> Result<&'static RuleDoc, String> {
    if let Some(doc) = rule_doc(rule) {
        return Ok(doc);
    }
    let ids = catalogue::ALL.iter().map(|d| d.id);
    let close = close_matches(rule, ids);
    if close.is_empty() {
        Err(format!("unknown rule `{rule}` (see `netpol rules`)"))
    } else {
        Err(format!(
            "unknown rule `{rule}`; did you mean {}?",
            quoted_list(&close)
        ))
    }
}

/// `` `a`, `b` or `c` ``.
fn quoted_list(items: &[&str]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " or " } else { ", " });
        }
        out.push('`');
        out.push_str(item);
        out.push('`');
    }
    out
}

/// Parses `off`, `info`, `warning` or `error`.
fn parse_level(s: &str) -> Result<Level, String> {
    if s == "off" {
        return Ok(None);
    }
    Severity::parse(s)
        .map(Some)
        .ok_or_else(|| format!("unknown level `{s}`: expected `off`, `info`, `warning` or `error`"))
}

/// The message for a `cni` value that names no profile.
fn unknown_cni(name: &str) -> String {
    let names: Vec<&str> = Cni::ALL.iter().map(|c| c.as_str()).collect();
    format!(
        "`cni`: unknown data plane `{name}`: expected {}",
        quoted_list(&names)
    )
}

/// Parses `error`, `warning`, `info` or `none`.
fn parse_fail_on(s: &str) -> Result<Option<Severity>, String> {
    if s == "none" {
        return Ok(None);
    }
    Severity::parse(s).map(Some).ok_or_else(|| {
        format!("unknown level `{s}`: expected `error`, `warning`, `info` or `none`")
    })
}

/// An `invalid-config` error at `span`.
fn config_error(id: SourceId, span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(INVALID_CONFIG, Severity::Error, message).at(id, span)
}

/// Walks the document, filling a [`Config`] and collecting errors.
struct Parser<'a> {
    id: SourceId,
    errors: &'a mut Vec<Diagnostic>,
}

impl Parser<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(config_error(self.id, span, message));
    }

    fn root(&mut self, root: &Node, config: &mut Config) {
        let entries = match &root.value {
            Value::Map(entries) => entries,
            Value::Null => return,
            other => {
                let found = other.type_name();
                self.error(
                    root.span,
                    format!("the configuration must be a mapping, found {found}"),
                );
                return;
            }
        };
        for entry in entries {
            self.entry(entry, config);
        }
    }

    fn entry(&mut self, entry: &Entry, config: &mut Config) {
        let value = &entry.value;
        match &*entry.key {
            "rules" => self.rules(value, config),
            "podCIDRs" => config.pod_cidrs = self.cidrs(&entry.key, value),
            "serviceCIDRs" => config.service_cidrs = self.cidrs(&entry.key, value),
            "metadataAddresses" => config.metadata_addresses = self.cidrs(&entry.key, value),
            "systemNamespaces" => config.system_namespaces = self.strings(&entry.key, value),
            "portRangeThreshold" => {
                if let Some(n) = self.threshold(value) {
                    config.port_range_threshold = n;
                }
            }
            "cni" => {
                if let Some(name) = self.string("cni", value) {
                    match Cni::parse(name) {
                        Some(cni) => config.cni = cni,
                        None => self.error(value.span, unknown_cni(name)),
                    }
                }
            }
            "failOn" => {
                if let Some(s) = self.string("failOn", value) {
                    match parse_fail_on(s) {
                        Ok(level) => config.fail_on = level,
                        Err(e) => self.error(value.span, format!("`failOn`: {e}")),
                    }
                }
            }
            key => {
                let close = close_matches(key, KEYS.iter().copied());
                let hint = if close.is_empty() {
                    format!("; known keys: {}", quoted_list(&KEYS))
                } else {
                    format!("; did you mean {}?", quoted_list(&close))
                };
                self.error(
                    entry.key_span,
                    format!("unknown configuration key `{key}`{hint}"),
                );
            }
        }
    }

    fn rules(&mut self, node: &Node, config: &mut Config) {
        let entries = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => return,
            other => {
                let found = other.type_name();
                self.error(
                    node.span,
                    format!("`rules` must be a mapping of rule id to level, found {found}"),
                );
                return;
            }
        };
        for entry in entries {
            let rule = match known_rule(&entry.key) {
                Ok(rule) => Some(rule),
                Err(e) => {
                    self.error(entry.key_span, format!("`rules`: {e}"));
                    None
                }
            };
            let Some(text) = self.level_text(&entry.value) else {
                self.error(
                    entry.value.span,
                    format!(
                        "`rules.{}`: expected `off`, `info`, `warning` or `error`",
                        entry.key
                    ),
                );
                continue;
            };
            match (rule, parse_level(&text)) {
                (Some(rule), Ok(level)) => {
                    config.levels.insert(rule, level);
                }
                (_, Err(e)) => self.error(entry.value.span, format!("`rules.{}`: {e}", entry.key)),
                (None, Ok(_)) => {}
            }
        }
    }

    /// A level as text; YAML 1.1 reads a bare `off` as the boolean false.
    fn level_text(&self, node: &Node) -> Option<String> {
        match &node.value {
            Value::String(s) => Some(s.clone()),
            Value::Bool(false) => Some(String::from("off")),
            _ => None,
        }
    }

    fn string<'n>(&mut self, key: &str, node: &'n Node) -> Option<&'n str> {
        let s = node.as_str();
        if s.is_none() {
            let found = node.value.type_name();
            self.error(
                node.span,
                format!("`{key}` must be a string, found {found}"),
            );
        }
        s
    }

    fn list<'n>(&mut self, key: &str, node: &'n Node) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            other => {
                let found = other.type_name();
                self.error(node.span, format!("`{key}` must be a list, found {found}"));
                &[]
            }
        }
    }

    fn strings(&mut self, key: &str, node: &Node) -> Vec<String> {
        let mut out = Vec::new();
        for item in self.list(key, node) {
            if let Some(s) = self.string(key, item) {
                out.push(s.to_string());
            }
        }
        out
    }

    fn cidrs(&mut self, key: &str, node: &Node) -> Vec<IpNet> {
        let mut out = Vec::new();
        for item in self.list(key, node) {
            let Some(s) = self.string(key, item) else {
                continue;
            };
            match parse_cidr_or_address(s) {
                Some(net) => out.push(net),
                None => self.error(
                    item.span,
                    format!("`{key}`: `{s}` is not a CIDR (e.g. 10.9.8.0/24 or 2001:db8::/64) or an IP address"),
                ),
            }
        }
        out
    }

    fn threshold(&mut self, node: &Node) -> Option<u32> {
        match node.value {
            Value::Int(n) if (1..=65535).contains(&n) => u32::try_from(n).ok(),
            _ => {
                self.error(
                    node.span,
                    "`portRangeThreshold` must be a whole number from 1 to 65535",
                );
                None
            }
        }
    }
}

/// A CIDR, or a bare address as a host prefix (`/32`, `/128`).
fn parse_cidr_or_address(s: &str) -> Option<IpNet> {
    IpNet::from_str(s)
        .ok()
        .or_else(|| IpAddr::from_str(s).ok().map(IpNet::from))
}
