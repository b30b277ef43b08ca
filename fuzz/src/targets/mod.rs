//! The fuzz targets, one module each, as plain functions of the fuzz bytes: each
//! panics when netpol breaks one of its promises on that input (a panic of its own, a
//! span outside its text, a disagreement with an independent oracle).
//!
//! The libFuzzer entry points (`fuzz/fuzz_targets/`) call them under `cargo fuzz`;
//! `tests/fuzz_replay.rs` in the root crate includes this directory and replays the
//! checked-in corpus and every past crash through them on stable Rust.

pub mod checks;
pub mod engine;
pub mod json_reader;
pub mod lint;
pub mod load;
pub mod yaml_reader;

/// A target's function: runs one input, panicking on a broken promise.
pub type Target = fn(&[u8]);

/// Every target: its name (the folder of its corpus and regressions) and its function.
pub const ALL: [(&str, Target); 5] = [
    ("yaml_reader", yaml_reader::run),
    ("json_reader", json_reader::run),
    ("load", load::run),
    ("engine", engine::run),
    ("lint", lint::run),
];

/// The fuzz bytes as text: invalid UTF-8 is replaced, so every input reaches the
/// readers (which take `&str`).
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}
