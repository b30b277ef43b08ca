//! YAML reader: a multi-document stream read with `saphyr-parser` into the spanned
//! tree, resolved the way Kubernetes' YAML decoder (go-yaml v2) resolves it.
//!
//! - Documents are separated by `---`; empty documents are left out.
//! - Anchors and aliases are expanded by copying; merge keys (`<<`) follow go-yaml
//!   v2 (source order, later settings win; a sequence of maps merges with earlier
//!   maps taking precedence).
//! - Plain scalars resolve with YAML 1.1 rules ([`resolve`]); quoted scalars are
//!   strings; keys keep their text; a collection used as a key is an error.
//! - A syntax error drops its document and reading resumes at the next `---` line,
//!   so later documents are still read.
//!
//! Rule ids: `yaml-syntax`, `duplicate-field`, `input-too-large`,
//! `too-many-documents`, `nesting-too-deep`, `alias-expansion-limit`.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::tree::{self, exact, key_text, Builder, Dropped, Key};
use super::{Document, Limits, Node, ReadResult, Value};
use crate::diag::Diagnostic;
use crate::source::{Source, SourceId, Span};

mod fast;
mod offsets;
mod resolve;

use offsets::{Offsets, Shape};

/// Reads `source` as a YAML stream (see [`super::read`]).
pub fn read(source: &Source, id: SourceId, limits: &Limits) -> ReadResult {
    super::collect(|each| read_each(source, id, limits, each))
}

/// Reads `source` as a YAML stream, handing each document to `each` as soon as it is
/// complete (see [`super::read_each`]).
pub fn read_each(
    source: &Source,
    id: SourceId,
    limits: &Limits,
    each: &mut dyn FnMut(Document, Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    read_each_with(source, id, limits, each, Readers::FastFirst).diagnostics
}

/// Reads `source` with `saphyr-parser` alone, without the fast block-style reader
/// in front of it: the reference the fast reader must agree with (its differential
/// tests and the `yaml_reader` fuzz target compare the two). Not for other uses:
/// [`read`] gives the same result, faster.
#[doc(hidden)]
pub fn read_parser_only(source: &Source, id: SourceId, limits: &Limits) -> ReadResult {
    super::collect(|each| read_each_with(source, id, limits, each, Readers::ParserOnly).diagnostics)
}

/// Which readers read a source.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Readers {
    /// The fast reader ([`fast`]) for each document of its shape, `saphyr-parser`
    /// for the others (the fast reader taking over again after them).
    FastFirst,
    /// `saphyr-parser` alone (the reference the fast reader is tested against).
    ParserOnly,
}

/// What reading a source gives besides its documents.
struct Read {
    /// The diagnostics met after the last document handed out.
    diagnostics: Vec<Diagnostic>,
    /// How many documents the fast reader read (the parser read the others): what
    /// the tests check the taking over again by.
    #[cfg_attr(not(test), allow(dead_code))]
    fast_documents: usize,
}

fn read_each_with(
    source: &Source,
    id: SourceId,
    limits: &Limits,
    each: &mut dyn FnMut(Document, Vec<Diagnostic>),
    readers: Readers,
) -> Read {
    if let Some(diagnostic) = tree::check_source(source, id, limits) {
        return Read {
            diagnostics: vec![diagnostic],
            fast_documents: 0,
        };
    }
    let mut reader = Reader {
        source,
        builder: Builder::new(id, source.text(), limits),
        each,
        documents: 0,
        fast_documents: 0,
        limits,
        skipping: false,
    };
    let text = source.text();
    let shape = Shape::of(text);
    // The fast reader takes over again after each document the parser read, unless
    // a directive (`%` line) may apply to a later document.
    let mut fast =
        (readers == Readers::FastFirst && !has_directive(text)).then(|| fast::Documents::new(text));
    let mut base = 0;
    loop {
        if let Some(documents) = fast.as_mut() {
            documents.seek(base);
            match reader.fast(documents) {
                Some(start) => base = start,
                None => break,
            }
        }
        let Some(run) = text.get(base..) else { break };
        match reader.run(run, base, &shape, fast.is_some()) {
            Stop::Finished => break,
            Stop::Resume(next) => base = next,
            Stop::Error(at) => match next_document_start(text, at, base) {
                Some(next) => base = next,
                None => break,
            },
        }
    }
    Read {
        diagnostics: reader.builder.diagnostics,
        fast_documents: reader.fast_documents,
    }
}

/// Whether a line of `text` starts with `%`, after any byte order marks (a
/// directive, or an error where one would be).
fn has_directive(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'%', bytes).any(|at| {
        let mut before = bytes.get(..at).unwrap_or_default();
        while let Some(rest) = before.strip_suffix("\u{feff}".as_bytes()) {
            before = rest;
        }
        matches!(before.last(), None | Some(b'\n' | b'\r'))
    })
}

/// Why one parser run ended.
enum Stop {
    /// The stream ended, or reading stopped for good.
    Finished,
    /// A document ended and the next starts with a `---` line at this byte: the
    /// fast reader may read it.
    Resume(usize),
    /// A syntax error at this byte.
    Error(usize),
}

