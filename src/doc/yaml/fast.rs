//! A fast reader for the common block-style shape of Kubernetes manifests.
//!
//! Rendered manifests are almost always plain block mappings and sequences of
//! one-line plain or simply quoted scalars. This reader turns such a document into
//! the same events, with the same spans, that `saphyr-parser` gives (the tree builder
//! cannot tell them apart), without building scalars character by character. Anything
//! it does not handle (flow collections over several lines or with other than
//! simple keys and scalars, anchors, aliases, tags, block scalars, multi-line or
//! escaped scalars, tabs, CR, directives, `...`, errors of any kind) makes it give the document up, and the full parser reads the
//! source from that document's start on. A document is only handed out once it was
//! read to its end, so giving up never leaves half a document behind.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use saphyr_parser::{Event, ScalarStyle};

use crate::source::Span;

/// Deepest nesting this reader follows (deeper documents go to the full parser,
/// which enforces [`Limits::max_depth`](crate::doc::Limits)).
const MAX_DEPTH: usize = 48;
/// Longest implicit key this reader accepts (YAML allows 1024 characters).
const MAX_KEY_BYTES: usize = 1000;

/// One event of a document, with its span and whether it ends a flow collection.
pub(super) struct Pending<'t> {
    /// The event, scalars borrowing the source text.
    pub event: Event<'t>,
    /// Its bytes in the source.
    pub span: Span,
    /// Whether it closes a flow collection (`}` or `]`).
    pub flow: bool,
}

/// The document could not be read here: the full parser reads it.
pub(super) struct GiveUp;

/// One line that holds content (not blank, not only a comment).
#[derive(Clone, Copy)]
struct Line {
    /// Byte offset of its first content byte.
    content: usize,
    /// Its indentation in spaces.
    indent: usize,
    /// Byte offset of its end (its `\n`, or the end of the text).
    end: usize,
}

/// What comes next in the text.
#[derive(Clone, Copy)]
enum Next {
    /// A content line.
    Content(Line),
    /// A `---` line or the end of the text: the document ends.
    End,
}

/// Reads documents one at a time from the start of a text.
pub(super) struct Documents<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// Start of the next line not yet read.
    pos: usize,
    events: Vec<Pending<'t>>,
    depth: usize,
    /// Whether the text holds only printable ASCII and line breaks (no line then
    /// needs checking for characters this reader leaves to the parser).
    printable: bool,
    /// The last answer of [`Documents::peek`]: the position it was asked at, the
    /// position it left, and what it found (the same line is peeked several times).
    peeked: Option<(usize, usize, Next)>,
}

