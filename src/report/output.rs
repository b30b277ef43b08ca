//! [`Output`]: where a renderer writes. Either everything is collected in memory,
//! or it is handed to the host in pieces as it is written, so that a large report
//! (a SARIF log of tens of thousands of results) is never held whole.

use alloc::string::String;
use core::fmt;

/// How many bytes are gathered before a piece goes to the host.
const PIECE: usize = 64 * 1024;

/// Writes the pieces of a streamed output; false when the host cannot take them
/// (the output is then collected instead).
pub type Writer<'w> = &'w mut dyn FnMut(&str) -> bool;

/// A renderer's output: collected ([`Output::collect`]) or streamed
/// ([`Output::streamed`]).
pub struct Output<'w> {
    pending: String,
    writer: Option<Writer<'w>>,
}

impl<'w> Output<'w> {
    /// An output kept whole in memory ([`Output::finish`] returns all of it).
    pub fn collect() -> Self {
        Output {
            pending: String::new(),
            writer: None,
        }
    }

    /// An output handed to `writer` in pieces of about 64 KB, in order. When the
    /// writer declines a piece, that piece and the rest are collected.
    pub fn streamed(writer: Writer<'w>) -> Self {
        Output {
            pending: String::new(),
            writer: Some(writer),
        }
    }

    /// Appends `text`.
    pub fn push_str(&mut self, text: &str) {
        self.pending.push_str(text);
        if self.pending.len() >= PIECE {
            self.hand_on();
        }
    }

    /// Appends `c`.
    pub fn push(&mut self, c: char) {
        let mut buffer = [0; 4];
        self.push_str(c.encode_utf8(&mut buffer));
    }

    /// Hands what is left to the writer; returns what was not streamed (everything,
    /// for a collected output; nothing once a writer took it all).
    pub fn finish(mut self) -> String {
        self.hand_on();
        self.pending
    }

    fn hand_on(&mut self) {
        if let Some(writer) = self.writer.as_mut() {
            if self.pending.is_empty() {
                return;
            }
            if writer(&self.pending) {
                self.pending.clear();
            } else {
                self.writer = None;
            }
        }
    }
}

impl fmt::Write for Output<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use core::fmt::Write as _;

    #[test]
    fn a_collected_output_keeps_everything() {
        let mut out = Output::collect();
        out.push_str("a");
        out.push('é');
        let _ = write!(out, "{}", 7);
        assert_eq!(out.finish(), "aé7");
    }

    #[test]
    fn a_streamed_output_hands_on_large_pieces_in_order_and_keeps_nothing() {
        let mut pieces: Vec<String> = Vec::new();
        let mut writer = |piece: &str| {
            pieces.push(String::from(piece));
            true
        };
        let mut out = Output::streamed(&mut writer);
        let line = "x".repeat(1000) + "\n";
        for _ in 0..200 {
            out.push_str(&line);
        }
        assert_eq!(out.finish(), "");
        assert!(pieces.len() > 2, "{} pieces", pieces.len());
        assert!(pieces.iter().all(|p| p.len() <= PIECE + line.len()));
        assert_eq!(pieces.concat(), line.repeat(200));
    }

    #[test]
    fn a_declined_piece_and_the_rest_are_collected() {
        let mut offered = 0;
        let mut writer = |_: &str| {
            offered += 1;
            false
        };
        let mut out = Output::streamed(&mut writer);
        let text = "y".repeat(PIECE + 1);
        out.push_str(&text);
        out.push_str("z");
        assert_eq!(out.finish(), text + "z");
        assert_eq!(offered, 1);
    }
}
