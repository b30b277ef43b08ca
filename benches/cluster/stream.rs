//! Large policy-only streams, the shape of a big platform's rendered Helm charts: a
//! fixed number of namespaces, each with a default deny, DNS egress, ingress from the
//! ingress controller, then many similar app-to-app allows (pod selectors, and in a
//! third of them namespace selectors with match expressions) and ipBlock egress with
//! an except; every policy carries Helm's labels and annotations. Sized by bytes, for
//! the whole-process lint scaling benchmark.

use serde_json::{json, Value};

use super::rng::Rng;
use super::{app_to_app, default_deny, dns_egress, from_ingress_controller, ip_block_egress};
use super::{namespace, yaml, ENVS, MAX_APPS, PORTS, TEAMS};

/// Namespaces of every stream (the reported platform has 50).
pub const STREAM_NAMESPACES: usize = 50;
/// Policies generated to estimate the bytes one policy takes.
const SAMPLE_POLICIES: usize = 2_000;

/// A generated stream: its YAML and how many NetworkPolicies it holds.
pub struct PolicyStream {
    /// Namespace objects, then the NetworkPolicies, as one YAML stream.
    pub yaml: String,
    /// NetworkPolicies in the stream.
    pub policies: usize,
}

impl PolicyStream {
    /// A stream of about `bytes` bytes from `seed` (the same seed and size give the
    /// same stream on every machine).
    pub fn of_bytes(seed: u64, bytes: usize) -> PolicyStream {
        let sample = PolicyStream::with_policies(seed, SAMPLE_POLICIES);
        let per_policy = (sample.yaml.len() / SAMPLE_POLICIES).max(1);
        PolicyStream::with_policies(seed, (bytes / per_policy).max(STREAM_NAMESPACES))
    }

    /// A stream of exactly `policies` NetworkPolicies over [`STREAM_NAMESPACES`].
    pub fn with_policies(seed: u64, policies: usize) -> PolicyStream {
        let mut rng = Rng::new(seed);
        let mut namespaces = Vec::new();
        let mut objects = Vec::new();
        for index in 0..STREAM_NAMESPACES {
            let team = *rng.pick(TEAMS);
            let env = *rng.pick(ENVS);
            let ns = format!("{team}-{index}");
            namespaces.push(namespace(&ns, team, env));
            let ports: Vec<u16> = (0..MAX_APPS).map(|_| *rng.pick(PORTS)).collect();
            for k in 0..super::share(policies, STREAM_NAMESPACES, index) {
                let mut policy = match k {
                    0 => default_deny(&ns),
                    1 => dns_egress(&ns),
                    2 => from_ingress_controller(&ns, 0, ports[0]),
                    _ if k % 2 == 1 => app_to_app(&mut rng, &ns, k, MAX_APPS, &ports),
                    _ => ip_block_egress(&mut rng, &ns, k, MAX_APPS),
                };
                add_helm_metadata(&mut policy, &ns);
                objects.push(policy);
            }
        }
        let mut out = String::new();
        yaml::emit_stream(&namespaces, &mut out);
        yaml::emit_stream(&objects, &mut out);
        PolicyStream {
            yaml: out,
            policies: objects.len(),
        }
    }
}

/// The labels and annotations `helm template` leaves on every object of a release.
fn add_helm_metadata(policy: &mut Value, ns: &str) {
    let release = format!("{ns}-network");
    policy["metadata"]["labels"] = json!({
        "app.kubernetes.io/managed-by": "Helm",
        "app.kubernetes.io/instance": release,
        "app.kubernetes.io/part-of": ns,
        "helm.sh/chart": "network-policies-1.4.2",
    });
    policy["metadata"]["annotations"] = json!({
        "meta.helm.sh/release-name": release,
        "meta.helm.sh/release-namespace": ns,
    });
}
