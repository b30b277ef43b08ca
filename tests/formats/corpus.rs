//! The real corpus through the whole pipeline (read, decode, lint) into every
//! format, each checked against its consumer's schema.

use std::path::Path;

use netpol::diag::Severity;
use netpol::doc::Limits;
use netpol::report::context::{CheckedObject, RenderContext};
use netpol::report::formats::{render, LintFormat};
use netpol::report::{LintReport, Resource, Summary};
use netpol::source::{Source, SourceSet};
use netpol::{decode, lint};

use super::junit_format::parse;
use super::report_kinds::{check_stream, open_reports_crds, policy_report_crds};
use super::sarif_format::sarif_validator;
use super::support::{corpus_root, manifest_files, source_folders};
use super::{assert_valid, json};

/// The manifests of one corpus folder, sorted by name, named `corpus/<folder>/<file>`.
fn folder_sources(folder: &Path) -> SourceSet {
    let mut set = SourceSet::new();
    for path in manifest_files(folder) {
        let folder_name = folder.file_name().unwrap().to_string_lossy();
        let file_name = path.file_name().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(&path).unwrap();
        set.add(Source::new(
            format!("corpus/{folder_name}/{file_name}"),
            text,
        ));
    }
    set
}

#[test]
fn corpus_renders_valid_output_in_every_format() {
    let folders = source_folders();
    assert!(
        folders.len() > 10,
        "corpus folders at {}",
        corpus_root().display()
    );
    let sarif = sarif_validator();
    let (policy_crds, open_crds) = (policy_report_crds(), open_reports_crds());
    let rules = netpol::report::catalogue::rule_metadata();
    let (mut total_findings, mut total_reports) = (0, 0);
    for folder in folders {
        let sources = folder_sources(&folder);
        let loaded = decode::load(&sources, &Limits::default());
        let outcome = lint::run(&loaded, &lint::Config::default());
        let summary = Summary {
            files: sources.len(),
            objects: loaded.objects,
            ..Summary::default()
        };
        let report = LintReport::new(
            outcome.diagnostics,
            &sources,
            summary,
            Some(Severity::Warning),
        );
        total_findings += report.findings.len();
        let objects: Vec<CheckedObject> = loaded
            .model
            .policies
            .iter()
            .map(|p| {
                let source = sources.get(p.meta.source).unwrap();
                CheckedObject {
                    resource: Resource::from(p.meta.resource()),
                    file: source.name().into(),
                    line: source.position(p.meta.span.start).line,
                }
            })
            .collect();
        let mut ctx = RenderContext::new(&sources);
        ctx.rules = &rules;
        ctx.objects = &objects;
        let what = folder.display().to_string();
        assert_valid(
            &sarif,
            &json(&render(LintFormat::Sarif, &report, &ctx)),
            &what,
        );
        let junit = parse(&render(LintFormat::Junit, &report, &ctx));
        let failures = junit.iter().filter(|e| e.name == "failure").count();
        let expected = report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .count();
        assert_eq!(failures, expected, "{what}");
        total_reports += check_stream(
            &render(LintFormat::PolicyReport, &report, &ctx),
            &policy_crds,
        )
        .len();
        check_stream(&render(LintFormat::OpenReports, &report, &ctx), &open_crds);
        json(&render(LintFormat::Gatekeeper, &report, &ctx));
        json(&render(LintFormat::Conftest, &report, &ctx));
    }
    // Not vacuous: the corpus yields findings, and reports with passes.
    assert!(
        total_findings > 0 && total_reports > 0,
        "{total_findings} {total_reports}"
    );
}
