//! Read + decode + validate (`netpol::decode::load`) against the bare parsers on the
//! same bytes: saphyr-parser's event loop for YAML, serde_json into a generic value
//! for JSON; the reader alone (`netpol::doc::read`) to show where the time goes; the
//! scaling exponent and peak memory.

use std::fmt::Write as _;
use std::hint::black_box;

use netpol::decode;
use netpol::doc::{self, Limits};
use netpol::source::{Source, SourceId, SourceSet};

use super::alloc_counter::peak_during;
use super::corpus::Corpus;
use super::harness::{Harness, Timing};
use super::report::{duration, megabytes, throughput, Section};

/// One piece of work measured on one form of the corpus.
struct Work {
    name: &'static str,
    json: bool,
    run: fn(&str) -> usize,
    /// Index of the bare parser this work is compared with (`None`: a baseline).
    baseline: Option<usize>,
}

/// Everything measured, the baseline first in each form.
const WORKS: [Work; 6] = [
    Work {
        name: "bare saphyr-parser event loop",
        json: false,
        run: saphyr_events,
        baseline: None,
    },
    Work {
        name: "`netpol::doc::read` (document tree only)",
        json: false,
        run: read_yaml,
        baseline: Some(0),
    },
    Work {
        name: "`netpol::decode::load` (read + decode + validate)",
        json: false,
        run: load_yaml,
        baseline: Some(0),
    },
    Work {
        name: "serde_json → generic `Value`",
        json: true,
        run: serde_value,
        baseline: None,
    },
    Work {
        name: "`netpol::doc::read` (document tree only)",
        json: true,
        run: read_json,
        baseline: Some(3),
    },
    Work {
        name: "`netpol::decode::load` (read + decode + validate)",
        json: true,
        run: load_json,
        baseline: Some(3),
    },
];

/// The end-to-end works the targets are about (indices into [`WORKS`]).
const LOAD_YAML: usize = 2;
const LOAD_JSON: usize = 5;

/// Runs every measurement of this section on `corpus` (and on `small`, a tenth of
/// it, for the scaling exponent).
pub fn section(corpus: &Corpus, small: &Corpus, harness: &Harness) -> Section {
    check_inputs(corpus);
    let text = |work: &Work| -> &str {
        if work.json {
            &corpus.json
        } else {
            &corpus.yaml
        }
    };
    let mut closures: Vec<Box<dyn FnMut()>> = WORKS
        .iter()
        .map(|w| {
            let input = text(w);
            Box::new(move || {
                black_box((w.run)(input));
            }) as Box<dyn FnMut()>
        })
        .collect();
    let mut works: Vec<&mut dyn FnMut()> = closures
        .iter_mut()
        .map(|c| &mut **c as &mut dyn FnMut())
        .collect();
    let timings: Vec<Timing> = harness.time_interleaved(&mut works);
    let peaks: Vec<usize> = WORKS
        .iter()
        .map(|w| peak_during(|| (w.run)(text(w))).1)
        .collect();
    let small_yaml = harness.time(|| load_yaml(&small.yaml));
    let speed = |i: usize| {
        let base = WORKS[i].baseline.unwrap_or(i);
        timings[base].secs() / timings[i].secs()
    };
    let memory = |i: usize| peaks[i] as f64 / text(&WORKS[i]).len() as f64;

    let mut body = format!(
        "Input: seeded generator (seed {}): {} Namespaces, {} Deployments, {} Pods, {} \
         NetworkPolicies; YAML stream {}, the same objects as one JSON List {}. \
         netpol read them completely ({}).\n\n",
        corpus.seed,
        corpus.namespaces,
        corpus.deployments,
        corpus.pods,
        corpus.policies,
        megabytes(corpus.yaml.len()),
        megabytes(corpus.json.len()),
        decoded(corpus)
    );
    body.push_str(
        "| work | input | median | (min–max) | throughput | speed vs. bare parser | peak heap | × input |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (i, work) in WORKS.iter().enumerate() {
        let bytes = text(work).len();
        let t = &timings[i];
        let ratio = match work.baseline {
            Some(_) => format!("{:.2}×", speed(i)),
            None => String::from("baseline"),
        };
        let _ = writeln!(
            body,
            "| {} | {} {} | {} | ({}–{}) | {} | {ratio} | {} | {:.2}× |",
            work.name,
            if work.json { "JSON" } else { "YAML" },
            megabytes(bytes),
            duration(t.secs()),
            duration(t.min.as_secs_f64()),
            duration(t.max.as_secs_f64()),
            throughput(bytes, t.secs()),
            megabytes(peaks[i]),
            memory(i)
        );
    }
    body.push_str(
        "\nPeak heap: the most live heap above what was live before the work (counted by \
         the benchmark's global allocator); `load` includes its own copy of the input \
         text.\n",
    );
    let _ = writeln!(
        body,
        "\nTargets: read + decode + validate at least half the bare parser's speed: YAML \
         {:.2}× ({}), JSON {:.2}× ({}). Memory below 5× the input: YAML {:.2}× ({}), JSON \
         {:.2}× ({}).",
        speed(LOAD_YAML),
        verdict(speed(LOAD_YAML) >= 0.5),
        speed(LOAD_JSON),
        verdict(speed(LOAD_JSON) >= 0.5),
        memory(LOAD_YAML),
        verdict(memory(LOAD_YAML) < 5.0),
        memory(LOAD_JSON),
        verdict(memory(LOAD_JSON) < 5.0)
    );
    let exponent = (timings[LOAD_YAML].secs() / small_yaml.secs()).ln()
        / (corpus.yaml.len() as f64 / small.yaml.len() as f64).ln();
    let _ = writeln!(
        body,
        "\nScaling: `load` of {} of YAML takes {}, of {} {}: time grows as \
         size^{exponent:.2}.",
        megabytes(small.yaml.len()),
        duration(small_yaml.secs()),
        megabytes(corpus.yaml.len()),
        duration(timings[LOAD_YAML].secs())
    );
    Section {
        title: String::from("Read + decode + validate"),
        body,
    }
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
    let mut parts = Vec::new();
    for (form, text, name) in [
        ("YAML", &corpus.yaml, "stream.yaml"),
        ("JSON", &corpus.json, "list.json"),
    ] {
        let mut sources = SourceSet::new();
        sources.add(Source::new(name, text.as_str()));
        let loaded = decode::load(&sources, &Limits::default());
        parts.push(format!(
            "{form}: {} objects decoded, {} skipped, {} findings",
            loaded.objects,
            loaded.skipped,
            loaded.diagnostics.len()
        ));
    }
    parts.join("; ")
}

/// netpol's whole pipeline on one source: copy the text in, read, decode, validate.
fn load(text: &str, name: &str) -> usize {
    let mut sources = SourceSet::new();
    sources.add(Source::new(name, text));
    let loaded = decode::load(&sources, &Limits::default());
    black_box(loaded.objects + loaded.diagnostics.len())
}

fn load_yaml(text: &str) -> usize {
    load(text, "stream.yaml")
}

fn load_json(text: &str) -> usize {
    load(text, "list.json")
}

/// The reader alone: text → spanned document tree, no decoding.
fn read(text: &str, name: &str) -> usize {
    let source = Source::new(name, text);
    let result = doc::read(&source, SourceId(0), &Limits::default());
    black_box(result.documents.len() + result.diagnostics.len())
}

fn read_yaml(text: &str) -> usize {
    read(text, "stream.yaml")
}

fn read_json(text: &str) -> usize {
    read(text, "list.json")
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
