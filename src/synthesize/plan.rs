//! From requirements to policies: a default deny per namespace, and per group of
//! pods one policy whose rules allow exactly the required peers and ports.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::groups::Groups;
use super::{Requirement, Requirements, SynthesisError};
use crate::engine::{EndpointRef, Engine};
use crate::lint::Config;
use crate::model::{Labels, Protocol};

/// The label the cluster DNS pods carry (CoreDNS and kube-dns alike).
const DNS_LABEL: (&str, &str) = ("k8s-app", "kube-dns");
/// The namespace of the cluster DNS when the inputs do not show it.
const DNS_NAMESPACE: &str = "kube-system";
/// The DNS port.
pub(super) const DNS_PORT: u16 = 53;
/// What the comment of the DNS rule says first (the proof recognises the rule by it).
pub const DNS_SERVES: &str = "DNS, for every pod";
/// The name of the DNS egress policy of every namespace.
pub const ALLOW_DNS: &str = "allow-dns";
/// The name of the default deny of every namespace.
pub const DEFAULT_DENY: &str = "default-deny";

/// The other end of a rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Peer {
    /// The pods of `namespace` carrying `labels`.
    Pods {
        /// The namespace (selected by `kubernetes.io/metadata.name`).
        namespace: String,
        /// The pod selector's labels.
        labels: Labels,
    },
    /// One address outside the cluster.
    Address(IpAddr),
}

/// One rule: a peer, its ports, and what it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulePlan {
    /// The peer.
    pub peer: Peer,
    /// The ports, by protocol then number.
    pub ports: BTreeSet<(Protocol, u16)>,
    /// The requirements it serves (`flow 3`), or why it exists.
    pub serves: Vec<String>,
}

/// One policy to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyPlan {
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// The pod selector's labels (`None`: `podSelector: {}`, the default deny).
    pub selector: Option<Labels>,
    /// Ingress rules.
    pub ingress: Vec<RulePlan>,
    /// Egress rules.
    pub egress: Vec<RulePlan>,
    /// The endpoints it is written for (ids), for its comment.
    pub members: Vec<String>,
}

/// Every policy to write, by namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Namespace → its policies (the default deny first).
    pub namespaces: BTreeMap<String, Vec<PolicyPlan>>,
}

/// The other end of a rule while rules are collected: a group by its rank (groups
/// rank in key order, so these order as the [`Peer`]s they become), or an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PeerKey {
    /// The group of this rank.
    Group(usize),
    /// One address outside the cluster.
    Address(IpAddr),
}

/// Rules of one direction while they are collected: peer → ports and the indices of
/// the requirements served.
type RulesByPeer = BTreeMap<PeerKey, (BTreeSet<(Protocol, u16)>, Vec<usize>)>;

/// Rules of one group's policy while they are collected: peer → ports and origins.
#[derive(Default)]
struct Collected {
    ingress: RulesByPeer,
    egress: RulesByPeer,
}

