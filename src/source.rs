//! Sources, byte spans and line/column positions.
//!
//! Every node of the document tree and every decoded field a message may point at
//! keeps a [`Span`] of byte offsets into its [`Source`]. Line and column come from the
//! source's line table when a diagnostic is rendered.

use alloc::string::String;
use alloc::vec::Vec;

/// A half-open range of byte offsets `start..end` into one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// Index of a [`Source`] in a [`SourceSet`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub u32);

/// A 1-based line and column. Columns count characters (Unicode scalar values);
/// `utf16_column` counts UTF-16 code units, for editors in JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
    /// 1-based column in UTF-16 code units.
    pub utf16_column: u32,
}

/// One input text with its display name (a path, `-` for stdin, or a caller's name).
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    text: String,
    line_starts: Vec<u32>,
    has_lines: bool,
    invalid_utf8: Option<InvalidUtf8>,
}

/// Where a source's bytes stop being UTF-8 (see [`Source::from_bytes`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Byte offset of the first byte that is not part of a valid UTF-8 character.
    pub offset: u32,
    /// That byte.
    pub byte: u8,
}

impl Source {
    /// A source named `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        // Counted first, so a large text's line table is allocated once, exactly.
        let breaks = || memchr::memchr_iter(b'\n', text.as_bytes());
        let mut line_starts = Vec::with_capacity(1 + breaks().count());
        line_starts.push(0);
        line_starts.extend(breaks().map(|at| u32::try_from(at + 1).unwrap_or(u32::MAX)));
        Source {
            name: name.into(),
            text,
            line_starts,
            invalid_utf8: None,
            has_lines: true,
        }
    }

    /// A source named `name` for an object given already parsed (a JavaScript
    /// object, an OPA input): it has no text and no lines, so every position in it
    /// is line 0, column 0.
    pub fn object(name: impl Into<String>) -> Self {
        Source {
            has_lines: false,
            ..Source::new(name, "")
        }
    }

    /// Whether positions in this source have lines (false for [`Source::object`]).
    pub fn has_lines(&self) -> bool {
        self.has_lines
    }

    /// A source named `name` from raw bytes. Bytes that are not UTF-8 do not stop
    /// the run: the text keeps the valid part with U+FFFD in place of each bad
    /// sequence, and [`Source::invalid_utf8`] says where the first one is, so the
    /// readers report the file instead of reading it.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Source::new(name, text),
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let bytes = error.into_bytes();
                let invalid = InvalidUtf8 {
                    offset: u32::try_from(valid).unwrap_or(u32::MAX),
                    byte: bytes.get(valid).copied().unwrap_or(0),
                };
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut source = Source::new(name, text);
                source.invalid_utf8 = Some(invalid);
                source
            }
        }
    }

    /// Where the bytes this source was made from stop being UTF-8 (`None` when they
    /// are UTF-8). The offset is also valid in [`Source::text`]: everything before it
    /// is kept as it was.
    pub fn invalid_utf8(&self) -> Option<InvalidUtf8> {
        self.invalid_utf8
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text of `span` (empty if the span is out of range or splits a character).
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// Number of lines (a text without a final newline still counts its last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The text of the 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: u32) -> &str {
        let index = (line as usize).saturating_sub(1);
        let start = self.line_starts.get(index).copied().unwrap_or(0) as usize;
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next as usize);
        let line = self.text.get(start..end).unwrap_or("");
        line.trim_end_matches('\n').trim_end_matches('\r')
    }

    /// The position of the byte `offset` (clamped to the text; an offset inside a
    /// character counts as that character). All zeros in a source without lines.
    pub fn position(&self, offset: u32) -> Position {
        if !self.has_lines {
            return Position {
                line: 0,
                column: 0,
                utf16_column: 0,
            };
        }
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let bytes = self.text.as_bytes();
        let line = u32::try_from(line_index + 1).unwrap_or(u32::MAX);
        let before = bytes.get(line_start as usize..offset as usize);
        if let Some(ascii) = before.filter(|b| b.is_ascii()) {
            // One character (and one UTF-16 unit) per byte: no need to walk them.
            let column = u32::try_from(ascii.len()).map_or(u32::MAX, |n| n.saturating_add(1));
            return Position {
                line,
                column,
                utf16_column: column,
            };
        }
        let (mut column, mut utf16_column) = (1u32, 1u32);
        let mut i = line_start as usize;
        while i < offset as usize {
            let Some(&b) = bytes.get(i) else { break };
            let width = utf8_width(b);
            column += 1;
            utf16_column += if width == 4 { 2 } else { 1 };
            i += width;
        }
        Position {
            line,
            column,
            utf16_column,
        }
    }
}

