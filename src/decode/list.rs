//! A JSON `List` decoded item by item: a `kubectl get -o json` dump is one document
//! holding every object, so rather than building its whole tree, each item is decoded
//! as soon as the reader completes it and its tree is dropped.
//!
//! The items are decoded as items of the list the root looks like when the first
//! item completes (serde and kubectl write `kind` after `items`, so an unknown kind
//! is taken to be a plain `List`). Once the document is complete the guess is checked
//! against what decoding the whole tree would have done; if it was wrong, or the
//! document turned out unreadable, what the items added is undone and the caller
//! reads the source the ordinary way. The outcome is the same either way.

use alloc::string::String;
use alloc::vec::Vec;

use super::{decode_root, is_list_kind, Decoder, ItemDefaults, Loaded};
use crate::diag::Diagnostic;
use crate::doc::{json, Document, Entry, Limits, Node};
use crate::model::Interner;
use crate::source::{Source, SourceId};

/// The list the items were decoded as part of.
struct Assumed {
    kind: String,
    api_version: String,
}

/// Reads and decodes the JSON `source`, its list items one at a time; returns the
/// reading diagnostics, or `None` (with `loaded` as it was) when the source must be
/// read the ordinary way.
pub(super) fn load_streaming(
    source: &Source,
    id: SourceId,
    limits: &Limits,
    loaded: &mut Loaded,
) -> Option<Vec<Diagnostic>> {
    let mark = loaded.share();
    let mut reading: Vec<Diagnostic> = Vec::new();
    // `None` until the first item; then `Some(None)` when items stay in the tree.
    let mut assumed: Option<Option<Assumed>> = None;
    let mut whole: Option<(Document, Vec<Diagnostic>)> = None;
    let mut interner = Interner::default();
    let rest = json::read_each_item(
        source,
        id,
        limits,
        &mut |item, root, met| {
            let from = reading.len();
            reading.extend(met);
            let Some(list) = assumed.get_or_insert_with(|| assume(root)) else {
                return Some(item);
            };
            let mut decoder = Decoder {
                source: id,
                reader: reading.get_mut(from..).unwrap_or_default(),
                loaded: &mut *loaded,
                interner: &mut interner,
            };
            decoder.list_item(&item, &list.kind, &list.api_version);
            None
        },
        &mut |document, met| whole = Some((document, met)),
    );
    let streamed = assumed.as_ref().and_then(Option::as_ref);
    let confirmed = match (&whole, streamed) {
        (Some((document, _)), Some(list)) => decodes_as(&document.root, list),
        (None, Some(_)) => false,
        (_, None) => true,
    };
    if !confirmed {
        loaded.truncate_to(&mark);
        return None;
    }
    if let Some((document, met)) = whole {
        reading.extend(met);
        decode_root(&document.root, id, &mut reading, loaded, &mut interner);
    }
    reading.extend(rest);
    Some(reading)
}

/// The list the root's entries read so far make it: `None` when it is not a list
/// kind (its items then stay in the tree).
fn assume(root: &[Entry]) -> Option<Assumed> {
    let text = |key: &str| last(root, key).and_then(Node::as_str);
    let api_version = String::from(text("apiVersion").unwrap_or(""));
    match (last(root, "kind"), text("kind")) {
        (None, _) => Some(Assumed {
            kind: String::from("List"),
            api_version,
        }),
        (Some(_), Some(kind)) if is_list_kind(kind) => Some(Assumed {
            kind: String::from(kind),
            api_version,
        }),
        (Some(_), _) => None,
    }
}

/// Whether decoding the complete `root` decodes its `items` as items of `list`: it
/// is a list kind with the same item defaults, and has one `items` key.
fn decodes_as(root: &Node, list: &Assumed) -> bool {
    let text = |key: &str| root.get(key).and_then(Node::as_str);
    let kind = text("kind").unwrap_or("");
    let api_version = text("apiVersion").unwrap_or("");
    let items_keys = match &root.value {
        crate::doc::Value::Map(entries) => entries.iter().filter(|e| e.key == "items").count(),
        _ => 0,
    };
    is_list_kind(kind)
        && items_keys == 1
        && ItemDefaults::of_list(kind, api_version)
            == ItemDefaults::of_list(&list.kind, &list.api_version)
}

/// The value of the last `key` of a mapping's entries (the one that wins).
fn last<'e>(entries: &'e [Entry], key: &str) -> Option<&'e Node> {
    entries
        .iter()
        .rev()
        .find(|e| e.key == key)
        .map(|e| &e.value)
}
