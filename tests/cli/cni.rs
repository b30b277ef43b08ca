//! `--cni NAME`: the data-plane profile on the command line, over the configuration.

use super::{assert_usage_error, json};
use crate::memfs::MemFs;

/// A Baseline ClusterNetworkPolicy that denies all ingress.
const CLUSTER_WIDE: &str = include_str!("../data/cni/cluster-deny.yaml");

/// The `cni-portability` findings of a `lint --format json` run, by rule id (the
/// fixture's other findings, such as the missing egress default deny, are left out).
fn portability(fs: &MemFs, args: &[&str]) -> Vec<String> {
    let out = fs.run(args);
    assert_eq!(out.code, 0, "{out:?}");
    json(&out)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["ruleId"].as_str().expect("a rule id").to_string())
        .filter(|rule| rule == "cni-portability")
        .collect()
}

#[test]
fn the_flag_chooses_the_profile_and_overrides_the_configuration() {
    let fs = MemFs::new().file("cnp.yaml", CLUSTER_WIDE);
    let generic = portability(&fs, &["lint", "--format", "json", "cnp.yaml"]);
    assert!(generic.is_empty(), "{generic:?}");
    let cilium = portability(
        &fs,
        &["lint", "--format", "json", "--cni", "cilium", "cnp.yaml"],
    );
    assert_eq!(cilium, ["cni-portability"]);
    let configured = MemFs::new()
        .file("cnp.yaml", CLUSTER_WIDE)
        .file(".netpol.yaml", "cni: antrea\n");
    let from_file = portability(&configured, &["lint", "--format", "json", "cnp.yaml"]);
    assert_eq!(from_file, ["cni-portability"]);
    let overridden = portability(
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

/// The NetworkPolicy facts and an AdminNetworkPolicy denying all ingress.
const FACTS: &str = include_str!("../data/cni/profile-facts.yaml");
const ADMIN_DENY: &str = include_str!("../data/cni/admin-deny.yaml");

#[test]
fn connectivity_commands_follow_the_flag_and_the_configuration() {
    let fs = MemFs::new().file("k8s.yaml", FACTS);
    let query = |fs: &MemFs, extra: &[&str]| {
        let mut args = vec![
            "query",
            "--from",
            "app/client",
            "--to",
            "app/server",
            "--port",
            "80",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        args.push("k8s.yaml");
        let out = fs.run(&args);
        assert_eq!(out.code, 0, "{out:?}");
        json(&out)["allowed"].as_bool().expect("allowed")
    };
    assert!(query(&fs, &[]));
    assert!(!query(&fs, &["--cni", "cilium"]));
    let configured = MemFs::new()
        .file("k8s.yaml", FACTS)
        .file(".netpol.yaml", "cni: cilium\n");
    assert!(!query(&configured, &[]));
    assert!(query(&configured, &["--cni", "calico"]));
    let cell = |extra: &[&str]| {
        let mut args = vec!["matrix", "--format", "csv"];
        args.extend_from_slice(extra);
        args.push("k8s.yaml");
        let out = fs.run(&args);
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout
            .lines()
            .any(|l| l.starts_with("app/client,app/server,") && l.contains("80"))
    };
    assert!(cell(&[]));
    assert!(!cell(&["--cni", "cilium"]));
    for command in ["matrix", "query", "test", "diff"] {
        let help = fs.run(&[command, "--help"]);
        assert!(
            help.stdout.contains("--cni NAME"),
            "{command}: {}",
            help.stdout
        );
    }
}

#[test]
fn a_policy_kind_the_data_plane_ignores_is_noted_and_not_enforced() {
    let fs = MemFs::new()
        .file("k8s.yaml", FACTS)
        .file("admin.yaml", ADMIN_DENY);
    let args = |cni: &'static str| {
        vec![
            "query",
            "--from",
            "app/client",
            "--to",
            "app/other",
            "--port",
            "443",
            "--cni",
            cni,
            "--format",
            "json",
            "k8s.yaml",
            "admin.yaml",
        ]
    };
    let antrea = fs.run(&args("antrea"));
    assert_eq!(json(&antrea)["allowed"], false);
    assert!(!antrea.stderr.contains("not enforced"), "{}", antrea.stderr);
    let cilium = fs.run(&args("cilium"));
    assert_eq!(json(&cilium)["allowed"], true);
    assert!(
        cilium.stderr.contains(
            "netpol: note: AdminNetworkPolicy `admin-deny` is not enforced: `cilium` does not implement AdminNetworkPolicy (`cni` profile)"
        ),
        "{}",
        cilium.stderr
    );
    let diff = fs.run(&[
        "diff",
        "--base",
        "k8s.yaml",
        "--head",
        "k8s.yaml",
        "admin.yaml",
        "--cni",
        "cilium",
    ]);
    assert_eq!(diff.code, 0, "{diff:?}");
    assert!(
        diff.stderr
            .contains("netpol: note: head: AdminNetworkPolicy"),
        "{}",
        diff.stderr
    );
}
