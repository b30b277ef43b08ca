//! `netpol version` (also `netpol --version`).

use alloc::format;

use super::{Command, Invocation, Reply, UsageError, EXIT_SUCCESS, PROGRAM};

/// `netpol version`.
pub(crate) const COMMAND: Command = Command {
    name: "version",
    summary: "Print the version of netpol",
    usage: "netpol version",
    about: "Prints the version of netpol. It is the same in every build of one release.\n",
    options: &[],
    common: &[],
    formats: &[],
    examples: "netpol version\n",
    run,
};

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    if let Some(extra) = invocation.args.paths.first() {
        return Err(UsageError::new(format!(
            "unexpected argument '{extra}' ('version' takes none)"
        )));
    }
    Ok(Reply::new(
        format!("{PROGRAM} {}\n", crate::VERSION),
        EXIT_SUCCESS,
    ))
}
