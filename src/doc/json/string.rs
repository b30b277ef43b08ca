//! JSON strings: escapes, `\u` surrogate pairs, and the characters JSON forbids.

use alloc::string::String;

use super::{Parser, SyntaxError};

impl Parser<'_> {
    /// Reads a string whose opening quote is at the current position.
    pub(super) fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1;
        // The common case, no escapes: one exact allocation.
        let start = self.pos;
        let length = self
            .rest()
            .bytes()
            .position(|b| b == b'"' || b == b'\\' || b < 0x20);
        if let Some(end) = length.map(|length| start + length) {
            if self.text.as_bytes().get(end) == Some(&b'"') {
                self.pos = end + 1;
                return Ok(String::from(self.text.get(start..end).unwrap_or("")));
            }
        }
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("unexpected end of input in a string")),
            }
        }
    }

    /// Reads the escape after a backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let Some(byte) = self.peek() else {
            return Err(self.error("unexpected end of input in a string"));
        };
        let decoded = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.pos += 1;
                out.push(self.unicode_escape()?);
                return Ok(());
            }
            _ => return Err(self.error("invalid escape in a string")),
        };
        self.pos += 1;
        out.push(decoded);
        Ok(())
    }

    /// Reads the `XXXX` of `\uXXXX` (and a low surrogate's `\uXXXX` after a high
    /// one). A lone surrogate becomes U+FFFD, as Go's decoder does.
    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let first = self.hex4()?;
        if !(0xD800..0xDC00).contains(&first) {
            return Ok(char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
        if !self.rest().starts_with("\\u") {
            return Ok(char::REPLACEMENT_CHARACTER);
        }
        let before = self.pos;
        self.pos += 2;
        let second = self.hex4()?;
        if !(0xDC00..0xE000).contains(&second) {
            // Not a pair: the high surrogate stands alone; read the next escape anew.
            self.pos = before;
            return Ok(char::REPLACEMENT_CHARACTER);
        }
        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        Ok(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    /// Reads four hexadecimal digits.
    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.error("invalid \\u escape in a string"));
            };
            value = value * 16 + digit;
            self.pos += 1;
        }
        Ok(value)
    }
}
