//! saphyr-parser's markers count characters; spans need bytes.
//!
//! For ASCII text a marker's character index is its byte offset. For other text a
//! cursor walks from the last converted position to the marker's character index,
//! so reading a source converts in O(n) overall (markers arrive in order).
//!
//! One saphyr 0.3 quirk is worked around: after a `%` directive line holding
//! non-ASCII text its index counts that text's bytes instead of characters, so for
//! such a text (and only then) markers are converted by line and column instead (the
//! line stays right; the column is only off on the directive line itself).

use alloc::vec::Vec;

use saphyr_parser::Marker;

/// The UTF-8 byte order mark.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// What kind of text a source is, found once per source.
pub(super) enum Shape {
    /// ASCII text: a character index is a byte offset.
    Ascii,
    /// Other text: convert character indices.
    Unicode,
    /// Text with a `%` line holding non-ASCII text: convert lines and columns; holds
    /// the start of every line of the source.
    DirectiveQuirk(Vec<usize>),
}

impl Shape {
    /// The shape of `text`.
    pub fn of(text: &str) -> Shape {
        if text.is_ascii() {
            Shape::Ascii
        } else if has_non_ascii_directive(text.as_bytes()) {
            Shape::DirectiveQuirk(line_starts(text.as_bytes()))
        } else {
            Shape::Unicode
        }
    }
}

/// How markers are converted, with the cursor's position.
enum Mode<'t> {
    /// ASCII text.
    Ascii,
    /// By character index: the cursor's character index.
    Index { chars: usize },
    /// By line and column: the source's line starts, the source line the run starts
    /// on, and the cursor's 1-based line (in the run) and 0-based column.
    Lines {
        starts: &'t [usize],
        first_line: usize,
        line: usize,
        column: usize,
    },
}

/// Marker → byte offset converter over one parser run.
pub(super) struct Offsets<'t> {
    bytes: &'t [u8],
    /// Byte offset of `bytes` in the whole source.
    base: usize,
    mode: Mode<'t>,
    /// The cursor's byte offset in `bytes`.
    at: usize,
}

impl<'t> Offsets<'t> {
    /// A converter for a run over `text`, which starts at byte `base` (a line start)
    /// of a source of shape `shape`.
    pub fn new(text: &'t str, base: usize, shape: &'t Shape) -> Self {
        let mode = match shape {
            Shape::Ascii => Mode::Ascii,
            Shape::Unicode => Mode::Index { chars: 0 },
            Shape::DirectiveQuirk(starts) => Mode::Lines {
                starts,
                first_line: starts
                    .partition_point(|&start| start <= base)
                    .saturating_sub(1),
                line: 1,
                column: 0,
            },
        };
        Offsets {
            bytes: text.as_bytes(),
            base,
            mode,
            at: 0,
        }
    }

    /// The source byte offset of `marker` (clamped to the text, on a character
    /// boundary).
    pub fn byte(&mut self, marker: &Marker) -> u32 {
        let offset = match self.mode {
            Mode::Ascii => marker.index().min(self.bytes.len()),
            Mode::Index { .. } => self.seek_index(marker.index()),
            Mode::Lines { .. } => self.seek_line(marker.line(), marker.col()),
        };
        u32::try_from(self.base + offset).unwrap_or(u32::MAX)
    }

    fn seek_index(&mut self, index: usize) -> usize {
        let Mode::Index { chars } = &mut self.mode else {
            return self.at;
        };
        while *chars < index {
            let Some(&first) = self.bytes.get(self.at) else {
                break;
            };
            self.at = (self.at + utf8_width(first)).min(self.bytes.len());
            *chars += 1;
        }
        while *chars > index && self.at > 0 {
            self.at -= 1;
            while self.at > 0 && self.bytes.get(self.at).is_some_and(|&b| is_continuation(b)) {
                self.at -= 1;
            }
            *chars -= 1;
        }
        self.at
    }

