//! PolicyReport and OpenReports output: the same documents in the same order on
//! every run, whatever the clock says (two runs compared). One report per namespace
//! is a table-driven case: tests/cases/cli/report-scopes.yaml.

use super::memfs::MemFs;

/// A namespaced policy without `metadata.namespace`, as `kustomize build` of the
/// Online Boutique manifests prints it.
fn unnamespaced_policy(name: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\nspec:\n  podSelector:\n    matchLabels:\n      app: {name}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: frontend\n"
    )
}

#[test]
fn report_documents_do_not_depend_on_the_time_of_the_run() {
    // Enough policies for the namespace's results to be split into several objects.
    let manifests: Vec<String> = (0..40)
        .map(|i| unnamespaced_policy(&format!("service-{i:03}")))
        .collect();
    let manifests = manifests.join("---\n");
    let without_time = |nanos: i32, format: &str| {
        let mut fs = MemFs::new().file("all.yaml", &manifests);
        fs.nanos = nanos;
        let out = fs.run(&["lint", "--format", format, "all.yaml"]);
        out.stdout
            .lines()
            .filter(|l| !l.trim_start().starts_with("nanos:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for format in ["policyreport", "openreports"] {
        let early = without_time(5, format);
        assert!(
            early.contains("name: \"netpol-3\""),
            "{format}: the results are split"
        );
        assert_eq!(early, without_time(999_999_999, format), "{format}");
    }
}
