//! Read + decode + validate (`netpol::decode::load`) against the bare parsers on the
//! same bytes: saphyr-parser's event loop for YAML, serde_json into a generic value
//! for JSON. Also the scaling exponent and peak memory.

use std::fmt::Write as _;
use std::hint::black_box;

use netpol::decode;
use netpol::doc::Limits;
use netpol::source::{Source, SourceSet};

use super::alloc_counter::peak_during;
use super::corpus::Corpus;
use super::harness::{Harness, Timing};
use super::report::{duration, megabytes, throughput, Section};

/// Runs every measurement of this section on `corpus` (and a tenth of it, for the
/// scaling exponent).
pub fn section(corpus: &Corpus, small: &Corpus, harness: &Harness) -> Section {
    let yaml = corpus.yaml.len();
    let json = corpus.json.len();
    check_inputs(corpus);
    let bare_yaml = harness.time(|| saphyr_events(&corpus.yaml));
    let netpol_yaml = harness.time(|| load(&corpus.yaml, "stream.yaml"));
    let bare_json = harness.time(|| serde_value(&corpus.json));
    let netpol_json = harness.time(|| load(&corpus.json, "list.json"));
    let small_yaml = harness.time(|| load(&small.yaml, "stream.yaml"));

    let mut body = format!(
        "Input: seeded generator (seed {}): {} Namespaces, {} Deployments, {} Pods, {} \
         NetworkPolicies; YAML stream {}, the same objects as one JSON List {}.\n\n",
        corpus.seed,
        corpus.namespaces,
        corpus.deployments,
        corpus.pods,
        corpus.policies,
        megabytes(yaml),
        megabytes(json)
    );
    let _ = writeln!(body, "netpol read them completely ({}).\n", decoded(corpus));
    body.push_str("| work | input | median | (min–max) | throughput | vs. bare parser |\n");
    body.push_str("| --- | --- | --- | --- | --- | --- |\n");
    row(
        &mut body,
        "bare saphyr-parser event loop",
        "YAML",
        yaml,
        &bare_yaml,
        None,
    );
    row(
        &mut body,
        "`netpol::decode::load`",
        "YAML",
        yaml,
        &netpol_yaml,
        Some(&bare_yaml),
    );
    row(
        &mut body,
        "serde_json → generic `Value`",
        "JSON",
        json,
        &bare_json,
        None,
    );
    row(
        &mut body,
        "`netpol::decode::load`",
        "JSON",
        json,
        &netpol_json,
        Some(&bare_json),
    );
    let ratio = bare_yaml.secs() / netpol_yaml.secs();
    let _ = writeln!(
        body,
        "\nTarget: read + decode + validate at least half the bare parser's speed. YAML: \
         {ratio:.2}× — {}. JSON: {:.2}× — {}.",
        verdict(ratio >= 0.5),
        bare_json.secs() / netpol_json.secs(),
        verdict(bare_json.secs() / netpol_json.secs() >= 0.5)
    );
    let exponent = (netpol_yaml.secs() / small_yaml.secs()).ln()
        / (yaml as f64 / small.yaml.len() as f64).ln();
    let _ = writeln!(
        body,
        "\nScaling: {} of YAML in {}, {} in {}: time grows as size^{exponent:.2}.",
        megabytes(small.yaml.len()),
        duration(small_yaml.secs()),
        megabytes(yaml),
        duration(netpol_yaml.secs())
    );
    body.push_str(&memory_table(corpus));
    Section {
        title: String::from("Read + decode + validate"),
        body,
    }
}

/// Peak heap during each piece of work, over the input size.
fn memory_table(corpus: &Corpus) -> String {
    let mut out = String::from(
        "\nPeak heap above what was live before (the input text itself is counted for \
         `load`, which copies it into its `SourceSet`):\n\n\
         | work | input | peak heap | × input |\n| --- | --- | --- | --- |\n",
    );
    let runs: [(&str, &str, usize, usize); 4] = [
        (
            "bare saphyr-parser event loop",
            "YAML",
            corpus.yaml.len(),
            peak_during(|| saphyr_events(&corpus.yaml)).1,
        ),
        (
            "`netpol::decode::load`",
            "YAML",
            corpus.yaml.len(),
            peak_during(|| load(&corpus.yaml, "stream.yaml")).1,
        ),
        (
            "serde_json → generic `Value`",
            "JSON",
            corpus.json.len(),
            peak_during(|| serde_value(&corpus.json)).1,
        ),
        (
            "`netpol::decode::load`",
            "JSON",
            corpus.json.len(),
            peak_during(|| load(&corpus.json, "list.json")).1,
        ),
    ];
    for (work, form, input, peak) in runs {
        let _ = writeln!(
            out,
            "| {work} | {form} | {} | {:.2}× |",
            megabytes(peak),
            peak as f64 / input as f64
        );
    }
    let load_peak = runs[1].3 as f64 / runs[1].2 as f64;
    let _ = writeln!(
        out,
        "\nTarget: memory below 5× the input. YAML: {load_peak:.2}× — {}.",
        verdict(load_peak < 5.0)
    );
    out
}

fn row(out: &mut String, work: &str, form: &str, bytes: usize, t: &Timing, base: Option<&Timing>) {
    let ratio = base.map_or(String::from("baseline"), |b| {
        format!("{:.2}×", b.secs() / t.secs())
    });
    let _ = writeln!(
        out,
        "| {work} | {form} {} | {} | ({}–{}) | {} | {ratio} |",
        megabytes(bytes),
        duration(t.secs()),
        duration(t.min.as_secs_f64()),
        duration(t.max.as_secs_f64()),
        throughput(bytes, t.secs())
    );
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**not met**"
    }
}

/// Both forms must parse cleanly, or the figures would measure error paths.
fn check_inputs(corpus: &Corpus) {
    let mut parser = saphyr_parser::Parser::new_from_str(&corpus.yaml);
    while let Some(event) = parser.next_event() {
        if let Err(error) = event {
            panic!("generated YAML does not parse: {error}");
        }
    }
    if let Err(error) = serde_json::from_str::<serde_json::Value>(&corpus.json) {
        panic!("generated JSON does not parse: {error}");
    }
}

/// What netpol made of each form: objects decoded and findings.
fn decoded(corpus: &Corpus) -> String {
    let mut out = String::new();
    for (form, text, name) in [
        ("YAML", &corpus.yaml, "stream.yaml"),
        ("JSON", &corpus.json, "list.json"),
    ] {
        let mut sources = SourceSet::new();
        sources.add(Source::new(name, text.as_str()));
        let loaded = decode::load(&sources, &Limits::default());
        let _ = write!(
            out,
            "{}{form}: {} objects decoded, {} skipped, {} findings",
            if out.is_empty() { "" } else { "; " },
            loaded.objects,
            loaded.skipped,
            loaded.diagnostics.len()
        );
    }
    out
}

/// netpol's whole pipeline on one source: copy the text in, read, decode, validate.
fn load(text: &str, name: &str) -> usize {
    let mut sources = SourceSet::new();
    sources.add(Source::new(name, text));
    let loaded = decode::load(&sources, &Limits::default());
    black_box(loaded.objects + loaded.diagnostics.len())
}

/// Every event of the YAML stream, doing nothing with them.
fn saphyr_events(text: &str) -> usize {
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let mut events = 0;
    while let Some(event) = parser.next_event() {
        if event.is_err() {
            break;
        }
        black_box(&event);
        events += 1;
    }
    events
}

/// The JSON text into a generic `serde_json::Value`.
fn serde_value(text: &str) -> usize {
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    black_box(value.as_object().map_or(0, |m| m.len()))
}
