//! [`FileSource`] over JavaScript callbacks: how `npx netpol` reaches Node's `fs`.
//!
//! The host object (`js/node/host.cjs`) does the system calls and reports failures
//! by throwing a string: `"ENOENT"` for a missing path, otherwise the reason as the
//! native binary words it (`Permission denied`). Directory entries come back as
//! `"<kind>/<name>"` strings (`f` file, `d` directory, `o` other): a `/` cannot occur
//! in a file name, so the encoding is unambiguous.

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::{wasm_bindgen, JsValue};

use crate::cli::{DirEntry, EntryKind, FileError, FileSource, Stream, Timestamp};

#[wasm_bindgen]
extern "C" {
    /// The file system of the JavaScript host (`js/node/host.cjs` implements it over
    /// Node's `fs`).
    pub type Host;

    #[wasm_bindgen(method, catch, js_name = readFile)]
    fn read_file(this: &Host, path: &str) -> Result<String, JsValue>;

    #[wasm_bindgen(method, catch, js_name = readDir)]
    fn read_dir(this: &Host, path: &str) -> Result<Vec<String>, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn kind(this: &Host, path: &str) -> Result<String, JsValue>;

    #[wasm_bindgen(method, catch, js_name = readStdin)]
    fn read_stdin(this: &Host) -> Result<String, JsValue>;

    #[wasm_bindgen(method, catch, js_name = readFileBytes)]
    fn read_file_bytes(this: &Host, path: &str) -> Result<Vec<u8>, JsValue>;

    #[wasm_bindgen(method, catch, js_name = readStdinBytes)]
    fn read_stdin_bytes(this: &Host) -> Result<Vec<u8>, JsValue>;

    #[wasm_bindgen(method, catch, js_name = writeFile)]
    fn write_file(this: &Host, path: &str, contents: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_name = isTerminal)]
    fn is_terminal(this: &Host, fd: u32) -> bool;

    #[wasm_bindgen(method)]
    fn now(this: &Host) -> f64;
}

/// The thrown value that means "no such file or directory".
const NOT_FOUND: &str = "ENOENT";

/// A [`FileSource`] whose every operation is a call into the JavaScript [`Host`].
pub struct HostFiles {
    host: Host,
}

impl HostFiles {
    /// Wraps `host`.
    pub fn new(host: Host) -> Self {
        HostFiles { host }
    }
}

impl FileSource for HostFiles {
    fn read_file(&self, path: &str) -> Result<String, FileError> {
        self.host.read_file(path).map_err(file_error)
    }

    fn read_dir(&self, path: &str) -> Result<Vec<DirEntry>, FileError> {
        let entries = self.host.read_dir(path).map_err(file_error)?;
        Ok(entries.iter().filter_map(|e| dir_entry(e)).collect())
    }

    fn kind(&self, path: &str) -> Result<EntryKind, FileError> {
        let kind = self.host.kind(path).map_err(file_error)?;
        Ok(entry_kind(&kind))
    }

    fn read_stdin(&self) -> Result<String, FileError> {
        self.host.read_stdin().map_err(file_error)
    }

    fn read_file_bytes(&self, path: &str) -> Result<Vec<u8>, FileError> {
        self.host.read_file_bytes(path).map_err(file_error)
    }

    fn read_stdin_bytes(&self) -> Result<Vec<u8>, FileError> {
        self.host.read_stdin_bytes().map_err(file_error)
    }

    fn write_file(&self, path: &str, contents: &str) -> Result<(), FileError> {
        self.host.write_file(path, contents).map_err(file_error)
    }

    fn is_terminal(&self, stream: Stream) -> bool {
        self.host.is_terminal(match stream {
            Stream::Stdout => 1,
            Stream::Stderr => 2,
        })
    }

    fn now(&self) -> Timestamp {
        super::timestamp(self.host.now())
    }
}

/// `"f/name"` → a file entry named `name`; `None` for a malformed entry.
pub(crate) fn dir_entry(encoded: &str) -> Option<DirEntry> {
    let (kind, name) = encoded.split_once('/')?;
    if name.is_empty() {
        return None;
    }
    Some(DirEntry {
        name: String::from(name),
        kind: entry_kind(kind),
    })
}

/// `f`/`file` → file, `d`/`directory` → directory, anything else → other.
pub(crate) fn entry_kind(kind: &str) -> EntryKind {
    match kind {
        "f" | "file" => EntryKind::File,
        "d" | "directory" => EntryKind::Directory,
        _ => EntryKind::Other,
    }
}

/// The thrown value as a [`FileError`].
fn file_error(thrown: JsValue) -> FileError {
    reason_error(thrown.as_string())
}

/// A thrown reason as a [`FileError`] (`None`: the host threw something that is not a
/// string, which only a broken host does).
pub(crate) fn reason_error(reason: Option<String>) -> FileError {
    match reason {
        Some(reason) if reason == NOT_FOUND => FileError::NotFound,
        Some(reason) => FileError::Other(reason),
        None => FileError::Other(String::from("the host failed without a reason")),
    }
}
