//! The cluster-wide baseline: instead of a `default-deny` and an `allow-dns`
//! NetworkPolicy per namespace, one `ClusterNetworkPolicy` in the Baseline tier for
//! every namespace but the system ones, accepting DNS egress and denying everything
//! else in both directions.
//!
//! The Baseline tier decides only for pods that no NetworkPolicy isolates, so every
//! group policy (which isolates its pods for both directions) keeps a DNS egress rule
//! of its own.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::plan::{Peer, Plan, RulePlan, DNS_PORT, DNS_SERVES};
use crate::engine::Engine;
use crate::lint::Config;
use crate::model::{Protocol, Tier};

/// The name the baseline policy gets when the inputs do not use it already.
pub const BASELINE_NAME: &str = "baseline-default-deny";

/// The cluster-wide policy to write: Baseline tier, subject every namespace but
/// `excluded`, DNS egress accepted, everything else denied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterBaseline {
    /// Its name (cluster-scoped, free among the inputs' cluster-wide policies).
    pub name: String,
    /// Its priority in the Baseline tier: the highest (last evaluated) that no
    /// Baseline policy of the inputs uses.
    pub priority: u16,
    /// The namespaces it leaves alone (the system namespaces), in name order.
    pub excluded: Vec<String>,
    /// The cluster DNS pods.
    pub dns: Peer,
    /// The requirements its DNS rule serves (after [`DNS_SERVES`]).
    pub dns_serves: Vec<String>,
}

impl ClusterBaseline {
    /// The DNS ports: UDP and TCP 53.
    pub fn dns_ports() -> [(Protocol, u16); 2] {
        [(Protocol::Udp, DNS_PORT), (Protocol::Tcp, DNS_PORT)]
    }
}

/// Moves the per-namespace default denies and DNS policies of `plan` into one
/// cluster-wide baseline: they are removed (with the namespaces left without
/// policies), and every group policy gets a DNS egress rule (a NetworkPolicy that
/// isolates a pod for egress takes the Baseline tier's DNS rule away from it).
pub fn into_baseline(plan: &mut Plan, engine: &Engine<'_>, config: &Config) -> ClusterBaseline {
    let mut dns = None;
    let mut dns_serves = Vec::new();
    for policies in plan.namespaces.values_mut() {
        for policy in policies.iter().filter(|p| is_namespace_wide(p)) {
            for rule in &policy.egress {
                dns.get_or_insert_with(|| rule.peer.clone());
                dns_serves.extend(rule.serves.iter().filter(|s| *s != DNS_SERVES).cloned());
            }
        }
        policies.retain(|p| !is_namespace_wide(p));
    }
    plan.namespaces.retain(|_, policies| !policies.is_empty());
    let dns = dns.unwrap_or_else(|| super::plan::dns_peer(engine));
    for policy in plan.namespaces.values_mut().flatten() {
        policy.egress.push(RulePlan {
            peer: dns.clone(),
            ports: ClusterBaseline::dns_ports().into_iter().collect(),
            serves: vec![String::from(DNS_SERVES)],
        });
    }
    let mut excluded = config.system_namespaces.clone();
    crate::order::sort(&mut excluded);
    excluded.dedup();
    ClusterBaseline {
        name: free_name(engine),
        priority: free_priority(engine),
        excluded,
        dns,
        dns_serves,
    }
}

/// The default deny (`podSelector: {}`, no rules) and the DNS policy (empty labels):
/// the policies that select every pod of their namespace.
fn is_namespace_wide(policy: &super::PolicyPlan) -> bool {
    policy
        .selector
        .as_ref()
        .is_none_or(|labels| labels.is_empty())
}

/// [`BASELINE_NAME`], or `-2`, `-3`... : the first name no cluster-wide policy of the
/// inputs has.
fn free_name(engine: &Engine<'_>) -> String {
    let used = |name: &str| {
        engine
            .model()
            .cluster_policies
            .iter()
            .any(|p| p.meta.name.value == name)
    };
    let mut name = String::from(BASELINE_NAME);
    let mut n = 2;
    while used(&name) {
        name = alloc::format!("{BASELINE_NAME}-{n}");
        n += 1;
    }
    name
}

/// 1000, or the highest priority below it that no Baseline policy of the inputs uses
/// (equal priorities with overlapping subjects have no defined order).
fn free_priority(engine: &Engine<'_>) -> u16 {
    let used: Vec<u16> = engine
        .model()
        .cluster_policies
        .iter()
        .filter(|p| p.tier.value == Tier::Baseline)
        .map(|p| p.priority.value)
        .collect();
    (0..=1000u16)
        .rev()
        .find(|p| !used.contains(p))
        .unwrap_or(1000)
}
