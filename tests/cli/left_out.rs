//! What the connectivity commands (`matrix`, `query`, `test`, `diff`) say about the
//! objects they could not use: the note on stderr says whether the object was left
//! out or kept (as it was), and `--strict` turns an object left out into exit 2.

use super::memfs::MemFs;

/// Two pods in `shop`; `web` is the client, `api` the server.
const PODS: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
";

/// A default deny for `api` with an unknown field: reported, dropped, and the
/// policy is kept, so `web -> api` is denied.
const DENY_WITH_UNKNOWN_FIELD: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-deny, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
status: {}
";

/// A policy for `api` the API server rejects (invalid CIDR): left out, so `api`
/// is not isolated and `web -> api` is allowed.
const INVALID_POLICY: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-bad, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from:
        - ipBlock: {cidr: 10.0.0.0/33}
";

/// A connectivity test expecting `web -> api` on 80 to be allowed.
const CONNECTIVITY_TEST: &str = "\
apiVersion: netpol/v1alpha1
kind: ConnectivityTest
metadata: {name: shop}
spec:
  cases:
    - {from: shop/web, to: shop/api, port: 80, expect: allow}
";

const QUERY: [&str; 7] = [
    "query", "--from", "shop/web", "--to", "shop/api", "--port", "80",
];

fn fs_with(policy: &str) -> MemFs {
    MemFs::new()
        .file("pods.yaml", PODS)
        .file("policy.yaml", policy)
        .file("tests.yaml", CONNECTIVITY_TEST)
}

fn args<'a>(command: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    let mut all = command.to_vec();
    all.extend_from_slice(extra);
    all
}

#[test]
fn an_unknown_field_is_noted_as_kept_and_the_object_is_used() {
    let fs = fs_with(DENY_WITH_UNKNOWN_FIELD);
    let out = fs.run(&args(&QUERY, &["pods.yaml", "policy.yaml"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("DENIED"), "{}", out.stdout);
    assert_eq!(
        out.stderr,
        "netpol: policy.yaml:7:1: error[unknown-field]: strict decoding error: \
         unknown field \"status\" (field ignored, object kept)\n"
    );
    assert!(!out.stderr.contains("left out"), "{}", out.stderr);
}

#[test]
fn an_invalid_object_is_noted_as_left_out_and_not_used() {
    let fs = fs_with(INVALID_POLICY);
    let out = fs.run(&args(&QUERY, &["pods.yaml", "policy.yaml"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("ALLOWED"), "{}", out.stdout);
    assert!(
        out.stderr.starts_with("netpol: policy.yaml:8:"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("error[invalid-cidr]"), "{}", out.stderr);
    assert!(
        out.stderr.ends_with("(object left out)\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn strict_makes_an_object_left_out_exit_2_in_every_connectivity_command() {
    let fs = fs_with(INVALID_POLICY);
    let inputs = ["pods.yaml", "policy.yaml", "tests.yaml"];
    for command in [&["matrix"][..], &QUERY, &["test"]] {
        for quiet in [&[][..], &["--quiet"]] {
            let mut all = args(command, &inputs);
            all.push("--strict");
            all.extend_from_slice(quiet);
            let out = fs.run(&all);
            assert_eq!(out.code, 2, "{all:?}: {out:?}");
            assert!(out.stdout.is_empty(), "{all:?}: {}", out.stdout);
            assert!(
                out.stderr
                    .starts_with("netpol: error: --strict: 1 input object left out as invalid\n"),
                "{all:?}: {}",
                out.stderr
            );
            assert!(
                out.stderr.contains(
                    "policy.yaml:8:27: error[invalid-cidr]: spec.ingress[0].from[0].ipBlock.cidr"
                ),
                "{all:?}: {}",
                out.stderr
            );
            assert!(out.stderr.contains("(object left out)\n"), "{}", out.stderr);
        }
    }
}

#[test]
fn strict_passes_when_every_object_is_kept() {
    for policy in [DENY_WITH_UNKNOWN_FIELD, "kind: ConfigMap\n"] {
        let fs = fs_with(policy);
        let inputs = ["pods.yaml", "policy.yaml", "tests.yaml"];
        for command in [&["matrix"][..], &QUERY] {
            let mut all = args(command, &inputs);
            all.push("--strict");
            let out = fs.run(&all);
            assert_eq!(out.code, 0, "{all:?}: {out:?}");
            assert!(!out.stdout.is_empty());
        }
    }
}

#[test]
fn without_strict_an_object_left_out_does_not_change_the_exit_code() {
    let fs = fs_with(INVALID_POLICY);
    let out = fs.run(&["test", "--quiet", "pods.yaml", "policy.yaml", "tests.yaml"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(out.stdout.contains("1 passed, 0 failed"), "{}", out.stdout);
}

#[test]
fn strict_diff_names_the_side_and_counts_objects_not_errors() {
    let two_errors = INVALID_POLICY.replace(
        "podSelector: {matchLabels: {app: api}}",
        "podSelector: {matchLabels: {app: -api-}}",
    );
    let fs = MemFs::new()
        .file("base/pods.yaml", PODS)
        .file("head/pods.yaml", PODS)
        .file("head/policy.yaml", &two_errors)
        .file(
            "head/other.yaml",
            &INVALID_POLICY.replace("api-bad", "api-bad-2"),
        );
    let out = fs.run(&["diff", "--base", "base", "--head", "head", "--strict"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr
            .starts_with("netpol: error: --strict: head: 2 input objects left out as invalid\n"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stderr.matches("(object left out)").count(),
        3,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("netpol: head: head/other.yaml:8:"),
        "{}",
        out.stderr
    );
    let lenient = fs.run(&["diff", "--base", "base", "--head", "head"]);
    assert_eq!(lenient.code, 0, "{lenient:?}");
    assert!(!lenient.stdout.is_empty());
}

#[test]
fn strict_is_documented_where_it_applies() {
    let fs = MemFs::new();
    for command in ["matrix", "query", "test", "diff"] {
        let help = fs.run(&[command, "--help"]).stdout;
        assert!(help.contains("--strict"), "{command}: {help}");
        assert!(help.contains("left out as invalid"), "{command}: {help}");
    }
    let lint = fs.run(&["lint", "--strict", "x.yaml"]);
    assert_eq!(lint.code, 2);
    assert!(
        lint.stderr.contains("unknown option '--strict'"),
        "{}",
        lint.stderr
    );
}
