//! Reading, decoding and validation on any text, as YAML and as JSON: no panic,
//! every finding points inside the input, and the readers agree: text the JSON path
//! loads without a single finding is YAML too, and loads to the same model. One
//! known exception: YAML, like the YAML decoder Kubernetes uses, rejects a `\u`
//! escape of a UTF-16 surrogate, which JSON uses for characters beyond U+FFFF.

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

/// Loads the bytes with each reader, checks every finding's position, and compares
/// the two loads when the JSON one is clean.
pub fn run(data: &[u8]) {
    let text = text_of(data);
    let [yaml, json] = NAMES.map(|name| {
        let (sources, loaded) = load_as(name, &text);
        checks::check_diagnostics(&sources, &loaded.diagnostics);
        assert!(
            loaded.objects >= loaded.model.policies.len() + loaded.model.pods.len(),
            "{name}: {} objects counted, fewer than the model holds",
            loaded.objects
        );
        loaded
    });
    if json.diagnostics.is_empty() && !has_surrogate_escape(&text) {
        let rules: Vec<&str> = yaml.diagnostics.iter().map(|d| d.rule).collect();
        assert!(rules.is_empty(), "clean as JSON, YAML reports {rules:?}");
        assert_eq!(
            format!("{:?}", json.model),
            format!("{:?}", yaml.model),
            "the JSON and YAML readers load different models"
        );
        assert_eq!((json.objects, json.skipped), (yaml.objects, yaml.skipped));
    }
}

/// Whether `text` holds a `\u` escape of a UTF-16 surrogate (`\uD800` to `\uDFFF`).
fn has_surrogate_escape(text: &str) -> bool {
    text.match_indices("\\u").any(|(at, _)| {
        let mut digits = text[at + 2..].chars().map(|c| c.to_ascii_lowercase());
        digits.next() == Some('d') && digits.next().is_some_and(|c| "89abcdef".contains(c))
    })
}
