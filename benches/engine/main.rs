//! `make bench`, second part: the connectivity engine (index, all-pairs matrix, one
//! query, memory, scaling), lint next to reading alone, and the peer
//! network-config-analyzer on the same generated clusters, written as Markdown
//! sections that the Makefile puts into BENCHMARKS.md.
//!
//! Environment: `NETPOL_BENCH_RUNS` (timed runs per measurement, default 11),
//! `NETPOL_BENCH_PEER_RUNS` (runs of each whole process in the peer comparison,
//! default 3), `NETPOL_BENCH_LINT_RUNS` (runs of each whole `netpol lint` on the large
//! streams, default 3), `NETPOL_BENCH_LINT_SIZES` (their sizes in MB, comma-separated,
//! default 6,15,30,60), `NETPOL_BENCH_ONLY` (a comma-separated list of the sections
//! to run: `matrix`, `tiers`, `lint`, `lint-scaling`, `whole`, `peer`; all when unset),
//! `NETPOL_BENCH_BASELINE` (an earlier `netpol` binary timed next to this build's in
//! the `whole` section), `NETPOL_BENCH_NCA` (the peer's `nca` executable; the comparison is
//! skipped with a note when unset or when it does not run), `NETPOL_BENCH_OUT`
//! (output file; stdout only when unset).
// Benchmark code: a broken fixture panics; the no-panic lints of Cargo.toml's
// `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../netpol/alloc_counter.rs"]
mod alloc_counter;
#[path = "../cluster/mod.rs"]
mod cluster;
mod fit;
#[path = "../netpol/harness.rs"]
mod harness;
mod lint;
mod lint_scaling;
mod matrix;
mod peer;
mod process;
mod text;
mod tiers;
mod whole;

use cluster::Size;
use harness::Harness;

#[global_allocator]
static ALLOCATOR: alloc_counter::Counting = alloc_counter::Counting;

/// The generator's seed: the same clusters on every machine.
const SEED: u64 = 42;

/// Every cluster size measured: the sizes of docs/spec/performance.md's peer table and
/// targets, and more points on two series (50 policies; 5 pods per policy) for the
/// scaling exponents.
const SIZES: &[Size] = &[
    Size {
        pods: 100,
        policies: 50,
    },
    Size {
        pods: 1_000,
        policies: 50,
    },
    Size {
        pods: 5_000,
        policies: 50,
    },
    Size {
        pods: 10_000,
        policies: 50,
    },
    Size {
        pods: 500,
        policies: 100,
    },
    Size {
        pods: 1_000,
        policies: 200,
    },
    Size {
        pods: 2_000,
        policies: 400,
    },
    Size {
        pods: 5_000,
        policies: 1_000,
    },
    Size {
        pods: 10_000,
        policies: 2_000,
    },
    Size {
        pods: 1_000,
        policies: 500,
    },
];

/// The lint target: 2,000 policies, 10,000 pods and their Deployments.
const LINT_SIZE: Size = Size {
    pods: 10_000,
    policies: 2_000,
};

/// The peer comparison's sizes (network-config-analyzer takes minutes beyond).
const PEER_SIZES: &[Size] = &[
    Size {
        pods: 100,
        policies: 50,
    },
    Size {
        pods: 1_000,
        policies: 50,
    },
    Size {
        pods: 1_000,
        policies: 500,
    },
];

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let harness = Harness {
        warmups: 1,
        runs: env_number("NETPOL_BENCH_RUNS", 11).max(1),
    };
    let peer_runs = env_number("NETPOL_BENCH_PEER_RUNS", 3).max(1);
    let lint_runs = env_number("NETPOL_BENCH_LINT_RUNS", 3).max(1);
    let only = std::env::var("NETPOL_BENCH_ONLY").unwrap_or_default();
    let wanted = |section: &str| only.is_empty() || only.split(',').any(|s| s.trim() == section);
    let mut out = text::preamble(SEED, &harness, peer_runs);
    if wanted("matrix") {
        eprintln!("engine: index, matrix, query at {} sizes...", SIZES.len());
        out.push_str(&matrix::section(SEED, SIZES, &harness));
    }
    if wanted("tiers") {
        eprintln!("engine: matrix with cluster-wide tiers...");
        out.push_str(&tiers::section(SEED, &harness));
    }
    if wanted("lint") {
        eprintln!("engine: lint vs reading...");
        out.push_str(&lint::section(SEED, LINT_SIZE, &harness));
    }
    if wanted("lint-scaling") {
        eprintln!("engine: whole-process lint of large streams...");
        out.push_str(&lint_scaling::section(SEED, lint_runs));
    }
    if wanted("whole") {
        eprintln!("engine: whole commands at 10,000 pods...");
        out.push_str(&whole::section(SEED, LINT_SIZE, lint_runs));
    }
    if wanted("peer") {
        eprintln!("engine: peer comparison...");
        out.push_str(&peer::section(SEED, PEER_SIZES, peer_runs, &harness));
    }
    match std::env::var("NETPOL_BENCH_OUT") {
        Ok(path) => {
            if let Err(error) = std::fs::write(&path, &out) {
                eprintln!("cannot write {path}: {error}");
                std::process::exit(1);
            }
            eprintln!("wrote {path}");
        }
        Err(_) => print!("{out}"),
    }
}