/// The state of reading one source.
struct Reader<'s, 'l, 'e> {
    source: &'s Source,
    builder: Builder<'l>,
    /// Where complete documents go.
    each: &'e mut dyn FnMut(Document, Vec<Diagnostic>),
    /// Documents handed out so far.
    documents: usize,
    /// Documents the fast reader read.
    fast_documents: usize,
    limits: &'l Limits,
    /// The current document was dropped; skip its remaining events.
    skipping: bool,
}

impl Reader<'_, '_, '_> {
    /// Parses `text` (starting at byte `base` of the source, whose shape is
    /// `shape`) until its end or the first syntax error, or, when `resume`, until a
    /// later document starts with a `---` line. The parser knows the anchors of
    /// earlier documents (an alias to one is an error of its own kind), so a run
    /// that met an anchor goes on to the end.
    fn run(&mut self, text: &str, base: usize, shape: &Shape, mut resume: bool) -> Stop {
        let mut offsets = Offsets::new(text, base, shape);
        for event in Parser::new_from_str(text) {
            let (event, marks) = match event {
                Ok(event) => event,
                Err(error) => return self.syntax_error(&error, &mut offsets),
            };
            let span = Span::new(offsets.byte(&marks.start), offsets.byte(&marks.end));
            match event {
                Event::DocumentStart(true) if resume && span.start as usize > base => {
                    return Stop::Resume(span.start as usize);
                }
                Event::Scalar(_, _, anchor, _)
                | Event::SequenceStart(anchor, _)
                | Event::MappingStart(anchor, _)
                    if anchor != 0 =>
                {
                    resume = false;
                }
                _ => {}
            }
            // A flow collection's end event starts at its closing bracket.
            let flow = marks.end.index() > marks.start.index();
            if !self.feed(event, span, flow) {
                return Stop::Finished;
            }
        }
        Stop::Finished
    }

    /// Reads the documents the fast reader can read from its position; returns
    /// where `saphyr-parser` must take over (the start of the first document the
    /// fast reader gave up), or `None` when nothing is left to read.
    fn fast(&mut self, documents: &mut fast::Documents) -> Option<usize> {
        loop {
            let start = documents.position();
            match documents.next_document()? {
                Ok(events) => {
                    for pending in events.drain(..) {
                        if !self.feed(pending.event, pending.span, pending.flow) {
                            return None;
                        }
                    }
                    self.fast_documents += 1;
                }
                Err(fast::GiveUp) => return Some(start),
            }
        }
    }

    /// Feeds one event to the builder and hands a completed document out; returns
    /// `false` when reading stops for good.
    fn feed(&mut self, event: Event, span: Span, flow: bool) -> bool {
        match self.event(event, span, flow) {
            Ok(Some(root)) => self.finish(root),
            Ok(None) => true,
            Err(Dropped) => {
                self.skipping = true;
                true
            }
        }
    }

    /// Records a syntax error and drops the document it is in.
    fn syntax_error(&mut self, error: &ScanError, offsets: &mut Offsets) -> Stop {
        let at = offsets.byte(error.marker());
        let position = self.source.position(at);
        let message = format!(
            "{} at line {} column {}",
            error.info(),
            position.line,
            position.column
        );
        let id = self.builder.id();
        let diagnostic = tree::error(tree::SYNTAX, id, self.builder.char_at(at), message);
        self.builder.start_document();
        self.builder.diagnostics.push(diagnostic);
        Stop::Error(at as usize)
    }

    /// Feeds one event to the builder; returns the root when a document is complete.
    /// `flow` says whether an end event closes a flow collection.
    fn event(&mut self, event: Event, span: Span, flow: bool) -> Result<Option<Node>, Dropped> {
        match event {
            Event::DocumentStart(_) => {
                self.builder.start_document();
                self.skipping = false;
                Ok(None)
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(None),
            _ if self.skipping => Ok(None),
            Event::Scalar(text, style, anchor, tag) => self.scalar(text, style, anchor, tag, span),
            Event::SequenceStart(anchor, _) => {
                self.refuse_collection_key(span, "sequence")?;
                self.builder.begin_seq(span.start, anchor).map(|()| None)
            }
            Event::MappingStart(anchor, _) => {
                self.refuse_collection_key(span, "mapping")?;
                self.builder.begin_map(span.start, anchor).map(|()| None)
            }
            Event::SequenceEnd | Event::MappingEnd => self
                .builder
                .end(flow.then(|| self.builder.char_at(span.start).end)),
            Event::Alias(anchor) => self.alias(anchor, span),
        }
    }

    fn scalar(
        &mut self,
        text: Cow<str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<Cow<Tag>>,
        mut span: Span,
    ) -> Result<Option<Node>, Dropped> {
        let plain = matches!(style, ScalarStyle::Plain);
        if matches!(
            style,
            ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
        ) {
            span = without_trailing_blanks(self.source.text(), span);
        }
        if plain && text.is_empty() && tag.is_none() {
            // Nothing written: a zero-length span where it would have been.
            span.end = span.start;
            if anchor == 0 && self.builder.in_seq().is_none() {
                return Ok(None); // An empty document.
            }
        }
        if self.builder.expects_key() {
            let merge_tag = tag
                .as_ref()
                .is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "merge");
            let merge = text == "<<" && ((plain && tag.is_none()) || merge_tag);
            let text = key_text(text);
            if anchor != 0 || tag.is_some() {
                // Keys keep their text, but a tag that does not fit is still an error.
                let value = self.resolve(&text, style, tag.as_deref(), span)?;
                if anchor != 0 {
                    let node = Node { span, value };
                    self.builder.anchor_key(anchor, node, String::from(&*text));
                }
            }
            self.builder.key(Key { text, span, merge });
            return Ok(None);
        }
        let value = match (&style, &tag) {
            (ScalarStyle::Plain, None) => {
                resolve::typed(&text).unwrap_or_else(|| Value::String(exact(text)))
            }
            (ScalarStyle::Plain, Some(_)) => self.resolve(&text, style, tag.as_deref(), span)?,
            (_, None) => Value::String(exact(text)),
            (_, Some(_)) => self.resolve(&text, style, tag.as_deref(), span)?,
        };
        self.builder.scalar(Node { span, value }, anchor)
    }

    fn resolve(
        &mut self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<Value, Dropped> {
        resolve::resolve(text, style, tag).map_err(|message| self.fail(span, message))
    }

    fn alias(&mut self, anchor: usize, span: Span) -> Result<Option<Node>, Dropped> {
        if !self.builder.has_anchor(anchor) {
            let message = String::from("unknown anchor referenced");
            return Err(self.fail(span, message));
        }
        if !self.builder.expects_key() {
            return self.builder.alias(anchor, span);
        }
        match self.builder.anchored_key_text(anchor) {
            Some(text) => {
                self.builder.key(Key {
                    text: Cow::Owned(text),
                    span,
                    merge: false,
                });
                Ok(None)
            }
            None => Err(self.fail(
                span,
                String::from("invalid map key: an alias to a collection"),
            )),
        }
    }

    /// A collection where a mapping key is expected is an error, as in go-yaml.
    fn refuse_collection_key(&mut self, span: Span, kind: &str) -> Result<(), Dropped> {
        if self.builder.expects_key() {
            return Err(self.fail(span, format!("invalid map key: a {kind} is used as a key")));
        }
        Ok(())
    }

    /// Drops the current document with a `yaml-syntax` diagnostic at `span`.
    fn fail(&mut self, span: Span, message: String) -> Dropped {
        let position = self.source.position(span.start);
        let message = format!(
            "{message} at line {} column {}",
            position.line, position.column
        );
        let id = self.builder.id();
        self.builder
            .fail(tree::error(tree::SYNTAX, id, span, message))
    }

    /// Hands a complete document out (with the diagnostics met since the previous
    /// one); returns `false` when the document limit stops reading.
    fn finish(&mut self, root: Node) -> bool {
        if self.documents >= self.limits.max_documents {
            let message = format!(
                "the input holds more than {} documents",
                self.limits.max_documents
            );
            let span = Span::new(root.span.start, root.span.start);
            let id = self.builder.id();
            let diagnostic = tree::error(tree::TOO_MANY_DOCUMENTS, id, span, message);
            self.builder.diagnostics.push(diagnostic);
            return false;
        }
        self.documents += 1;
        let met = core::mem::take(&mut self.builder.diagnostics);
        (self.each)(Document { root }, met);
        true
    }
}

