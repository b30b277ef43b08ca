//! PolicyReport and OpenReports output of kustomize-style manifests: one report per
//! namespace, cluster-scoped objects in the cluster report, and the same documents
//! in the same order on every run.

use super::memfs::MemFs;

/// A namespaced policy without `metadata.namespace`, as `kustomize build` of the
/// Online Boutique manifests prints it.
fn unnamespaced_policy(name: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\nspec:\n  podSelector:\n    matchLabels:\n      app: {name}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: frontend\n"
    )
}

/// `(kind, metadata.namespace)` of every document of a report stream, in order.
fn scopes(stream: &str) -> Vec<(String, String)> {
    stream
        .split("\n---\n")
        .map(|doc| {
            let field = |key: &str| {
                doc.lines()
                    .find_map(|l| l.strip_prefix(key))
                    .map(|v| v.trim().trim_matches('"').to_string())
                    .unwrap_or_default()
            };
            (field("kind:"), field("  namespace:"))
        })
        .collect()
}

#[test]
fn namespaced_objects_get_a_report_in_their_namespace() {
    let manifests = format!(
        "{}---\n{}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress]\n",
        unnamespaced_policy("cartservice"),
        unnamespaced_policy("redis-cart"),
    );
    let fs = MemFs::new().file("boutique.yaml", &manifests);
    let reports = fs.run(&["lint", "--format", "policyreport", "boutique.yaml"]);
    assert_eq!(
        scopes(&reports.stdout),
        [
            ("ClusterPolicyReport".to_string(), String::new()),
            ("PolicyReport".to_string(), "default".to_string()),
            ("PolicyReport".to_string(), "shop".to_string()),
        ],
        "{}",
        reports.stdout
    );
    let cluster = reports.stdout.split("\n---\n").next().unwrap();
    assert!(cluster.contains("kind: \"Namespace\""), "{cluster}");
    assert!(!cluster.contains("kind: \"NetworkPolicy\""), "{cluster}");
    let open = fs.run(&["lint", "--format", "openreports", "boutique.yaml"]);
    assert_eq!(
        scopes(&open.stdout),
        [
            ("ClusterReport".to_string(), String::new()),
            ("Report".to_string(), "default".to_string()),
            ("Report".to_string(), "shop".to_string()),
        ]
    );
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
