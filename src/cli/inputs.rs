//! PATH arguments → sources: files, directories walked recursively, and `-`.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::files::{EntryKind, FileError, FileSource};
use super::output::UsageError;
use crate::source::{Source, SourceSet};

/// File name endings a directory walk picks up (compared case-insensitively).
pub const MANIFEST_EXTENSIONS: [&str; 3] = [".yaml", ".yml", ".json"];

/// Deepest directory nesting a walk follows.
const MAX_WALK_DEPTH: usize = 64;

/// Reads every PATH into a source set, in argument order; a directory contributes
/// its manifest files in sorted path order, skipping hidden entries and
/// `node_modules`. `-` reads standard input, named `stdin_name` in reports (`-`
/// unless `--stdin-name` says otherwise). A path met twice in the same spelling
/// (`lint k8s k8s/a.yaml`, `lint - -`) is read once.
///
/// A path that does not exist or cannot be read is an error (exit 2); a file that
/// is not UTF-8 is read (its `invalid-encoding` finding comes from the readers).
pub fn read_inputs(
    paths: &[String],
    files: &dyn FileSource,
    stdin_name: &str,
) -> Result<SourceSet, UsageError> {
    let mut set = SourceSet::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for path in paths {
        if path == "-" {
            if seen.insert(String::from("-")) {
                let bytes = files
                    .read_stdin_bytes()
                    .map_err(|e| UsageError::new(format!("cannot read standard input: {e}")))?;
                set.add(Source::from_bytes(stdin_name, bytes));
            }
            continue;
        }
        match files.kind(path).map_err(|e| cannot_read(path, &e))? {
            EntryKind::Directory => {
                for file in manifest_files(path, files)? {
                    if seen.insert(file.clone()) {
                        set.add(read_source(&file, files)?);
                    }
                }
            }
            EntryKind::File => {
                if seen.insert(path.clone()) {
                    set.add(read_source(path, files)?);
                }
            }
            EntryKind::Other => {
                return Err(UsageError::new(format!(
                    "cannot read '{path}': not a file or directory"
                )));
            }
        }
    }
    Ok(set)
}

/// The manifest files under the directory `root`, sorted by path.
pub fn manifest_files(root: &str, files: &dyn FileSource) -> Result<Vec<String>, UsageError> {
    let mut found = Vec::new();
    let base = root.trim_end_matches('/');
    let base = if base.is_empty() { "/" } else { base };
    walk(base, files, 0, &mut found)?;
    found.sort();
    Ok(found)
}

fn walk(
    dir: &str,
    files: &dyn FileSource,
    depth: usize,
    found: &mut Vec<String>,
) -> Result<(), UsageError> {
    if depth > MAX_WALK_DEPTH {
        return Err(UsageError::new(format!(
            "cannot read '{dir}': directories nested deeper than {MAX_WALK_DEPTH} levels"
        )));
    }
    let entries = files.read_dir(dir).map_err(|e| cannot_read(dir, &e))?;
    for entry in entries {
        if is_skipped(&entry.name) {
            continue;
        }
        let path = join(dir, &entry.name);
        match entry.kind {
            EntryKind::Directory => walk(&path, files, depth + 1, found)?,
            EntryKind::File if is_manifest_name(&entry.name) => found.push(path),
            EntryKind::File | EntryKind::Other => {}
        }
    }
    Ok(())
}

/// Hidden entries (`.git`, `.netpol.yaml`) and `node_modules` are not walked.
fn is_skipped(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules"
}

/// Whether a walk picks up a file of this name.
pub fn is_manifest_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    MANIFEST_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// `dir/name`; a walk of `.` names its files without the `./` prefix.
fn join(dir: &str, name: &str) -> String {
    if dir == "." {
        String::from(name)
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

fn read_source(path: &str, files: &dyn FileSource) -> Result<Source, UsageError> {
    let bytes = files
        .read_file_bytes(path)
        .map_err(|e| cannot_read(path, &e))?;
    Ok(Source::from_bytes(path, bytes))
}

fn cannot_read(path: &str, error: &FileError) -> UsageError {
    UsageError::new(format!("cannot read '{path}': {error}"))
}
