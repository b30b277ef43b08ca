//! Namespaces, Pods and workloads, decoded leniently: only the fields netpol reads
//! are type-checked; other fields are ignored.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::context::{child, index, present, Ctx};
use super::meta::{decode_labels, decode_meta, NameRule};
use super::ports::decode_protocol;
use crate::doc::{Node, Value};
use crate::model::{
    ContainerPort, Controller, Labels, Namespace, Pod, Protocol, Workload, WorkloadKind,
};
use crate::source::SourceId;
use crate::validate::cidr::parse_ip;
use crate::validate::{message, names};

/// A Namespace: its labels.
pub(crate) fn decode_namespace(ctx: &mut Ctx, root: &Node, source: SourceId) -> Namespace {
    Namespace {
        meta: decode_meta(ctx, root, source, NameRule::Label, false),
    }
}

/// What a pod spec says that netpol uses.
struct PodSpec {
    ports: Vec<ContainerPort>,
    host_network: bool,
}

/// A Pod: labels, container ports, IPs, hostNetwork.
pub(crate) fn decode_pod(ctx: &mut Ctx, root: &Node, source: SourceId) -> Pod {
    let meta = decode_meta(ctx, root, source, NameRule::Subdomain, true);
    let spec = decode_pod_spec(ctx, root.get("spec"), "spec");
    Pod {
        meta,
        ports: spec.ports,
        ips: decode_pod_ips(ctx, root.get("status")),
        host_network: spec.host_network,
        controller: decode_controller(root),
        representative: false,
    }
}

/// The `metadata.ownerReferences[]` entry with `controller: true`, read leniently
/// (the server sets owner references; a malformed one is not the pod's problem).
fn decode_controller(root: &Node) -> Option<Controller> {
    let owners = root.get("metadata")?.get("ownerReferences")?;
    let Value::Seq(items) = &owners.value else {
        return None;
    };
    items.iter().find_map(|owner| {
        let is_controller = matches!(
            owner.get("controller").map(|c| &c.value),
            Some(Value::Bool(true))
        );
        let kind = owner.get("kind")?.as_str()?;
        let name = owner.get("name")?.as_str()?;
        (is_controller && !kind.is_empty() && !name.is_empty()).then(|| Controller {
            kind: kind.into(),
            name: name.into(),
        })
    })
}

/// A workload of `kind`: the pod template at `spec.template`
/// (`spec.jobTemplate.spec.template` for a CronJob).
pub(crate) fn decode_workload(
    ctx: &mut Ctx,
    root: &Node,
    source: SourceId,
    kind: WorkloadKind,
) -> Workload {
    let meta = decode_meta(ctx, root, source, NameRule::Subdomain, true);
    let (template_path, template) = template_of(ctx, root, kind);
    let template_span = template.map_or(root.span, |t| t.span);
    let field = |key: &str| template.and_then(|t| t.get(key));
    let metadata_path = child(&template_path, "metadata");
    let metadata = ctx.map(field("metadata"), &metadata_path);
    let template_labels: Labels = decode_labels(
        ctx,
        metadata.and_then(|m| m.get("labels")),
        &child(&metadata_path, "labels"),
    );
    let spec = decode_pod_spec(ctx, field("spec"), &child(&template_path, "spec"));
    Workload {
        meta,
        kind,
        template_labels,
        ports: spec.ports,
        host_network: spec.host_network,
        template_span,
    }
}

/// The pod template of a workload and its path.
fn template_of<'n>(
    ctx: &mut Ctx,
    root: &'n Node,
    kind: WorkloadKind,
) -> (String, Option<&'n Node>) {
    let spec = ctx.map(root.get("spec"), "spec");
    if kind == WorkloadKind::CronJob {
        let job = ctx.map(spec.and_then(|s| s.get("jobTemplate")), "spec.jobTemplate");
        let job_spec = ctx.map(job.and_then(|j| j.get("spec")), "spec.jobTemplate.spec");
        let path = String::from("spec.jobTemplate.spec.template");
        let template = ctx.map(job_spec.and_then(|s| s.get("template")), &path);
        return (path, template);
    }
    let template = ctx.map(spec.and_then(|s| s.get("template")), "spec.template");
    (String::from("spec.template"), template)
}