/// The policies serving `requirements` over the endpoints of `engine`.
pub fn plan(
    engine: &Engine<'_>,
    groups: &Groups,
    requirements: &Requirements,
    config: &Config,
) -> Result<Plan, SynthesisError> {
    contradictions(engine, requirements)?;
    let governed = |ns: &str| !config.is_system_namespace(ns);
    let keys: Vec<&(String, Labels)> = groups.members.keys().collect();
    let governed_ranks: Vec<bool> = keys.iter().map(|key| governed(&key.0)).collect();
    let dns = dns_peer(engine);
    let dns_rank = match &dns {
        Peer::Pods { namespace, labels } => keys
            .iter()
            .position(|key| key.0 == *namespace && key.1 == *labels),
        Peer::Address(_) => None,
    };
    // Per group (by rank): the rules of its policy, once it needs one.
    let mut collected: Vec<Option<Collected>> = keys.iter().map(|_| None).collect();
    // Namespace → the requirements its allow-dns policy serves.
    let mut dns_served: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let governed_rank = |end: &EndpointRef| match end {
        EndpointRef::Endpoint(id) => groups
            .rank(*id)
            .filter(|rank| governed_ranks.get(*rank).copied().unwrap_or(false))
            .map(|rank| (rank, *id)),
        EndpointRef::External(_) => None,
    };
    for (index, required) in requirements.allow.iter().enumerate() {
        if required.from == required.to {
            continue;
        }
        let port = (required.protocol, required.port);
        if let Some((rank, id)) = governed_rank(&required.from) {
            host_network(engine, id, required)?;
            let peer = peer_key(engine, groups, &required.to, required, config)?;
            if dns_rank.is_some_and(|dns| peer == PeerKey::Group(dns)) && is_dns_port(port) {
                let namespace = keys.get(rank).map_or("", |key| key.0.as_str());
                dns_served
                    .entry(String::from(namespace))
                    .or_default()
                    .push(required.origin.clone());
            } else {
                let own = own_rank(engine, groups, (rank, id), required)?;
                if let Some(rules) = collected.get_mut(own) {
                    let entry = rules.get_or_insert_with(Collected::default);
                    let entry = entry.egress.entry(peer).or_default();
                    entry.0.insert(port);
                    entry.1.push(index);
                }
            }
        }
        if let Some((rank, id)) = governed_rank(&required.to) {
            host_network(engine, id, required)?;
            let peer = peer_key(engine, groups, &required.from, required, config)?;
            let own = own_rank(engine, groups, (rank, id), required)?;
            if let Some(rules) = collected.get_mut(own) {
                let entry = rules.get_or_insert_with(Collected::default);
                let entry = entry.ingress.entry(peer).or_default();
                entry.0.insert(port);
                entry.1.push(index);
            }
        }
    }
    let mut out = Plan::default();
    for namespace in engine.namespaces().iter().filter(|n| governed(&n.name)) {
        let name = &namespace.name;
        let deny = PolicyPlan {
            namespace: name.clone(),
            name: unique_name(engine, name, DEFAULT_DENY, &[]),
            selector: None,
            ingress: Vec::new(),
            egress: Vec::new(),
            members: Vec::new(),
        };
        let mut serves = alloc::vec![String::from(DNS_SERVES)];
        serves.extend(dns_served.remove(name).unwrap_or_default());
        let allow_dns = PolicyPlan {
            namespace: name.clone(),
            name: unique_name(engine, name, ALLOW_DNS, core::slice::from_ref(&deny)),
            selector: Some(Labels::new()),
            ingress: Vec::new(),
            egress: alloc::vec![RulePlan {
                peer: dns.clone(),
                ports: [(Protocol::Udp, DNS_PORT), (Protocol::Tcp, DNS_PORT)]
                    .into_iter()
                    .collect(),
                serves,
            }],
            members: Vec::new(),
        };
        out.namespaces
            .insert(name.clone(), alloc::vec![deny, allow_dns]);
    }
    let rules_of = |map: RulesByPeer| -> Vec<RulePlan> {
        map.into_iter()
            .filter_map(|(peer, (ports, served))| {
                Some(RulePlan {
                    peer: peer_of_key(&keys, peer)?,
                    ports,
                    serves: served
                        .iter()
                        .filter_map(|i| requirements.allow.get(*i))
                        .map(|r| r.origin.clone())
                        .collect(),
                })
            })
            .collect()
    };
    let collected = collected
        .into_iter()
        .enumerate()
        .filter_map(|(rank, rules)| Some((rank, rules?)));
    for (rank, rules) in collected {
        let Some(((namespace, labels), ids)) = keys
            .get(rank)
            .and_then(|key| Some((*key, groups.members.get(*key)?)))
        else {
            continue;
        };
        let members = ids
            .iter()
            .filter_map(|id| engine.endpoint(*id))
            .map(|e| e.id.clone())
            .collect();
        let egress = rules_of(rules.egress);
        let ingress = rules_of(rules.ingress);
        let policies = out.namespaces.entry(namespace.clone()).or_default();
        let name = unique_name(engine, namespace, &group_name(labels), policies);
        policies.push(PolicyPlan {
            namespace: namespace.clone(),
            name,
            selector: Some(labels.clone()),
            ingress,
            egress,
            members,
        });
    }
    Ok(out)
}

/// The peer a collected key stands for (`None` only for a rank no group has).
fn peer_of_key(keys: &[&(String, Labels)], peer: PeerKey) -> Option<Peer> {
    match peer {
        PeerKey::Group(rank) => keys.get(rank).map(|(namespace, labels)| Peer::Pods {
            namespace: namespace.clone(),
            labels: labels.clone(),
        }),
        PeerKey::Address(ip) => Some(Peer::Address(ip)),
    }
}

/// Whether `port` is DNS (53 on UDP or TCP).
fn is_dns_port((protocol, port): (Protocol, u16)) -> bool {
    port == DNS_PORT && matches!(protocol, Protocol::Udp | Protocol::Tcp)
}

/// A flow both required and forbidden.
fn contradictions(engine: &Engine<'_>, requirements: &Requirements) -> Result<(), SynthesisError> {
    let same = |a: &Requirement, b: &Requirement| {
        (a.from, a.to, a.protocol, a.port) == (b.from, b.to, b.protocol, b.port)
    };
    for denied in &requirements.deny {
        if let Some(required) = requirements.allow.iter().find(|r| same(r, denied)) {
            return Err(SynthesisError::new(format!(
                "contradictory requirements: {} -> {} on {}/{} must be allowed ({}) and denied ({})",
                engine.display(&denied.from),
                engine.display(&denied.to),
                denied.protocol.as_str(),
                denied.port,
                required.origin,
                denied.origin
            )));
        }
        if denied.from == denied.to {
            return Err(SynthesisError::new(format!(
                "{} cannot be denied: traffic of a pod to itself is always allowed ({})",
                engine.display(&denied.from),
                denied.origin
            )));
        }
    }
    Ok(())
}

