//! Nodes and Services, decoded leniently: only the fields netpol reads are
//! type-checked; other fields are ignored.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::context::{child, index, present, Ctx};
use super::meta::{decode_meta, NameRule};
use super::ports::decode_protocol;
use crate::doc::{Node as DocNode, Value};
use crate::model::{Labels, Node, NodeAddress, PortValue, Protocol, Service, ServicePort};
use crate::source::SourceId;
use crate::validate::cidr::parse_ip;

/// A Node: labels and the IP addresses of `status.addresses[]`.
pub(crate) fn decode_node(ctx: &mut Ctx, root: &DocNode, source: SourceId) -> Node {
    let mut meta = decode_meta(ctx, root, source, NameRule::Subdomain, false);
    meta.namespace = None;
    let mut addresses: Vec<NodeAddress> = Vec::new();
    let status = ctx.map(root.get("status"), "status");
    let path = "status.addresses";
    if let Some(items) = ctx.seq(status.and_then(|s| s.get("addresses")), path) {
        for (i, item) in items.value.iter().enumerate() {
            let item_path = index(path, i);
            let Some(entry) = ctx.map(Some(item), &item_path) else {
                continue;
            };
            let kind = ctx.string(entry.get("type"), &child(&item_path, "type"));
            let address = ctx.string(entry.get("address"), &child(&item_path, "address"));
            let Some(ip) = address.as_ref().and_then(|a| parse_ip(&a.value)) else {
                continue;
            };
            let address = NodeAddress {
                kind: kind.map_or_else(String::new, |k| k.value),
                address: ip,
            };
            if !addresses.iter().any(|a| a.address == address.address) {
                addresses.push(address);
            }
        }
    }
    Node { meta, addresses }
}

/// A Service: selector, cluster IPs and ports.
pub(crate) fn decode_service(ctx: &mut Ctx, root: &DocNode, source: SourceId) -> Service {
    let meta = decode_meta(ctx, root, source, NameRule::Label, true);
    let spec = ctx.map(root.get("spec"), "spec");
    let field = |key: &str| spec.and_then(|s| s.get(key));
    let selector = present(field("selector")).map(|node| {
        ctx.string_map(Some(node), "spec.selector")
            .into_iter()
            .map(|(k, v)| (k.value, v.value))
            .collect::<Labels>()
    });
    let mut cluster_ips: Vec<IpAddr> = Vec::new();
    let mut add = |text: &str| {
        if let Some(ip) = parse_ip(text) {
            if !cluster_ips.contains(&ip) {
                cluster_ips.push(ip);
            }
        }
    };
    if let Some(ip) = ctx.string(field("clusterIP"), "spec.clusterIP") {
        add(&ip.value);
    }
    if let Some(items) = ctx.seq(field("clusterIPs"), "spec.clusterIPs") {
        for (i, item) in items.value.iter().enumerate() {
            if let Some(ip) = ctx.string(Some(item), &index("spec.clusterIPs", i)) {
                add(&ip.value);
            }
        }
    }
    let mut ports = Vec::new();
    if let Some(items) = ctx.seq(field("ports"), "spec.ports") {
        for (i, item) in items.value.iter().enumerate() {
            if let Some(port) = decode_service_port(ctx, item, &index("spec.ports", i)) {
                ports.push(port);
            }
        }
    }
    Service {
        meta,
        selector,
        cluster_ips,
        ports,
    }
}

/// One `spec.ports[]` entry; `None` when it has no usable `port`.
fn decode_service_port(ctx: &mut Ctx, node: &DocNode, path: &str) -> Option<ServicePort> {
    let map = ctx.map(Some(node), path)?;
    let name = ctx
        .string(map.get("name"), &child(path, "name"))
        .map(|n| n.value)
        .filter(|n| !n.is_empty());
    let protocol = decode_protocol(ctx, map.get("protocol"), &child(path, "protocol"))
        .flatten()
        .map_or(Protocol::Tcp, |p| p.value);
    let port = ctx.int32(map.get("port"), &child(path, "port"))?;
    let port = u16::try_from(port.value).ok().filter(|p| *p > 0)?;
    let target_port = match present(map.get("targetPort")).map(|n| &n.value) {
        Some(Value::Int(n)) => u16::try_from(*n)
            .ok()
            .filter(|p| *p > 0)
            .map_or(PortValue::Number(port), PortValue::Number),
        Some(Value::String(s)) if !s.is_empty() => PortValue::Name(s.clone()),
        _ => PortValue::Number(port),
    };
    Some(ServicePort {
        name,
        protocol,
        port,
        target_port,
    })
}
