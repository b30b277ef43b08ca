//! Argument parsing: the common options, each command's own options, and the paths,
//! in any order (`lexopt`).

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use std::ffi::OsString;

use lexopt::Arg;

use super::output::UsageError;
use super::Command;
use crate::diag::Severity;
use crate::model::Cni;

/// How an option takes its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    /// No value (`--quiet`).
    Flag,
    /// One value, named as in the help (`--port N`); given twice, the last wins.
    Value(&'static str),
    /// One or more values up to the next option (`--base PATH...`); repeatable.
    Values(&'static str),
}

/// A command's own option, for parsing and for `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionSpec {
    /// The long name without dashes (`from`).
    pub name: &'static str,
    /// What it takes.
    pub takes: Takes,
    /// One line for `--help`.
    pub help: &'static str,
}

/// The options every command may take (each command lists those that apply).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommonOption {
    /// `--format FORMAT` (`-f`).
    Format,
    /// `--fail-on error|warning|info|none`.
    FailOn,
    /// `--output FILE` (`-o`).
    Output,
    /// `--color auto|always|never`.
    Color,
    /// `--quiet` (`-q`).
    Quiet,
    /// `--config FILE`.
    Config,
    /// `--rule ID=LEVEL`, repeatable.
    Rule,
    /// `--strict`: an input object left out as invalid is an error (exit 2).
    Strict,
    /// `--stdin-name PATH`: the name standard input goes by in reports.
    StdinName,
    /// `--cni NAME`: the data-plane profile (overrides the configuration's `cni`).
    Cni,
}

impl CommonOption {
    /// Every common option, in help order.
    pub const ALL: [CommonOption; 10] = [
        CommonOption::Format,
        CommonOption::FailOn,
        CommonOption::Output,
        CommonOption::Color,
        CommonOption::Quiet,
        CommonOption::Config,
        CommonOption::Rule,
        CommonOption::Strict,
        CommonOption::StdinName,
        CommonOption::Cni,
    ];

    /// The long name without dashes.
    pub fn name(self) -> &'static str {
        match self {
            CommonOption::Format => "format",
            CommonOption::FailOn => "fail-on",
            CommonOption::Output => "output",
            CommonOption::Color => "color",
            CommonOption::Quiet => "quiet",
            CommonOption::Config => "config",
            CommonOption::Rule => "rule",
            CommonOption::Strict => "strict",
            CommonOption::StdinName => "stdin-name",
            CommonOption::Cni => "cni",
        }
    }

    /// The short letter, if any.
    pub fn short(self) -> Option<char> {
        match self {
            CommonOption::Format => Some('f'),
            CommonOption::Output => Some('o'),
            CommonOption::Quiet => Some('q'),
            _ => None,
        }
    }

    /// The value's name in help (`None` for a flag).
    pub fn value_name(self) -> Option<&'static str> {
        match self {
            CommonOption::Format => Some("FORMAT"),
            CommonOption::FailOn => Some("LEVEL"),
            CommonOption::Output | CommonOption::Config => Some("FILE"),
            CommonOption::Color => Some("WHEN"),
            CommonOption::Rule => Some("ID=LEVEL"),
            CommonOption::StdinName => Some("PATH"),
            CommonOption::Cni => Some("NAME"),
            CommonOption::Quiet | CommonOption::Strict => None,
        }
    }

    /// One line for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            CommonOption::Format => "output format (see Formats below)",
            CommonOption::FailOn => {
                "exit 1 when a finding is at or above LEVEL: error (default), warning, info, none"
            }
            CommonOption::Output => "write the report to FILE instead of standard output",
            CommonOption::Color => {
                "colour the text output: auto (default: on a terminal), always, never"
            }
            CommonOption::Quiet => {
                "print less: no notes on stderr; lint shows only findings at or above --fail-on"
            }
            CommonOption::Config => {
                "read the configuration from FILE (default: ./.netpol.yaml if present)"
            }
            CommonOption::Rule => "set a rule's level: off, info, warning, error (repeatable)",
            CommonOption::Strict => {
                "exit 2 when an input object is left out as invalid (the reasons go to stderr)"
            }
            CommonOption::StdinName => {
                "name standard input ('-') PATH in every report (SARIF, JUnit, text...)"
            }
            CommonOption::Cni => {
                "the data plane: generic (default), calico, cilium, antrea, ovn-kubernetes"
            }
        }
    }

    fn from_name(name: &str) -> Option<CommonOption> {
        CommonOption::ALL.into_iter().find(|o| o.name() == name)
    }

    fn from_short(short: char) -> Option<CommonOption> {
        CommonOption::ALL
            .into_iter()
            .find(|o| o.short() == Some(short))
    }
}

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Color {
    /// Colour when the output is a terminal.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The values of the common options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Common {
    /// `--format`, validated against the command's formats.
    pub format: Option<String>,
    /// `--fail-on`: `Some(None)` is `none`; `None` when not given (configuration or
    /// default decides).
    pub fail_on: Option<Option<Severity>>,
    /// `--output FILE`.
    pub output: Option<String>,
    /// `--color`.
    pub color: Color,
    /// `--quiet`.
    pub quiet: bool,
    /// `--config FILE`.
    pub config: Option<String>,
    /// `--rule ID=LEVEL` values in order (checked by the configuration).
    pub rules: Vec<String>,
    /// `--strict`.
    pub strict: bool,
    /// `--stdin-name PATH`.
    pub stdin_name: Option<String>,
    /// `--cni NAME`.
    pub cni: Option<Cni>,
}

