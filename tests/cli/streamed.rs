//! The native binary streams long reports to standard output as they are written:
//! the bytes are those of the same report collected whole (`--output FILE`).

use super::run_binary;

/// `count` policies, each selecting namespaces by a custom label (one finding each).
fn many_findings(count: usize) -> String {
    (0..count)
        .map(|i| {
            format!(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  \
                 name: allow-{i}\n  namespace: shop\nspec:\n  podSelector:\n    \
                 matchLabels: {{app: app-{i}}}\n  ingress:\n  - from:\n    - \
                 namespaceSelector:\n        matchLabels: {{team: team-{i}}}\n---\n"
            )
        })
        .collect()
}

#[test]
fn streamed_reports_are_the_collected_ones() {
    let dir = std::env::temp_dir().join(format!("netpol-streamed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("policies.yaml"), many_findings(400)).unwrap();
    let run = |args: &[&str]| run_binary(&dir, args);
    for format in ["text", "json", "sarif"] {
        let streamed = run(&["lint", "policies.yaml", "--format", format]);
        let file = format!("report.{format}");
        let collected = run(&["lint", "policies.yaml", "--format", format, "-o", &file]);
        assert_eq!(streamed.status.code(), collected.status.code(), "{format}");
        assert!(collected.stdout.is_empty(), "{format}");
        let report = std::fs::read(dir.join(&file)).unwrap();
        assert!(report.len() > 64 * 1024, "{format}: {} bytes", report.len());
        assert!(
            streamed.stdout == report,
            "{format}: streamed output differs from the collected report"
        );
        assert_eq!(streamed.stderr, collected.stderr, "{format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
