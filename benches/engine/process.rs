//! Whole-process runs: wall time and peak resident memory (`/usr/bin/time`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use super::text::megabytes;

/// GNU time, for the peak resident memory of a whole process.
pub const GNU_TIME: &str = "/usr/bin/time";

/// One whole-process run: wall time and peak resident memory (kB, when known).
#[derive(Clone, Copy)]
pub struct Run {
    /// Wall time in seconds.
    pub secs: f64,
    /// Peak resident set size in kB, when `/usr/bin/time` is there.
    pub max_rss_kb: Option<u64>,
}

/// Runs `program args` to completion, output discarded; an error on a failed exit
/// (with the end of its standard error). `scratch` receives `/usr/bin/time`'s report.
pub fn run(program: &Path, args: &[String], scratch: &Path) -> Result<Run, String> {
    let timed = Path::new(GNU_TIME).exists();
    let mut command = if timed {
        let mut c = Command::new(GNU_TIME);
        c.arg("-f").arg("%M").arg("-o").arg(scratch).arg(program);
        c
    } else {
        Command::new(program)
    };
    command
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let secs = start.elapsed().as_secs_f64();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: String = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" / ");
        return Err(format!("exit {:?}: {tail}", output.status.code()));
    }
    let max_rss_kb = timed
        .then(|| std::fs::read_to_string(scratch).ok())
        .flatten()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    Ok(Run { secs, max_rss_kb })
}

/// The run of median wall time (`runs` is not empty).
pub fn median(runs: &[Run]) -> &Run {
    let mut order: Vec<&Run> = runs.iter().collect();
    order.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    order[order.len() / 2]
}

/// A peak resident size for a table cell.
pub fn rss(kb: Option<u64>) -> String {
    kb.map_or("n/a".to_string(), |kb| megabytes(kb as usize * 1024))
}