/// Byte length of the UTF-8 sequence that starts with `first`.
fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// All sources of one run, addressed by [`SourceId`].
#[derive(Clone, Debug, Default)]
pub struct SourceSet {
    sources: Vec<Source>,
}

impl SourceSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `source` and returns its id.
    pub fn add(&mut self, source: Source) -> SourceId {
        self.sources.push(source);
        SourceId(u32::try_from(self.sources.len() - 1).unwrap_or(u32::MAX))
    }

    /// The source with id `id`, if any.
    pub fn get(&self, id: SourceId) -> Option<&Source> {
        self.sources.get(id.0 as usize)
    }

    /// The sources, in order, taken out of the set.
    pub fn into_sources(self) -> impl Iterator<Item = Source> {
        self.sources.into_iter()
    }

    /// Iterates over `(id, source)` in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &Source)> {
        self.sources
            .iter()
            .enumerate()
            .map(|(i, s)| (SourceId(u32::try_from(i).unwrap_or(u32::MAX)), s))
    }

    /// Replaces the source with id `id` (no change when there is none).
    pub fn replace(&mut self, id: SourceId, source: Source) {
        if let Some(slot) = self.sources.get_mut(id.0 as usize) {
            *slot = source;
        }
    }

    /// Removes the source with id `id`; the sources after it move down by one.
    pub fn remove(&mut self, id: SourceId) -> Option<Source> {
        let index = id.0 as usize;
        (index < self.sources.len()).then(|| self.sources.remove(index))
    }

    /// Number of sources.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_utf16_units() {
        let src = Source::new("a.yaml", "a: b\nlabel: \"café😀\" x\n");
        let x = src.text().find(" x").unwrap() as u32 + 1;
        let pos = src.position(x);
        assert_eq!(pos.line, 2);
        assert_eq!(pos.column, 16);
        assert_eq!(pos.utf16_column, 17);
        assert_eq!(src.line_text(2), "label: \"café😀\" x");
        assert_eq!(
            src.position(0),
            Position {
                line: 1,
                column: 1,
                utf16_column: 1
            }
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located_and_replaced() {
        let src = Source::from_bytes("latin1.yaml", b"a: b\nname: caf\xe9\n".to_vec());
        let invalid = src.invalid_utf8().unwrap();
        assert_eq!(
            invalid,
            InvalidUtf8 {
                offset: 14,
                byte: 0xE9
            }
        );
        assert_eq!(src.text(), "a: b\nname: caf\u{FFFD}\n");
        let position = src.position(invalid.offset);
        assert_eq!((position.line, position.column), (2, 10));
        let fine = Source::from_bytes("utf8.yaml", "name: café\n".as_bytes().to_vec());
        assert_eq!(fine.invalid_utf8(), None);
        assert_eq!(fine.text(), "name: café\n");
    }

    #[test]
    fn object_sources_have_no_lines() {
        let src = Source::object("pod");
        assert!(!src.has_lines());
        assert_eq!((src.position(0).line, src.position(0).column), (0, 0));
        assert!(Source::new("a", "x").has_lines());
    }

    #[test]
    fn sets_replace_and_remove_by_id() {
        let mut set = SourceSet::new();
        let a = set.add(Source::new("a", "1"));
        set.add(Source::new("b", "2"));
        set.replace(a, Source::new("a", "3"));
        assert_eq!(set.get(a).map(Source::text), Some("3"));
        assert_eq!(
            set.remove(a).map(|s| String::from(s.name())),
            Some(String::from("a"))
        );
        assert_eq!(set.get(SourceId(0)).map(Source::name), Some("b"));
        assert!(set.remove(SourceId(5)).is_none());
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let src = Source::new("a", "ab");
        assert_eq!(src.position(99).column, 3);
    }
}
