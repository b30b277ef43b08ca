//! Lint of a large cluster next to reading it: `decode::load` alone, `lint::run` on
//! the loaded result, so the rules' own cost is visible.

use std::fmt::Write as _;
use std::hint::black_box;

use netpol::lint::{self, Config};

use super::alloc_counter::peak_during;
use super::cluster::{self, Cluster, Size};
use super::harness::Harness;
use super::text::{megabytes, secs, size as size_text, thousands, timing, verdict};

/// Measures the lint of `size` (with its Deployments) and writes the section.
pub fn section(seed: u64, size: Size, harness: &Harness) -> String {
    let cluster = Cluster::generate(seed, size);
    let yaml = cluster.yaml();
    let loaded = cluster::load(&yaml);
    let config = Config::default();
    let (outcome, lint_heap) = peak_during(|| lint::run(&loaded, &config));
    let mut load_work = || {
        black_box(cluster::load(&yaml));
    };
    let mut lint_work = || {
        black_box(lint::run(&loaded, &config));
    };
    let times = harness.time_interleaved(&mut [&mut load_work, &mut lint_work]);
    let (load, rules) = (times[0], times[1]);
    let total = load.secs() + rules.secs();
    let mut out = String::from("## Lint\n\n");
    let _ = writeln!(
        out,
        "Input: {} and {} Deployments ({} namespaces), one YAML stream of {}; {} objects \
         decoded, {} reading findings; the default configuration reports {} findings.\n",
        size_text(size),
        thousands(cluster.deployments.len()),
        thousands(cluster.namespaces.len()),
        megabytes(yaml.len()),
        thousands(loaded.objects),
        thousands(loaded.diagnostics.len()),
        thousands(outcome.diagnostics.len()),
    );
    out.push_str("| work | median (min–max) | heap peak |\n| --- | --- | --- |\n");
    let _ = writeln!(
        out,
        "| `decode::load` (reading only) | {} | |",
        timing(&load, 1)
    );
    let _ = writeln!(
        out,
        "| `lint::run` on the loaded cluster (the rules) | {} | {} |",
        timing(&rules, 1),
        megabytes(lint_heap)
    );
    let _ = writeln!(
        out,
        "\nThe rules cost {:.2}× the reading. Target: lint of 2,000 policies + 10,000 pods + \
         2,000 workloads well under 1 s native: the rules alone {} {}; reading + rules {} \
         {}.\n",
        rules.secs() / load.secs(),
        secs(rules.secs()),
        verdict(rules.secs() < 1.0),
        secs(total),
        verdict(total < 1.0)
    );
    out
}
