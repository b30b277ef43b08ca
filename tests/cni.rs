//! Data-plane profiles (`cni` in the configuration, `--cni`): the configuration key,
//! and `cni-portability` following the chosen profile.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use netpol::decode;
use netpol::doc::Limits;
use netpol::lint::{self, Config};
use netpol::model::Cni;
use netpol::source::{Source, SourceId, SourceSet};

/// The configuration `text`.
fn config(text: &str) -> Config {
    Config::parse(&Source::new(".netpol.yaml", text), SourceId(0)).expect("a valid configuration")
}

/// The messages of the `cni-portability` findings of `manifests` under `config`.
fn portability(manifests: &str, config: &Config) -> Vec<String> {
    let mut sources = SourceSet::new();
    sources.add(Source::new("k8s.yaml", manifests));
    let loaded = decode::load(&sources, &Limits::default());
    lint::run(&loaded, config)
        .diagnostics
        .iter()
        .filter(|d| d.rule == "cni-portability")
        .map(|d| d.message.clone())
        .collect()
}

/// A policy using `endPort`, SCTP and an ipBlock over a configured pod range.
const FEATURES: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: media
  namespace: media
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - from:
        - ipBlock:
            cidr: 10.244.0.0/16
      ports:
        - port: 10000
          endPort: 10100
        - port: 3868
          protocol: SCTP
";

/// One cluster-wide policy of each API version.
const CLUSTER_WIDE: &str = concat!(
    include_str!("data/cni/cluster-deny.yaml"),
    "---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: admin
spec:
  priority: 1
  subject: {namespaces: {}}
  ingress:
    - action: Allow
      from: [{namespaces: {}}]
"
);

#[test]
fn the_profile_is_a_configuration_key_with_generic_as_default() {
    assert_eq!(Config::default().cni, Cni::Generic);
    assert_eq!(config("cni: ovn-kubernetes\n").cni, Cni::OvnKubernetes);
    let source = Source::new(".netpol.yaml", "cni: flannel\n");
    let errors = Config::parse(&source, SourceId(0)).expect_err("an unknown profile");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].rule, "invalid-config");
    assert!(
        errors[0].message.contains("unknown data plane `flannel`")
            && errors[0].message.contains("`ovn-kubernetes`"),
        "{}",
        errors[0].message
    );
}

#[test]
fn generic_flags_every_difference_between_plugins() {
    let found = portability(FEATURES, &config("podCIDRs: [10.244.0.0/16]\n"));
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found
        .iter()
        .any(|m| m.contains("`endPort`") && m.contains("some network plugins")));
    assert!(found.iter().any(|m| m.contains("`SCTP`")));
    assert!(found.iter().any(|m| m.contains("network plugins differ")));
    assert_eq!(
        portability(CLUSTER_WIDE, &Config::default()),
        Vec::<String>::new()
    );
}

#[test]
fn calico_enforces_ranges_and_sctp_but_ipblocks_on_pods_stay_a_question() {
    let found = portability(
        FEATURES,
        &config("cni: calico\npodCIDRs: [10.244.0.0/16]\n"),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("network plugins differ"));
    assert_eq!(
        portability(CLUSTER_WIDE, &config("cni: calico\n")),
        Vec::<String>::new()
    );
}

#[test]
fn cilium_ignores_sctp_by_default_and_ipblocks_on_pods_and_implements_no_admin_tier() {
    let found = portability(
        FEATURES,
        &config("cni: cilium\npodCIDRs: [10.244.0.0/16]\n"),
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found
        .iter()
        .any(|m| m.contains("`SCTP`") && m.contains("not enforced by `cilium`")));
    assert!(found
        .iter()
        .any(|m| m.contains("`cilium` does not match pods by ipBlock")));
    let tiers = portability(CLUSTER_WIDE, &config("cni: cilium\n"));
    assert_eq!(tiers.len(), 2, "{tiers:?}");
    assert!(tiers[0].contains("ClusterNetworkPolicy `cluster-deny` is not enforced"));
    assert!(tiers[1].contains("policy.networking.k8s.io/v1alpha1"));
}

#[test]
fn antrea_and_ovn_kubernetes_implement_the_v1alpha1_kinds_only() {
    for profile in ["antrea", "ovn-kubernetes"] {
        let found = portability(CLUSTER_WIDE, &config(&format!("cni: {profile}\n")));
        assert_eq!(found.len(), 1, "{profile}: {found:?}");
        assert!(
            found[0].contains("ClusterNetworkPolicy"),
            "{profile}: {found:?}"
        );
    }
}
