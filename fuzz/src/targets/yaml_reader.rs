//! The YAML reader on any text: no panic, every span inside the text.

use netpol::doc::{self, Limits};
use netpol::source::{Source, SourceId};

use super::{checks, text_of};

/// Reads the bytes as a YAML stream and checks every span.
pub fn run(data: &[u8]) {
    let text = text_of(data);
    let source = Source::new("input.yaml", text.as_str());
    let result = doc::read(&source, SourceId(0), &Limits::default());
    checks::check_read(&text, &result);
}
