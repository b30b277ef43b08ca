//! `netpol lsp`: its help text and arguments. The server itself (`crate::lsp`)
//! talks over the process's standard streams, so the native binary and the WASI
//! command start it before the command line runs; a build that reaches this
//! command (the npm package) explains where to find it.

use alloc::format;
use alloc::string::String;

use super::{Command, Invocation, OptionSpec, Reply, Takes, UsageError};

/// `netpol lsp`.
pub(crate) const COMMAND: Command = Command {
    name: "lsp",
    summary: "Run the language server (LSP over standard input/output) for editors",
    usage: "netpol lsp [--stdio]",
    about: "Runs a language server (LSP 3.17) over standard input and output. Editors start it\n\
            for the folder they open: every YAML and JSON manifest under it is linted, and\n\
            diagnostics, hovers (which pods a selector matches, what a policy allows), go to\n\
            definition for named ports, document symbols and quick fixes update as you type.\n\
            The native binary and the WASI module (netpol.wasm lsp) run it; see docs/lsp.md.\n",
    options: &[OptionSpec {
        name: "stdio",
        takes: Takes::Flag,
        help: "accepted for editors that pass it; standard input/output is the only transport",
    }],
    common: &[],
    formats: &[],
    examples: "netpol lsp\n",
    run,
};

/// Whether `args` (after the program name) start the language server.
pub fn starts_server(args: &[String]) -> bool {
    matches!(args, [command] | [command, _] if command == "lsp")
        && args.iter().skip(1).all(|arg| arg == "--stdio")
}

fn run(invocation: &Invocation<'_>) -> Result<Reply, UsageError> {
    if let Some(extra) = invocation.args.paths.first() {
        return Err(UsageError::new(format!(
            "unexpected argument '{extra}' ('lsp' serves the folder the editor opens)"
        )));
    }
    Err(UsageError::new(
        "the language server runs in the native netpol binary or the WASI module \
         (netpol.wasm lsp), not in this build",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| String::from(*w)).collect()
    }

    #[test]
    fn only_lsp_alone_or_with_stdio_starts_the_server() {
        assert!(starts_server(&args(&["lsp"])));
        assert!(starts_server(&args(&["lsp", "--stdio"])));
        assert!(!starts_server(&args(&["lsp", "--help"])));
        assert!(!starts_server(&args(&["lsp", "k8s/"])));
        assert!(!starts_server(&args(&["lsp", "--stdio", "--stdio"])));
        assert!(!starts_server(&args(&["lint", "lsp"])));
        assert!(!starts_server(&args(&[])));
    }
}
