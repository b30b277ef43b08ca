//! Replays the fuzz corpus on stable Rust: every input kept in
//! `fuzz/corpus/<target>/` and every past crash in `fuzz/regressions/<target>/`
//! goes through the same target function libFuzzer runs (`fuzz/src/targets/`), so a
//! regression fails `cargo test` without libFuzzer. All failures are reported at
//! once, each with the file that caused it.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod naive;
#[path = "../fuzz/src/targets/mod.rs"]
mod targets;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The folders whose files are replayed through each target.
const FOLDERS: [&str; 2] = ["fuzz/corpus", "fuzz/regressions"];

/// The files of `dir` in name order (none when it does not exist).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.is_file());
    out.sort();
    out
}

/// Runs every kept input of every target; fails with the list of inputs that panic.
#[test]
fn corpus_and_regressions_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let mut replayed = 0;
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for (target, run) in targets::ALL {
        let started = std::time::Instant::now();
        for folder in FOLDERS {
            for path in files(&root.join(folder).join(target)) {
                let data = std::fs::read(&path).unwrap_or_default();
                replayed += 1;
                if let Err(panic) = catch_unwind(AssertUnwindSafe(|| run(&data))) {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    failures.push(format!("{target}: {}: {message}", path.display()));
                }
            }
        }
        eprintln!("{target}: {:.1} s", started.elapsed().as_secs_f64());
    }
    std::panic::set_hook(quiet);
    assert!(
        failures.is_empty(),
        "{} of {replayed} inputs failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every target has a seed corpus, so the replay above cannot pass vacuously.
#[test]
fn every_target_has_a_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (target, _) in targets::ALL {
        let count = files(&root.join("fuzz/corpus").join(target)).len();
        assert!(count > 0, "fuzz/corpus/{target} is empty");
    }
}
