//! Byte offsets of a source ↔ LSP positions (0-based lines, UTF-16 columns).

use std::prelude::rust_2021::*;

use lsp_types::{Position, Range};

use crate::source::{Source, Span};

/// The LSP position of the byte `offset` of `source`.
pub fn position(source: &Source, offset: u32) -> Position {
    let at = source.position(offset);
    Position {
        line: at.line.saturating_sub(1),
        character: at.utf16_column.saturating_sub(1),
    }
}

/// The LSP range of `span` in `source`.
pub fn range(source: &Source, span: Span) -> Range {
    Range {
        start: position(source, span.start),
        end: position(source, span.end),
    }
}

/// The byte offset of the LSP position `at` in `text` (clamped to its line and to
/// the text; a column inside a surrogate pair counts as the character).
pub fn offset(text: &str, at: Position) -> u32 {
    let mut line_start = 0usize;
    for _ in 0..at.line {
        match text.get(line_start..).and_then(|rest| rest.find('\n')) {
            Some(newline) => line_start += newline + 1,
            None => return byte_count(text.len()),
        }
    }
    let line = text.get(line_start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or(line);
    let mut units = 0u32;
    for (index, character) in line.char_indices() {
        if units >= at.character || character == '\r' {
            return byte_count(line_start + index);
        }
        units += u32::try_from(character.len_utf16()).unwrap_or(1);
    }
    byte_count(line_start + line.len())
}

fn byte_count(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_agree_on_utf16_columns() {
        let source = Source::new("a.yaml", "a: 1\nb: \"😀é\" # x\n");
        let x = source.text().find('#').unwrap() as u32;
        let at = position(&source, x);
        // 😀 counts two UTF-16 units, é one: `b: "` 4 + 2 + 1 + `" ` 2 = 9.
        assert_eq!(
            at,
            Position {
                line: 1,
                character: 9
            }
        );
        assert_eq!(offset(source.text(), at), x);
    }

    #[test]
    fn positions_past_the_end_are_clamped() {
        let text = "a: 1\r\nb: 2";
        assert_eq!(
            offset(
                text,
                Position {
                    line: 0,
                    character: 40
                }
            ),
            4
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 9,
                    character: 0
                }
            ),
            10
        );
        assert_eq!(
            offset(
                text,
                Position {
                    line: 1,
                    character: 1
                }
            ),
            7
        );
    }
}
