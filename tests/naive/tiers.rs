//! The cluster-wide tiers, evaluated naively from `docs/spec/tiers.md` (and the
//! upstream API types it points to), on the manifests themselves: the
//! `ClusterNetworkPolicy` (v1alpha2), `AdminNetworkPolicy` and
//! `BaselineAdminNetworkPolicy` (v1alpha1) and `Node` objects are read here from their
//! `serde_json::Value`s, never through the decoder or the model's tier types.
//!
//! Per side: the Admin tier (policies by ascending priority, rules in written order,
//! the first matching rule decides: Accept allows, Deny denies, Pass goes on to the
//! NetworkPolicies), then the namespace's NetworkPolicies if one isolates the pod for
//! that direction, then the Baseline tier (Pass: default), then allow.
//!
//! What the manifests leave open is enumerated rather than guessed: every order of the
//! policies of one tier that respects the priorities (equal priorities may be applied
//! in any order), and every answer of DNS for each `domainNames` peer (which can only
//! match an address outside the cluster). The flow's outcome is the set of verdicts
//! over all those worlds: one verdict, or uncertain with what it depends on.
//!
//! Choices documented for comparison with the engine: a `domainNames` peer never
//! matches a pod; a named port never matches an address outside the cluster; a
//! v1alpha1 port without `protocol` is TCP; v1alpha1 `Allow` is `Accept`.

use std::collections::BTreeSet;
use std::net::IpAddr;

use netpol::model::{Direction, Model, Protocol};
use serde_json::Value;

use super::tier_side::Side;
use super::{address_pairs, view, Endpoint};

/// The answer for one flow once the tiers take part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Allowed in every possible world.
    Allow,
    /// Denied in every possible world.
    Deny,
    /// Allowed in some worlds and denied in others.
    Uncertain {
        /// The answer changes with what DNS resolves.
        dns: bool,
        /// The answer changes with the order of equal-priority policies.
        order: bool,
    },
}

/// A tier of cluster-wide policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Before the NetworkPolicies.
    Admin,
    /// After them.
    Baseline,
}

/// One cluster-wide policy object with what evaluation needs read out.
#[derive(Clone, Debug)]
pub struct TierPolicy {
    /// Its tier.
    pub tier: Tier,
    /// Its priority (a BaselineAdminNetworkPolicy has none: 0).
    pub priority: i64,
    /// The manifest.
    pub object: Value,
    /// Whether it is a v1alpha1 object (field names differ).
    pub v1alpha1: bool,
}

/// The tier policies of `objects`, in input order.
pub fn tier_policies(objects: &[Value]) -> Vec<TierPolicy> {
    let mut out = Vec::new();
    for object in objects {
        let kind = object["kind"].as_str().unwrap_or("");
        let spec = &object["spec"];
        let policy = match kind {
            "ClusterNetworkPolicy" => TierPolicy {
                tier: match spec["tier"].as_str() {
                    Some("Admin") => Tier::Admin,
                    Some("Baseline") => Tier::Baseline,
                    other => panic!("tier {other:?}"),
                },
                priority: spec["priority"].as_i64().expect("priority"),
                object: object.clone(),
                v1alpha1: false,
            },
            "AdminNetworkPolicy" => TierPolicy {
                tier: Tier::Admin,
                priority: spec["priority"].as_i64().expect("priority"),
                object: object.clone(),
                v1alpha1: true,
            },
            "BaselineAdminNetworkPolicy" => TierPolicy {
                tier: Tier::Baseline,
                priority: 0,
                object: object.clone(),
                v1alpha1: true,
            },
            _ => continue,
        };
        out.push(policy);
    }
    out
}

/// Every order of `policies` (indices) that lists them by non-decreasing priority.
fn priority_orders(policies: &[&TierPolicy]) -> Vec<Vec<usize>> {
    assert!(
        policies.len() <= 7,
        "too many policies in one tier to enumerate"
    );
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut used = vec![false; policies.len()];
    permute(policies, &mut current, &mut used, &mut out);
    out
}

fn permute(
    policies: &[&TierPolicy],
    current: &mut Vec<usize>,
    used: &mut [bool],
    out: &mut Vec<Vec<usize>>,
) {
    if current.len() == policies.len() {
        out.push(current.clone());
        return;
    }
    for i in 0..policies.len() {
        if used[i] {
            continue;
        }
        if let Some(last) = current.last() {
            if policies[*last].priority > policies[i].priority {
                continue;
            }
        }
        used[i] = true;
        current.push(i);
        permute(policies, current, used, out);
        current.pop();
        used[i] = false;
    }
}

/// Whether `endpoint` is a host-networked pod or workload: never a subject, never
/// matched by `namespaces` or `pods` peers (its traffic carries the node's address).
fn host_networked(model: &Model, endpoint: &Endpoint) -> bool {
    match endpoint {
        Endpoint::Pod(i) => model.pods[*i].host_network,
        Endpoint::Workload(i) => model.workloads[*i].host_network,
        Endpoint::External(_) => false,
    }
}

