//! The connectivity engine per cluster size: `Engine::new` (the index), the full
//! matrix, one query after indexing (`allows` and the explained `query`), the heap
//! the index and the matrix hold at their peak, and the scaling exponents.

use std::fmt::Write as _;
use std::hint::black_box;

use netpol::engine::{EndpointId, EndpointRef, Engine, Flow};
use netpol::model::{Model, Protocol};

use super::alloc_counter::peak_during;
use super::cluster::{self, Cluster, Size};
use super::fit::exponent;
use super::harness::{Harness, Timing};
use super::text::{megabytes, secs, size as size_text, thousands, timing, verdict};

/// Flows timed per query measurement (the figure is per flow).
const FLOWS: usize = 1_000;

/// What was measured at one size.
struct Point {
    size: Size,
    endpoints: usize,
    selectors: usize,
    classes: usize,
    connections: usize,
    index: Timing,
    matrix: Timing,
    allows: Timing,
    query: Timing,
    index_heap: usize,
    matrix_heap: usize,
}

/// Measures every size and writes the engine section.
pub fn section(seed: u64, sizes: &[Size], harness: &Harness) -> String {
    let mut points: Vec<Point> = Vec::new();
    for &size in sizes {
        eprintln!("  {}", size_text(size));
        let cluster = Cluster::generate(seed, size);
        let loaded = cluster::load(&cluster.yaml_without_workloads());
        if !loaded.diagnostics.is_empty() {
            eprintln!("  note: {} reading findings", loaded.diagnostics.len());
        }
        points.push(measure(&cluster, &loaded.model, harness));
    }
    points.sort_by_key(|p| (p.size.pods, p.size.policies));
    render(&points)
}

fn measure(cluster: &Cluster, model: &Model, harness: &Harness) -> Point {
    let (engine, index_heap) = peak_during(|| Engine::new(model));
    let (matrix, matrix_heap) = peak_during(|| engine.matrix());
    let flows = sample_flows(&engine);
    let mut index_work = || {
        black_box(Engine::new(model));
    };
    let mut matrix_work = || {
        black_box(engine.matrix());
    };
    let mut allows_work = || {
        for flow in &flows {
            black_box(engine.allows(&flow.from, &flow.to, flow.protocol, flow.port));
        }
    };
    let mut query_work = || {
        for flow in &flows {
            black_box(engine.query(flow));
        }
    };
    let times = harness.time_interleaved(&mut [
        &mut index_work,
        &mut matrix_work,
        &mut allows_work,
        &mut query_work,
    ]);
    Point {
        size: cluster.size,
        endpoints: engine.endpoints().len(),
        selectors: cluster.distinct_selectors(),
        classes: matrix.class_count(),
        connections: matrix.connections().count(),
        index: times[0],
        matrix: times[1],
        allows: times[2],
        query: times[3],
        index_heap,
        matrix_heap,
    }
}

/// [`FLOWS`] pod-to-pod flows spread over the cluster, each on the destination's
/// container port.
fn sample_flows(engine: &Engine) -> Vec<Flow> {
    let endpoints = engine.endpoints();
    (0..FLOWS)
        .map(|i| {
            let from = (i * 7_919) % endpoints.len();
            let to = (i * 104_729 + 13) % endpoints.len();
            let port = endpoints[to].ports.first().map_or(80, |p| p.port);
            Flow::new(
                EndpointRef::Endpoint(EndpointId::from_index(from)),
                EndpointRef::Endpoint(EndpointId::from_index(to)),
                Protocol::Tcp,
                port,
            )
        })
        .collect()
}

fn render(points: &[Point]) -> String {
    let mut out = String::from("## Connectivity engine: index, matrix, query\n\n");
    out.push_str(
        "| cluster | endpoints | distinct selectors | endpoint classes | allowed pairs | \
         `Engine::new` (index) | `Engine::matrix` | `allows`, one flow | `query` (explained), \
         one flow | heap: index | heap: matrix |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for p in points {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            size_text(p.size),
            thousands(p.endpoints),
            thousands(p.selectors),
            thousands(p.classes),
            thousands(p.connections),
            timing(&p.index, 1),
            timing(&p.matrix, 1),
            timing(&p.allows, FLOWS),
            timing(&p.query, FLOWS),
            megabytes(p.index_heap),
            megabytes(p.matrix_heap),
        );
    }
    out.push_str(&format!(
        "\nOne flow: the median of {FLOWS} pod-to-pod flows (on the destination's container \
         port) evaluated back to back, divided by {FLOWS}. Heap: the peak of live heap above \
         what was live before (counting allocator) while building the index, then while \
         computing the matrix (the matrix's own result included).\n\n"
    ));
    out.push_str(&targets(points));
    out.push_str(&scaling(points));
    out
}

