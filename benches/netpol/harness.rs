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
        let mut works: [&mut dyn FnMut(); 1] = [&mut || {
            black_box(work());
        }];
        self.time_interleaved(&mut works).remove(0)
    }

    /// Times several pieces of work in rounds (each round runs every work once), so
    /// that load from other processes falls on all of them alike and their ratios stay
    /// meaningful on a shared machine.
    pub fn time_interleaved(&self, works: &mut [&mut dyn FnMut()]) -> Vec<Timing> {
        for _ in 0..self.warmups {
            for work in works.iter_mut() {
                work();
            }
        }
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); works.len()];
        for _ in 0..self.runs.max(1) {
            for (work, times) in works.iter_mut().zip(&mut times) {
                let start = Instant::now();
                work();
                times.push(start.elapsed());
            }
        }
        times.into_iter().map(summarise).collect()
    }
}

/// Median, min and max of some durations (at least one).
fn summarise(mut times: Vec<Duration>) -> Timing {
    times.sort();
    Timing {
        median: times[times.len() / 2],
        min: times[0],
        max: times[times.len() - 1],
    }
}
