//! `netpol help [COMMAND]`, and the help texts of every command.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::{
    find_command, Command, CommonOption, Invocation, Reply, Takes, UsageError, COMMANDS,
    EXIT_SUCCESS, PROGRAM,
};

/// `netpol help`.
pub(crate) const COMMAND: Command = Command {
    name: "help",
    summary: "Show the commands, or one command's options",
    usage: "netpol help [COMMAND]",
    about: "Shows the list of commands, or the options of COMMAND.\n",
    options: &[],
    common: &[],
    formats: &[],
    examples: "netpol help\nnetpol help lint\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    match invocation.args.paths.as_slice() {
        [] => Ok(Reply::new(general_help(), EXIT_SUCCESS)),
        [name] => find_command(name)
            .map(|command| Reply::new(command_help(command), EXIT_SUCCESS))
            .ok_or_else(|| super::unknown_command(name)),
        _ => Err(UsageError::new("'help' takes at most one command name")),
    }
}

/// The overview: what netpol is, the commands, where to find more.
pub(crate) fn general_help() -> String {
    let mut out = format!(
        "{PROGRAM} {} - validate, lint and explain Kubernetes NetworkPolicies\n\n\
         Usage: {PROGRAM} <COMMAND> [OPTIONS] [PATH...]\n\n\
         PATH is a file, a directory (searched recursively for *.yaml, *.yml, *.json;\n\
         hidden entries and node_modules are skipped) or '-' for standard input.\n\n\
         Commands:\n",
        crate::VERSION
    );
    let mut rows: Vec<(String, &str)> = COMMANDS
        .iter()
        .map(|c| (String::from(c.name), c.summary))
        .collect();
    rows.push((String::from("serve"), SERVE_SUMMARY));
    out.push_str(&table(&rows));
    let _ = write!(
        out,
        "\nRun '{PROGRAM} <COMMAND> --help' for a command's options.\n\n\
         Exit codes: 0 success; 1 findings at or above --fail-on, or a failing test;\n\
         2 usage error or unreadable input.\n"
    );
    out
}

/// The `serve` command's summary in the list: the native binary built with the
/// `serve` feature dispatches it, outside this command table.
const SERVE_SUMMARY: &str =
    "Run the HTTPS service: admission webhook, Gatekeeper provider, API (feature 'serve')";

/// `netpol COMMAND --help`.
pub(crate) fn command_help(command: &Command) -> String {
    let mut out = format!("{}\nUsage: {}\n\nOptions:\n", command.about, command.usage);
    out.push_str(&table(&option_rows(command)));
    if let Some((default, rest)) = command.formats.split_first() {
        let _ = write!(out, "\nFormats: {default} (default)");
        for format in rest {
            let _ = write!(out, ", {format}");
        }
        out.push('\n');
    }
    if !command.examples.is_empty() {
        out.push_str("\nExamples:\n");
        for line in command.examples.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// One row per option: the command's own, the common ones it takes, `--help`.
fn option_rows(command: &Command) -> Vec<(String, &'static str)> {
    let mut rows = Vec::new();
    for option in command.options {
        let flag = match option.takes {
            Takes::Flag => format!("    --{}", option.name),
            Takes::Value(value) => format!("    --{} {value}", option.name),
            Takes::Values(value) => format!("    --{} {value}...", option.name),
        };
        rows.push((flag, option.help));
    }
    for option in CommonOption::ALL {
        if !command.common.contains(&option) {
            continue;
        }
        let short = option
            .short()
            .map_or(String::from("    "), |c| format!("-{c}, "));
        let value = option
            .value_name()
            .map_or(String::new(), |v| format!(" {v}"));
        rows.push((format!("{short}--{}{value}", option.name()), option.help()));
    }
    rows.push((String::from("-h, --help"), "show this help"));
    rows
}

/// Two aligned columns, indented by two spaces.
fn table(rows: &[(String, &str)]) -> String {
    let width = rows.iter().map(|(left, _)| left.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (left, right) in rows {
        let _ = writeln!(out, "  {left:<width$}  {right}");
    }
    out
}