impl<'t> Documents<'t> {
    /// A reader at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        Documents {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            events: Vec::new(),
            depth: 0,
            peeked: None,
            printable: printable(text.as_bytes()),
        }
    }

    /// Where the next document starts (a `---` line, or 0 for the first).
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Moves to `pos`, the start of a document (a `---` line, or 0).
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// The events of the next document (`None` at the end of the text), or
    /// [`GiveUp`] when it is not of the shape this reader handles.
    pub fn next_document(&mut self) -> Option<Result<&mut Vec<Pending<'t>>, GiveUp>> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        self.events.clear();
        self.depth = 0;
        let explicit = self.is_marker(self.pos);
        if explicit {
            match self.marker_line_end(self.pos) {
                Some(next) => self.pos = next,
                None => return Some(Err(GiveUp)),
            }
        }
        self.push(Event::DocumentStart(explicit), Span::default());
        Some(self.document().map(|()| &mut self.events))
    }

    fn document(&mut self) -> Result<(), GiveUp> {
        if let Next::Content(line) = self.peek()? {
            if line.indent != 0 {
                return Err(GiveUp);
            }
            self.collection(line, false)?;
            if !matches!(self.peek()?, Next::End) {
                return Err(GiveUp);
            }
        }
        self.push(Event::DocumentEnd, Span::default());
        Ok(())
    }

    /// The block collection starting on `line` (a sequence `indentless` when it sits
    /// at its key's indentation).
    fn collection(&mut self, line: Line, indentless: bool) -> Result<(), GiveUp> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        if self.is_item(line.content) {
            self.seq(line, indentless)?;
        } else {
            self.pos = next_line(line.end);
            self.map(line.content, line.end, line.indent)?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// A block mapping at `indent` whose first key starts at `key` on a line ending
    /// at `end` (that line already consumed).
    fn map(&mut self, mut key: usize, mut end: usize, indent: usize) -> Result<(), GiveUp> {
        self.push(Event::MappingStart(0, None), Span::new(at(key), at(key)));
        loop {
            let colon = self.key_colon(key, end).ok_or(GiveUp)?;
            let key_end = trim_end(self.bytes, key, colon);
            if key_end == key || colon - key > MAX_KEY_BYTES || !self.plain_start(key) {
                return Err(GiveUp);
            }
            self.scalar(key, key_end, ScalarStyle::Plain)?;
            let rest = self.skip_spaces(colon + 1, end);
            if rest == end || self.bytes.get(rest) == Some(&b'#') {
                self.block_value(indent, colon)?;
            } else {
                self.inline_value(rest, end, indent)?;
            }
            match self.peek()? {
                Next::Content(line) if line.indent == indent => {
                    self.pos = next_line(line.end);
                    (key, end) = (line.content, line.end);
                }
                Next::Content(line) if line.indent > indent => return Err(GiveUp),
                _ => break,
            }
        }
        self.push(Event::MappingEnd, Span::default());
        Ok(())
    }

    /// A block sequence whose first item is on `line` (not consumed).
    fn seq(&mut self, mut line: Line, indentless: bool) -> Result<(), GiveUp> {
        let indent = line.indent;
        let mut first = true;
        loop {
            self.pos = next_line(line.end);
            let item = self.skip_spaces(line.content + 1, line.end);
            let empty = item == line.end || self.bytes.get(item) == Some(&b'#');
            if empty || self.is_item(item) {
                return Err(GiveUp);
            }
            if first {
                // The parser marks a sequence at its first dash, or, when it sits at its
                // key's indentation, where its first item starts.
                let start = at(if indentless { item } else { line.content });
                self.push(Event::SequenceStart(0, None), Span::new(start, start));
                first = false;
            }
            if self.key_colon(item, line.end).is_some() && self.plain_start(item) {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(GiveUp);
                }
                self.map(item, line.end, item - (line.content - indent))?;
                self.depth -= 1;
            } else {
                self.inline_value(item, line.end, indent)?;
            }
            match self.peek()? {
                Next::Content(next) if next.indent == indent && self.is_item(next.content) => {
                    line = next;
                }
                Next::Content(next) if next.indent > indent => return Err(GiveUp),
                _ => break,
            }
        }
        self.push(Event::SequenceEnd, Span::default());
        Ok(())
    }

    /// The value of a key written with nothing after its colon (at `colon`): a
    /// collection on the lines below, or an empty scalar.
    fn block_value(&mut self, indent: usize, colon: usize) -> Result<(), GiveUp> {
        match self.peek()? {
            Next::Content(line) if line.indent > indent => self.collection(line, false),
            // A sequence may sit at its key's indentation (`key:` then `- item`).
            Next::Content(line) if line.indent == indent && self.is_item(line.content) => {
                self.collection(line, true)
            }
            _ => self.scalar(colon, colon, ScalarStyle::Plain),
        }
    }

    /// A value written on its key's (or dash's) line from `start` to the line's
    /// `end`: a one-line scalar or `{}`/`[]`; the lines below must not continue it.
    fn inline_value(&mut self, start: usize, end: usize, indent: usize) -> Result<(), GiveUp> {
        let quoted = matches!(self.bytes.get(start), Some(b'"' | b'\''));
        let after = match self.bytes.get(start) {
            Some(b'"') => self.quoted(start, end, b'"', ScalarStyle::DoubleQuoted)?,
            Some(b'\'') => self.quoted(start, end, b'\'', ScalarStyle::SingleQuoted)?,
            Some(b'{') | Some(b'[') => self.flow(start, end)?,
            _ => {
                if !self.plain_start(start) || self.key_colon(start, end).is_some() {
                    return Err(GiveUp);
                }
                let stop = self.comment_start(start, end);
                self.scalar(start, trim_end(self.bytes, start, stop), ScalarStyle::Plain)?;
                stop
            }
        };
        let rest = self.skip_spaces(after, end);
        if rest != end && (rest == after || self.bytes.get(rest) != Some(&b'#')) {
            return Err(GiveUp);
        }
        // The parser ends a quoted scalar followed by a comment at the comment's end:
        // such a line is left to it.
        if quoted && rest != end {
            return Err(GiveUp);
        }
        match self.peek()? {
            Next::Content(line) if line.indent > indent => Err(GiveUp),
            _ => Ok(()),
        }
    }

    /// A quoted scalar on one line without escapes; returns the byte after it.
    fn quoted(
        &mut self,
        start: usize,
        end: usize,
        quote: u8,
        style: ScalarStyle,
    ) -> Result<usize, GiveUp> {
        let inner = start + 1;
        let body = self.bytes.get(inner..end).ok_or(GiveUp)?;
        let close = inner + body.iter().position(|&b| b == quote).ok_or(GiveUp)?;
        let escaped = match style {
            ScalarStyle::DoubleQuoted => body.iter().take(close - inner).any(|&b| b == b'\\'),
            _ => self.bytes.get(close + 1) == Some(&quote),
        };
        if escaped {
            return Err(GiveUp);
        }
        let text = self.text.get(inner..close).ok_or(GiveUp)?;
        self.push(
            Event::Scalar(Cow::Borrowed(text), style, 0, None),
            Span::new(at(start), at(close + 1)),
        );
        Ok(close + 1)
    }

    /// A flow mapping or sequence at `start` that closes before the line's `end`;
    /// returns the byte after it. Its keys are plain scalars followed by `: `; its
    /// values are nested flow collections, quoted scalars without escapes, or plain
    /// scalars holding no `#`, `: ` or bracket. Anything else (a collection spanning
    /// lines, an empty or implicit value, a trailing comma) gives up.
    fn flow(&mut self, start: usize, end: usize) -> Result<usize, GiveUp> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        let (open, close, close_event) = match self.bytes.get(start) {
            Some(b'{') => (Event::MappingStart(0, None), b'}', Event::MappingEnd),
            Some(b'[') => (Event::SequenceStart(0, None), b']', Event::SequenceEnd),
            _ => return Err(GiveUp),
        };
        let map = close == b'}';
        self.push(open, Span::new(at(start), at(start + 1)));
        let mut pos = self.skip_spaces(start + 1, end);
        if self.bytes.get(pos) != Some(&close) {
            loop {
                if map {
                    pos = self.flow_key(pos, end)?;
                }
                pos = self.flow_value(pos, end)?;
                pos = self.skip_spaces(pos, end);
                match self.bytes.get(pos) {
                    Some(b',') => {
                        pos = self.skip_spaces(pos + 1, end);
                        if self.bytes.get(pos) == Some(&close) {
                            return Err(GiveUp);
                        }
                    }
                    Some(&b) if b == close => break,
                    _ => return Err(GiveUp),
                }
            }
        }
        self.events.push(Pending {
            event: close_event,
            span: Span::new(at(pos), at(pos + 1)),
            flow: true,
        });
        self.depth -= 1;
        Ok(pos + 1)
    }

    /// A flow mapping's plain key at `start` and its `: `; returns where the value
    /// starts.
    fn flow_key(&mut self, start: usize, end: usize) -> Result<usize, GiveUp> {
        let stop = self.flow_plain_end(start, end)?;
        if self.bytes.get(stop) != Some(&b':') || self.bytes.get(stop + 1) != Some(&b' ') {
            return Err(GiveUp);
        }
        let key_end = trim_end(self.bytes, start, stop);
        if key_end - start > MAX_KEY_BYTES {
            return Err(GiveUp);
        }
        self.scalar(start, key_end, ScalarStyle::Plain)?;
        Ok(self.skip_spaces(stop + 1, end))
    }

    /// A value inside a flow collection at `start`; returns the byte after it.
    fn flow_value(&mut self, start: usize, end: usize) -> Result<usize, GiveUp> {
        match self.bytes.get(start) {
            Some(b'{' | b'[') => self.flow(start, end),
            Some(b'"') => self.quoted(start, end, b'"', ScalarStyle::DoubleQuoted),
            Some(b'\'') => self.quoted(start, end, b'\'', ScalarStyle::SingleQuoted),
            _ => {
                let stop = self.flow_plain_end(start, end)?;
                if self.bytes.get(stop) == Some(&b':') {
                    return Err(GiveUp);
                }
                self.scalar(start, trim_end(self.bytes, start, stop), ScalarStyle::Plain)?;
                Ok(stop)
            }
        }
    }

    /// Where the plain scalar at `start` inside a flow collection stops: at a `,`,
    /// a closing bracket or a `: `. A `:` followed by anything else but a space, a
    /// bracket or a comma belongs to the scalar (`image: web:1`). Gives up on an
    /// empty scalar, an indicator at its start, and a `#` or opening bracket inside.
    fn flow_plain_end(&self, start: usize, end: usize) -> Result<usize, GiveUp> {
        if !self.plain_start(start) {
            return Err(GiveUp);
        }
        let mut from = start;
        loop {
            let rest = self.bytes.get(from..end).ok_or(GiveUp)?;
            let stop = rest
                .iter()
                .position(|&b| matches!(b, b',' | b']' | b'}' | b':' | b'#' | b'[' | b'{'))
                .map_or(end, |i| from + i);
            // The parser refuses some indicators after a space inside the scalar
            // (`[a -]`): such a scalar is left to it.
            let spaces = memchr::memchr_iter(b' ', self.bytes.get(from..stop).unwrap_or_default());
            if spaces
                .map(|i| from + i + 1)
                .any(|next| next < stop && !self.plain_start(next))
            {
                return Err(GiveUp);
            }
            match self.bytes.get(stop) {
                Some(b',' | b']' | b'}') => return Ok(stop),
                Some(b':') => match self.bytes.get(stop + 1) {
                    Some(b' ') => return Ok(stop),
                    Some(b',' | b'[' | b']' | b'{' | b'}' | b'\n') | None => return Err(GiveUp),
                    Some(_) => from = stop + 1,
                },
                _ => return Err(GiveUp),
            }
        }
    }

    fn scalar(&mut self, start: usize, end: usize, style: ScalarStyle) -> Result<(), GiveUp> {
        let text = self.text.get(start..end).ok_or(GiveUp)?;
        self.push(
            Event::Scalar(Cow::Borrowed(text), style, 0, None),
            Span::new(at(start), at(end)),
        );
        Ok(())
    }

    fn push(&mut self, event: Event<'t>, span: Span) {
        self.events.push(Pending {
            event,
            span,
            flow: false,
        });
    }

    /// The next content line from `pos` on (blank and comment lines skipped; the
    /// position is left at the content line's start). Gives up on any byte this
    /// reader does not handle: tabs, CR, control characters, and `%` or `...` lines.
    fn peek(&mut self) -> Result<Next, GiveUp> {
        if let Some((asked, left, next)) = self.peeked {
            if asked == self.pos {
                self.pos = left;
                return Ok(next);
            }
        }
        let asked = self.pos;
        let next = self.scan()?;
        self.peeked = Some((asked, self.pos, next));
        Ok(next)
    }

    /// [`Documents::peek`] without its memory.
    fn scan(&mut self) -> Result<Next, GiveUp> {
        loop {
            let start = self.pos;
            if start >= self.bytes.len() || self.is_marker(start) {
                return Ok(Next::End);
            }
            let end = self.line_end(start)?;
            let content = self.skip_spaces(start, end);
            match self.bytes.get(content) {
                None | Some(b'\n') | Some(b'#') => self.pos = next_line(end),
                Some(b'%') if content == start => return Err(GiveUp),
                Some(b'.') if self.bytes.get(start..start + 3) == Some(b"...") => {
                    return Err(GiveUp)
                }
                Some(_) => {
                    return Ok(Next::Content(Line {
                        content,
                        indent: content - start,
                        end,
                    }))
                }
            }
        }
    }

    /// The end of the line starting at `start`, checking its bytes.
    fn line_end(&self, start: usize) -> Result<usize, GiveUp> {
        let rest = self.bytes.get(start..).unwrap_or_default();
        let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        // On a last line without a line break, the parser ends a quoted scalar
        // followed by a comment at the comment's end: such a line is left to it.
        if len == rest.len() && memchr::memchr(b'#', rest).is_some() {
            return Err(GiveUp);
        }
        if self.printable {
            return Ok(start + len);
        }
        let line = rest.get(..len).unwrap_or_default();
        if line.iter().any(|&b| b < 0x20 || b == 0x7F) {
            return Err(GiveUp);
        }
        if !line.is_ascii() {
            let text = self.text.get(start..start + len).ok_or(GiveUp)?;
            if text.chars().any(unusual) {
                return Err(GiveUp);
            }
        }
        Ok(start + len)
    }

    /// Whether a `---` document marker line starts at `start`.
    fn is_marker(&self, start: usize) -> bool {
        self.bytes.get(start..start + 3) == Some(b"---")
            && matches!(
                self.bytes.get(start + 3),
                None | Some(b' ' | b'\n' | b'\t' | b'\r')
            )
    }

    /// The start of the line after a `---` line with nothing else on it.
    fn marker_line_end(&self, start: usize) -> Option<usize> {
        let end = self.line_end(start).ok()?;
        (self.skip_spaces(start + 3, end) == end).then(|| next_line(end))
    }

    /// Whether a block sequence item (`-` then a space or the line's end) is at `at`.
    fn is_item(&self, at: usize) -> bool {
        self.bytes.get(at) == Some(&b'-')
            && matches!(self.bytes.get(at + 1), None | Some(b' ' | b'\n'))
    }

    /// Whether a plain scalar may start at `at` (not an indicator).
    fn plain_start(&self, at: usize) -> bool {
        !matches!(
            self.bytes.get(at),
            None | Some(
                b'-' | b'?'
                    | b':'
                    | b','
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'#'
                    | b'&'
                    | b'*'
                    | b'!'
                    | b'|'
                    | b'>'
                    | b'\''
                    | b'"'
                    | b'%'
                    | b'@'
                    | b'`'
            )
        )
    }

    /// The colon of an implicit key from `start` (a `:` followed by a space or the
    /// line's end, before any comment), if any.
    fn key_colon(&self, start: usize, end: usize) -> Option<usize> {
        let line = self.bytes.get(start..end)?;
        let mut previous = b'x';
        for (i, &b) in line.iter().enumerate() {
            if b == b'#' && previous == b' ' {
                return None;
            }
            if b == b':' && matches!(line.get(i + 1), None | Some(b' ')) {
                return Some(start + i);
            }
            previous = b;
        }
        None
    }

    /// Where a comment starts on the line (` #`), or `end`.
    fn comment_start(&self, start: usize, end: usize) -> usize {
        let line = self.bytes.get(start..end).unwrap_or_default();
        line.windows(2)
            .position(|pair| pair == b" #")
            .map_or(end, |i| start + i)
    }

    fn skip_spaces(&self, from: usize, end: usize) -> usize {
        let line = self.bytes.get(from..end).unwrap_or_default();
        from + line.iter().take_while(|&&b| b == b' ').count()
    }
}

/// Characters YAML treats specially (line breaks, byte order marks, non-printable):
/// the full parser reads lines holding them.
fn unusual(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9F}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
    )
}

/// Whether `bytes` are all printable ASCII or line breaks. Checked a block at a
/// time without branches inside the block, so the compiler can use SIMD.
fn printable(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|block| {
        block.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7F).contains(&b) | (b == b'\n'))
        })
    })
}

/// The start of the line after the one ending at `end`.
fn next_line(end: usize) -> usize {
    end + 1
}

/// `end` moved back over the spaces that end `bytes[start..end]`.
fn trim_end(bytes: &[u8], start: usize, end: usize) -> usize {
    let slice = bytes.get(start..end).unwrap_or_default();
    start + slice.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1)
}

/// A byte offset as a span bound.
fn at(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
