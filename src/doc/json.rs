//! JSON reader: one RFC 8259 document per source, every node and key spanned.
//!
//! Hand-written (no JSON crate gives spans without `std`) and iterative: open
//! collections live on the [`Builder`]'s stack, so nesting depth is only bounded by
//! [`Limits::max_depth`], never by the call stack. Problems are reported as
//! `yaml-syntax` (the one rule id for unreadable documents), `duplicate-field`, and
//! the limit rule ids.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

pub use super::tree::ItemSink;
use super::tree::{self, key_text, Builder, Dropped, Key};
use super::{Document, Limits, Node, ReadResult, Value};
use crate::diag::Diagnostic;
use crate::source::{Source, SourceId, Span};

mod string;

/// Reads `source` as one JSON document (see [`super::read`]).
pub fn read(source: &Source, id: SourceId, limits: &Limits) -> ReadResult {
    super::collect(|each| read_each(source, id, limits, each))
}

/// Reads `source` as one JSON document, handing it to `each` (see
/// [`super::read_each`]).
pub fn read_each(
    source: &Source,
    id: SourceId,
    limits: &Limits,
    each: &mut dyn FnMut(Document, Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    read_streaming(source, id, limits, None, each)
}

/// Reads `source` as one JSON document like [`read_each`], but hands each item of a
/// top-level object's `items` list (a `List`) to `item` as soon as it is complete,
/// with the root's entries read so far and the diagnostics met since the previous
/// item. An item `item` takes (returns `None` for) is left out of the document's
/// tree, so a list need not be held whole; one it gives back stays in the tree.
pub fn read_each_item(
    source: &Source,
    id: SourceId,
    limits: &Limits,
    item: &mut ItemSink<'_>,
    each: &mut dyn FnMut(Document, Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    read_streaming(source, id, limits, Some(item), each)
}

fn read_streaming<'s>(
    source: &'s Source,
    id: SourceId,
    limits: &'s Limits,
    item: Option<&'s mut ItemSink<'s>>,
    each: &mut dyn FnMut(Document, Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    if let Some(diagnostic) = tree::check_source(source, id, limits) {
        return vec![diagnostic];
    }
    let mut builder = Builder::new(id, source.text(), limits);
    if let Some(item) = item {
        builder.stream_items(item);
    }
    let mut parser = Parser {
        text: source.text(),
        pos: 0,
    };
    match parser.document(&mut builder) {
        Ok(Some(root)) if limits.max_documents == 0 => {
            let message = String::from("the input holds more than 0 documents");
            let span = Span::new(root.span.start, root.span.start);
            let diagnostic = tree::error(tree::TOO_MANY_DOCUMENTS, id, span, message);
            builder.diagnostics.push(diagnostic);
        }
        Ok(Some(root)) => {
            let met = core::mem::take(&mut builder.diagnostics);
            each(Document { root }, met);
        }
        Ok(None) => {}
        Err(error) => {
            let position = source.position(error.at);
            let message = format!(
                "{} at line {} column {}",
                error.message, position.line, position.column
            );
            let span = builder.char_at(error.at);
            builder
                .diagnostics
                .push(tree::error(tree::SYNTAX, id, span, message));
        }
    }
    builder.diagnostics
}

/// A syntax error: what was expected, and the byte where reading stopped.
struct SyntaxError {
    message: &'static str,
    at: u32,
}

/// What the parser expects next.
#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// Any value.
    Value,
    /// The first value of an array, or its end.
    FirstItem,
    /// The first key of an object, or its end.
    FirstKey,
    /// After a complete value: a separator, a closing bracket, or the end.
    Next,
}

/// The reading position in the text.
struct Parser<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Parser<'t> {
    /// Reads the whole text; `Ok(None)` when a limit dropped the document.
    fn document(&mut self, builder: &mut Builder) -> Result<Option<Node>, SyntaxError> {
        if self.text.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
        }
        let mut expect = Expect::Value;
        loop {
            self.skip_whitespace();
            let step = match expect {
                Expect::Value => self.value(builder)?,
                Expect::FirstItem if self.peek() == Some(b']') => self.close(builder)?,
                Expect::FirstItem => self.value(builder)?,
                Expect::FirstKey if self.peek() == Some(b'}') => self.close(builder)?,
                Expect::FirstKey => self.key_then_value(builder)?,
                Expect::Next => self.after_value(builder)?,
            };
            match step {
                Step::Expect(next) => expect = next,
                Step::Root(root) => {
                    self.skip_whitespace();
                    if self.pos < self.text.len() {
                        return Err(self.error("trailing characters after the JSON value"));
                    }
                    return Ok(Some(root));
                }
                Step::Dropped => return Ok(None),
            }
        }
    }

    /// Reads a value (a scalar, or the opening bracket of a collection).
    fn value(&mut self, builder: &mut Builder) -> Result<Step, SyntaxError> {
        let start = self.offset();
        let Some(byte) = self.peek() else {
            return Err(self.error("unexpected end of input, expected a value"));
        };
        let value = match byte {
            b'{' => {
                self.pos += 1;
                return Ok(Step::opened(builder.begin_map(start, 0), Expect::FirstKey));
            }
            b'[' => {
                self.pos += 1;
                return Ok(Step::opened(builder.begin_seq(start, 0), Expect::FirstItem));
            }
            b'"' => Value::String(self.string()?),
            b't' => self.literal("true", Value::Bool(true))?,
            b'f' => self.literal("false", Value::Bool(false))?,
            b'n' => self.literal("null", Value::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return Err(self.error("expected a value")),
        };
        let node = Node {
            span: Span::new(start, self.offset()),
            value,
        };
        Ok(Step::placed(builder.scalar(node, 0)))
    }

    /// Reads `"key" :` and then the value.
    fn key_then_value(&mut self, builder: &mut Builder) -> Result<Step, SyntaxError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key"));
        }
        let start = self.offset();
        let text = self.string()?;
        let span = Span::new(start, self.offset());
        self.skip_whitespace();
        if self.peek() != Some(b':') {
            return Err(self.error("expected ':' after an object key"));
        }
        self.pos += 1;
        builder.key(Key {
            text: key_text(Cow::Owned(text)),
            span,
            merge: false,
        });
        self.skip_whitespace();
        self.value(builder)
    }

    /// After a value inside a collection: `,` and the next item, or the closing bracket.
    fn after_value(&mut self, builder: &mut Builder) -> Result<Step, SyntaxError> {
        let in_seq = builder.in_seq().unwrap_or(true);
        match (self.peek(), in_seq) {
            (Some(b','), true) => {
                self.pos += 1;
                Ok(Step::Expect(Expect::Value))
            }
            (Some(b','), false) => {
                self.pos += 1;
                self.skip_whitespace();
                self.key_then_value(builder)
            }
            (Some(b']'), true) | (Some(b'}'), false) => self.close(builder),
            (None, _) => {
                Err(self.error("unexpected end of input, expected ',' or a closing bracket"))
            }
            (_, true) => Err(self.error("expected ',' or ']' after an array element")),
            (_, false) => Err(self.error("expected ',' or '}' after an object member")),
        }
    }

    /// Consumes a closing bracket and closes the innermost collection.
    fn close(&mut self, builder: &mut Builder) -> Result<Step, SyntaxError> {
        self.pos += 1;
        Ok(Step::placed(builder.end(Some(self.offset()))))
    }

    /// Reads `word` (already seen to start with its first byte).
    fn literal(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.rest().starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// Reads a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected a digit in the number")),
        }
        let mut integer = true;
        if self.eat(b'.') {
            integer = false;
            self.required_digits()?;
        }
        if self.eat(b'e') || self.eat(b'E') {
            integer = false;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            self.required_digits()?;
        }
        let text = self.text.get(start..self.pos).unwrap_or("0");
        if integer {
            if let Ok(int) = text.parse::<i64>() {
                return Ok(Value::Int(int));
            }
        }
        match text.parse::<f64>() {
            Ok(float) => Ok(Value::Float(float)),
            Err(_) => Err(self.error("invalid number")),
        }
    }

    fn required_digits(&mut self) -> Result<(), SyntaxError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error("expected a digit in the number"));
        }
        self.digits();
        Ok(())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &'t str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn offset(&self) -> u32 {
        u32::try_from(self.pos).unwrap_or(u32::MAX)
    }

    fn error(&self, message: &'static str) -> SyntaxError {
        SyntaxError {
            message,
            at: self.offset(),
        }
    }
}

/// What one parsing step led to.
enum Step {
    /// Keep reading.
    Expect(Expect),
    /// The root value is complete.
    Root(Node),
    /// A limit dropped the document.
    Dropped,
}

impl Step {
    /// After opening a collection.
    fn opened(result: Result<(), Dropped>, next: Expect) -> Step {
        match result {
            Ok(()) => Step::Expect(next),
            Err(Dropped) => Step::Dropped,
        }
    }

    /// After a value was placed in its collection (or became the root).
    fn placed(result: Result<Option<Node>, Dropped>) -> Step {
        match result {
            Ok(Some(root)) => Step::Root(root),
            Ok(None) => Step::Expect(Expect::Next),
            Err(Dropped) => Step::Dropped,
        }
    }
}

#[cfg(test)]
mod tests;
