//! Reading, decoding and validation on any text, as YAML and as JSON: no panic, and
//! every finding points inside the input.

use netpol::decode::{self, Loaded};
use netpol::doc::Limits;
use netpol::source::{Source, SourceSet};

use super::{checks, text_of};

/// The file names the input is loaded under: the extension picks the reader.
pub const NAMES: [&str; 2] = ["input.yaml", "input.json"];

/// Loads `text` as the one source named `name`.
pub fn load_as(name: &str, text: &str) -> (SourceSet, Loaded) {
    let mut sources = SourceSet::new();
    sources.add(Source::new(name, text));
    let loaded = decode::load(&sources, &Limits::default());
    (sources, loaded)
}

/// Loads the bytes with each reader and checks every finding's position.
pub fn run(data: &[u8]) {
    let text = text_of(data);
    for name in NAMES {
        let (sources, loaded) = load_as(name, &text);
        checks::check_diagnostics(&sources, &loaded.diagnostics);
        assert!(
            loaded.objects >= loaded.model.policies.len() + loaded.model.pods.len(),
            "{name}: {} objects counted, fewer than the model holds",
            loaded.objects
        );
    }
}
