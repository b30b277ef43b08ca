//! The native `netpol` binary: the command line of [`netpol::cli`] over the real file
//! system.
//!
//! The same source compiled for `wasm32-wasip1` is the WASI command
//! (`pkg/wasi/netpol.wasm`, `make wasi`): `std::fs`, stdin, the terminal checks and
//! the clock map onto WASI calls, and the file system is what the host pre-opens.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use netpol::cli::{self, DirEntry, EntryKind, FileError, FileSource, Stream, Timestamp};

/// The operating system's files, stdin and terminals.
struct NativeFiles;

impl FileSource for NativeFiles {
    fn write_stdout(&self, text: &str) -> bool {
        // A closed pipe (`netpol lint . | head`) is not an error worth reporting.
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        true
    }

    fn read_file(&self, path: &str) -> Result<String, FileError> {
        std::fs::read_to_string(path).map_err(file_error)
    }

    fn read_dir(&self, path: &str) -> Result<Vec<DirEntry>, FileError> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(path).map_err(file_error)? {
            let entry = entry.map_err(file_error)?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let file_type = entry.file_type().map_err(file_error)?;
            let kind = if file_type.is_dir() {
                EntryKind::Directory
            } else if file_type.is_file() {
                EntryKind::File
            } else if file_type.is_symlink() {
                // Follow links to files; links to directories could loop.
                match std::fs::metadata(entry.path()) {
                    Ok(meta) if meta.is_file() => EntryKind::File,
                    _ => EntryKind::Other,
                }
            } else {
                EntryKind::Other
            };
            entries.push(DirEntry { name, kind });
        }
        Ok(entries)
    }

    fn kind(&self, path: &str) -> Result<EntryKind, FileError> {
        let meta = std::fs::metadata(path).map_err(file_error)?;
        Ok(if meta.is_dir() {
            EntryKind::Directory
        } else if meta.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        })
    }

    fn read_stdin(&self) -> Result<String, FileError> {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(file_error)?;
        Ok(text)
    }

    fn read_file_bytes(&self, path: &str) -> Result<Vec<u8>, FileError> {
        std::fs::read(path).map_err(file_error)
    }

    fn read_stdin_bytes(&self) -> Result<Vec<u8>, FileError> {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(file_error)?;
        Ok(bytes)
    }

    fn write_file(&self, path: &str, contents: &str) -> Result<(), FileError> {
        std::fs::write(path, contents).map_err(file_error)
    }

    fn create_dir_all(&self, path: &str) -> Result<(), FileError> {
        std::fs::create_dir_all(path).map_err(file_error)
    }

    fn is_terminal(&self, stream: Stream) -> bool {
        match stream {
            Stream::Stdout => std::io::stdout().is_terminal(),
            Stream::Stderr => std::io::stderr().is_terminal(),
        }
    }

    fn now(&self) -> Timestamp {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp {
            seconds: i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            nanos: i32::try_from(since.subsec_nanos()).unwrap_or(0),
        }
    }
}

/// `NotFound` for a missing path, else the system's reason (`Permission denied`).
fn file_error(error: std::io::Error) -> FileError {
    if error.kind() == std::io::ErrorKind::NotFound {
        return FileError::NotFound;
    }
    let text = error.to_string();
    // Drop the " (os error 13)" suffix: the reason is what a user reads.
    let reason = text.split(" (os error").next().unwrap_or(&text);
    FileError::Other(reason.to_string())
}

/// Under WASI, the note after a failed run when the host gave no working directory
/// (the usual cause of "no such file or directory" there).
#[cfg(target_os = "wasi")]
const NO_WORKING_DIRECTORY: &str = "netpol: note: the WASI host gave no access to the \
working directory; pre-open it (wasmtime: 'wasmtime run --dir . netpol.wasm ...')\n";

/// `netpol serve`: the HTTPS service of the native binary built with the `serve`
/// feature.
#[cfg(feature = "serve")]
fn serve(args: &[String]) -> ExitCode {
    ExitCode::from(netpol::serve::run(args))
}

/// `netpol serve` in a build without the `serve` feature (the WASI command, or a
/// native build with the default features): says so, exit code 2.
#[cfg(not(feature = "serve"))]
fn serve(_args: &[String]) -> ExitCode {
    let _ = std::io::stderr().write_all(SERVE_MISSING.as_bytes());
    ExitCode::from(2)
}

/// What a build without the server says to `netpol serve`.
#[cfg(not(feature = "serve"))]
const SERVE_MISSING: &str = "netpol: error: this build has no 'serve' command; it is in \
the native binary built with the 'serve' feature (cargo build --release --features serve)\n";

/// `netpol lsp`: the language server on stdin/stdout until the client says `exit`
/// (exit code 0 after `shutdown`, 1 otherwise, as the protocol asks).
#[cfg(feature = "lsp")]
fn serve_lsp() -> ExitCode {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut output = std::io::stdout().lock();
    match netpol::lsp::serve(&mut input, &mut output, &NativeFiles) {
        Ok(netpol::lsp::Ending::Clean) => ExitCode::SUCCESS,
        Ok(netpol::lsp::Ending::Abrupt) => ExitCode::FAILURE,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "netpol: error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Under WASI, `PWD` (when the host sets it, as `npx netpol` does) names the working
/// directory inside the pre-opened ones, so relative paths (`k8s/`, `../manifests`)
/// resolve as they do natively while absolute paths reach a pre-opened `/`.
#[cfg(target_os = "wasi")]
fn enter_working_directory() {
    if let Some(directory) = std::env::var_os("PWD") {
        let _ = std::env::set_current_dir(directory);
    }
}

fn main() -> ExitCode {
    #[cfg(target_os = "wasi")]
    enter_working_directory();
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    if let Some(("serve", rest)) = args
        .split_first()
        .map(|(first, rest)| (first.as_str(), rest))
    {
        return serve(rest);
    }
    #[cfg(feature = "lsp")]
    if cli::starts_server(&args) {
        return serve_lsp();
    }
    let outcome = cli::run(&args, &NativeFiles);
    // A closed pipe (`netpol lint . | head`) is not an error worth reporting.
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    #[cfg(target_os = "wasi")]
    if outcome.code == cli::EXIT_USAGE && std::fs::metadata(".").is_err() {
        let _ = std::io::stderr().write_all(NO_WORKING_DIRECTORY.as_bytes());
    }
    ExitCode::from(u8::try_from(outcome.code).unwrap_or(2))
}