    fn seek_line(&mut self, line: usize, column: usize) -> usize {
        let Mode::Lines {
            starts,
            first_line,
            line: cursor_line,
            column: cursor_column,
        } = &mut self.mode
        else {
            return self.at;
        };
        let (base, len) = (self.base, self.bytes.len());
        // The start of the run's 1-based `line`, relative to the run.
        let start_of = |line: usize| {
            starts
                .get(*first_line + line.saturating_sub(1))
                .map_or(len, |&start| start.saturating_sub(base).min(len))
        };
        if line != *cursor_line || column < *cursor_column {
            *cursor_line = line;
            *cursor_column = 0;
            self.at = start_of(line);
            // saphyr does not count a byte order mark starting a line as a column.
            if self
                .bytes
                .get(self.at..)
                .is_some_and(|rest| rest.starts_with(BOM))
            {
                self.at += BOM.len();
            }
        }
        let line_end = start_of(line + 1);
        while *cursor_column < column && self.at < line_end {
            let width = self.bytes.get(self.at).map_or(1, |&b| utf8_width(b));
            self.at = (self.at + width).min(line_end);
            *cursor_column += 1;
        }
        self.at
    }
}

/// Whether a line starting with `%` holds non-ASCII text.
fn has_non_ascii_directive(bytes: &[u8]) -> bool {
    let mut line_start = true;
    let mut in_directive = false;
    for &b in bytes {
        if line_start {
            in_directive = b == b'%';
        }
        if in_directive && !b.is_ascii() {
            return true;
        }
        line_start = b == b'\n' || b == b'\r';
    }
    false
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// The start of every line, counting CR LF, LF and a lone CR as line breaks (as YAML
/// and saphyr-parser do).
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
    starts.push(0);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        let lone_cr = b == b'\r' && bytes.get(i) != Some(&b'\n');
        if b == b'\n' || lone_cr {
            starts.push(i);
        }
    }
    starts
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_indices_forwards_and_backwards() {
        let shape = Shape::of("aé😀b");
        assert!(matches!(shape, Shape::Unicode));
        let mut offsets = Offsets::new("aé😀b", 10, &shape);
        let at = |index| Marker::new(index, 1, index);
        assert_eq!(offsets.byte(&at(0)), 10);
        assert_eq!(offsets.byte(&at(3)), 17);
        assert_eq!(offsets.byte(&at(2)), 13);
        assert_eq!(offsets.byte(&at(1)), 11);
        assert_eq!(offsets.byte(&at(4)), 18);
        assert_eq!(offsets.byte(&at(99)), 18);
        let ascii = Shape::of("abc");
        let mut offsets = Offsets::new("abc", 0, &ascii);
        assert_eq!(offsets.byte(&at(2)), 2);
        assert_eq!(offsets.byte(&at(7)), 3);
    }

    #[test]
    fn after_a_non_ascii_directive_lines_and_columns_convert() {
        let source = "a: 1\n---\n%é\r\nc\rdé\nx";
        assert!(!has_non_ascii_directive("a: é\n%YAML 1.2\n".as_bytes()));
        let shape = Shape::of(source);
        assert!(matches!(shape, Shape::DirectiveQuirk(_)));
        // A run starting at the third line, byte 9.
        let mut offsets = Offsets::new(&source[9..], 9, &shape);
        let at = |line, col| Marker::new(0, line, col);
        assert_eq!(offsets.byte(&at(1, 1)), 10);
        assert_eq!(offsets.byte(&at(2, 0)), 14);
        assert_eq!(offsets.byte(&at(3, 0)), 16);
        assert_eq!(offsets.byte(&at(3, 2)), 19);
        assert_eq!(offsets.byte(&at(3, 1)), 17);
        assert_eq!(offsets.byte(&at(4, 0)), 20);
        // Past the end of a line or of the text: clamped.
        assert_eq!(offsets.byte(&at(4, 9)), 21);
        assert_eq!(offsets.byte(&at(9, 0)), 21);
    }

    #[test]
    fn lines_break_at_cr_lf_and_lone_cr() {
        assert_eq!(line_starts(b"a\r\nb\rc\nd"), [0, 3, 5, 7]);
        assert_eq!(line_starts(b"a\n"), [0, 2]);
    }

    #[test]
    fn a_byte_order_mark_starting_a_line_is_not_a_column() {
        let source = "%é\n\u{feff}[é]\n\u{feff}a";
        let shape = Shape::of(source);
        let mut offsets = Offsets::new(source, 0, &shape);
        assert_eq!(offsets.byte(&Marker::new(0, 2, 0)), 7);
        assert_eq!(offsets.byte(&Marker::new(0, 2, 2)), 10);
        assert_eq!(offsets.byte(&Marker::new(0, 3, 0)), 15);
    }
}
