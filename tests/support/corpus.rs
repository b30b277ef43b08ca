//! Where the vendored real-world corpus lives (`tests/corpus/<source>/<file>`, see
//! `tests/corpus/SOURCES.md`) and how its files are listed, for every test that
//! reads it. Next to the source folders are the reviewed expectations
//! (`invalid.txt`, the `lint/` snapshots), which are not corpus sources.

use std::path::{Path, PathBuf};

/// Folders under the corpus root that hold expectations, not manifests.
const EXPECTATION_FOLDERS: [&str; 1] = ["lint"];

/// The corpus root inside the repository.
pub fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("corpus")
}

/// The corpus source folders, sorted by name.
pub fn source_folders() -> Vec<PathBuf> {
    let root = corpus_root();
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("the corpus at {}: {e}", root.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !EXPECTATION_FOLDERS.iter().any(|x| n == *x))
        })
        .collect();
    folders.sort();
    folders
}

/// The manifest files (`*.yaml`, `*.yml`, `*.json`) of one source folder, sorted.
pub fn manifest_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("the corpus folder {}: {e}", folder.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    files.sort();
    files
}