/// The group of a pod that needs a policy (by rank); a pod without role labels
/// cannot be selected apart from the rest of its namespace.
fn own_rank(
    engine: &Engine<'_>,
    groups: &Groups,
    (rank, id): (usize, crate::engine::EndpointId),
    required: &Requirement,
) -> Result<usize, SynthesisError> {
    match groups.key(id) {
        Some(key) if key.1.is_empty() => Err(unlabelled(engine, key, required)),
        _ => Ok(rank),
    }
}

fn unlabelled(
    engine: &Engine<'_>,
    key: &(String, Labels),
    required: &Requirement,
) -> SynthesisError {
    SynthesisError::new(format!(
        "cannot be expressed: {} -> {} ({}) needs a pod of namespace {} without labels, which no pod selector can tell apart from the other pods of the namespace; give it labels",
        engine.display(&required.from),
        engine.display(&required.to),
        required.origin,
        key.0
    ))
}

/// A `hostNetwork` pod takes no part in pod selection (its traffic carries its
/// node's address): no rule can name it by its labels.
fn host_network(
    engine: &Engine<'_>,
    id: crate::engine::EndpointId,
    required: &Requirement,
) -> Result<(), SynthesisError> {
    match engine.endpoint(id) {
        Some(endpoint) if endpoint.host_network => Err(SynthesisError::new(format!(
            "cannot be expressed: {} ({}) runs in the host network, which pod selectors do not select",
            endpoint.id, required.origin
        ))),
        _ => Ok(()),
    }
}

/// How a rule names `end`: its group (by rank), or its address.
fn peer_key(
    engine: &Engine<'_>,
    groups: &Groups,
    end: &EndpointRef,
    required: &Requirement,
    config: &Config,
) -> Result<PeerKey, SynthesisError> {
    match end {
        EndpointRef::Endpoint(id) => {
            host_network(engine, *id, required)?;
            let (Some(key), Some(rank)) = (groups.key(*id), groups.rank(*id)) else {
                return Err(SynthesisError::new(format!(
                    "unknown endpoint in {}",
                    required.origin
                )));
            };
            if key.1.is_empty() {
                return Err(unlabelled(engine, key, required));
            }
            Ok(PeerKey::Group(rank))
        }
        EndpointRef::External(ip) => {
            if config.metadata_addresses.iter().any(|net| net.contains(ip)) {
                return Err(SynthesisError::new(format!(
                    "cannot be expressed: {} requires the cloud metadata address {ip}, which the policies never open (ipblock-allows-metadata)",
                    required.origin
                )));
            }
            Ok(PeerKey::Address(*ip))
        }
    }
}

/// The cluster DNS: the namespace of the pods labelled `k8s-app=kube-dns` in the
/// inputs, else `kube-system`.
pub(super) fn dns_peer(engine: &Engine<'_>) -> Peer {
    let (key, value) = DNS_LABEL;
    let namespace = engine
        .endpoints()
        .iter()
        .find(|e| e.labels.get(key).is_some_and(|v| v == value))
        .map_or(DNS_NAMESPACE, |e| e.namespace);
    Peer::Pods {
        namespace: namespace.into(),
        labels: [(String::from(key), String::from(value))]
            .into_iter()
            .collect(),
    }
}

/// `allow-<label values>` in DNS-label form.
fn group_name(labels: &Labels) -> String {
    let values: Vec<&str> = labels.iter().map(|(_, value)| value).collect();
    let mut base = String::from("allow-");
    let mut dash = false;
    for c in values.join("-").chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            base.push(c);
            dash = false;
        } else if !dash {
            base.push('-');
            dash = true;
        }
    }
    let mut base: String = base.trim_end_matches('-').chars().take(200).collect();
    if base == "allow" {
        base.push_str("-group");
    }
    base
}

/// `base`, or `base-2`, `base-3`... : the first name free in `namespace` among the
/// planned policies and the inputs' own.
fn unique_name(engine: &Engine<'_>, namespace: &str, base: &str, taken: &[PolicyPlan]) -> String {
    let used = |name: &str| {
        taken.iter().any(|p| p.name == name)
            || engine
                .model()
                .policies
                .iter()
                .any(|p| p.meta.namespace_name() == namespace && p.meta.name.value == name)
    };
    let mut name = String::from(base);
    let mut n = 2;
    while used(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}
