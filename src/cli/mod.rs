//! The command line, once, as a pure function over an abstract file system.
//!
//! [`run`] turns arguments into an [`Outcome`] (what to print on stdout and stderr,
//! and the exit code). Everything outside the process — reading files and
//! directories, standard input, writing `--output`, asking whether a stream is a
//! terminal — goes through a [`FileSource`]. The native binary implements it with
//! `std::fs`; the npm package implements it over Node's `fs`, so `netpol` and
//! `npx netpol` print the same bytes and exit with the same codes.
//!
//! ## Adding a command
//!
//! Write `src/cli/<name>.rs` with a `pub(crate) const COMMAND: Command` (its name,
//! help text, options, formats and `run` function) and add `<name>` to the
//! `commands!` list in this file ([`COMMANDS`] is the result). Option parsing
//! (before or after the paths), `--help`, the common options, `--output`, colour
//! and exit code 2 on usage errors come for free.
//!
//! ## Exit codes
//!
//! [`EXIT_SUCCESS`] (0), [`EXIT_FAILURE`] (1: findings at or above `--fail-on`, or
//! a failing connectivity test), [`EXIT_USAGE`] (2: usage error or unreadable input).

use alloc::format;
use alloc::string::String;

mod args;
mod config;
mod decoding;
mod files;
mod inputs;
mod output;
mod render;

pub use args::{Args, Color, Common, CommonOption, OptionSpec, Takes};
pub use config::{folder_config, load_config, DEFAULT_CONFIG_FILE};
pub use files::{DirEntry, EntryKind, FileError, FileSource, Stream, Timestamp};
pub use inputs::{is_manifest_name, manifest_files, read_inputs};
pub use lsp::starts_server;
pub use output::{Reply, UsageError};
pub use render::{listed_objects, render_lint};

/// Declares the command modules and the table [`COMMANDS`] in one list: adding a
/// command is one file and one name here.
macro_rules! commands {
    ($($name:ident),* $(,)?) => {
        $(mod $name;)*
        /// Every command, in the order `netpol help` lists them.
        pub static COMMANDS: &[&Command] = &[$(&$name::COMMAND),*];
    };
}

commands! {
    lint,
    admission,
    matrix,
    query,
    test,
    diff,
    replay,
    synthesize,
    rules,
    version,
    lsp,
    help,
}

/// Exit code: success.
pub const EXIT_SUCCESS: i32 = 0;
/// Exit code: findings at or above `--fail-on`, or a failing connectivity test.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code: usage error or an input that cannot be read.
pub const EXIT_USAGE: i32 = 2;

/// What a run produced: the bytes for stdout and stderr, and the exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Text for standard output.
    pub stdout: String,
    /// Text for standard error.
    pub stderr: String,
    /// The process exit code (see the module docs).
    pub code: i32,
}

/// One command: its name, documentation, options and behaviour.
pub struct Command {
    /// The word after `netpol` (`lint`).
    pub name: &'static str,
    /// One line for the command list of `netpol help`.
    pub summary: &'static str,
    /// The usage line (`netpol lint [OPTIONS] PATH...`).
    pub usage: &'static str,
    /// What the command does, shown by `--help` under the usage line (may be several
    /// paragraphs, each line ending in `\n`).
    pub about: &'static str,
    /// The command's own options (beyond the common ones).
    pub options: &'static [OptionSpec],
    /// Which common options the command takes.
    pub common: &'static [CommonOption],
    /// Output formats for `--format`; the first is the default. Empty: no `--format`.
    pub formats: &'static [&'static str],
    /// Examples shown by `--help` (each line ending in `\n`).
    pub examples: &'static str,
    /// Does the work once the arguments are parsed.
    pub run: fn(&Invocation<'_>) -> Result<Reply, UsageError>,
}

/// Everything a command's `run` gets: the parsed arguments and the file system.
pub struct Invocation<'a> {
    /// The command being run.
    pub command: &'static Command,
    /// The parsed arguments.
    pub args: Args,
    /// Files, directories, stdin and terminals.
    pub files: &'a dyn FileSource,
}

