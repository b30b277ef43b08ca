//! Connections whose verdict depends on DNS (`domainNames`) or on an undefined order:
//! listed apart in every format of `matrix` and `diff`, and a `test` case on one is
//! uncertain (it fails whatever it expects).

use super::json;
use crate::memfs::MemFs;

/// A pod that may reach one domain name, the pods it is denied, and two cases.
const DNS: &str = include_str!("../data/uncertain/dns.yaml");

/// `DNS` without its ClusterNetworkPolicy and test: nothing is uncertain.
fn pods_only() -> String {
    DNS.split("---\napiVersion: policy")
        .next()
        .expect("the pods")
        .to_string()
}

fn matrix(fs: &MemFs, format: &str) -> String {
    let out = fs.run(&["matrix", "--format", format, "k8s.yaml"]);
    assert_eq!(out.code, 0, "{out:?}");
    out.stdout
}

#[test]
fn a_test_case_on_an_uncertain_flow_fails_as_uncertain() {
    let fs = MemFs::new().file("k8s.yaml", DNS);
    let text = fs.run(&["test", "k8s.yaml"]);
    assert_eq!(text.code, 1, "{text:?}");
    assert!(
        text.stdout.contains("UNCERTAIN k8s.yaml:")
            && text.stdout.contains("web reaches the API: shop/web -> 203.0.113.9 443/TCP: expected allow, got no definite answer (uncertain: depends on DNS"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.ends_with("1 passed, 1 failed (1 uncertain)\n"),
        "{}",
        text.stdout
    );
    let doc = json(&fs.run(&["test", "--format", "json", "k8s.yaml"]));
    assert_eq!(doc["uncertain"], 1);
    assert_eq!(doc["failed"], 1);
    assert_eq!(doc["results"][0]["pass"], false);
    assert_eq!(doc["results"][0]["uncertain"]["dns"], true);
    assert!(doc["results"][1].get("uncertain").is_none());
    let junit = fs.run(&["test", "--format", "junit", "k8s.yaml"]).stdout;
    assert!(
        junit.contains("uncertain") && junit.contains("got no definite answer"),
        "{junit}"
    );
}

#[test]
fn definite_cases_report_no_uncertainty() {
    let fs = MemFs::new().file("k8s.yaml", &pods_only());
    let out = fs.run(&["test", "--format", "json", "k8s.yaml"]);
    let doc = json(&out);
    assert!(doc.get("uncertain").is_none(), "{}", out.stdout);
    let text = fs.run(&["test", "k8s.yaml"]);
    assert!(!text.stdout.contains("uncertain"), "{}", text.stdout);
}

#[test]
fn every_matrix_format_marks_uncertain_cells() {
    let fs = MemFs::new().file("k8s.yaml", DNS);
    let text = matrix(&fs, "text");
    assert!(
        text.contains(" uncertain connections (? uncertain: the verdict depends on DNS"),
        "{text}"
    );
    assert!(text.contains("  ? shop/web -> "), "{text}");
    let md = matrix(&fs, "md");
    assert!(
        md.contains("| `shop/web` |") && md.contains("| ? all |"),
        "{md}"
    );
    assert!(
        md.contains("\n`?` uncertain: the verdict depends on DNS"),
        "{md}"
    );
    let csv = matrix(&fs, "csv");
    assert!(csv.starts_with("from,to,protocol,ports,verdict\n"), "{csv}");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("shop/web,") && l.ends_with(",uncertain")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| l.ends_with(",allow") || l.ends_with(",uncertain")),
        "{csv}"
    );
    let doc: serde_json::Value = serde_json::from_str(&matrix(&fs, "json")).expect("JSON");
    let cells = doc["uncertain"].as_array().expect("uncertain cells");
    assert!(cells.iter().all(|c| c["from"] == "shop/web"), "{cells:?}");
    assert_eq!(cells[0]["ports"][0]["protocol"], "TCP");
    let dot = matrix(&fs, "dot");
    assert!(
        dot.contains("style=dotted") && dot.contains("legend_uncertain"),
        "{dot}"
    );
    let svg = matrix(&fs, "svg");
    assert!(
        svg.contains("data-uncertain=\"true\"") && svg.contains("cells outlined with dashes"),
        "{svg}"
    );
}

#[test]
fn matrices_without_uncertainty_keep_their_shape() {
    let fs = MemFs::new().file("k8s.yaml", &pods_only());
    assert!(!matrix(&fs, "text").contains("uncertain"));
    assert!(!matrix(&fs, "md").contains('?'));
    assert!(matrix(&fs, "csv").starts_with("from,to,protocol,ports\n"));
    let doc: serde_json::Value = serde_json::from_str(&matrix(&fs, "json")).expect("JSON");
    assert!(doc.get("uncertain").is_none());
    assert!(!matrix(&fs, "dot").contains("dotted"));
    assert!(!matrix(&fs, "svg").contains("data-uncertain"));
}

#[test]
fn diff_lists_what_became_uncertain() {
    let fs = MemFs::new()
        .file("base/k8s.yaml", &pods_only())
        .file("head/k8s.yaml", DNS);
    let text = fs.run(&["diff", "--base", "base", "--head", "head"]);
    assert_eq!(text.code, 0, "{text:?}");
    assert!(
        text.stdout.contains("\nuncertain on head (? uncertain:"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("  ? shop/web -> "), "{}", text.stdout);
    let md = fs.run(&["diff", "--format", "md", "--base", "base", "--head", "head"]);
    assert!(
        md.stdout.contains("| ? uncertain | `shop/web` |"),
        "{}",
        md.stdout
    );
    let doc = json(&fs.run(&[
        "diff", "--format", "json", "--base", "base", "--head", "head",
    ]));
    let changes = doc["uncertain"].as_array().expect("uncertain changes");
    assert!(
        changes.iter().all(|c| c["from"] == "shop/web"),
        "{changes:?}"
    );
    // The reverse direction gains definite answers: nothing became uncertain.
    let back = json(&fs.run(&[
        "diff", "--format", "json", "--base", "head", "--head", "base",
    ]));
    assert!(back.get("uncertain").is_none());
}
