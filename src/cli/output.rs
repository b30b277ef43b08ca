//! What a command hands back: its reply, or the error that makes the run exit 2.

use alloc::format;
use alloc::string::String;

use super::{help_hint, Command, PROGRAM};

/// A command's answer: the report (stdout, or the `--output` file), notes for
/// stderr, and the exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// The report.
    pub stdout: String,
    /// Notes and problems outside the report.
    pub stderr: String,
    /// The exit code (0 or 1; 2 is a [`UsageError`]).
    pub code: i32,
}

impl Reply {
    /// A reply printing `stdout` and exiting with `code`.
    pub fn new(stdout: String, code: i32) -> Reply {
        Reply {
            stdout,
            stderr: String::new(),
            code,
        }
    }
}

/// A problem that stops the run with exit code 2: a bad option or argument, or an
/// input that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError {
    /// One line saying what is wrong.
    pub message: String,
    /// Extra lines printed after the message (already formatted, e.g. configuration
    /// errors with their source lines).
    pub details: String,
}

impl UsageError {
    /// An error saying `message` (one line).
    pub fn new(message: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
            details: String::new(),
        }
    }

    /// Adds formatted detail lines.
    pub fn with_details(mut self, details: String) -> UsageError {
        self.details = details;
        self
    }

    /// The stderr text: `netpol: error: MESSAGE`, the details, and a hint to
    /// `--help`.
    pub fn render(&self, command: Option<&Command>) -> String {
        format!(
            "{PROGRAM}: error: {}\n{}{PROGRAM}: hint: {}\n",
            self.message,
            self.details,
            help_hint(command)
        )
    }
}
