//! The ends a Hubble log has named so far. A log names the same few endpoints over
//! and over: each distinct end (its endpoint object's text and its address) is read
//! and converted once, and every record naming it again shares the converted end,
//! found by a hash of its text and one comparison, without reading or allocating.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;

use super::FlowEnd;
use crate::text_hash::text_hash;

/// Why an end cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Refused {
    /// The endpoint object is not what Hubble writes (serde_json's message): the
    /// record cannot be read.
    Unreadable(String),
    /// The end is read but wrong (an address that is not one).
    Invalid(String),
}

/// An end as a record writes it: its endpoint object's text (as written, so two ends
/// differing in anything, one label included, are two ends) and its address.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct EndText<'t> {
    /// A hash of the two texts: compared first, so that ends are told apart without
    /// comparing their texts.
    hash: u64,
    /// The endpoint object's text (empty when the record has none).
    pub(super) endpoint: &'t str,
    /// The address (`IP.source` or `IP.destination`).
    pub(super) ip: Option<Cow<'t, str>>,
}

impl<'t> EndText<'t> {
    /// The end with the endpoint object `endpoint` and the address `ip`.
    pub(super) fn new(endpoint: &'t str, ip: Option<Cow<'t, str>>) -> Self {
        let hash = text_hash(endpoint.as_bytes(), 0);
        let hash = text_hash(ip.as_deref().unwrap_or("").as_bytes(), hash.rotate_left(17));
        EndText { hash, endpoint, ip }
    }
}

/// The ends converted so far, by text.
#[derive(Default)]
pub(super) struct SeenEnds<'t> {
    ends: BTreeMap<EndText<'t>, Result<Arc<FlowEnd>, Refused>>,
}

impl<'t> SeenEnds<'t> {
    /// The end `text` describes: `convert`ed on first sight, shared afterwards.
    pub(super) fn get_or_convert(
        &mut self,
        text: EndText<'t>,
        convert: impl FnOnce(&EndText<'t>) -> Result<FlowEnd, Refused>,
    ) -> Result<Arc<FlowEnd>, Refused> {
        if let Some(known) = self.ends.get(&text) {
            return known.clone();
        }
        let converted = convert(&text).map(Arc::new);
        self.ends.insert(text, converted.clone());
        converted
    }
}