impl Invocation<'_> {
    /// The chosen `--format` (the command's default when not given).
    pub fn format(&self) -> &str {
        self.args
            .common
            .format
            .as_deref()
            .or_else(|| self.command.formats.first().copied())
            .unwrap_or("text")
    }

    /// Whether text output should carry ANSI colours: `--color always`, or `auto`
    /// when the output goes to a terminal (not to `--output`).
    pub fn color(&self) -> bool {
        match self.args.common.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                self.args.common.output.is_none() && self.files.is_terminal(Stream::Stdout)
            }
        }
    }

    /// Reads the PATH arguments (files, directories, `-`) into a source set; an
    /// empty list is a usage error.
    pub fn sources(&self) -> Result<crate::source::SourceSet, UsageError> {
        if self.args.paths.is_empty() {
            return Err(UsageError::new(
                "no input: give files, directories, or '-' for standard input",
            ));
        }
        self.read_paths(&self.args.paths)
    }

    /// Reads `paths` (files, directories, `-`) into a source set, standard input
    /// named as `--stdin-name` says.
    pub fn read_paths(&self, paths: &[String]) -> Result<crate::source::SourceSet, UsageError> {
        let stdin_name = self.args.common.stdin_name.as_deref().unwrap_or("-");
        read_inputs(paths, self.files, stdin_name)
    }
}

/// Runs `netpol` with `args` (the arguments after the program name) over `files`.
///
/// Never panics and never touches the process: the caller prints
/// [`Outcome::stdout`] and [`Outcome::stderr`] and exits with [`Outcome::code`].
pub fn run(args: &[String], files: &dyn FileSource) -> Outcome {
    let Some((first, rest)) = args.split_first() else {
        return Outcome {
            stdout: String::new(),
            stderr: help::general_help(),
            code: EXIT_USAGE,
        };
    };
    let (command, rest) = match first.as_str() {
        "-h" | "--help" => (&help::COMMAND, rest),
        "-V" | "--version" => (&version::COMMAND, rest),
        name => match find_command(name) {
            Some(command) => (command, rest),
            None => return usage_failure(None, &unknown_command(name)),
        },
    };
    run_command(command, rest, files)
}

/// The command named `name`.
pub fn find_command(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().copied().find(|c| c.name == name)
}

/// The usage error for a command name that is not one (with a suggestion when one
/// is close).
pub(crate) fn unknown_command(name: &str) -> UsageError {
    let message = if name.starts_with('-') {
        format!("unknown option '{name}' (a command comes first, e.g. 'netpol lint')")
    } else {
        let close = crate::similar::close_matches(name, COMMANDS.iter().map(|c| c.name));
        match close.first() {
            Some(command) => format!("unknown command '{name}'; did you mean '{command}'?"),
            None => format!("unknown command '{name}'"),
        }
    };
    UsageError::new(message)
}

/// Parses `args` for `command`, runs it, and delivers its reply (to `--output` or
/// stdout).
fn run_command(command: &'static Command, args: &[String], files: &dyn FileSource) -> Outcome {
    let args = match Args::parse(command, args) {
        Ok(args) => args,
        Err(error) => return usage_failure(Some(command), &error),
    };
    if args.help {
        return Outcome {
            stdout: help::command_help(command),
            stderr: String::new(),
            code: EXIT_SUCCESS,
        };
    }
    let invocation = Invocation {
        command,
        args,
        files,
    };
    match (command.run)(&invocation) {
        Ok(reply) => deliver(&invocation, reply),
        Err(error) => usage_failure(Some(command), &error),
    }
}

/// Sends the reply's output to `--output FILE` or stdout.
fn deliver(invocation: &Invocation<'_>, reply: Reply) -> Outcome {
    let Some(path) = &invocation.args.common.output else {
        return Outcome {
            stdout: reply.stdout,
            stderr: reply.stderr,
            code: reply.code,
        };
    };
    match invocation.files.write_file(path, &reply.stdout) {
        Ok(()) => Outcome {
            stdout: String::new(),
            stderr: reply.stderr,
            code: reply.code,
        },
        Err(error) => {
            let mut stderr = reply.stderr;
            stderr.push_str(
                &UsageError::new(format!("cannot write '{path}': {error}"))
                    .render(Some(invocation.command)),
            );
            Outcome {
                stdout: String::new(),
                stderr,
                code: EXIT_USAGE,
            }
        }
    }
}

/// Exit code 2 with the error and a hint to `--help`.
fn usage_failure(command: Option<&Command>, error: &UsageError) -> Outcome {
    Outcome {
        stdout: String::new(),
        stderr: error.render(command),
        code: EXIT_USAGE,
    }
}

/// The common program name in messages.
pub(crate) const PROGRAM: &str = "netpol";

/// `netpol <command> --help` as a hint string.
pub(crate) fn help_hint(command: Option<&Command>) -> String {
    match command {
        Some(c) => format!("run '{PROGRAM} {} --help' for usage", c.name),
        None => format!("run '{PROGRAM} --help' for the list of commands"),
    }
}