/// `spec.containers[].ports[]` and `spec.hostNetwork` of a pod spec at `path`.
fn decode_pod_spec(ctx: &mut Ctx, node: Option<&Node>, path: &str) -> PodSpec {
    let spec = ctx.map(node, path);
    let field = |key: &str| spec.and_then(|s| s.get(key));
    let host_network = ctx
        .boolean(field("hostNetwork"), &child(path, "hostNetwork"))
        .unwrap_or(false);
    let containers_path = child(path, "containers");
    let mut ports = Vec::new();
    if let Some(containers) = ctx.seq(field("containers"), &containers_path) {
        for (i, container) in containers.value.iter().enumerate() {
            let container_path = index(&containers_path, i);
            let Some(container) = ctx.map(Some(container), &container_path) else {
                continue;
            };
            let ports_path = child(&container_path, "ports");
            if let Some(items) = ctx.seq(container.get("ports"), &ports_path) {
                for (k, item) in items.value.iter().enumerate() {
                    if let Some(port) = decode_container_port(ctx, item, &index(&ports_path, k)) {
                        ports.push(port);
                    }
                }
            }
        }
    }
    PodSpec {
        ports,
        host_network,
    }
}

/// One container port, checked as the server checks it (`validateContainerPorts`).
fn decode_container_port(ctx: &mut Ctx, node: &Node, path: &str) -> Option<ContainerPort> {
    let map = ctx.map(Some(node), path)?;
    let port_path = child(path, "containerPort");
    let name_path = child(path, "name");
    let raw = present(map.get("containerPort"));
    let number = raw.map(|n| ctx.int32(Some(n), &port_path));
    let port = match number {
        Some(None) => None,
        Some(Some(n)) if n.value != 0 => {
            for msg in names::port_number(n.value) {
                let text = message::invalid_num(&port_path, n.value, &msg);
                ctx.error("invalid-port", &port_path, n.span, text);
            }
            u16::try_from(n.value).ok().filter(|&p| p > 0)
        }
        _ => {
            let span = raw.map_or(map.span, |n| n.span);
            ctx.error(
                "invalid-port",
                &port_path,
                span,
                message::required(&port_path, ""),
            );
            None
        }
    };
    let name = ctx
        .string(map.get("name"), &name_path)
        .filter(|n| !n.value.is_empty());
    let mut name_ok = true;
    if let Some(name) = &name {
        let errs = names::port_name(&name.value);
        name_ok = errs.is_empty();
        ctx.invalid_strs("invalid-port", &name_path, name, errs);
    }
    let protocol = decode_protocol(ctx, map.get("protocol"), &child(path, "protocol"));
    if !name_ok {
        return None;
    }
    Some(ContainerPort {
        name: name.map(|n| n.value),
        port: port?,
        protocol: protocol?.map_or(Protocol::Tcp, |p| p.value),
    })
}

/// `status.podIP` and `status.podIPs[].ip`, without repeats; addresses that do not
/// parse are left out (the server does not validate status on create).
fn decode_pod_ips(ctx: &mut Ctx, status: Option<&Node>) -> Vec<IpAddr> {
    let mut ips: Vec<IpAddr> = Vec::new();
    let status = ctx.map(status, "status");
    let mut add = |text: Option<String>| {
        if let Some(ip) = text.as_deref().and_then(parse_ip) {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    };
    add(ctx
        .string(status.and_then(|s| s.get("podIP")), "status.podIP")
        .map(|s| s.value));
    if let Some(items) = ctx.seq(status.and_then(|s| s.get("podIPs")), "status.podIPs") {
        for (i, item) in items.value.iter().enumerate() {
            let path = index("status.podIPs", i);
            let Some(entry) = ctx.map(Some(item), &path) else {
                continue;
            };
            add(ctx
                .string(entry.get("ip"), &child(&path, "ip"))
                .map(|s| s.value));
        }
    }
    ips
}
