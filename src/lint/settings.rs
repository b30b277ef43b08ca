//! The lint settings the rules read: per-rule levels, cluster ranges, metadata
//! addresses, system namespaces, the port-range threshold, the data plane and the
//! failure threshold. Depends on nothing else in `lint`: reading a configuration
//! file and checking rule ids against the catalogue live in `config`.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::str::FromStr;

use ipnet::IpNet;

use crate::diag::Severity;
use crate::model::Cni;
use crate::sorted::SortedMap;

/// Default cloud metadata addresses (AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba).
const DEFAULT_METADATA: [&str; 3] = [
    "169.254.169.254/32",
    "fd00:ec2::254/128",
    "100.100.100.200/32",
];

/// A rule's configured level: `None` is `off`.
pub type Level = Option<Severity>;

/// How a lint run is configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub(super) levels: SortedMap<&'static str, Level>,
    /// The cluster's pod ranges (`podCIDRs`).
    pub pod_cidrs: Vec<IpNet>,
    /// The cluster's service ranges (`serviceCIDRs`).
    pub service_cidrs: Vec<IpNet>,
    /// Cloud metadata addresses an allowing ipBlock must not reach.
    pub metadata_addresses: Vec<IpNet>,
    /// Namespaces of the control plane (`kube-system` by default).
    pub system_namespaces: Vec<String>,
    /// Widest port range (`endPort - port + 1`) accepted without a finding.
    pub port_range_threshold: u32,
    /// The cluster's data plane (`cni`): which plugin's documented behaviour the
    /// rules assume where implementations differ.
    pub cni: Cni,
    pub(super) fail_on: Option<Severity>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            levels: SortedMap::default(),
            pod_cidrs: Vec::new(),
            service_cidrs: Vec::new(),
            metadata_addresses: DEFAULT_METADATA
                .iter()
                .filter_map(|s| IpNet::from_str(s).ok())
                .collect(),
            system_namespaces: vec![String::from("kube-system")],
            port_range_threshold: 1024,
            cni: Cni::Generic,
            fail_on: Some(Severity::Error),
        }
    }
}

impl Config {
    /// Whether the configuration sets a level for `rule`.
    pub fn is_configured(&self, rule: &str) -> bool {
        self.levels.contains_key(rule)
    }

    /// The failure threshold: findings at or above it fail the run (`None`: never).
    pub fn fail_on(&self) -> Option<Severity> {
        self.fail_on
    }

    /// Sets the failure threshold (`None`: never fail on findings).
    pub fn set_fail_on_level(&mut self, level: Option<Severity>) {
        self.fail_on = level;
    }

    /// Every address an ipBlock may cover only on purpose: the configured pod and
    /// service ranges.
    pub fn cluster_cidrs(&self) -> impl Iterator<Item = &IpNet> {
        self.pod_cidrs.iter().chain(self.service_cidrs.iter())
    }

    /// Whether `namespace` is a configured system namespace.
    pub fn is_system_namespace(&self, namespace: &str) -> bool {
        self.system_namespaces.iter().any(|n| n == namespace)
    }
}
