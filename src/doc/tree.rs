//! Building the spanned tree from the readers' events, shared by both readers.
//!
//! The [`Builder`] keeps an explicit stack of open collections (no recursion, so deep
//! input cannot overflow the stack) and enforces the [`Limits`] on nesting and node
//! count, finds repeated keys (`duplicate-field`), and expands YAML anchors, aliases
//! and merge keys the way Kubernetes' YAML decoder (go-yaml v2) does.

// Anchors, aliases and merge keys only exist in YAML.
#![cfg_attr(not(feature = "yaml"), allow(dead_code))]

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Entry, Limits, Node, Value};
use crate::diag::{Diagnostic, Severity};
use crate::source::{Source, SourceId, Span};

mod keys;

#[cfg(feature = "yaml")]
pub(super) use keys::exact;
pub(super) use keys::key_text;

/// Rule id of an unreadable document.
pub(super) const SYNTAX: &str = "yaml-syntax";
/// Rule id of a key repeated in one mapping.
pub(super) const DUPLICATE_FIELD: &str = "duplicate-field";
/// Rule id of a source above [`Limits::max_bytes`].
pub(super) const INPUT_TOO_LARGE: &str = "input-too-large";
/// Rule id of a source with more than [`Limits::max_documents`] documents.
pub(super) const TOO_MANY_DOCUMENTS: &str = "too-many-documents";
/// Rule id of collections nested deeper than [`Limits::max_depth`].
pub(super) const NESTING_TOO_DEEP: &str = "nesting-too-deep";
/// Rule id of a source making more than [`Limits::max_nodes`] nodes, or of excessive
/// aliasing.
pub(super) const ALIAS_EXPANSION_LIMIT: &str = "alias-expansion-limit";

/// An error diagnostic of `rule` at `span`.
pub(super) fn error(rule: &'static str, id: SourceId, span: Span, message: String) -> Diagnostic {
    Diagnostic::new(rule, Severity::Error, message).at(id, span)
}

/// Rule id of a source whose bytes are not UTF-8.
pub(super) const INVALID_ENCODING: &str = "invalid-encoding";

/// The diagnostic that stops `source` from being read, if any: `input-too-large`
/// when it exceeds the limit, `invalid-encoding` when its bytes were not UTF-8 (at the
/// first bad byte).
pub(super) fn check_source(source: &Source, id: SourceId, limits: &Limits) -> Option<Diagnostic> {
    let len = source.text().len();
    if len > limits.max_bytes {
        let message = format!(
            "input is {len} bytes, more than the limit of {} bytes",
            limits.max_bytes
        );
        return Some(error(INPUT_TOO_LARGE, id, Span::new(0, 0), message));
    }
    source.invalid_utf8().map(|invalid| {
        let line = source.position(invalid.offset).line;
        let message = format!(
            "input is not UTF-8: byte `0x{:02X}` at offset {} (line {line}) is not part of a UTF-8 character",
            invalid.byte, invalid.offset
        );
        let span = Span::new(invalid.offset, invalid.offset.saturating_add(1));
        error(INVALID_ENCODING, id, span, message)
            .with_help("save the file as UTF-8 (for example `iconv -f latin1 -t utf-8`)")
    })
}

/// Moves the contents of `buffer` into a vector of their exact size, leaving `buffer`
/// empty with its capacity for reuse.
fn move_exact<T>(buffer: &mut Vec<T>) -> Vec<T> {
    let mut exact = Vec::with_capacity(buffer.len());
    exact.append(buffer);
    exact
}

/// Marks that the current document was dropped; its diagnostic is already recorded.
#[derive(Debug)]
pub(super) struct Dropped;

/// A mapping key as read.
pub(super) struct Key {
    /// The key's text.
    pub text: Cow<'static, str>,
    /// The key's bytes.
    pub span: Span,
    /// Whether this is a YAML merge key (a plain, untagged `<<`).
    pub merge: bool,
}

/// Entries a merge key brings in, and where in the explicit entries it stood.
struct Merge {
    at: usize,
    entries: Vec<Entry>,
}

/// The content of an open collection.
enum Items {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        key: Option<Key>,
        merges: Vec<Merge>,
    },
}

/// An open collection.
struct Frame {
    start: u32,
    last_end: u32,
    items: Items,
    anchor: usize,
    decoded_at_start: usize,
    /// Levels of collections from this one down (1 while it holds only scalars).
    height: usize,
    /// Items handed to the item sink instead of kept (they still count in paths).
    handed_out: usize,
}

