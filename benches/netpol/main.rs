//! `make bench`: netpol's benchmarks over generated clusters, written to
//! BENCHMARKS.md.
//!
//! Each benchmark is a module of this folder with a function returning a
//! [`report::Section`]; add one (matrix, query, lint) by writing the module and
//! pushing its section in `main`. The corpus and the harness are shared.
//! Environment: `NETPOL_BENCH_MB` (YAML input size, default 50), `NETPOL_BENCH_RUNS`
//! (timed runs per measurement, default 5), `NETPOL_BENCH_OUT` (output file,
//! default BENCHMARKS.md at the repository root).
// Benchmark code: a broken fixture panics; the no-panic lints of Cargo.toml's
// `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod alloc_counter;
mod corpus;
mod decode;
mod harness;
mod report;
mod rng;
mod yaml;

use corpus::Corpus;
use harness::Harness;

#[global_allocator]
static ALLOCATOR: alloc_counter::Counting = alloc_counter::Counting;

/// The generator's seed: the same manifests on every machine.
const SEED: u64 = 42;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let megabytes = env_number("NETPOL_BENCH_MB", 50).max(1);
    let harness = Harness {
        warmups: 1,
        runs: env_number("NETPOL_BENCH_RUNS", 5),
    };
    eprintln!("generating {megabytes} MB of manifests (seed {SEED})...");
    let corpus = Corpus::generate(SEED, megabytes * 1_000_000);
    let small = Corpus::generate(SEED, megabytes * 100_000);
    eprintln!("measuring read + decode + validate...");
    let sections = vec![decode::section(&corpus, &small, &harness)];
    let settings = format!(
        "Each figure is the median of {} timed runs after {} warm-up round(s); the works of a \
         table run interleaved in rounds, so load from other processes falls on all alike.",
        harness.runs, harness.warmups
    );
    let text = report::document(&settings, &sections);
    let out = std::env::var("NETPOL_BENCH_OUT")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/BENCHMARKS.md").to_string());
    if let Err(error) = std::fs::write(&out, &text) {
        eprintln!("cannot write {out}: {error}");
        std::process::exit(1);
    }
    print!("{text}");
    eprintln!("wrote {out}");
}
