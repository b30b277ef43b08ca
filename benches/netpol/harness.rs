//! A small timing harness: warm-up runs, then the median of several timed runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// How many runs each measurement makes.
#[derive(Clone, Copy)]
pub struct Harness {
    /// Untimed runs first (caches, page faults, allocator warm-up).
    pub warmups: usize,
    /// Timed runs; the median is reported.
    pub runs: usize,
}

/// The timings of one measurement.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Median of the timed runs.
    pub median: Duration,
    /// Fastest run.
    pub min: Duration,
    /// Slowest run.
    pub max: Duration,
}

impl Timing {
    /// Seconds of the median.
    pub fn secs(&self) -> f64 {
        self.median.as_secs_f64()
    }
}

impl Harness {
    /// Times `work`: `warmups` untimed calls, then `runs` timed ones.
    pub fn time<R>(&self, mut work: impl FnMut() -> R) -> Timing {
        for _ in 0..self.warmups {
            black_box(work());
        }
        let mut times: Vec<Duration> = (0..self.runs.max(1))
            .map(|_| {
                let start = Instant::now();
                black_box(work());
                start.elapsed()
            })
            .collect();
        times.sort();
        Timing {
            median: times[times.len() / 2],
            min: times[0],
            max: times[times.len() - 1],
        }
    }
}
