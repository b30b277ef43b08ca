//! The engine compared with the naive evaluator on one model: every verdict, allowed
//! port set and matrix cell, and the external address classes. Shared by the
//! differential property tests and the engine fuzz target.

use std::net::IpAddr;

use netpol::engine::{EndpointKind, EndpointRef, Engine, Flow, Matrix, ProtocolPorts};
use netpol::model::{Model, Peer, Protocol};

use super::cidr;
use super::matrix::{allowed_ports_on, candidate_ports};
use super::plane::Plane;

/// Addresses outside the cluster used as endpoints (no generated pod has them).
pub const EXTERNALS: [&str; 6] = [
    "10.0.0.77",
    "10.0.1.200",
    "192.168.1.1",
    "8.8.8.8",
    "fd00::77",
    "2001:db8::5",
];

/// An engine endpoint with its naive counterpart.
pub type Paired = (EndpointRef, super::Endpoint);

/// Every endpoint of the engine with its naive counterpart, then the externals.
pub fn endpoints(engine: &Engine) -> Vec<Paired> {
    let mut out = Vec::new();
    for (i, e) in engine.endpoints().iter().enumerate() {
        let id = netpol::engine::EndpointId::from_index(i);
        let n = match e.kind {
            EndpointKind::Pod(p) => super::Endpoint::Pod(p),
            EndpointKind::Workload(w) => super::Endpoint::Workload(w),
        };
        out.push((EndpointRef::Endpoint(id), n));
    }
    for text in EXTERNALS {
        let ip: IpAddr = text.parse().expect("address");
        out.push((EndpointRef::External(ip), super::Endpoint::External(ip)));
    }
    out
}

/// Every ordered pair of `endpoints` except external to external, which is no flow
/// through the cluster.
pub fn flow_pairs(endpoints: &[Paired]) -> impl Iterator<Item = (&Paired, &Paired)> {
    endpoints
        .iter()
        .flat_map(move |from| endpoints.iter().map(move |to| (from, to)))
        .filter(|((from, _), (to, _))| {
            !matches!(
                (from, to),
                (EndpointRef::External(_), EndpointRef::External(_))
            )
        })
}

fn name(engine: &Engine, e: &EndpointRef) -> String {
    engine.display(e)
}

/// All disagreements between the engine and the naive evaluator on `model`.
pub fn disagreements(model: &Model) -> Vec<String> {
    disagreements_on(model, &Plane::GENERIC)
}

/// [`disagreements`] with both following the data plane `plane`.
pub fn disagreements_on(model: &Model, plane: &Plane) -> Vec<String> {
    let engine = Engine::with_cni(model, plane.cni);
    let candidates = candidate_ports(model);
    let pairs = endpoints(&engine);
    let mut out = Vec::new();
    let expected: Vec<super::Endpoint> = (0..model.pods.len())
        .map(super::Endpoint::Pod)
        .chain(
            (0..model.workloads.len())
                .filter(|&w| super::workload_is_endpoint(model, w))
                .map(super::Endpoint::Workload),
        )
        .collect();
    let mut listed: Vec<super::Endpoint> = pairs
        .iter()
        .map(|(_, n)| *n)
        .filter(|n| !matches!(n, super::Endpoint::External(_)))
        .collect();
    listed.sort();
    if listed != expected {
        out.push(format!(
            "engine endpoints {listed:?}, expected {expected:?}"
        ));
    }
    for (i, pod) in model.pods.iter().enumerate() {
        // An address several pods share (hostNetwork) names none of them alone.
        let unique = |ip: &&IpAddr| model.pods.iter().filter(|p| p.ips.contains(ip)).count() == 1;
        for ip in pod.ips.iter().filter(unique) {
            let resolved = engine.resolve(&ip.to_string());
            let is_pod = matches!(resolved, Ok(EndpointRef::Endpoint(id))
                if engine.endpoints()[id.index()].kind == EndpointKind::Pod(i));
            if !is_pod {
                out.push(format!("resolve({ip}) gave {resolved:?}, not pod {i}"));
            }
        }
    }
    for text in EXTERNALS {
        let ip: IpAddr = text.parse().expect("address");
        if engine.resolve(text) != Ok(EndpointRef::External(ip)) {
            out.push(format!("resolve({text}) is not external"));
        }
    }
    for ((from, naive_from), (to, naive_to)) in flow_pairs(&pairs) {
        let pair = format!("{} -> {}", name(&engine, from), name(&engine, to));
        let ports = engine.allowed_ports(from, to);
        for protocol in Protocol::ALL {
            let want = allowed_ports_on(model, plane, &candidates, naive_from, naive_to, protocol);
            let got = ports.get(protocol).ranges().to_vec();
            if got != want {
                out.push(format!(
                    "{pair} {}: allowed_ports {got:?}, naive {want:?}",
                    protocol.as_str()
                ));
            }
            for &port in [1u16, 53, 80, 81, 443, 8080, 9090, 65535].iter() {
                let n = super::verdict_on(model, plane, naive_from, naive_to, protocol, port);
                let a = engine.allows(from, to, protocol, port);
                let q = engine.query(&Flow::new(*from, *to, protocol, port)).allowed;
                if a != n || q != n {
                    out.push(format!(
                        "{pair} {}/{port}: allows {a}, query {q}, naive {n}",
                        protocol.as_str()
                    ));
                }
            }
        }
    }
    out
}

