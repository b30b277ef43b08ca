//! UTF-16 columns of lint findings, for editors in JavaScript.
//!
//! The lint JSON counts columns in characters (as the command line prints them);
//! JavaScript strings and editors (Monaco, CodeMirror, VS Code) count UTF-16 code
//! units. A character outside the Basic Multilingual Plane (an emoji in a label) is
//! one character but two code units.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use super::memory::MemoryFiles;
use crate::source::Source;

/// The lint JSON, as far as positions go.
#[derive(Deserialize)]
struct LintPositions {
    findings: Vec<FindingPosition>,
}

/// A finding's location (1-based, columns in characters; line 0: none).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FindingPosition {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

/// For each finding of the lint JSON `json`, its start and end columns in UTF-16
/// code units (two numbers per finding, in order; 0 for a finding without a
/// location). Empty when `json` is not lint JSON.
pub fn utf16_columns(json: &str, files: &MemoryFiles) -> Vec<u32> {
    let Ok(lint) = serde_json::from_str::<LintPositions>(json) else {
        return Vec::new();
    };
    let mut columns = Vec::with_capacity(lint.findings.len() * 2);
    for f in &lint.findings {
        let source = files.source(&f.file);
        columns.push(utf16_column(source, f.line, f.column));
        columns.push(utf16_column(source, f.end_line, f.end_column));
    }
    columns
}

/// The 1-based UTF-16 column of the 1-based character `column` on `line`. Columns
/// past the end of the line count one unit per character (the line ending).
pub fn utf16_column(source: Option<&Source>, line: u32, column: u32) -> u32 {
    let Some(source) = source.filter(|_| line > 0 && column > 0) else {
        return 0;
    };
    let before = column as usize - 1;
    let mut units = 0usize;
    let mut chars = 0usize;
    for ch in source.line_text(line).chars().take(before) {
        units += ch.len_utf16();
        chars += 1;
    }
    let units = units + (before - chars) + 1;
    u32::try_from(units).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn astral_characters_count_two_units() {
        let source = Source::new("a.yaml", "x: y\nname: \"😀é\" x\n");
        // `x` after `name: "😀é" ` is character 12 and UTF-16 unit 13.
        assert_eq!(utf16_column(Some(&source), 2, 12), 13);
        assert_eq!(utf16_column(Some(&source), 2, 1), 1);
        assert_eq!(utf16_column(Some(&source), 1, 3), 3);
    }

    #[test]
    fn missing_location_is_zero_and_past_end_counts_line_ending() {
        let source = Source::new("a.yaml", "é\n");
        assert_eq!(utf16_column(Some(&source), 0, 0), 0);
        assert_eq!(utf16_column(None, 1, 1), 0);
        assert_eq!(utf16_column(Some(&source), 1, 3), 3);
    }
}
