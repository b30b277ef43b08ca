//! An in-memory [`FileSource`] for the command-line tests.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use netpol::cli::{self, DirEntry, EntryKind, FileError, FileSource, Outcome, Stream, Timestamp};

/// An in-memory file system: files by path, directories implied by them.
#[derive(Default)]
pub struct MemFs {
    pub files: BTreeMap<String, String>,
    pub unreadable: BTreeSet<String>,
    pub stdin: Option<String>,
    pub tty: bool,
    pub written: RefCell<BTreeMap<String, String>>,
    pub read_only_dirs: BTreeSet<String>,
    /// Directories made by `create_dir_all`.
    pub created: RefCell<BTreeSet<String>>,
    /// Files (among `files`) stored as Latin-1 bytes rather than UTF-8.
    pub latin1: BTreeSet<String>,
    /// The nanoseconds of the clock (its seconds are fixed).
    pub nanos: i32,
}

impl MemFs {
    pub fn new() -> Self {
        MemFs::default()
    }

    pub fn file(mut self, path: &str, text: &str) -> Self {
        self.files.insert(path.into(), text.into());
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.into());
        self
    }

    fn is_dir(&self, path: &str) -> bool {
        let prefix = if path == "." {
            String::new()
        } else {
            format!("{path}/")
        };
        self.files.keys().any(|f| f.starts_with(&prefix)) || self.created.borrow().contains(path)
    }

    pub fn run(&self, args: &[&str]) -> Outcome {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        cli::run(&args, self)
    }
}

impl FileSource for MemFs {
    fn read_file(&self, path: &str) -> Result<String, FileError> {
        if self.unreadable.contains(path) {
            return Err(FileError::Other("Permission denied".into()));
        }
        if self.latin1.contains(path) {
            return Err(FileError::Other(
                "stream did not contain valid UTF-8".into(),
            ));
        }
        self.files.get(path).cloned().ok_or(FileError::NotFound)
    }

    fn read_file_bytes(&self, path: &str) -> Result<Vec<u8>, FileError> {
        if !self.latin1.contains(path) {
            return self.read_file(path).map(String::into_bytes);
        }
        let text = self.files.get(path).ok_or(FileError::NotFound)?;
        Ok(text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
            .collect())
    }

    fn read_dir(&self, path: &str) -> Result<Vec<DirEntry>, FileError> {
        let prefix = if path == "." {
            String::new()
        } else {
            format!("{path}/")
        };
        let mut names: BTreeMap<String, EntryKind> = BTreeMap::new();
        // Listed in reverse order: the walk must sort by itself.
        for file in self.files.keys().rev() {
            let Some(rest) = file.strip_prefix(&prefix) else {
                continue;
            };
            match rest.split_once('/') {
                Some((dir, _)) => names.insert(dir.into(), EntryKind::Directory),
                None => names.insert(rest.into(), EntryKind::File),
            };
        }
        if names.is_empty() {
            return Err(FileError::NotFound);
        }
        Ok(names
            .into_iter()
            .rev()
            .map(|(name, kind)| DirEntry { name, kind })
            .collect())
    }

    fn kind(&self, path: &str) -> Result<EntryKind, FileError> {
        if self.files.contains_key(path) {
            Ok(EntryKind::File)
        } else if self.is_dir(path.trim_end_matches('/')) {
            Ok(EntryKind::Directory)
        } else {
            Err(FileError::NotFound)
        }
    }

    fn read_stdin(&self) -> Result<String, FileError> {
        self.stdin
            .clone()
            .ok_or(FileError::Other("stdin is closed".into()))
    }

    fn write_file(&self, path: &str, contents: &str) -> Result<(), FileError> {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        if self.read_only_dirs.contains(dir) {
            return Err(FileError::Other("Read-only file system".into()));
        }
        self.written
            .borrow_mut()
            .insert(path.into(), contents.into());
        Ok(())
    }

    fn create_dir_all(&self, path: &str) -> Result<(), FileError> {
        let mut at = String::new();
        for part in path.split('/') {
            let parent = at.clone();
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(part);
            if self.files.contains_key(&at) || self.written.borrow().contains_key(&at) {
                return Err(FileError::Other(if at == path {
                    "File exists".into()
                } else {
                    "Not a directory".into()
                }));
            }
            if !self.is_dir(&at) {
                if self.read_only_dirs.contains(&parent) {
                    return Err(FileError::Other("Permission denied".into()));
                }
                self.created.borrow_mut().insert(at.clone());
            }
        }
        Ok(())
    }

    fn is_terminal(&self, _stream: Stream) -> bool {
        self.tty
    }

    fn now(&self) -> Timestamp {
        Timestamp {
            seconds: 1_700_000_000,
            nanos: self.nanos,
        }
    }
}
