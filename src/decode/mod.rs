//! Decoding: document tree → [`Model`], with validation.
//!
//! (Being built in this change; the signatures below are the contract.)

use alloc::vec::Vec;

use crate::diag::Diagnostic;
use crate::doc::{Limits, Node};
use crate::model::Model;
use crate::source::{SourceId, SourceSet};

/// What loading a set of sources produced.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The objects the API server would accept.
    pub model: Model,
    /// Reading and validation problems, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// Objects of a recognised kind (valid or not).
    pub objects: usize,
    /// Objects of other kinds, skipped.
    pub skipped: usize,
}

/// Reads, decodes and validates every source of `sources`.
pub fn load(sources: &SourceSet, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    for (id, source) in sources.iter() {
        let read = crate::doc::read(source, id, limits);
        loaded.diagnostics.extend(read.diagnostics);
        for document in &read.documents {
            decode_value(&document.root, id, &mut loaded);
        }
    }
    loaded
}

/// Decodes one top-level value (an object or a list kind) read from `source` into
/// `loaded`.
pub fn decode_value(_root: &Node, _source: SourceId, _loaded: &mut Loaded) {}
