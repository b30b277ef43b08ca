//! The data plane the naive evaluator assumes, written again from the table of
//! `docs/cni.md` (not from `netpol::model::Cni`'s methods): what a profile changes in
//! a NetworkPolicy verdict.

use netpol::model::Cni;

/// The behaviour of one data plane where plugins differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plane {
    /// The profile, for the engine under test.
    pub cni: Cni,
    /// Whether an ipBlock matches a pod's address (Cilium: no; unknown elsewhere,
    /// where the API's answer, yes, is kept).
    pub blocks_match_pods: bool,
    /// Whether SCTP port entries allow SCTP (Cilium without `sctp.enabled`: no).
    pub sctp_entries: bool,
    /// Whether AdminNetworkPolicy and BaselineAdminNetworkPolicy are enforced.
    pub v1alpha1_tiers: bool,
    /// Whether ClusterNetworkPolicy is enforced.
    pub v1alpha2_tiers: bool,
}

impl Plane {
    /// What the APIs define.
    pub const GENERIC: Plane = Plane {
        cni: Cni::Generic,
        blocks_match_pods: true,
        sctp_entries: true,
        v1alpha1_tiers: true,
        v1alpha2_tiers: true,
    };

    /// The plane of the profile `name` as configured.
    pub fn named(name: &str) -> Plane {
        let cni = Cni::parse(name).expect("a profile name");
        let cilium = name == "cilium";
        Plane {
            cni,
            blocks_match_pods: !cilium,
            sctp_entries: !cilium,
            v1alpha1_tiers: !cilium,
            v1alpha2_tiers: matches!(name, "generic" | "calico"),
        }
    }

    /// Whether the plane enforces the cluster-wide policy `object` (any other object:
    /// yes).
    pub fn enforces(&self, object: &serde_json::Value) -> bool {
        match object["kind"].as_str() {
            Some("ClusterNetworkPolicy") => self.v1alpha2_tiers,
            Some("AdminNetworkPolicy" | "BaselineAdminNetworkPolicy") => self.v1alpha1_tiers,
            _ => true,
        }
    }

    /// Whether the plane's NetworkPolicy verdicts are the APIs' own.
    pub fn policies_as_defined(&self) -> bool {
        self.blocks_match_pods && self.sctp_entries
    }

    /// Every profile's name.
    pub const NAMES: [&'static str; 5] =
        ["generic", "calico", "cilium", "antrea", "ovn-kubernetes"];
}