pub fn ranges(ports: &ProtocolPorts, protocol: Protocol) -> Vec<(u16, u16)> {
    ports.get(protocol).ranges().to_vec()
}

/// Every address where an ipBlock `cidr` or `except` starts or ends, with its
/// neighbours: where a verdict on an external address can change.
fn boundary_addresses(model: &Model) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for policy in &model.policies {
        for rules in policy.ingress.iter().chain(policy.egress.iter()) {
            for rule in &rules.value {
                for peer in rule.peers.iter().flat_map(|p| p.value.iter()) {
                    let Peer::IpBlock(block) = peer else { continue };
                    for net in std::iter::once(&block.cidr).chain(block.except.iter()) {
                        let (first, last) = cidr::bounds(&net.value);
                        for edge in [first, last] {
                            let (v4, bits) = cidr::to_bits(&edge);
                            let max = if v4 { u128::from(u32::MAX) } else { u128::MAX };
                            for b in [bits.checked_sub(1), Some(bits), bits.checked_add(1)]
                                .into_iter()
                                .flatten()
                            {
                                if b <= max {
                                    out.push(cidr::from_bits(v4, b));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    for text in [
        "0.0.0.0",
        "255.255.255.255",
        "::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ] {
        out.push(text.parse().expect("address"));
    }
    out.sort();
    out.dedup();
    out
}

/// The external class of `matrix` holding `addr`, if any.
fn class_of(matrix: &Matrix, addr: &IpAddr) -> Vec<usize> {
    (0..matrix.endpoints().len())
        .filter(|&i| {
            matrix.is_external(i)
                && matrix.endpoints()[i]
                    .cidrs
                    .iter()
                    .any(|n| cidr::contains(n, addr))
        })
        .collect()
}

/// All disagreements between the engine's matrix and the naive evaluator.
pub fn matrix_disagreements(model: &Model) -> Vec<String> {
    matrix_disagreements_on(model, &Plane::GENERIC)
}

/// [`matrix_disagreements`] with both following the data plane `plane`.
pub fn matrix_disagreements_on(model: &Model, plane: &Plane) -> Vec<String> {
    let engine = Engine::with_cni(model, plane.cni);
    let matrix = engine.matrix();
    let candidates = candidate_ports(model);
    let mut out = Vec::new();
    let ends = matrix.endpoints();
    let cluster: Vec<(usize, super::Endpoint)> = (0..ends.len())
        .filter_map(|i| {
            let id = ends[i].endpoint?;
            Some((
                i,
                match engine.endpoints()[id.index()].kind {
                    EndpointKind::Pod(p) => super::Endpoint::Pod(p),
                    EndpointKind::Workload(w) => super::Endpoint::Workload(w),
                },
            ))
        })
        .collect();
    if cluster.len() != engine.endpoints().len() {
        out.push(format!(
            "matrix lists {} cluster endpoints, engine has {}",
            cluster.len(),
            engine.endpoints().len()
        ));
    }
    for (i, from) in &cluster {
        for (j, to) in &cluster {
            for protocol in Protocol::ALL {
                let want = allowed_ports_on(model, plane, &candidates, from, to, protocol);
                let got = ranges(matrix.allowed(*i, *j), protocol);
                if got != want {
                    out.push(format!(
                        "matrix {} -> {} {}: {got:?}, naive {want:?}",
                        ends[*i].id,
                        ends[*j].id,
                        protocol.as_str()
                    ));
                }
            }
        }
    }
    let pod_ips: Vec<IpAddr> = model
        .pods
        .iter()
        .flat_map(|p| p.ips.iter().copied())
        .collect();
    for addr in boundary_addresses(model) {
        let classes = class_of(&matrix, &addr);
        let is_pod = pod_ips.contains(&addr);
        if classes.len() != usize::from(!is_pod) {
            out.push(format!(
                "address {addr} (pod IP: {is_pod}) is in {} external classes",
                classes.len()
            ));
            continue;
        }
        let Some(&class) = classes.first() else {
            continue;
        };
        let external = super::Endpoint::External(addr);
        for (i, endpoint) in &cluster {
            for protocol in Protocol::ALL {
                let out_want =
                    allowed_ports_on(model, plane, &candidates, endpoint, &external, protocol);
                let out_got = ranges(matrix.allowed(*i, class), protocol);
                if out_got != out_want {
                    out.push(format!(
                        "matrix {} -> {addr} (class {}) {}: {out_got:?}, naive {out_want:?}",
                        ends[*i].id,
                        ends[class].id,
                        protocol.as_str()
                    ));
                }
                let in_want =
                    allowed_ports_on(model, plane, &candidates, &external, endpoint, protocol);
                let in_got = ranges(matrix.allowed(class, *i), protocol);
                if in_got != in_want {
                    out.push(format!(
                        "matrix {addr} (class {}) -> {} {}: {in_got:?}, naive {in_want:?}",
                        ends[class].id,
                        ends[*i].id,
                        protocol.as_str()
                    ));
                }
            }
        }
    }
    out.extend(coverage_problems(&matrix, &pod_ips));
    out
}

/// Whether the external classes and the pod IPs cover each family exactly once.
fn coverage_problems(matrix: &Matrix, pod_ips: &[IpAddr]) -> Vec<String> {
    let mut out = Vec::new();
    for v4 in [true, false] {
        let mut intervals: Vec<(u128, u128)> = Vec::new();
        for (i, e) in matrix.endpoints().iter().enumerate() {
            if !matrix.is_external(i) {
                continue;
            }
            for net in &e.cidrs {
                let (first, last) = cidr::bounds(net);
                if cidr::to_bits(&first).0 == v4 {
                    intervals.push((cidr::to_bits(&first).1, cidr::to_bits(&last).1));
                }
            }
        }
        let mut ips: Vec<u128> = pod_ips
            .iter()
            .map(cidr::to_bits)
            .filter(|(f, _)| *f == v4)
            .map(|(_, b)| b)
            .collect();
        ips.sort();
        ips.dedup();
        intervals.extend(ips.iter().map(|b| (*b, *b)));
        intervals.sort();
        let max = if v4 { u128::from(u32::MAX) } else { u128::MAX };
        let mut next: Option<u128> = Some(0);
        for (first, last) in &intervals {
            if next != Some(*first) {
                out.push(format!(
                    "IPv{} classes: expected the next range at {next:?}, found {first}..={last}",
                    if v4 { 4 } else { 6 }
                ));
                break;
            }
            next = last.checked_add(1);
        }
        if intervals.last().map(|i| i.1) != Some(max) {
            out.push(format!(
                "IPv{} classes end before the last address",
                if v4 { 4 } else { 6 }
            ));
        }
    }
    out
}
