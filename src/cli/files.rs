//! The file system as the command line sees it: the one thing each face (native
//! binary, Node package, tests) brings.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

pub use crate::report::context::Timestamp;

/// What the command line needs from its host: files, directories, standard input,
/// writing `--output`, and whether a stream is a terminal.
///
/// Paths are the strings the user typed, joined with `/` when walking directories;
/// relative paths are relative to the working directory.
pub trait FileSource {
    /// The whole text of the file at `path` (UTF-8).
    fn read_file(&self, path: &str) -> Result<String, FileError>;

    /// The entries of the directory at `path`, in any order (the caller sorts).
    fn read_dir(&self, path: &str) -> Result<Vec<DirEntry>, FileError>;

    /// What is at `path` (following symbolic links).
    fn kind(&self, path: &str) -> Result<EntryKind, FileError>;

    /// All of standard input (UTF-8). Called at most once per run.
    fn read_stdin(&self) -> Result<String, FileError>;

    /// The raw bytes of the file at `path`, for manifests: a file that is not UTF-8
    /// becomes an `invalid-encoding` finding for that file rather than an error that
    /// stops the run. Hosts that can read bytes override it; the default reads the
    /// text with [`FileSource::read_file`].
    fn read_file_bytes(&self, path: &str) -> Result<Vec<u8>, FileError> {
        self.read_file(path).map(String::into_bytes)
    }

    /// All of standard input as raw bytes, like [`FileSource::read_file_bytes`].
    /// Called at most once per run, instead of [`FileSource::read_stdin`].
    fn read_stdin_bytes(&self) -> Result<Vec<u8>, FileError> {
        self.read_stdin().map(String::into_bytes)
    }

    /// Creates or replaces the file at `path` with `contents` (`--output`).
    fn write_file(&self, path: &str, contents: &str) -> Result<(), FileError>;

    /// Creates the directory at `path` and its missing parents, like `mkdir -p`
    /// (`--output DIR`). Hosts that cannot create directories keep the default,
    /// which says so.
    fn create_dir_all(&self, path: &str) -> Result<(), FileError> {
        let _ = path;
        Err(FileError::Other(String::from(
            "this host cannot create directories",
        )))
    }

    /// Writes `text` to standard output now, when the host streams its output (the
    /// native binary does), so that a long report is not held whole; false when
    /// the host collects standard output in the [`super::Outcome`] instead (the
    /// default). Write errors (a closed pipe) are ignored, as at the end of a run.
    fn write_stdout(&self, text: &str) -> bool {
        let _ = text;
        false
    }

    /// Whether `stream` is a terminal (for `--color auto`).
    fn is_terminal(&self, stream: Stream) -> bool;

    /// The current time, for the timestamps some report formats carry.
    fn now(&self) -> Timestamp;
}

/// A standard stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// What a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// Anything else (a socket, a device, a symbolic link to a directory inside a
    /// walk): skipped by directory walks.
    Other,
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name (no directory part).
    pub name: String,
    /// What it is. Hosts report symbolic links to directories as
    /// [`EntryKind::Other`] so a walk cannot loop.
    pub kind: EntryKind,
}

/// Why a file operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// Nothing exists at the path.
    NotFound,
    /// Any other failure, with the host's explanation (`Permission denied`,
    /// `stream did not contain valid UTF-8`).
    Other(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NotFound => f.write_str("no such file or directory"),
            FileError::Other(reason) => f.write_str(reason),
        }
    }
}
