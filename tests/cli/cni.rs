//! `--cni NAME`: the data-plane profile on the command line, over the configuration.

use super::{assert_usage_error, json};
use crate::memfs::MemFs;

/// A Baseline ClusterNetworkPolicy that denies all ingress.
const CLUSTER_WIDE: &str = include_str!("../data/cni/cluster-deny.yaml");

/// The rule ids of a `lint --format json` run.
fn rules(fs: &MemFs, args: &[&str]) -> Vec<String> {
    let out = fs.run(args);
    assert_eq!(out.code, 0, "{out:?}");
    json(&out)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["ruleId"].as_str().expect("a rule id").to_string())
        .collect()
}

#[test]
fn the_flag_chooses_the_profile_and_overrides_the_configuration() {
    let fs = MemFs::new().file("cnp.yaml", CLUSTER_WIDE);
    let generic = rules(&fs, &["lint", "--format", "json", "cnp.yaml"]);
    assert!(
        !generic.iter().any(|r| r == "cni-portability"),
        "{generic:?}"
    );
    let cilium = rules(
        &fs,
        &["lint", "--format", "json", "--cni", "cilium", "cnp.yaml"],
    );
    assert_eq!(cilium, ["cni-portability"]);
    let configured = MemFs::new()
        .file("cnp.yaml", CLUSTER_WIDE)
        .file(".netpol.yaml", "cni: antrea\n");
    let from_file = rules(&configured, &["lint", "--format", "json", "cnp.yaml"]);
    assert_eq!(from_file, ["cni-portability"]);
    let overridden = rules(
        &configured,
        &["lint", "--format", "json", "--cni", "calico", "cnp.yaml"],
    );
    assert!(overridden.is_empty(), "{overridden:?}");
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let fs = MemFs::new().file("cnp.yaml", CLUSTER_WIDE);
    let out = fs.run(&["lint", "--cni", "flannel", "cnp.yaml"]);
    assert_usage_error(&out, "invalid --cni 'flannel'");
    let help = fs.run(&["lint", "--help"]);
    assert!(help.stdout.contains("--cni NAME"), "{}", help.stdout);
}
