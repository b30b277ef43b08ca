//! One side of a flow through the tiers in one possible world (see
//! `naive::tiers`): the Admin tier, the NetworkPolicies, the Baseline tier, the
//! default; subjects, peers and ports read from the manifests.

use std::net::IpAddr;

use netpol::model::{Direction, Model, Protocol};
use serde_json::Value;

use super::manifest;
use super::select::{namespace_labels, selector_matches};
use super::tiers::{domain_key, TierPolicy, World};
use super::{isolated, side_allows, Endpoint, View};

/// Evaluation of one side of a flow in one world.
pub(super) struct Side<'a> {
    pub model: &'a Model,
    /// Whether the source and the destination are host-networked.
    pub host: [bool; 2],
    pub nodes: &'a [(netpol::model::Labels, Vec<IpAddr>)],
    pub world: &'a World<'a>,
    pub direction: Direction,
    pub protocol: Protocol,
    pub port: u16,
}

/// What a tier decided for a side.
enum TierAnswer {
    Accept,
    Deny,
    /// A Pass, or no rule matched.
    Next,
}

impl Side<'_> {
    /// Whether the pod whose side this is (`this`) and the other one are
    /// host-networked.
    fn this_host(&self) -> bool {
        match self.direction {
            Direction::Egress => self.host[0],
            Direction::Ingress => self.host[1],
        }
    }

    fn other_host(&self) -> bool {
        match self.direction {
            Direction::Egress => self.host[1],
            Direction::Ingress => self.host[0],
        }
    }

    pub fn allows(
        &self,
        this_endpoint: &Endpoint,
        this: &View,
        other: &View,
        other_ip: Option<IpAddr>,
    ) -> bool {
        if this.namespace.is_none() {
            return true; // an address outside the cluster has no side
        }
        match self.tier(&self.world.admin, this, other, other_ip) {
            TierAnswer::Accept => return true,
            TierAnswer::Deny => return false,
            TierAnswer::Next => {}
        }
        if isolated(self.model, this_endpoint, self.direction) {
            return side_allows(
                self.model,
                &super::plane::Plane::GENERIC,
                self.direction,
                this,
                other,
                other_ip,
                self.protocol,
                self.port,
            );
        }
        !matches!(
            self.tier(&self.world.baseline, this, other, other_ip),
            TierAnswer::Deny
        )
    }

    fn tier(
        &self,
        order: &[&TierPolicy],
        this: &View,
        other: &View,
        other_ip: Option<IpAddr>,
    ) -> TierAnswer {
        for policy in order {
            if !self.subject_selects(policy, this) {
                continue;
            }
            let field = match self.direction {
                Direction::Ingress => "ingress",
                Direction::Egress => "egress",
            };
            let rules = policy.object["spec"][field].as_array().cloned();
            for (r, rule) in rules.into_iter().flatten().enumerate() {
                let action = match rule["action"].as_str() {
                    Some("Accept" | "Allow") => TierAnswer::Accept,
                    Some("Deny") => TierAnswer::Deny,
                    Some("Pass") => TierAnswer::Next,
                    other => panic!("action {other:?}"),
                };
                let peers_field = match self.direction {
                    Direction::Ingress => "from",
                    Direction::Egress => "to",
                };
                let fail_closed = !matches!(action, TierAnswer::Accept);
                let mut peer_match = false;
                for (i, peer) in rule[peers_field]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    let key = domain_key(&policy.object, r, i);
                    if self.peer_matches(peer, other, other_ip, &key, fail_closed) {
                        peer_match = true;
                    }
                }
                let destination = match self.direction {
                    Direction::Ingress => this,
                    Direction::Egress => other,
                };
                if peer_match && self.ports_match(policy, &rule, destination) {
                    return action;
                }
            }
        }
        TierAnswer::Next
    }

    fn subject_selects(&self, policy: &TierPolicy, this: &View) -> bool {
        let (Some(ns), Some(labels)) = (&this.namespace, this.labels) else {
            return false;
        };
        if self.this_host() {
            return false;
        }
        let subject = &policy.object["spec"]["subject"];
        let ns_labels = namespace_labels(self.model, ns);
        if let Some(sel) = subject.get("namespaces") {
            return selector_matches(&manifest::selector(sel), &ns_labels);
        }
        if let Some(pods) = subject.get("pods") {
            return selector_matches(&manifest::selector(&pods["namespaceSelector"]), &ns_labels)
                && selector_matches(&manifest::selector(&pods["podSelector"]), labels);
        }
        false
    }

    fn peer_matches(
        &self,
        peer: &Value,
        other: &View,
        other_ip: Option<IpAddr>,
        key: &str,
        fail_closed: bool,
    ) -> bool {
        let pod = match (&other.namespace, other.labels) {
            (Some(ns), Some(labels)) if !self.other_host() => {
                Some((namespace_labels(self.model, ns), labels))
            }
            _ => None,
        };
        let mut known = false;
        let mut matched = false;
        if let Some(sel) = peer.get("namespaces") {
            known = true;
            if let Some((ns_labels, _)) = &pod {
                matched |= selector_matches(&manifest::selector(sel), ns_labels);
            }
        }
        if let Some(pods) = peer.get("pods") {
            known = true;
            if let Some((ns_labels, labels)) = &pod {
                matched |=
                    selector_matches(&manifest::selector(&pods["namespaceSelector"]), ns_labels)
                        && selector_matches(&manifest::selector(&pods["podSelector"]), labels);
            }
        }
        if let Some(networks) = peer.get("networks").and_then(Value::as_array) {
            known = true;
            if let Some(ip) = other_ip {
                for cidr in networks {
                    let net = cidr.as_str().expect("cidr").parse().expect("valid cidr");
                    matched |= super::cidr::contains(&net, &ip);
                }
            }
        }
        if let Some(sel) = peer.get("nodes") {
            known = true;
            if let Some(ip) = other_ip {
                let selector = manifest::selector(sel);
                for (labels, addresses) in self.nodes {
                    matched |= selector_matches(&selector, labels) && addresses.contains(&ip);
                }
            }
        }
        if peer.get("domainNames").is_some() {
            known = true;
            if other.namespace.is_none() && other_ip.is_some() {
                matched |= (self.world.dns)(key);
            }
        }
        if !known {
            return fail_closed;
        }
        matched
    }

    fn ports_match(&self, policy: &TierPolicy, rule: &Value, destination: &View) -> bool {
        let field = if policy.v1alpha1 {
            "ports"
        } else {
            "protocols"
        };
        let Some(entries) = rule.get(field).and_then(Value::as_array) else {
            return true;
        };
        let mut any = false;
        for entry in entries {
            any |= if policy.v1alpha1 {
                self.v1alpha1_port_matches(entry, destination)
            } else {
                self.protocol_matches(entry, destination)
            };
        }
        any
    }

    fn protocol_matches(&self, entry: &Value, destination: &View) -> bool {
        if let Some(name) = entry.get("destinationNamedPort").and_then(Value::as_str) {
            return self.named_port_matches(name, destination);
        }
        for (field, protocol) in [
            ("tcp", Protocol::Tcp),
            ("udp", Protocol::Udp),
            ("sctp", Protocol::Sctp),
        ] {
            let Some(body) = entry.get(field) else {
                continue;
            };
            if protocol != self.protocol {
                return false;
            }
            let Some(port) = body.get("destinationPort") else {
                return true;
            };
            if let Some(n) = port.get("number").and_then(Value::as_u64) {
                return n == u64::from(self.port);
            }
            if let Some(range) = port.get("range") {
                let start = range["start"].as_u64().expect("start");
                let end = range["end"].as_u64().expect("end");
                return start <= u64::from(self.port) && u64::from(self.port) <= end;
            }
            panic!("destinationPort without number or range");
        }
        panic!("protocol entry without a protocol: {entry}");
    }

    fn v1alpha1_port_matches(&self, entry: &Value, destination: &View) -> bool {
        let protocol_of = |v: &Value| match v["protocol"].as_str() {
            None | Some("TCP") => Protocol::Tcp,
            Some("UDP") => Protocol::Udp,
            Some("SCTP") => Protocol::Sctp,
            Some(other) => panic!("protocol {other}"),
        };
        if let Some(number) = entry.get("portNumber") {
            return protocol_of(number) == self.protocol
                && number["port"].as_u64() == Some(u64::from(self.port));
        }
        if let Some(range) = entry.get("portRange") {
            let start = range["start"].as_u64().expect("start");
            let end = range["end"].as_u64().expect("end");
            return protocol_of(range) == self.protocol
                && start <= u64::from(self.port)
                && u64::from(self.port) <= end;
        }
        if let Some(name) = entry.get("namedPort").and_then(Value::as_str) {
            return self.named_port_matches(name, destination);
        }
        panic!("port entry without a known field: {entry}");
    }

    /// A named port is looked up on the destination pod, and carries that container
    /// port's protocol.
    fn named_port_matches(&self, name: &str, destination: &View) -> bool {
        if destination.namespace.is_none() {
            return false;
        }
        destination.ports.iter().any(|cp| {
            cp.name.as_deref() == Some(name) && cp.protocol == self.protocol && cp.port == self.port
        })
    }
}
