//! netpol's fuzz targets as plain functions (see `targets`), for the libFuzzer
//! entry points in `fuzz_targets/` and for the stable-Rust replay test of the root
//! crate (`tests/fuzz_replay.rs`), which includes the same files.

#[path = "../../tests/naive/mod.rs"]
pub mod naive;
pub mod targets;
