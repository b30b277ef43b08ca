//! The peer in the same run: network-config-analyzer (`nca --connectivity`, Python,
//! installed by `make bench` into a git-ignored folder, never a dependency) against
//! the `netpol matrix` release binary, whole processes on the same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use netpol::api::{MatrixFilter, SourceFile, Workspace};
use netpol::lint::Config;
use netpol::report::connectivity::matrix::render;

use super::cluster::{Cluster, Size};
use super::harness::Harness;
use super::process::{median, rss, run, GNU_TIME};
use super::text::{load_average, megabytes, secs, size as size_text, verdict};

/// A peer run longer than this is not repeated.
const PATIENCE_SECS: f64 = 90.0;
/// Whole `netpol matrix` processes timed per size (each takes milliseconds).
const NETPOL_RUNS: usize = 11;

/// Runs the comparison at `sizes`, or explains why it could not.
pub fn section(seed: u64, sizes: &[Size], runs: usize, harness: &Harness) -> String {
    let mut out = String::from("## Peer: network-config-analyzer, all-pairs connectivity\n\n");
    let Some(nca) = std::env::var_os("NETPOL_BENCH_NCA").map(PathBuf::from) else {
        out.push_str(
            "Not measured: `NETPOL_BENCH_NCA` is not set (`make bench` sets it after \
             installing the peer; the installation failed or was skipped).\n\n",
        );
        return out;
    };
    let netpol = Path::new(env!("CARGO_BIN_EXE_netpol"));
    let version = peer_version(&nca);
    let dir = std::env::temp_dir().join(format!("netpol-bench-peer-{}", std::process::id()));
    let _ = writeln!(
        out,
        "{version} (`nca --connectivity DIR -r DIR`, default text output) and `netpol matrix \
         DIR` (this build's release binary, default output), both writing to /dev/null, run \
         alternately on the same generated files (Namespaces, Pods with addresses, \
         NetworkPolicies; no workloads); wall time and peak resident memory of the whole \
         process (`{GNU_TIME}`), median of {NETPOL_RUNS} netpol runs and up to {runs} peer \
         runs after one unmeasured run each (a peer run over {PATIENCE_SECS:.0} s is not \
         repeated; netpol runs are milliseconds long, so more of them steady the median). The last three columns time, \
         inside this benchmark (median), the library calls `netpol matrix DIR` makes: \
         reading and decoding the text (`Workspace::load`: YAML, decoding, validation), the \
         matrix grouped by owner (`Workspace::matrix`: index, matrix, grouping) and the text \
         it prints (`render`); the rest of the process time is start-up, reading the file, \
         writing the output and exit. Load average at the start: {}.\n",
        load_average()
    );
    out.push_str(
        "| cluster | input | netpol matrix | nca --connectivity | netpol / nca (time) | netpol \
         faster by | peak RSS netpol | peak RSS nca | in process: read + decode | in process: \
         matrix | in process: text |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- \
         | --- |\n",
    );
    let mut speedups = Vec::new();
    let mut failures = Vec::new();
    for &size in sizes {
        eprintln!("  peer at {}", size_text(size));
        match compare(seed, size, (runs, harness), netpol, &nca, &dir) {
            Ok((row, speedup)) => {
                out.push_str(&row);
                speedups.push((size, speedup));
            }
            Err(why) => failures.push(format!("{}: {why}", size_text(size))),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    out.push('\n');
    for failure in &failures {
        let _ = writeln!(out, "- Not measured, {failure}");
    }
    let listed: Vec<String> = speedups
        .iter()
        .map(|(size, s)| format!("{} {s:.0}×", size_text(*size)))
        .collect();
    let _ =
        writeln!(
        out,
        "{}Target: at least 100× faster than network-config-analyzer on the same inputs: {} {}. \
         Not checked here: that the two report identical connections (nca prints \
         minimised firewall rules, netpol a matrix; comparing them needs a translation this \
         benchmark does not do).\n",
        if failures.is_empty() { "" } else { "\n" },
        if listed.is_empty() { "nothing measured".to_string() } else { listed.join(", ") },
        verdict(!speedups.is_empty() && speedups.iter().all(|(_, s)| *s >= 100.0))
    );
    out
}

/// `network-config-analyzer 2.1.0` from `nca --version`, or the path when it says nothing.
fn peer_version(nca: &Path) -> String {
    Command::new(nca)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .map_or_else(
            || format!("network-config-analyzer (`{}`)", nca.display()),
            |v| format!("network-config-analyzer {v}"),
        )
}

/// One table row and the speed-up at `size`: `runs` of each whole process; the
/// harness times the library calls the `netpol` process makes before rendering.
fn compare(
    seed: u64,
    size: Size,
    (runs, harness): (usize, &Harness),
    netpol: &Path,
    nca: &Path,
    dir: &Path,
) -> Result<(String, f64), String> {
    let cluster = Cluster::generate(seed, size);
    let yaml = cluster.yaml_without_workloads();
    let folder = dir.join(format!("{}-{}", size.pods, size.policies));
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    std::fs::write(folder.join("cluster.yaml"), &yaml).map_err(|e| format!("cannot write: {e}"))?;
    let folder_arg = folder.to_string_lossy().to_string();
    let netpol_args = ["matrix".to_string(), folder_arg.clone()];
    let nca_args = [
        "--connectivity".to_string(),
        folder_arg.clone(),
        "-r".to_string(),
        folder_arg,
    ];
    let scratch = dir.join("time.out");
    run(netpol, &netpol_args, &scratch).map_err(|e| format!("`netpol matrix` failed: {e}"))?;
    let first = run(nca, &nca_args, &scratch).map_err(|e| format!("nca failed: {e}"))?;
    let patient = first.secs < PATIENCE_SECS;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for i in 0..runs.max(NETPOL_RUNS) {
        if i < NETPOL_RUNS {
            ours.push(run(netpol, &netpol_args, &scratch)?);
        }
        if patient && i < runs {
            theirs.push(run(nca, &nca_args, &scratch)?);
        }
    }
    if theirs.is_empty() {
        theirs.push(first);
    }
    let (a, b) = (median(&ours), median(&theirs));
    let [read, matrix, text] = in_process(&yaml, harness);
    let row = format!(
        "| {} | {} | {} | {} | {:.4} | {:.0}× | {} | {} | {} | {} | {} |\n",
        size_text(size),
        megabytes(yaml.len()),
        secs(a.secs),
        secs(b.secs),
        a.secs / b.secs,
        b.secs / a.secs,
        rss(a.max_rss_kb),
        rss(b.max_rss_kb),
        secs(read),
        secs(matrix),
        secs(text),
    );
    Ok((row, b.secs / a.secs))
}

/// Median seconds of the library calls `netpol matrix` makes on `yaml`: reading and
/// decoding, the matrix grouped by owner (the text format's default), and its text.
fn in_process(yaml: &str, harness: &Harness) -> [f64; 3] {
    let load = || Workspace::load([SourceFile::text("cluster.yaml", yaml)], Config::default());
    let filter = MatrixFilter {
        group: Some("owner".into()),
        ..MatrixFilter::default()
    };
    let read = harness.time(load);
    let workspace = load();
    let matrix = harness.time(|| workspace.matrix(&filter).map(|m| m.matrix.class_count()));
    let text = match workspace.matrix(&filter) {
        Ok(answer) => harness.time(|| render(&answer.view(), "text")).secs(),
        Err(_) => f64::NAN,
    };
    [read.secs(), matrix.secs(), text]
}
