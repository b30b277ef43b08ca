//! The matrix with the cluster-wide tiers: the generated cluster of 10,000 pods with an
//! Admin tier of 50 ClusterNetworkPolicies (100 rules) and a Baseline policy, next to
//! the same cluster without them. Target (docs/spec/performance.md, the tiers issue):
//! within 1.5× of the matrix without tiers.

use std::fmt::Write as _;
use std::hint::black_box;

use netpol::engine::Engine;
use serde_json::{json, Value};

use super::cluster::{self, Cluster, Size};
use super::harness::Harness;
use super::text::{size as size_text, thousands, timing, verdict};

/// The cluster measured.
pub const TIERS_SIZE: Size = Size {
    pods: 10_000,
    policies: 50,
};

/// Admin-tier policies generated (two rules each).
const ADMIN_POLICIES: usize = 50;
const TEAMS: &[&str] = &["shop", "payments", "search", "identity", "media", "ops"];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const TIERS: &[&str] = &["web", "api", "data"];
const PORTS: &[u16] = &[80, 8080, 8443, 9090, 5432, 6379, 3000];
const ACTIONS: &[&str] = &["Deny", "Pass", "Accept"];

/// Admin policy `i`: a subject by team or by environment and tier; one ingress rule
/// from another team on one port, one egress rule to a network or an environment.
fn admin_policy(i: usize) -> Value {
    let subject = if i % 2 == 0 {
        json!({"namespaces": {"matchLabels": {"team": TEAMS[i % TEAMS.len()]}}})
    } else {
        json!({"pods": {"namespaceSelector": {"matchLabels": {"env": ENVS[i % ENVS.len()]}},
                        "podSelector": {"matchLabels": {"tier": TIERS[i % TIERS.len()]}}}})
    };
    let port = PORTS[i % PORTS.len()];
    let ingress = json!({"name": format!("in-{i}"), "action": ACTIONS[i % ACTIONS.len()],
        "from": [{"namespaces": {"matchLabels": {"team": TEAMS[(i + 1) % TEAMS.len()]}}}],
        "protocols": [{"tcp": {"destinationPort": {"number": port}}}]});
    let to = if i % 3 == 0 {
        json!([{"networks": [format!("10.{}.0.0/16", 244 + i % 2)]}])
    } else {
        json!([{"namespaces": {"matchLabels": {"env": ENVS[(i + 1) % ENVS.len()]}}}])
    };
    let egress = json!({"name": format!("out-{i}"), "action": ACTIONS[(i + 1) % ACTIONS.len()],
        "to": to, "protocols": [{"tcp": {"destinationPort": {"range": {"start": port, "end": port + 100}}}}]});
    json!({"apiVersion": "policy.networking.k8s.io/v1alpha2", "kind": "ClusterNetworkPolicy",
           "metadata": {"name": format!("admin-{i}")},
           "spec": {"tier": "Admin", "priority": i + 1, "subject": subject,
                    "ingress": [ingress], "egress": [egress]}})
}

/// The Baseline tier: deny what no NetworkPolicy decides, DNS to kube-system excepted.
fn baseline_policy() -> Value {
    json!({"apiVersion": "policy.networking.k8s.io/v1alpha2", "kind": "ClusterNetworkPolicy",
           "metadata": {"name": "baseline"},
           "spec": {"tier": "Baseline", "priority": 1, "subject": {"namespaces": {}},
                    "ingress": [{"action": "Deny", "from": [{"namespaces": {}}]}],
                    "egress": [
                        {"action": "Accept", "to": [{"namespaces": {"matchLabels":
                            {"kubernetes.io/metadata.name": "kube-system"}}}],
                         "protocols": [{"udp": {"destinationPort": {"number": 53}}}]},
                        {"action": "Deny", "to": [{"networks": ["0.0.0.0/0"]}]}]}})
}

/// The tier objects as a YAML-compatible JSON stream (JSON is YAML).
fn tier_stream() -> String {
    let mut out = String::new();
    for i in 0..ADMIN_POLICIES {
        let _ = writeln!(out, "---\n{}", admin_policy(i));
    }
    let _ = writeln!(out, "---\n{}", baseline_policy());
    out
}

/// Measures both matrices and writes the section.
pub fn section(seed: u64, harness: &Harness) -> String {
    let cluster = Cluster::generate(seed, TIERS_SIZE);
    let plain = cluster.yaml_without_workloads();
    let tiered = format!("{plain}{}", tier_stream());
    let without = cluster::load(&plain);
    let with = cluster::load(&tiered);
    if !with.diagnostics.is_empty() {
        eprintln!("  note: {} reading findings", with.diagnostics.len());
    }
    let (e0, e1) = (Engine::new(&without.model), Engine::new(&with.model));
    let (m0, m1) = (e0.matrix(), e1.matrix());
    let mut plain_work = || {
        black_box(e0.matrix());
    };
    let mut tiered_work = || {
        black_box(e1.matrix());
    };
    let times = harness.time_interleaved(&mut [&mut plain_work, &mut tiered_work]);
    let ratio = times[1].secs() / times[0].secs().max(f64::MIN_POSITIVE);
    let mut out =
        String::from("## Cluster-wide tiers: the matrix with an Admin and a Baseline tier\n\n");
    let _ = writeln!(
        out,
        "{} (seed {seed}) alone, then with {ADMIN_POLICIES} Admin-tier ClusterNetworkPolicies \
         ({} rules: subjects by team or by environment and tier, Accept/Deny/Pass on one port \
         or a range, peers by namespace or network) and one Baseline policy (DNS to kube-system, \
         deny the rest). Median of {} runs.\n",
        size_text(TIERS_SIZE),
        ADMIN_POLICIES * 2,
        harness.runs
    );
    out.push_str("| input | endpoint classes | allowed pairs | `Engine::matrix` |\n| --- | --- | --- | --- |\n");
    for (name, matrix, time) in [
        ("without tiers", &m0, &times[0]),
        ("with tiers", &m1, &times[1]),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} |",
            thousands(matrix.class_count()),
            thousands(matrix.connections().count()),
            timing(time, 1)
        );
    }
    let _ = writeln!(
        out,
        "\nTarget: the matrix with tiers within 1.5× of the one without: {ratio:.2}× {}\n",
        verdict(ratio <= 1.5)
    );
    out
}
