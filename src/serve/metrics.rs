//! Prometheus metrics: `netpol_requests_total{path,code}` and the
//! `netpol_request_duration_seconds{path}` histogram, in the text exposition format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::string::String;
use std::sync::Mutex;
use std::time::Duration;
use std::vec::Vec;

/// The histogram's upper bounds, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// One path's durations.
#[derive(Clone, Debug, Default)]
struct Histogram {
    /// Observations at or below each bound of [`BUCKETS`] (not cumulative).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The counters of a running server (labels are bounded: the path is one of the
/// known paths or `other`).
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    requests: BTreeMap<(&'static str, u16), u64>,
    durations: BTreeMap<&'static str, Histogram>,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, path: &'static str, code: u16, duration: Duration) {
        let Ok(mut counters) = self.inner.lock() else {
            return;
        };
        *counters.requests.entry((path, code)).or_default() += 1;
        let seconds = duration.as_secs_f64();
        let histogram = counters.durations.entry(path).or_default();
        histogram.count += 1;
        histogram.sum += seconds;
        if let Some(slot) = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .and_then(|i| histogram.buckets.get_mut(i))
        {
            *slot += 1;
        }
    }

    /// The text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let Ok(counters) = self.inner.lock() else {
            return out;
        };
        out.push_str("# HELP netpol_requests_total Requests answered, by path and status code.\n");
        out.push_str("# TYPE netpol_requests_total counter\n");
        for ((path, code), count) in &counters.requests {
            let _ = writeln!(
                out,
                "netpol_requests_total{{path=\"{path}\",code=\"{code}\"}} {count}"
            );
        }
        out.push_str(
            "# HELP netpol_request_duration_seconds Time from a request's headers to its answer.\n",
        );
        out.push_str("# TYPE netpol_request_duration_seconds histogram\n");
        for (path, histogram) in &counters.durations {
            let mut cumulative = 0;
            let bounds: Vec<String> = BUCKETS.iter().map(|b| format_bound(*b)).collect();
            for (bound, count) in bounds.iter().zip(histogram.buckets.iter()) {
                cumulative += count;
                let _ = writeln!(
                    out,
                    "netpol_request_duration_seconds_bucket{{path=\"{path}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "netpol_request_duration_seconds_bucket{{path=\"{path}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "netpol_request_duration_seconds_sum{{path=\"{path}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "netpol_request_duration_seconds_count{{path=\"{path}\"}} {}",
                histogram.count
            );
        }
        out
    }
}

/// A bucket bound as Prometheus writes it (`0.005`, `1`).
fn format_bound(bound: f64) -> String {
    let mut text = std::format!("{bound}");
    if text.ends_with(".0") {
        text.truncate(text.len() - 2);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_path_and_code_with_a_cumulative_histogram() {
        let metrics = Metrics::default();
        metrics.observe("/validate", 200, Duration::from_micros(300));
        metrics.observe("/validate", 200, Duration::from_millis(3));
        metrics.observe("other", 404, Duration::from_secs(9));
        let text = metrics.render();
        assert!(text.contains("netpol_requests_total{path=\"/validate\",code=\"200\"} 2\n"));
        assert!(text.contains("netpol_requests_total{path=\"other\",code=\"404\"} 1\n"));
        assert!(text.contains(
            "netpol_request_duration_seconds_bucket{path=\"/validate\",le=\"0.0005\"} 1\n"
        ));
        assert!(text.contains(
            "netpol_request_duration_seconds_bucket{path=\"/validate\",le=\"0.005\"} 2\n"
        ));
        assert!(
            text.contains("netpol_request_duration_seconds_bucket{path=\"other\",le=\"5\"} 0\n")
        );
        assert!(
            text.contains("netpol_request_duration_seconds_bucket{path=\"other\",le=\"+Inf\"} 1\n")
        );
        assert!(text.contains("netpol_request_duration_seconds_count{path=\"/validate\"} 2\n"));
    }

    #[test]
    fn nothing_observed_renders_only_the_headers() {
        let text = Metrics::default().render();
        assert!(text.contains("# TYPE netpol_requests_total counter"));
        assert!(!text.contains("netpol_requests_total{"));
    }
}
