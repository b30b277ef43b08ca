//! SARIF: the OASIS schema, GitHub's requirements, fingerprints.

use netpol::diag::Severity;
use netpol::report::formats::LintFormat;
use netpol::report::sarif::{artifact_uri, FINGERPRINT_KEY};
use serde_json::Value;

use super::{assert_valid, json, schemas_dir, Fixture, NASTY};

pub(super) fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(schemas_dir().join("sarif-schema-2.1.0.json")).unwrap();
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&json(&text))
        .expect("the SARIF schema compiles")
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

/// Every object in `value` (itself included), depth first.
fn objects_in(value: &Value, out: &mut Vec<(String, Value)>, key: &str) {
    match value {
        Value::Object(map) => {
            out.push((key.to_string(), value.clone()));
            for (k, v) in map {
                objects_in(v, out, k);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| objects_in(v, out, key)),
        _ => {}
    }
}

#[test]
fn sarif_is_valid_against_the_schema() {
    let validator = sarif_validator();
    for fail_on in [Some(Severity::Warning), None] {
        let log = json(&Fixture::new(fail_on).render(LintFormat::Sarif));
        assert_valid(&validator, &log, "SARIF log");
    }
}

#[test]
fn sarif_has_what_github_needs() {
    let log = json(&Fixture::new(Some(Severity::Error)).render(LintFormat::Sarif));
    assert_eq!(log["version"], "2.1.0");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "netpol");
    assert_eq!(driver["version"], "1.2.3");
    let rules = driver["rules"].as_array().unwrap();
    // Six catalogue rules plus yaml-syntax, which only a finding names; sorted by id.
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    assert_eq!(ids.len(), 7);
    assert!(ids.contains(&"yaml-syntax"));
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                !rule[key]["text"].as_str().unwrap().is_empty(),
                "{key} of {rule}"
            );
        }
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.iter().any(|t| t == "security"));
        let score: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&score));
    }
    let contradiction = rules
        .iter()
        .find(|r| r["id"] == "selector-contradiction")
        .unwrap();
    assert_eq!(contradiction["defaultConfiguration"]["level"], "error");
    assert_eq!(contradiction["properties"]["security-severity"], "8.0");
    let policytypes = rules
        .iter()
        .find(|r| r["id"] == "missing-policytypes")
        .unwrap();
    assert_eq!(policytypes["defaultConfiguration"]["level"], "note");

    let results = results(&log);
    assert_eq!(results.len(), 7);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let physical = &result["locations"][0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("deploy/"), "repository-relative: {uri}");
        assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
        let fingerprint = result["partialFingerprints"][FINGERPRINT_KEY]
            .as_str()
            .unwrap();
        assert_eq!(fingerprint.len(), 18, "{fingerprint}");
    }
    // No empty objects where tools choke on them (snippets, messages).
    let mut all = Vec::new();
    objects_in(&log, &mut all, "");
    for (key, object) in &all {
        if key == "snippet" || key == "message" {
            assert!(
                !object["text"].as_str().unwrap_or("").is_empty(),
                "empty {key}"
            );
        }
    }
}

