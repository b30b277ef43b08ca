//! Long lint reports: the text format ends with the findings counted per rule, and
//! `--max-findings N` cuts only the printed findings of the text format.

use std::collections::BTreeMap;

use super::json;
use super::memfs::MemFs;

/// `count` allow-all ingress policies without ports: several findings each.
fn flood(count: usize) -> MemFs {
    let mut text = String::new();
    for i in 0..count {
        text.push_str(&format!(
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n\
             metadata: {{name: p{i}, namespace: shop}}\n\
             spec:\n  podSelector: {{}}\n  ingress: [{{}}]\n"
        ));
    }
    MemFs::new().file("flood.yaml", &text)
}

/// The `findings by rule:` rows of a text report, as `(count, severity, rule)`.
fn table_rows(text: &str) -> Vec<(usize, String, String)> {
    let Some((_, table)) = text.split_once("findings by rule:\n") else {
        return Vec::new();
    };
    table
        .lines()
        .take_while(|line| !line.is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(cells.len(), 3, "{line:?}");
            (
                cells[0].parse().expect("a count"),
                cells[1].to_string(),
                cells[2].to_string(),
            )
        })
        .collect()
}

/// Per `(rule, severity)`, how many findings the JSON report has.
fn json_counts(fs: &MemFs) -> BTreeMap<(String, String), usize> {
    let report = json(&fs.run(&["lint", "--format", "json", "flood.yaml"]));
    let mut counts = BTreeMap::new();
    for finding in report["findings"].as_array().expect("findings") {
        let key = (
            finding["ruleId"].as_str().unwrap_or_default().to_string(),
            finding["severity"].as_str().unwrap_or_default().to_string(),
        );
        *counts.entry(key).or_default() += 1;
    }
    counts
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

#[test]
fn a_long_text_report_ends_with_the_findings_counted_per_rule() {
    let fs = flood(12);
    let out = fs.run(&["lint", "flood.yaml"]);
    let expected = json_counts(&fs);
    let total: usize = expected.values().sum();
    assert!(total > 10, "the flood fires enough findings: {total}");
    let rows = table_rows(&out.stdout);
    let counted: BTreeMap<(String, String), usize> = rows
        .iter()
        .map(|(count, severity, rule)| ((rule.clone(), severity.clone()), *count))
        .collect();
    assert_eq!(counted, expected, "{}", out.stdout);
    let counts: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let mut sorted = counts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted, "most frequent first");
    assert_eq!(out.stdout.matches(" --> ").count(), total);
    assert!(!out.stdout.contains("not shown"));
    assert!(last_line(&out.stdout).contains(" in 1 file (12 objects)"));
}

#[test]
fn a_short_text_report_has_no_per_rule_table() {
    let fs = flood(1);
    let out = fs.run(&["lint", "flood.yaml"]);
    let total: usize = json_counts(&fs).values().sum();
    assert!((1..=10).contains(&total), "{total}");
    assert!(!out.stdout.contains("findings by rule:"), "{}", out.stdout);
}

#[test]
fn max_findings_cuts_the_printed_findings_but_not_the_counts() {
    let fs = flood(12);
    let full = fs.run(&["lint", "flood.yaml"]);
    let total: usize = json_counts(&fs).values().sum();
    for max in [0, 5] {
        let cut = fs.run(&["lint", "--max-findings", &max.to_string(), "flood.yaml"]);
        assert_eq!(cut.code, full.code);
        assert_eq!(cut.stdout.matches(" --> ").count(), max, "{}", cut.stdout);
        assert!(
            cut.stdout.contains(&format!(
                "{} more findings not shown (--max-findings {max}); the counts below include them\n",
                total - max
            )),
            "{}",
            cut.stdout
        );
        assert_eq!(table_rows(&cut.stdout), table_rows(&full.stdout));
        assert_eq!(last_line(&cut.stdout), last_line(&full.stdout));
    }
    let roomy = fs.run(&["lint", "--max-findings", "100000", "flood.yaml"]);
    assert_eq!(roomy.stdout, full.stdout);
}

#[test]
fn a_cut_short_report_still_gets_its_table() {
    let fs = flood(1);
    let out = fs.run(&["lint", "--max-findings", "0", "flood.yaml"]);
    assert_eq!(out.stdout.matches(" --> ").count(), 0);
    assert!(out.stdout.contains("findings by rule:\n"), "{}", out.stdout);
}

#[test]
fn machine_formats_are_never_cut() {
    let fs = flood(12);
    for format in [
        "json",
        "sarif",
        "junit",
        "policyreport",
        "openreports",
        "gatekeeper",
        "conftest",
    ] {
        let full = fs.run(&["lint", "--format", format, "flood.yaml"]);
        let cut = fs.run(&[
            "lint",
            "--format",
            format,
            "--max-findings",
            "1",
            "flood.yaml",
        ]);
        assert_eq!(cut, full, "{format}");
    }
}

#[test]
fn max_findings_takes_a_count() {
    let fs = flood(1);
    for bad in ["-1", "many", ""] {
        let out = fs.run(&["lint", "--max-findings", bad, "flood.yaml"]);
        assert_eq!(out.code, 2, "{bad:?}: {out:?}");
        assert!(
            out.stderr
                .contains(&format!("invalid --max-findings '{bad}'")),
            "{}",
            out.stderr
        );
    }
    let help = fs.run(&["lint", "--help"]).stdout;
    assert!(help.contains("--max-findings N"), "{help}");
}
