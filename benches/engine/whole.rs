//! Whole commands on the 10,000-pod cluster: `query`, `lint` and `matrix` in every
//! streamed format, as the release binary runs them (reading, work and writing
//! together), next to an earlier build when `NETPOL_BENCH_BASELINE` names one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::cluster::{Cluster, Size};
use super::process::{median, rss, run, Run, GNU_TIME};
use super::text::{load_average, megabytes, secs, size as size_text, verdict};

/// The matrix formats timed (the ones written as one stream of text).
const MATRIX_FORMATS: &[&str] = &["text", "json", "csv", "md"];
/// Targets on the 10,000-pod cluster.
const TARGET_QUERY_SECS: f64 = 0.3;
const TARGET_MATRIX_JSON_SECS: f64 = 1.0;

/// One command line and its label in the table.
struct Job {
    label: String,
    args: Vec<String>,
}

/// Writes the cluster of `size` to a file under the target folder (kept there, for
/// profiling), times `runs` whole processes of each command with this build and the
/// baseline, and writes the section.
pub fn section(seed: u64, size: Size, runs: usize) -> String {
    let mut out = String::from("## Whole commands at 10,000 pods: reading, work, writing\n\n");
    let netpol = PathBuf::from(env!("CARGO_BIN_EXE_netpol"));
    let baseline = std::env::var_os("NETPOL_BENCH_BASELINE").map(PathBuf::from);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("whole");
    let cluster = Cluster::generate(seed, size);
    let yaml = cluster.yaml();
    let file = dir.join("cluster.yaml");
    if let Err(error) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, &yaml)) {
        let _ = writeln!(
            out,
            "Not measured: cannot write {}: {error}\n",
            file.display()
        );
        return out;
    }
    let _ = writeln!(
        out,
        "Each command on one {} YAML file of {} with their Deployments and Namespaces \
         (seed {seed}), output to /dev/null: wall time and peak resident memory of the \
         whole process (`{GNU_TIME}`), median of {runs} runs. \"this build\" is the \
         release binary of this build; \"before\" is `NETPOL_BENCH_BASELINE` ({}). Load \
         average at the start: {}. Only this section: `NETPOL_BENCH_ONLY=whole cargo \
         bench --bench engine`.\n",
        megabytes(yaml.len()),
        size_text(size),
        baseline
            .as_ref()
            .map_or("not given: column empty".to_string(), |p| format!(
                "`{}`",
                p.file_name().unwrap_or_default().to_string_lossy()
            )),
        load_average()
    );
    out.push_str("| command | before | this build | peak RSS before | peak RSS this build |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    let scratch = dir.join("time.out");
    let mut query_secs = None;
    let mut matrix_json_secs = None;
    for job in jobs(&cluster, &file) {
        eprintln!("  {}", job.label);
        let before = baseline
            .as_deref()
            .map(|b| timed(b, &job.args, runs, &scratch));
        let now = timed(&netpol, &job.args, runs, &scratch);
        if let Ok(r) = &now {
            if job.label.starts_with("query") {
                query_secs = Some(r.secs);
            } else if job.label == "matrix --format json" {
                matrix_json_secs = Some(r.secs);
            }
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            job.label,
            cell(&before, |r| secs(r.secs)),
            cell(&Some(now.clone()), |r| secs(r.secs)),
            cell(&before, |r| rss(r.max_rss_kb)),
            cell(&Some(now), |r| rss(r.max_rss_kb)),
        );
    }
    let _ = writeln!(
        out,
        "\nTargets: `query` under {TARGET_QUERY_SECS} s: {}; `matrix --format json` under \
         {TARGET_MATRIX_JSON_SECS:.0} s: {}.\n",
        met(query_secs, TARGET_QUERY_SECS),
        met(matrix_json_secs, TARGET_MATRIX_JSON_SECS),
    );
    out
}

/// The commands timed: one query between two application pods, lint, and the matrix
/// in each of [`MATRIX_FORMATS`].
fn jobs(cluster: &Cluster, file: &Path) -> Vec<Job> {
    let file = file.to_string_lossy().to_string();
    let mut jobs = Vec::new();
    if let Some((from, to)) = query_pair(cluster) {
        jobs.push(Job {
            label: "query".to_string(),
            args: vec![
                "query".into(),
                "--from".into(),
                from,
                "--to".into(),
                to,
                "--port".into(),
                "8080".into(),
                file.clone(),
            ],
        });
    }
    jobs.push(Job {
        label: "lint".to_string(),
        args: vec![
            "lint".into(),
            "--fail-on".into(),
            "none".into(),
            file.clone(),
        ],
    });
    for format in MATRIX_FORMATS {
        jobs.push(Job {
            label: format!("matrix --format {format}"),
            args: vec![
                "matrix".into(),
                "--format".into(),
                format.to_string(),
                file.clone(),
            ],
        });
    }
    jobs
}

/// The first and the last application pod (`ns/name`), past the system namespaces.
fn query_pair(cluster: &Cluster) -> Option<(String, String)> {
    let id = |pod: &Value| {
        let meta = &pod["metadata"];
        Some(format!(
            "{}/{}",
            meta["namespace"].as_str()?,
            meta["name"].as_str()?
        ))
    };
    let apps: Vec<&Value> = cluster
        .pods
        .iter()
        .filter(|p| {
            !matches!(
                p["metadata"]["namespace"].as_str(),
                Some("kube-system" | "ingress-nginx")
            )
        })
        .collect();
    Some((id(apps.first()?)?, id(apps.last()?)?))
}

/// The median of `runs` runs, or why none finished.
fn timed(program: &Path, args: &[String], runs: usize, scratch: &Path) -> Result<Run, String> {
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        times.push(run(program, args, scratch)?);
    }
    Ok(*median(&times))
}

/// A table cell: the figure, `—` without a baseline, or the error.
fn cell(result: &Option<Result<Run, String>>, show: impl Fn(&Run) -> String) -> String {
    match result {
        None => "—".to_string(),
        Some(Ok(r)) => show(r),
        Some(Err(why)) => format!("failed: {why}"),
    }
}

/// Whether a measured time is under its target.
fn met(measured: Option<f64>, target: f64) -> String {
    match measured {
        Some(s) => format!("{} ({})", verdict(s < target), secs(s)),
        None => "not measured".to_string(),
    }
}