/// The start of the first `---` line at or after the line holding byte `at`, if it
/// lies after `base` (where the failed run started). An error after the marker of a
/// `---` line is inside the document that line started: reading resumes after it.
fn next_document_start(text: &str, at: usize, base: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut line = bytes
        .get(..at.min(bytes.len()))
        .and_then(|before| before.iter().rposition(|&b| b == b'\n'))
        .map_or(0, |newline| newline + 1);
    if at >= line + 3 && is_document_marker(bytes.get(line..).unwrap_or_default()) {
        line += bytes.get(line..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    loop {
        if line > base && is_document_marker(bytes.get(line..).unwrap_or_default()) {
            return Some(line);
        }
        let newline = bytes.get(line..)?.iter().position(|&b| b == b'\n')?;
        line += newline + 1;
    }
}

/// Whether a line starts with the `---` document marker.
fn is_document_marker(line: &[u8]) -> bool {
    line.starts_with(b"---") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

#[cfg(test)]
mod tests;

/// `span` without the blanks and line breaks that end it. In a flow collection the
/// parser's end mark of a plain or quoted scalar can run past the scalar to the next
/// indicator (`"b" ,` spans `"b" `); no such scalar ends with one.
fn without_trailing_blanks(text: &str, span: Span) -> Span {
    let Some(slice) = text.get(span.start as usize..span.end as usize) else {
        return span;
    };
    if !matches!(slice.as_bytes().last(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        return span;
    }
    let kept = slice.trim_end_matches([' ', '\t', '\r', '\n']).len();
    let dropped = u32::try_from(slice.len() - kept).unwrap_or(0);
    Span::new(span.start, span.end - dropped)
}