/// Parsed arguments of one command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    /// The common options.
    pub common: Common,
    /// The command's own options by name: one entry per value given (flags: one
    /// empty string per occurrence).
    pub options: BTreeMap<&'static str, Vec<String>>,
    /// The positional arguments, in order.
    pub paths: Vec<String>,
    /// `--help` or `-h` was given.
    pub help: bool,
}

impl Args {
    /// Parses `args` (after the command name) for `command`.
    pub fn parse(command: &'static Command, args: &[String]) -> Result<Args, UsageError> {
        let mut parsed = Args::default();
        let mut parser = lexopt::Parser::from_args(args.iter().map(String::as_str));
        while let Some(arg) = parser.next().map_err(lexopt_error)? {
            let name = match arg {
                Arg::Value(value) => {
                    parsed.paths.push(utf8(value)?);
                    continue;
                }
                Arg::Short('h') | Arg::Long("help") => {
                    parsed.help = true;
                    continue;
                }
                Arg::Short(short) => match CommonOption::from_short(short) {
                    Some(option) if command.common.contains(&option) => option.name().to_owned(),
                    _ => return Err(UsageError::new(format!("unknown option '-{short}'"))),
                },
                Arg::Long(long) => long.to_owned(),
            };
            parsed.option(command, &name, &mut parser)?;
        }
        Ok(parsed)
    }

    /// The last value of the command option `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.options.get(name)?.last().map(String::as_str)
    }

    /// All values of the command option `name`.
    pub fn values(&self, name: &str) -> &[String] {
        self.options.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether the flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.options.contains_key(name)
    }

    /// Handles the long option `name` (a command option first, then a common one).
    fn option(
        &mut self,
        command: &'static Command,
        name: &str,
        parser: &mut lexopt::Parser,
    ) -> Result<(), UsageError> {
        if let Some(spec) = command.options.iter().find(|o| o.name == name) {
            let values = self.options.entry(spec.name).or_default();
            match spec.takes {
                Takes::Flag => values.push(String::new()),
                Takes::Value(_) => values.push(value(parser)?),
                Takes::Values(_) => {
                    for v in parser.values().map_err(lexopt_error)? {
                        values.push(utf8(v)?);
                    }
                }
            }
            return Ok(());
        }
        match CommonOption::from_name(name) {
            Some(option) if command.common.contains(&option) => {
                self.common_option(command, option, parser)
            }
            _ => Err(UsageError::new(format!("unknown option '--{name}'"))),
        }
    }

    fn common_option(
        &mut self,
        command: &'static Command,
        option: CommonOption,
        parser: &mut lexopt::Parser,
    ) -> Result<(), UsageError> {
        let common = &mut self.common;
        match option {
            CommonOption::Quiet => common.quiet = true,
            CommonOption::Strict => common.strict = true,
            CommonOption::Format => common.format = Some(parse_format(command, value(parser)?)?),
            CommonOption::FailOn => common.fail_on = Some(parse_fail_on(&value(parser)?)?),
            CommonOption::Output => common.output = Some(value(parser)?),
            CommonOption::Color => common.color = parse_color(&value(parser)?)?,
            CommonOption::Config => common.config = Some(value(parser)?),
            CommonOption::Rule => common.rules.push(value(parser)?),
            CommonOption::StdinName => common.stdin_name = Some(value(parser)?),
            CommonOption::Cni => common.cni = Some(parse_cni(&value(parser)?)?),
        }
        Ok(())
    }
}

/// Parses a `--cni` name.
pub fn parse_cni(name: &str) -> Result<Cni, UsageError> {
    Cni::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Cni::ALL.iter().map(|c| c.as_str()).collect();
        UsageError::new(format!(
            "invalid --cni '{name}' (expected {})",
            names.join(", ")
        ))
    })
}

/// Parses a `--fail-on` level: `Some(severity)`, or `None` for `none`.
pub fn parse_fail_on(level: &str) -> Result<Option<Severity>, UsageError> {
    if level == "none" {
        return Ok(None);
    }
    Severity::parse(level).map(Some).ok_or_else(|| {
        UsageError::new(format!(
            "invalid --fail-on '{level}' (expected error, warning, info or none)"
        ))
    })
}

fn parse_format(command: &Command, format: String) -> Result<String, UsageError> {
    if command.formats.contains(&format.as_str()) {
        return Ok(format);
    }
    Err(UsageError::new(format!(
        "unknown format '{format}' for '{}' (expected one of: {})",
        command.name,
        command.formats.join(", ")
    )))
}

fn parse_color(when: &str) -> Result<Color, UsageError> {
    match when {
        "auto" => Ok(Color::Auto),
        "always" => Ok(Color::Always),
        "never" => Ok(Color::Never),
        _ => Err(UsageError::new(format!(
            "invalid --color '{when}' (expected auto, always or never)"
        ))),
    }
}

fn value(parser: &mut lexopt::Parser) -> Result<String, UsageError> {
    utf8(parser.value().map_err(lexopt_error)?)
}

fn utf8(value: OsString) -> Result<String, UsageError> {
    value
        .into_string()
        .map_err(|v| UsageError::new(format!("argument is not valid UTF-8: {v:?}")))
}

fn lexopt_error(error: lexopt::Error) -> UsageError {
    UsageError::new(format!("{error}"))
}