/// A node an anchor names, with what expanding it costs.
struct Anchored {
    node: Node,
    key_text: Option<String>,
    nodes: usize,
    height: usize,
}

/// Takes a completed item of a top-level object's `items` list (with the root's
/// entries read so far and the diagnostics met since the previous item); gives it
/// back to keep it in the tree, or `None` when it took it.
pub type ItemSink<'s> = dyn FnMut(Node, &[Entry], Vec<Diagnostic>) -> Option<Node> + 's;

/// Builds documents from start/end/scalar events, one document at a time.
pub(super) struct Builder<'a> {
    id: SourceId,
    text: &'a str,
    limits: &'a Limits,
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, Anchored>,
    /// Nodes decoded in this document, aliases expanded (go-yaml's `decodeCount`).
    decoded: usize,
    /// Nodes of this document that came from alias expansion (go-yaml's `aliasCount`).
    aliased: usize,
    /// Nodes of the whole source, aliases expanded.
    total: usize,
    /// Emptied buffers of closed collections, reused by the next ones opened: a
    /// collection is collected in a buffer and moved out at its exact size, so the
    /// tree holds no spare capacity and building it does not regrow vectors.
    spare_items: Vec<Vec<Node>>,
    /// The same for mappings.
    spare_entries: Vec<Vec<Entry>>,
    /// Where items of a top-level `items` list go as they complete, if anywhere.
    item_sink: Option<&'a mut ItemSink<'a>>,
    /// Diagnostics met so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Builder<'a> {
    /// A builder for the source `id` holding `text`.
    pub fn new(id: SourceId, text: &'a str, limits: &'a Limits) -> Self {
        Builder {
            id,
            text,
            limits,
            stack: Vec::new(),
            anchors: BTreeMap::new(),
            decoded: 0,
            aliased: 0,
            total: 0,
            spare_items: Vec::new(),
            spare_entries: Vec::new(),
            item_sink: None,
            diagnostics: Vec::new(),
        }
    }

    /// Hands every completed item of a top-level object's `items` list to `sink`
    /// (see [`ItemSink`]).
    pub fn stream_items(&mut self, sink: &'a mut ItemSink<'a>) {
        self.item_sink = Some(sink);
    }

    /// Forgets any half-built document and its anchors.
    pub fn start_document(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.decoded = 0;
        self.aliased = 0;
    }

    /// Records `diagnostic` and drops the current document.
    pub fn fail(&mut self, diagnostic: Diagnostic) -> Dropped {
        self.diagnostics.push(diagnostic);
        self.stack.clear();
        Dropped
    }

    /// The source id diagnostics point into.
    pub fn id(&self) -> SourceId {
        self.id
    }

    /// Whether the innermost open collection is a mapping waiting for a key.
    pub fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                items: Items::Map { key: None, .. },
                ..
            })
        )
    }

    /// Whether the innermost open collection is a sequence (`None` at the top level).
    pub fn in_seq(&self) -> Option<bool> {
        self.stack.last().map(|f| matches!(f.items, Items::Seq(_)))
    }

    /// Opens a sequence starting at byte `start`, named by `anchor` (0 for none).
    pub fn begin_seq(&mut self, start: u32, anchor: usize) -> Result<(), Dropped> {
        let items = Items::Seq(self.spare_items.pop().unwrap_or_default());
        self.open(start, anchor, items)
    }

    /// Opens a mapping starting at byte `start`, named by `anchor` (0 for none).
    pub fn begin_map(&mut self, start: u32, anchor: usize) -> Result<(), Dropped> {
        let items = Items::Map {
            entries: self.spare_entries.pop().unwrap_or_default(),
            key: None,
            merges: Vec::new(),
        };
        self.open(start, anchor, items)
    }

    fn open(&mut self, start: u32, anchor: usize, items: Items) -> Result<(), Dropped> {
        self.check_depth(self.stack.len().saturating_add(1), start)?;
        self.count(1, 0, self.char_at(start))?;
        self.stack.push(Frame {
            start,
            last_end: start,
            items,
            anchor,
            decoded_at_start: self.decoded.saturating_sub(1),
            height: 1,
            handed_out: 0,
        });
        Ok(())
    }

    /// Drops the document if nesting reaches `depth` levels, more than the limit
    /// (the collection at fault starts at byte `at`).
    fn check_depth(&mut self, depth: usize, at: u32) -> Result<(), Dropped> {
        if depth <= self.limits.max_depth {
            return Ok(());
        }
        let message = format!(
            "collections are nested more than {} levels deep",
            self.limits.max_depth
        );
        let span = self.char_at(at);
        Err(self.fail(error(NESTING_TOO_DEEP, self.id, span, message)))
    }

    /// Whether `anchor` names a node of the current document.
    pub fn has_anchor(&self, anchor: usize) -> bool {
        self.anchors.contains_key(&anchor)
    }

    /// The span of the character at byte `at` (empty at the end of the text).
    pub fn char_at(&self, at: u32) -> Span {
        let width = self
            .text
            .get(at as usize..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(at, at.saturating_add(u32::try_from(width).unwrap_or(0)))
    }

    /// Sets the key of the next entry of the innermost mapping.
    pub fn key(&mut self, key: Key) {
        if let Some(frame) = self.stack.last_mut() {
            frame.last_end = frame.last_end.max(key.span.end);
            if let Items::Map { key: slot, .. } = &mut frame.items {
                *slot = Some(key);
            }
        }
    }

    /// Names the scalar `node` (a key whose text is `text`) by `anchor`.
    pub fn anchor_key(&mut self, anchor: usize, node: Node, text: String) {
        let anchored = Anchored {
            node,
            key_text: Some(text),
            nodes: 1,
            height: 0,
        };
        self.anchors.insert(anchor, anchored);
    }

    /// The text of the scalar named by `anchor`, for an alias used as a key.
    pub fn anchored_key_text(&self, anchor: usize) -> Option<String> {
        let anchored = self.anchors.get(&anchor)?;
        if let Some(text) = &anchored.key_text {
            return Some(text.clone());
        }
        keys::scalar_text(&anchored.node.value)
    }

    /// Adds a scalar node (named by `anchor`, 0 for none); returns the root when the
    /// document is complete.
    pub fn scalar(&mut self, node: Node, anchor: usize) -> Result<Option<Node>, Dropped> {
        self.count(1, 0, node.span)?;
        if anchor != 0 {
            let anchored = Anchored {
                node: node.clone(),
                key_text: None,
                nodes: 1,
                height: 0,
            };
            self.anchors.insert(anchor, anchored);
        }
        self.place(node, 0)
    }

    /// Adds a copy of the node named by `anchor` (an alias at `span`).
    pub fn alias(&mut self, anchor: usize, span: Span) -> Result<Option<Node>, Dropped> {
        let Some(anchored) = self.anchors.get(&anchor) else {
            let message = String::from("unknown anchor referenced");
            return Err(self.fail(error(SYNTAX, self.id, span, message)));
        };
        let (nodes, height) = (anchored.nodes, anchored.height);
        // A copy must not nest deeper than the limit either (and copies of copies
        // could otherwise nest without bound).
        self.check_depth(self.stack.len().saturating_add(height), span.start)?;
        self.count(nodes.saturating_add(1), nodes, span)?;
        let mut node = match self.anchors.get(&anchor) {
            Some(anchored) => anchored.node.clone(),
            None => return Err(Dropped),
        };
        node.span = span;
        self.place(node, height)
    }

    /// Closes the innermost collection. `end` is its closing byte offset for flow
    /// style; block collections end with their last content. Returns the root when
    /// the document is complete.
    pub fn end(&mut self, end: Option<u32>) -> Result<Option<Node>, Dropped> {
        let Some(frame) = self.stack.pop() else {
            return Ok(None);
        };
        let span = Span::new(frame.start, end.unwrap_or(frame.last_end).max(frame.start));
        let value = match frame.items {
            Items::Seq(mut items) => {
                let exact = move_exact(&mut items);
                self.spare_items.push(items);
                Value::Seq(exact)
            }
            Items::Map {
                mut entries,
                merges,
                ..
            } => {
                self.report_duplicates(&entries);
                if merges.is_empty() {
                    let exact = move_exact(&mut entries);
                    self.spare_entries.push(entries);
                    Value::Map(exact)
                } else {
                    Value::Map(keys::apply_merges(entries, merges))
                }
            }
        };
        let node = Node { span, value };
        if frame.anchor != 0 {
            let anchored = Anchored {
                node: node.clone(),
                key_text: None,
                nodes: self.decoded.saturating_sub(frame.decoded_at_start),
                height: frame.height,
            };
            self.anchors.insert(frame.anchor, anchored);
        }
        self.place(node, frame.height)
    }

    /// Puts a finished node of `height` levels into the innermost collection, or
    /// returns it as the root.
    fn place(&mut self, node: Node, height: usize) -> Result<Option<Node>, Dropped> {
        let id = self.id;
        let Some(frame) = self.stack.last_mut() else {
            return Ok(Some(node));
        };
        frame.last_end = frame.last_end.max(node.span.end);
        frame.height = frame.height.max(height.saturating_add(1));
        let Some(node) = self.offer_item(node) else {
            if let Some(frame) = self.stack.last_mut() {
                frame.handed_out = frame.handed_out.saturating_add(1);
            }
            return Ok(None);
        };
        let Some(frame) = self.stack.last_mut() else {
            return Ok(Some(node));
        };
        match &mut frame.items {
            Items::Seq(items) => items.push(node),
            Items::Map {
                entries,
                key,
                merges,
            } => match key.take() {
                Some(key) if key.merge => match keys::merged_entries(node) {
                    Ok(merged) => merges.push(Merge {
                        at: entries.len(),
                        entries: merged,
                    }),
                    Err(span) => {
                        let message =
                            String::from("map merge requires map or sequence of maps as the value");
                        return Err(self.fail(error(SYNTAX, id, span, message)));
                    }
                },
                Some(key) => entries.push(Entry {
                    key: key.text,
                    key_span: key.span,
                    value: node,
                }),
                None => {
                    let message = String::from("mapping key without a value");
                    return Err(self.fail(error(SYNTAX, id, node.span, message)));
                }
            },
        }
        Ok(None)
    }

    /// Offers `node` to the item sink if it is an item of a top-level object's
    /// `items` list; returns it unless the sink took it.
    fn offer_item(&mut self, node: Node) -> Option<Node> {
        let Some(sink) = self.item_sink.as_mut() else {
            return Some(node);
        };
        let [root, list] = self.stack.as_slice() else {
            return Some(node);
        };
        let (Items::Map { entries, key, .. }, Items::Seq(_)) = (&root.items, &list.items) else {
            return Some(node);
        };
        if key.as_ref().is_none_or(|k| k.text != "items") {
            return Some(node);
        }
        sink(node, entries, core::mem::take(&mut self.diagnostics))
    }

    /// Counts `nodes` new nodes, `aliased` of them from alias expansion, and checks
    /// the node limit and go-yaml's excessive-aliasing rule.
    fn count(&mut self, nodes: usize, aliased: usize, span: Span) -> Result<(), Dropped> {
        self.decoded = self.decoded.saturating_add(nodes);
        self.aliased = self.aliased.saturating_add(aliased);
        self.total = self.total.saturating_add(nodes);
        let message = if self.total > self.limits.max_nodes {
            format!(
                "the input makes more than {} nodes (aliases expanded)",
                self.limits.max_nodes
            )
        } else if keys::excessive_aliasing(self.decoded, self.aliased) {
            String::from("document contains excessive aliasing")
        } else {
            return Ok(());
        };
        Err(self.fail(error(ALIAS_EXPANSION_LIMIT, self.id, span, message)))
    }

    /// Reports every explicit key of `entries` that repeats an earlier one (the map
    /// being closed sits just above the open frames).
    fn report_duplicates(&mut self, entries: &[Entry]) {
        for index in keys::repeated(entries) {
            let Some(entry) = entries.get(index) else {
                continue;
            };
            let path = keys::path(self.open_segments(), &entry.key);
            let message = format!("duplicate field \"{path}\"");
            let diagnostic = error(DUPLICATE_FIELD, self.id, entry.key_span, message);
            self.diagnostics.push(diagnostic.with_path(path));
        }
    }

    /// Where the collection being built sits: one segment per open frame.
    fn open_segments(&self) -> impl Iterator<Item = keys::Segment<'_>> {
        self.stack.iter().map(|frame| match &frame.items {
            Items::Seq(items) => keys::Segment::Index(items.len().saturating_add(frame.handed_out)),
            Items::Map { key, .. } => keys::Segment::Key(key.as_ref().map_or("", |k| &*k.text)),
        })
    }
}
