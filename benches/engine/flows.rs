//! Recorded flows: `Workspace::replay` of 1,000,000 Hubble flows against the 10,000-pod
//! cluster, and `Workspace::synthesize` for the same pods (without their policies)
//! from 100,000 distinct flows, proof included.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use netpol::api::{ReplayRequest, SourceFile, SynthesizeRequest, Workspace};
use netpol::lint::Config;
use serde_json::{json, Value};

use super::cluster::{Cluster, Size};
use super::harness::Harness;
use super::text::{megabytes, secs, size as size_text, thousands, timing, verdict};

/// Flows replayed.
const REPLAYED: usize = 1_000_000;
/// Distinct connections among them (each seen `REPLAYED / DISTINCT` times, as a log
/// of a busy day repeats its connections).
const DISTINCT: usize = 100_000;
/// Distinct flows synthesized from.
const SYNTHESIZED: usize = 100_000;
/// Destination ports the generated traffic uses (the cluster generator's ports).
const PORTS: &[u16] = &[80, 8080, 8443, 9090, 5432, 6379, 3000];

/// A small deterministic generator (splitmix64), so the flows are the same on every
/// machine.
struct Mix(u64);

impl Mix {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

/// A pod of the cluster as a Hubble endpoint, with its address.
fn endpoint(pod: &Value) -> (Value, String) {
    let meta = &pod["metadata"];
    let labels: Vec<String> = meta["labels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("k8s:{k}={}", v.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    (
        json!({"namespace": meta["namespace"], "pod_name": meta["name"], "labels": labels}),
        pod["status"]["podIP"].as_str().unwrap_or("").to_string(),
    )
}

/// `count` Hubble lines over `distinct` connections between the pods.
fn hubble_lines(pods: &[Value], seed: u64, count: usize, distinct: usize) -> String {
    let mut mix = Mix(seed);
    let connections: Vec<String> = (0..distinct)
        .map(|_| {
            let (source, source_ip) = endpoint(&pods[mix.below(pods.len())]);
            let (destination, destination_ip) = endpoint(&pods[mix.below(pods.len())]);
            let port = PORTS[mix.below(PORTS.len())];
            let flow = json!({"flow": {
                "verdict": "FORWARDED",
                "IP": {"source": source_ip, "destination": destination_ip, "ipVersion": "IPv4"},
                "l4": {"TCP": {"source_port": 40000 + mix.below(20000), "destination_port": port}},
                "source": source, "destination": destination,
                "Type": "L3_L4", "traffic_direction": "EGRESS", "is_reply": false}});
            serde_json::to_string(&flow).unwrap()
        })
        .collect();
    let mut out = String::with_capacity(count * (connections[0].len() + 8));
    for _ in 0..count {
        out.push_str(&connections[mix.below(connections.len())]);
        out.push('\n');
    }
    out
}

/// `count` distinct CSV flows between the pods.
fn csv_flows(pods: &[Value], seed: u64, count: usize) -> String {
    let mut mix = Mix(seed);
    let id = |pod: &Value| {
        format!(
            "{}/{}",
            pod["metadata"]["namespace"].as_str().unwrap_or(""),
            pod["metadata"]["name"].as_str().unwrap_or("")
        )
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut out = String::from("from,to,port,protocol\n");
    while seen.len() < count {
        let from = mix.below(pods.len());
        let to = mix.below(pods.len());
        let port = PORTS[mix.below(PORTS.len())];
        if from != to && seen.insert((from, to, port)) {
            let _ = writeln!(out, "{},{},{port},TCP", id(&pods[from]), id(&pods[to]));
        }
    }
    out
}

/// The time this thread has spent on a core (Linux `schedstat`), when known: on a
/// shared machine, wall time minus this is time spent waiting for a core.
fn on_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// One more run of `work`: its wall time and its time on a core.
fn wall_and_cpu<R>(work: impl FnOnce() -> R) -> (Duration, Option<Duration>) {
    let cpu = on_cpu();
    let start = Instant::now();
    black_box(work());
    let wall = start.elapsed();
    (wall, cpu.zip(on_cpu()).map(|(a, b)| b.saturating_sub(a)))
}

/// `wall s (on a core: cpu s)`.
fn wall_cpu_text((wall, cpu): (Duration, Option<Duration>)) -> String {
    match cpu {
        Some(cpu) => format!(
            "{} (on a core: {})",
            secs(wall.as_secs_f64()),
            secs(cpu.as_secs_f64())
        ),
        None => format!("{} (time on a core not known)", secs(wall.as_secs_f64())),
    }
}

/// Measures replay and synthesis at `size` and writes the section.
pub fn section(seed: u64, size: Size, harness: &Harness) -> String {
    let mut cluster = Cluster::generate(seed, size);
    let workspace = Workspace::load(
        [SourceFile::text("cluster.yaml", cluster.yaml())],
        Config::default(),
    );
    let flows = hubble_lines(&cluster.pods, seed, REPLAYED, DISTINCT);
    let engine = workspace.engine();
    let request = ReplayRequest { flows };
    let answer = workspace.replay_with(&engine, &request);
    let replay = harness.time(|| black_box(workspace.replay_with(&engine, &request)));
    let summary = answer.replay.summary;
    let reading = wall_and_cpu(|| netpol::flows::read(&request.flows));
    let replay_once = wall_and_cpu(|| workspace.replay_with(&engine, &request));

    cluster.policies.clear();
    let bare = Workspace::load(
        [SourceFile::text("cluster.yaml", cluster.yaml())],
        Config::default(),
    );
    let csv = csv_flows(&cluster.pods, seed ^ 0x5eed, SYNTHESIZED);
    let synthesis_request = SynthesizeRequest {
        flows: Some(csv),
        ..SynthesizeRequest::default()
    };
    let synthesized = bare.synthesize(&synthesis_request).unwrap();
    let synthesis = harness.time(|| black_box(bare.synthesize(&synthesis_request).unwrap()));
    let synthesis_once = wall_and_cpu(|| bare.synthesize(&synthesis_request));
    let policies = synthesized.stream.matches("kind: NetworkPolicy").count();

    let mut out = String::from("## Recorded flows: replay and synthesize\n\n");
    let _ = writeln!(
        out,
        "Replay input: {}; {} Hubble JSON lines ({}) over {} distinct connections between \
         random pods on the generator's ports. Answer: {} allowed, {} denied ({} would break), \
         {} uncertain; {} pairs with allowed connections never observed.\n",
        size_text(size),
        thousands(REPLAYED),
        megabytes(request.flows.len()),
        thousands(DISTINCT),
        thousands(summary.allow),
        thousands(summary.deny),
        thousands(summary.would_break),
        thousands(summary.uncertain),
        thousands(answer.replay.unobserved.len()),
    );
    let _ = writeln!(
        out,
        "Synthesis input: the same {} pods and {} Deployments without their policies, {} \
         distinct CSV flows; output: {} policies ({}), proof: {}/{} required flows allowed, \
         {} rules allowing more than required.\n",
        thousands(cluster.pods.len()),
        thousands(cluster.deployments.len()),
        thousands(SYNTHESIZED),
        thousands(policies),
        megabytes(synthesized.stream.len()),
        thousands(synthesized.proof.allowed),
        thousands(synthesized.proof.required),
        thousands(synthesized.proof.beyond.len()),
    );
    out.push_str("| work | median (min–max) | target |\n| --- | --- | --- |\n");
    let _ = writeln!(
        out,
        "| `Workspace::replay`, 1,000,000 flows (reading, mapping, verdicts, unobserved) | {} | under 5 s: {} |",
        timing(&replay, 1),
        verdict(replay.secs() < 5.0)
    );
    let _ = writeln!(
        out,
        "| `Workspace::synthesize`, 100,000 flows (plan, YAML, proof on the model) | {} | under 5 s: {} |",
        timing(&synthesis, 1),
        verdict(synthesis.secs() < 5.0)
    );
    let _ = writeln!(
        out,
        "\nPer replayed flow: {}.\n",
        secs(replay.secs() / REPLAYED as f64)
    );
    let _ = writeln!(
        out,
        "One more run of each, wall time and the time the benchmark's thread spent on a core \
         (the difference is waiting for a core on a loaded machine): replay {}, of which \
         reading the flow text alone (`flows::read`) {}; synthesis {}.\n",
        wall_cpu_text(replay_once),
        wall_cpu_text(reading),
        wall_cpu_text(synthesis_once),
    );
    out
}
