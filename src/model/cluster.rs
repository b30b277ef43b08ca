//! The cluster side: Namespaces, Pods and workloads (pod templates).

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::{Labels, ObjectMeta, Protocol};
use crate::source::Span;

/// A Namespace declared in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Namespace {
    /// Identity; `meta.labels` as written (the engine adds
    /// `kubernetes.io/metadata.name`).
    pub meta: ObjectMeta,
}

/// One container port of a pod or pod template.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContainerPort {
    /// `name`, if any.
    pub name: Option<String>,
    /// `containerPort`.
    pub port: u16,
    /// `protocol` after defaulting to TCP.
    pub protocol: Protocol,
}

/// A Pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pod {
    /// Identity and labels.
    pub meta: ObjectMeta,
    /// Ports of all containers (`spec.containers[].ports[]`).
    pub ports: Vec<ContainerPort>,
    /// `status.podIP` and `status.podIPs[].ip`, without repeats.
    pub ips: Vec<IpAddr>,
    /// `spec.hostNetwork`.
    pub host_network: bool,
    /// The `metadata.ownerReferences[]` entry with `controller: true`, if any.
    pub controller: Option<Controller>,
    /// Whether the engine derived this pod from selectors (a representative endpoint,
    /// see [`crate::engine::representatives`]) rather than reading it from the input.
    pub representative: bool,
}

/// The object that manages a pod: its `ownerReferences[]` entry with
/// `controller: true`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Controller {
    /// `kind` as written (`ReplicaSet`, `DaemonSet`...).
    pub kind: String,
    /// `name`.
    pub name: String,
}

/// The kinds of workload whose pod template stands for pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkloadKind {
    /// apps/v1 Deployment.
    Deployment,
    /// apps/v1 StatefulSet.
    StatefulSet,
    /// apps/v1 DaemonSet.
    DaemonSet,
    /// apps/v1 ReplicaSet.
    ReplicaSet,
    /// v1 ReplicationController.
    ReplicationController,
    /// batch/v1 Job.
    Job,
    /// batch/v1 CronJob (`spec.jobTemplate.spec.template`).
    CronJob,
}

impl WorkloadKind {
    /// Every workload kind.
    pub const ALL: [WorkloadKind; 7] = [
        WorkloadKind::Deployment,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
        WorkloadKind::ReplicaSet,
        WorkloadKind::ReplicationController,
        WorkloadKind::Job,
        WorkloadKind::CronJob,
    ];

    /// The kind as written (`Deployment`).
    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::ReplicationController => "ReplicationController",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
        }
    }

    /// Parses a kind as written, or in any case (`deployment` for endpoint ids).
    pub fn parse(s: &str) -> Option<WorkloadKind> {
        WorkloadKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }
}

/// A workload: its pod template stands for the pods it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// Identity of the workload object itself.
    pub meta: ObjectMeta,
    /// Which kind.
    pub kind: WorkloadKind,
    /// The pod template's labels.
    pub template_labels: Labels,
    /// The pod template's container ports.
    pub ports: Vec<ContainerPort>,
    /// The pod template's `hostNetwork`.
    pub host_network: bool,
    /// The pod template's bytes.
    pub template_span: Span,
}