#[test]
fn sarif_results_carry_level_message_and_utf16_region() {
    let log = json(&Fixture::new(Some(Severity::Error)).render(LintFormat::Sarif));
    let results = results(&log);
    let by_rule = |id: &str| results.iter().find(|r| r["ruleId"] == id).unwrap();
    let allow = by_rule("allow-all-ingress");
    assert_eq!(allow["level"], "warning");
    let text = allow["message"]["text"].as_str().unwrap();
    assert_eq!(
        text,
        format!("{NASTY}\nhelp: list the peers & ports <here>")
    );
    let region = &allow["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 11);
    assert_eq!(region["startColumn"], 5);
    assert_eq!(region["endColumn"], 9);
    assert_eq!(region["snippet"]["text"], "    - {}");
    // `"café😀"` starts at character 11 and ends before UTF-16 column 11 + 8.
    let label = &by_rule("selector-contradiction")["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (label["startLine"].as_u64(), label["startColumn"].as_u64()),
        (Some(7), Some(11))
    );
    assert_eq!(label["endColumn"], 19);
    assert_eq!(by_rule("missing-policytypes")["level"], "note");
    let pay = &by_rule("ipblock-allows-metadata")["locations"][0]["physicalLocation"];
    assert_eq!(pay["artifactLocation"]["uri"], "deploy/pay%20db.yaml");
    assert_eq!(log["runs"][0]["columnKind"], "utf16CodeUnits");
}

#[test]
fn sarif_fingerprints_do_not_move_with_lines() {
    let fingerprints = |prefix: &str| -> Vec<(String, String, u64)> {
        let log = json(&Fixture::build(None, prefix, false).render(LintFormat::Sarif));
        results(&log)
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"][FINGERPRINT_KEY]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = fingerprints("");
    let after = fingerprints("# moved\n# down\n\n");
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1));
    }
    let moved =
        |v: &[(String, String, u64)]| v.iter().find(|r| r.0 == "allow-all-ingress").unwrap().2;
    assert_eq!(moved(&after), moved(&before) + 3);
    // Different findings have different fingerprints.
    let mut unique: Vec<&String> = before.iter().map(|r| &r.1).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), before.len());
}

#[test]
fn artifact_uris_are_repository_relative_and_encoded() {
    assert_eq!(artifact_uri("./deploy/a b.yaml"), "deploy/a%20b.yaml");
    assert_eq!(artifact_uri("k8s\\prod\\ü.yaml"), "k8s/prod/%C3%BC.yaml");
    assert_eq!(artifact_uri("a:b#c?.yaml"), "a%3Ab%23c%3F.yaml");
    assert_eq!(artifact_uri("/abs/p.yaml"), "file:///abs/p.yaml");
    assert_eq!(artifact_uri("C:\\x\\p.yaml"), "file:///C:/x/p.yaml");
}

#[test]
fn empty_report_is_a_valid_log_with_the_catalogue() {
    let fixture = Fixture::new(Some(Severity::Error));
    let empty = netpol::report::LintReport::default();
    let mut ctx = netpol::report::context::RenderContext::new(&fixture.sources);
    ctx.rules = &fixture.rules;
    let log = json(&netpol::report::formats::render(
        LintFormat::Sarif,
        &empty,
        &ctx,
    ));
    assert_valid(&sarif_validator(), &log, "empty SARIF log");
    assert_eq!(results(&log).len(), 0);
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(log["runs"][0]["tool"]["driver"]["version"], netpol::VERSION);
}

#[test]
fn catalogue_rules_link_to_their_page_in_the_repository() {
    let fixture = Fixture::new(Some(Severity::Error));
    let empty = netpol::report::LintReport::default();
    let mut ctx = netpol::report::context::RenderContext::new(&fixture.sources);
    ctx.rules = &fixture.rules;
    ctx.version = "1.2.3";
    ctx.repository = "https://example.org/netpol/";
    let log = json(&netpol::report::formats::render(
        LintFormat::Sarif,
        &empty,
        &ctx,
    ));
    assert_valid(&sarif_validator(), &log, "SARIF log with helpUri");
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(
            rule["helpUri"],
            format!("https://example.org/netpol/blob/v1.2.3/docs/rules/{id}.md")
        );
    }
    // A rule outside the catalogue has no page; an unknown repository, no link.
    let with_finding = Fixture::new(Some(Severity::Error));
    let mut ctx = netpol::report::context::RenderContext::new(&with_finding.sources);
    ctx.repository = "";
    let log = json(&netpol::report::formats::render(
        LintFormat::Sarif,
        &with_finding.report,
        &ctx,
    ));
    for rule in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        assert!(rule.get("helpUri").is_none(), "{rule}");
    }
}
