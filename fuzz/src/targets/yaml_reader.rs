//! The YAML reader on any text: no panic, every span inside the text, and the fast
//! block-style reader in front of `saphyr-parser` gives exactly what the parser
//! alone gives (documents, spans, diagnostics).

use netpol::doc::{self, yaml, Limits};
use netpol::source::{Source, SourceId};

use super::{checks, text_of};

/// Reads the bytes as a YAML stream, checks every span, and compares the result
/// with the parser's alone.
pub fn run(data: &[u8]) {
    let text = text_of(data);
    let source = Source::new("input.yaml", text.as_str());
    let limits = Limits::default();
    let result = doc::read(&source, SourceId(0), &limits);
    checks::check_read(&text, &result);
    let reference = yaml::read_parser_only(&source, SourceId(0), &limits);
    // Compared as printed: a NaN scalar is not equal to itself, its printing is.
    let (fast, full) = (format!("{result:?}"), format!("{reference:?}"));
    assert!(
        fast == full,
        "the fast reader differs from the parser on {text:?}\nfast: {fast}\nfull: {full}"
    );
}
