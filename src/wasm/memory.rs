//! [`FileSource`] over sources held in memory: what the JavaScript API runs the
//! command line on.

use alloc::string::String;
use alloc::vec::Vec;

use crate::cli::{DirEntry, EntryKind, FileError, FileSource, Stream, Timestamp};
use crate::source::Source;

/// The path under which the API's `options.config` is readable (`--config
/// options.config`); configuration errors name it.
pub const CONFIG_PATH: &str = "options.config";

/// Named sources (a source named `-` is standard input), an optional configuration
/// text at [`CONFIG_PATH`], and a fixed clock. Nothing else exists: no
/// directories, no terminal, nothing can be written.
pub struct MemoryFiles {
    sources: Vec<Source>,
    config: Option<String>,
    now: Timestamp,
}

impl MemoryFiles {
    /// `names[i]` holds `texts[i]` (extra names or texts are ignored).
    pub fn new(
        names: Vec<String>,
        texts: Vec<String>,
        config: Option<String>,
        now: Timestamp,
    ) -> Self {
        let sources = names
            .into_iter()
            .zip(texts)
            .map(|(name, text)| Source::new(name, text))
            .collect();
        MemoryFiles {
            sources,
            config,
            now,
        }
    }

    /// The source named `name` (the first, if several share it).
    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.name() == name)
    }

    fn config_at(&self, path: &str) -> Option<&str> {
        self.config.as_deref().filter(|_| path == CONFIG_PATH)
    }
}

impl FileSource for MemoryFiles {
    fn read_file(&self, path: &str) -> Result<String, FileError> {
        if let Some(config) = self.config_at(path) {
            return Ok(String::from(config));
        }
        self.source(path)
            .map(|s| String::from(s.text()))
            .ok_or(FileError::NotFound)
    }

    fn read_dir(&self, _path: &str) -> Result<Vec<DirEntry>, FileError> {
        Err(FileError::Other(String::from("Not a directory")))
    }

    fn kind(&self, path: &str) -> Result<EntryKind, FileError> {
        if self.config_at(path).is_some() || self.source(path).is_some() {
            Ok(EntryKind::File)
        } else {
            Err(FileError::NotFound)
        }
    }

    fn read_stdin(&self) -> Result<String, FileError> {
        self.source("-")
            .map(|s| String::from(s.text()))
            .ok_or_else(|| FileError::Other(String::from("no source is named '-'")))
    }

    fn write_file(&self, _path: &str, _contents: &str) -> Result<(), FileError> {
        Err(FileError::Other(String::from(
            "the JavaScript API does not write files",
        )))
    }

    fn is_terminal(&self, _stream: Stream) -> bool {
        false
    }

    fn now(&self) -> Timestamp {
        self.now
    }
}
