//! Whole-process `netpol lint` on large policy streams (6 to 60 MB, the shape of big
//! platforms' rendered Helm charts): wall time and peak memory per output format, and
//! the fitted scaling exponent, so any superlinear part shows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::cluster::stream::{PolicyStream, STREAM_NAMESPACES};
use super::fit::exponent;
use super::process::{median, rss, run, Run, GNU_TIME};
use super::text::{load_average, megabytes, secs, thousands, verdict};

/// Stream sizes in megabytes (`NETPOL_BENCH_LINT_SIZES`, comma-separated, overrides).
const SIZES_MB: &[usize] = &[6, 15, 30, 60];
/// The output formats timed (the default and the two machine formats CI reads most).
const FORMATS: &[&str] = &["text", "json", "sarif"];
/// Targets on the largest stream.
const TARGET_SECS: f64 = 10.0;
const TARGET_MEMORY_RATIO: f64 = 5.0;
const TARGET_EXPONENT: f64 = 1.15;

/// The measurements of one stream.
struct Measured {
    bytes: usize,
    policies: usize,
    /// The median run per format, in [`FORMATS`] order.
    runs: Vec<Run>,
}

/// Generates the streams, times `runs` whole processes per size and format, and
/// writes the section.
pub fn section(seed: u64, runs: usize) -> String {
    let mut out = String::from("## Lint at any size: whole process, 6 to 60 MB\n\n");
    let netpol = Path::new(env!("CARGO_BIN_EXE_netpol"));
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lint-streams");
    if let Err(error) = std::fs::create_dir_all(&dir) {
        let _ = writeln!(
            out,
            "Not measured: cannot create {}: {error}\n",
            dir.display()
        );
        return out;
    }
    let _ = writeln!(
        out,
        "`netpol lint --fail-on none --format F FILE` (this build's release binary, output \
         to /dev/null) on one YAML stream of NetworkPolicies over {STREAM_NAMESPACES} \
         namespaces (seed {seed}; per namespace a default deny, DNS egress, ingress from the \
         ingress controller, then many similar app-to-app allows and ipBlock egress with an \
         except, all with Helm's labels and annotations); wall time and peak resident memory \
         of the whole process (`{GNU_TIME}`), median of {runs} runs. Load average at the \
         start: {}.\n",
        load_average()
    );
    out.push_str("| stream | policies |");
    for format in FORMATS {
        let _ = write!(out, " {format} | peak RSS {format} |");
    }
    out.push_str("\n| --- | --- |");
    out.push_str(&" --- | --- |".repeat(FORMATS.len()));
    out.push('\n');
    let mut measured = Vec::new();
    for mb in sizes_mb() {
        eprintln!("  lint stream of {mb} MB");
        match measure(seed, mb, runs, netpol, &dir) {
            Ok(m) => {
                out.push_str(&row(&m));
                measured.push(m);
            }
            Err(why) => {
                let _ = writeln!(out, "| {mb} MB | not measured: {why} |");
            }
        }
    }
    out.push('\n');
    out.push_str(&summary(&measured));
    out
}

/// The sizes asked for in `NETPOL_BENCH_LINT_SIZES`, else [`SIZES_MB`].
fn sizes_mb() -> Vec<usize> {
    let asked: Vec<usize> = std::env::var("NETPOL_BENCH_LINT_SIZES")
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    if asked.is_empty() {
        SIZES_MB.to_vec()
    } else {
        asked
    }
}

/// Writes the stream of about `mb` megabytes (kept under the target folder, for
/// profiling) and times every format on it.
fn measure(
    seed: u64,
    mb: usize,
    runs: usize,
    netpol: &Path,
    dir: &Path,
) -> Result<Measured, String> {
    let stream = PolicyStream::of_bytes(seed, mb * 1_000_000);
    let file = dir.join(format!("policies-{mb}mb.yaml"));
    std::fs::write(&file, &stream.yaml).map_err(|e| format!("cannot write: {e}"))?;
    let scratch = dir.join("time.out");
    let mut medians = Vec::new();
    for format in FORMATS {
        let args: Vec<String> = ["lint", "--fail-on", "none", "--format", format]
            .iter()
            .map(|a| a.to_string())
            .chain([file.to_string_lossy().to_string()])
            .collect();
        let mut times = Vec::new();
        for _ in 0..runs.max(1) {
            times.push(run(netpol, &args, &scratch)?);
        }
        medians.push(*median(&times));
    }
    Ok(Measured {
        bytes: stream.yaml.len(),
        policies: stream.policies,
        runs: medians,
    })
}

fn row(m: &Measured) -> String {
    let mut row = format!("| {} | {} |", megabytes(m.bytes), thousands(m.policies));
    for r in &m.runs {
        let _ = write!(row, " {} | {} |", secs(r.secs), rss(r.max_rss_kb));
    }
    row.push('\n');
    row
}

/// The exponents per format and the targets on the largest stream.
fn summary(measured: &[Measured]) -> String {
    let mut out = String::new();
    let Some(largest) = measured.last() else {
        return "Nothing measured.\n\n".to_string();
    };
    let mut exponents = Vec::new();
    for (f, format) in FORMATS.iter().enumerate() {
        let points: Vec<(f64, f64)> = measured
            .iter()
            .filter_map(|m| m.runs.get(f).map(|r| (m.bytes as f64, r.secs)))
            .collect();
        if let Some(e) = exponent(&points) {
            exponents.push((*format, e));
        }
    }
    let listed: Vec<String> = exponents
        .iter()
        .map(|(f, e)| format!("{f} {e:.2}"))
        .collect();
    let slowest = largest.runs.iter().map(|r| r.secs).fold(0.0, f64::max);
    let ratio = largest
        .runs
        .iter()
        .filter_map(|r| r.max_rss_kb)
        .max()
        .map(|kb| kb as f64 * 1024.0 / largest.bytes as f64);
    let _ = writeln!(
        out,
        "Scaling exponent of the time against the input size (least squares on log–log): \
         {}; target at most {TARGET_EXPONENT}: {}. On the {} stream: slowest format {} \
         (target under {TARGET_SECS:.0} s: {}); peak memory {} the input (target under \
         {TARGET_MEMORY_RATIO:.0}×: {}).\n",
        listed.join(", "),
        verdict(
            exponents.len() == FORMATS.len()
                && exponents.iter().all(|(_, e)| *e <= TARGET_EXPONENT)
        ),
        megabytes(largest.bytes),
        secs(slowest),
        verdict(slowest < TARGET_SECS),
        ratio.map_or("n/a".to_string(), |r| format!("{r:.1}×")),
        verdict(ratio.is_some_and(|r| r < TARGET_MEMORY_RATIO)),
    );
    out
}