fn targets(points: &[Point]) -> String {
    let mut out = String::from("Targets (docs/spec/performance.md):\n\n");
    let big = points.iter().find(|p| {
        p.size
            == Size {
                pods: 10_000,
                policies: 2_000,
            }
    });
    if let Some(p) = big {
        let total = p.index.secs() + p.matrix.secs();
        let _ = writeln!(
            out,
            "- matrix, 10,000 pods × 2,000 policies, under 1 s native: index {} + matrix {} \
             = {} ({:.0}× under the target) {}",
            secs(p.index.secs()),
            secs(p.matrix.secs()),
            secs(total),
            1.0 / total,
            verdict(total < 1.0)
        );
    }
    let slowest = points
        .iter()
        .map(|p| {
            let each = |t: &Timing| t.secs() / FLOWS as f64;
            (each(&p.allows).max(each(&p.query)), p.size)
        })
        .fold(
            (
                0.0,
                Size {
                    pods: 0,
                    policies: 0,
                },
            ),
            |a, b| if b.0 > a.0 { b } else { a },
        );
    let _ = writeln!(
        out,
        "- one query after indexing under 10 µs: slowest median over all sizes {} (explained \
         `query`, {}) {}",
        secs(slowest.0),
        size_text(slowest.1),
        verdict(slowest.0 < 10e-6)
    );
    let per_endpoint: Vec<String> = points
        .iter()
        .map(|p| {
            format!(
                "{:.0} B",
                (p.index_heap + p.matrix_heap) as f64 / p.endpoints as f64
            )
        })
        .collect();
    let big = points.iter().max_by_key(|p| p.endpoints);
    if let Some(p) = big {
        let pairs = p.endpoints * p.endpoints;
        let _ = writeln!(
            out,
            "- memory grows with selectors, not pod pairs: index + matrix heap per endpoint, \
             by row: {} (about constant: linear in endpoints, see the heap exponent below); \
             at {} that is {} for {} endpoint pairs, where even one byte per pair would be \
             {}.\n",
            per_endpoint.join(", "),
            size_text(p.size),
            megabytes(p.index_heap + p.matrix_heap),
            thousands(pairs),
            megabytes(pairs)
        );
    }
    out
}

/// A named series of cluster sizes: its name and which sizes belong to it.
type Series = (&'static str, fn(&Size) -> bool);

/// The log-log slopes of index and matrix time against pods on the two series.
fn scaling(points: &[Point]) -> String {
    let mut out = String::from("Scaling (least-squares slope of log time against log pods):\n\n");
    let series: [Series; 2] = [
        ("50 policies", |s| s.policies == 50),
        ("5 pods per policy", |s| s.pods == 5 * s.policies),
    ];
    for (name, member) in series {
        let chosen: Vec<&Point> = points.iter().filter(|p| member(&p.size)).collect();
        let slope = |t: fn(&Point) -> f64| {
            let xy: Vec<(f64, f64)> = chosen.iter().map(|p| (p.size.pods as f64, t(p))).collect();
            exponent(&xy).map_or("n/a".to_string(), |e| format!("{e:.2}"))
        };
        let sizes: Vec<String> = chosen.iter().map(|p| thousands(p.size.pods)).collect();
        let _ = writeln!(
            out,
            "- {name} ({} pods): matrix time ∝ pods^{}, index time ∝ pods^{}, matrix heap ∝ pods^{}",
            sizes.join(", "),
            slope(|p| p.matrix.secs()),
            slope(|p| p.index.secs()),
            slope(|p| p.matrix_heap as f64),
        );
    }
    out.push('\n');
    out
}
