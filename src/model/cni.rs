//! Data-plane profiles: what each network plugin is documented to do where the
//! policy APIs leave the choice open or implementations differ. The sources of
//! every fact are listed in `docs/cni.md`.

/// The network plugin (data plane) a cluster runs, chosen with the `cni`
/// configuration key or `--cni`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cni {
    /// No particular plugin: only what the APIs define; every difference between
    /// plugins is a portability question.
    #[default]
    Generic,
    /// Calico.
    Calico,
    /// Cilium.
    Cilium,
    /// Antrea.
    Antrea,
    /// OVN-Kubernetes.
    OvnKubernetes,
}

/// Whether a data plane enforces a feature, as its project documents it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Support {
    /// Enforced as the API describes.
    Yes,
    /// Not enforced (ignored, or not implemented at all).
    No,
    /// Not documented in a source netpol cites: a portability question.
    Unknown,
}

impl Cni {
    /// Every profile, in documentation order.
    pub const ALL: [Cni; 5] = [
        Cni::Generic,
        Cni::Calico,
        Cni::Cilium,
        Cni::Antrea,
        Cni::OvnKubernetes,
    ];

    /// The profile's name as configured: `generic`, `calico`, `cilium`, `antrea`,
    /// `ovn-kubernetes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cni::Generic => "generic",
            Cni::Calico => "calico",
            Cni::Cilium => "cilium",
            Cni::Antrea => "antrea",
            Cni::OvnKubernetes => "ovn-kubernetes",
        }
    }

    /// The profile named `name` (case-sensitive).
    pub fn parse(name: &str) -> Option<Cni> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Whether an `ipBlock` (or a cluster-wide `networks` peer) matches the
    /// addresses of pods, not only addresses outside the cluster.
    pub fn ip_block_matches_pods(self) -> Support {
        match self {
            Cni::Cilium => Support::No,
            _ => Support::Unknown,
        }
    }

    /// Whether `endPort` (a port range of a NetworkPolicy) is enforced.
    pub fn end_port(self) -> Support {
        match self {
            Cni::Generic => Support::Unknown,
            Cni::Calico | Cni::Cilium | Cni::Antrea | Cni::OvnKubernetes => Support::Yes,
        }
    }

    /// Whether SCTP port entries are enforced (with the plugin's default settings).
    pub fn sctp(self) -> Support {
        match self {
            Cni::Calico | Cni::OvnKubernetes => Support::Yes,
            Cni::Cilium => Support::No,
            Cni::Generic | Cni::Antrea => Support::Unknown,
        }
    }

    /// Whether AdminNetworkPolicy and BaselineAdminNetworkPolicy
    /// (`policy.networking.k8s.io/v1alpha1`) are implemented.
    pub fn admin_network_policy(self) -> Support {
        match self {
            Cni::Generic => Support::Unknown,
            Cni::Cilium => Support::No,
            Cni::Calico | Cni::Antrea | Cni::OvnKubernetes => Support::Yes,
        }
    }

    /// Whether ClusterNetworkPolicy (`policy.networking.k8s.io/v1alpha2`) is
    /// implemented.
    pub fn cluster_network_policy(self) -> Support {
        match self {
            Cni::Generic => Support::Unknown,
            Cni::Calico => Support::Yes,
            Cni::Cilium | Cni::Antrea | Cni::OvnKubernetes => Support::No,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_generic_is_the_default() {
        for cni in Cni::ALL {
            assert_eq!(Cni::parse(cni.as_str()), Some(cni));
        }
        assert_eq!(Cni::parse("Calico"), None);
        assert_eq!(Cni::parse("ovn"), None);
        assert_eq!(Cni::default(), Cni::Generic);
    }

    #[test]
    fn generic_knows_nothing_beyond_the_api() {
        let g = Cni::Generic;
        let facts = [
            g.ip_block_matches_pods(),
            g.end_port(),
            g.sctp(),
            g.admin_network_policy(),
            g.cluster_network_policy(),
        ];
        assert!(facts.iter().all(|f| *f == Support::Unknown));
    }

    #[test]
    fn documented_differences() {
        assert_eq!(Cni::Cilium.ip_block_matches_pods(), Support::No);
        assert_eq!(Cni::Cilium.sctp(), Support::No);
        assert_eq!(Cni::Cilium.admin_network_policy(), Support::No);
        assert_eq!(Cni::Calico.cluster_network_policy(), Support::Yes);
        assert_eq!(Cni::Antrea.cluster_network_policy(), Support::No);
        assert_eq!(Cni::OvnKubernetes.admin_network_policy(), Support::Yes);
    }
}