/// The Node objects' (labels, addresses).
fn nodes(objects: &[Value]) -> Vec<(netpol::model::Labels, Vec<IpAddr>)> {
    let mut out = Vec::new();
    for object in objects {
        if object["kind"].as_str() != Some("Node") {
            continue;
        }
        let mut labels = netpol::model::Labels::new();
        if let Some(map) = object["metadata"]["labels"].as_object() {
            for (k, v) in map {
                labels.insert(k.clone(), v.as_str().expect("label").to_string());
            }
        }
        let mut addresses = Vec::new();
        for address in object["status"]["addresses"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let Some(Ok(ip)) = address["address"].as_str().map(str::parse::<IpAddr>) {
                addresses.push(ip);
            }
        }
        out.push((labels, addresses));
    }
    out
}

/// One possible world: an order per tier and, per `domainNames` peer met, whether DNS
/// resolves it to the address in question.
pub(super) struct World<'a> {
    pub admin: Vec<&'a TierPolicy>,
    pub baseline: Vec<&'a TierPolicy>,
    pub dns: &'a dyn Fn(&str) -> bool,
}

/// The verdict for `from` → `to` with the tiers of `objects` taking part.
pub fn verdict(
    model: &Model,
    objects: &[Value],
    from: &Endpoint,
    to: &Endpoint,
    protocol: Protocol,
    port: u16,
) -> Outcome {
    if from == to {
        return Outcome::Allow;
    }
    let policies = tier_policies(objects);
    let node_list = nodes(objects);
    let admin: Vec<&TierPolicy> = policies.iter().filter(|p| p.tier == Tier::Admin).collect();
    let baseline: Vec<&TierPolicy> = policies
        .iter()
        .filter(|p| p.tier == Tier::Baseline)
        .collect();
    let domains = domain_keys(&policies, to);
    assert!(domains.len() <= 10, "too many domain peers to enumerate");
    // results[order][dns assignment]
    let mut results: Vec<Vec<bool>> = Vec::new();
    for admin_order in priority_orders(&admin) {
        for baseline_order in priority_orders(&baseline) {
            let mut row = Vec::new();
            for assignment in 0..(1u32 << domains.len()) {
                let dns = |key: &str| {
                    let i = domains.iter().position(|d| d == key).expect("known key");
                    assignment & (1 << i) != 0
                };
                let world = World {
                    admin: admin_order.iter().map(|i| admin[*i]).collect(),
                    baseline: baseline_order.iter().map(|i| baseline[*i]).collect(),
                    dns: &dns,
                };
                row.push(flow_allowed(
                    model, &node_list, &world, from, to, protocol, port,
                ));
            }
            results.push(row);
        }
    }
    let all: BTreeSet<bool> = results.iter().flatten().copied().collect();
    if all.len() == 1 {
        return if all.contains(&true) {
            Outcome::Allow
        } else {
            Outcome::Deny
        };
    }
    let dns = results
        .iter()
        .any(|row| row.iter().collect::<BTreeSet<_>>().len() > 1);
    let order = (0..results[0].len()).any(|a| {
        results
            .iter()
            .map(|row| row[a])
            .collect::<BTreeSet<_>>()
            .len()
            > 1
    });
    Outcome::Uncertain { dns, order }
}

/// The keys of the `domainNames` peers that could match `to`: only an address outside
/// the cluster can be a domain's answer.
fn domain_keys(policies: &[TierPolicy], to: &Endpoint) -> Vec<String> {
    let mut keys = Vec::new();
    if !matches!(to, Endpoint::External(_)) {
        return keys;
    }
    for policy in policies {
        let rules = policy.object["spec"]["egress"].as_array().cloned();
        for (r, rule) in rules.into_iter().flatten().enumerate() {
            for (i, peer) in rule["to"].as_array().into_iter().flatten().enumerate() {
                if peer.get("domainNames").is_some() {
                    keys.push(domain_key(&policy.object, r, i));
                }
            }
        }
    }
    keys
}

fn flow_allowed(
    model: &Model,
    nodes: &[(netpol::model::Labels, Vec<IpAddr>)],
    world: &World,
    from: &Endpoint,
    to: &Endpoint,
    protocol: Protocol,
    port: u16,
) -> bool {
    let src = view(model, from);
    let dst = view(model, to);
    for (src_ip, dst_ip) in address_pairs(from, &src.ips, to, &dst.ips) {
        let ctx = |direction| Side {
            model,
            host: [host_networked(model, from), host_networked(model, to)],
            nodes,
            world,
            direction,
            protocol,
            port,
        };
        let egress = ctx(Direction::Egress).allows(from, &src, &dst, dst_ip);
        let ingress = ctx(Direction::Ingress).allows(to, &dst, &src, src_ip);
        if egress && ingress {
            return true;
        }
    }
    false
}

/// Names one `domainNames` peer: kind, policy name, egress rule index, peer index.
pub(super) fn domain_key(object: &Value, rule: usize, peer: usize) -> String {
    let kind = object["kind"].as_str().unwrap_or("");
    let name = object["metadata"]["name"].as_str().unwrap_or("");
    format!("{kind}/{name}/{rule}/{peer}")
}
