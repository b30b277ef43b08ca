//! Mapping keys: repeated keys, field paths, merge keys and alias accounting.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::Merge;
use crate::doc::{Entry, Node, Value};
use crate::source::Span;

/// Field names and label keys that manifests repeat on every object: a key equal
/// to one of them is held as this shared text, not allocated.
const WELL_KNOWN: &[&str] = &[
    "action",
    "affinity",
    "annotations",
    "apiVersion",
    "app",
    "app.kubernetes.io/component",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/managed-by",
    "app.kubernetes.io/name",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/version",
    "args",
    "chart",
    "cidr",
    "clusterIP",
    "clusterIPs",
    "command",
    "component",
    "containerPort",
    "containers",
    "cpu",
    "creationTimestamp",
    "domainNames",
    "egress",
    "endPort",
    "env",
    "except",
    "from",
    "generation",
    "helm.sh/chart",
    "heritage",
    "hostIP",
    "hostNetwork",
    "httpGet",
    "image",
    "imagePullPolicy",
    "ingress",
    "initialDelaySeconds",
    "ip",
    "ipBlock",
    "items",
    "k8s-app",
    "key",
    "kind",
    "kubernetes.io/metadata.name",
    "labels",
    "limits",
    "livenessProbe",
    "matchExpressions",
    "matchLabels",
    "memory",
    "metadata",
    "mountPath",
    "name",
    "namespace",
    "namespaceSelector",
    "namespaces",
    "networks",
    "nodeName",
    "nodeSelector",
    "nodes",
    "operator",
    "ownerReferences",
    "path",
    "periodSeconds",
    "phase",
    "podIP",
    "podIPs",
    "podSelector",
    "pods",
    "policyTypes",
    "port",
    "ports",
    "priority",
    "protocol",
    "readinessProbe",
    "release",
    "replicas",
    "requests",
    "resourceVersion",
    "resources",
    "restartPolicy",
    "role",
    "securityContext",
    "selector",
    "serviceAccountName",
    "spec",
    "status",
    "strategy",
    "subject",
    "targetPort",
    "team",
    "template",
    "tier",
    "to",
    "tolerations",
    "type",
    "uid",
    "value",
    "values",
    "version",
    "volumeMounts",
    "volumes",
];

/// Slots of [`KNOWN_BY_HASH`]: a power of two over twice the names, so probes stay short.
const SLOTS: usize = 256;

/// [`WELL_KNOWN`] as an open-addressed table built at compile time: the slot of a
/// name's [`name_hash`] (or the next free one after it) holds its index plus one.
const KNOWN_BY_HASH: [u8; SLOTS] = known_by_hash();

// The table stays at most half full (and its indices fit a byte).
const _: () = assert!(WELL_KNOWN.len() <= SLOTS / 2);

/// Builds [`KNOWN_BY_HASH`] (at compile time: an index out of bounds fails the build).
#[allow(clippy::indexing_slicing)]
const fn known_by_hash() -> [u8; SLOTS] {
    let mut table = [0u8; SLOTS];
    let mut i = 0;
    while i < WELL_KNOWN.len() {
        let mut slot = (name_hash(WELL_KNOWN[i].as_bytes()) as usize) % SLOTS;
        while table[slot] != 0 {
            slot = (slot + 1) % SLOTS;
        }
        table[slot] = (i + 1) as u8;
        i += 1;
    }
    table
}

/// FNV-1a (64 bits) of `bytes`, usable at compile time.
const fn name_hash(mut bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    while let [first, rest @ ..] = bytes {
        hash = (hash ^ *first as u64).wrapping_mul(0x0100_0000_01b3);
        bytes = rest;
    }
    hash
}

/// The [`WELL_KNOWN`] name equal to `text`, if any.
fn well_known(text: &str) -> Option<&'static str> {
    let mut slot = (name_hash(text.as_bytes()) as usize) % SLOTS;
    loop {
        let index = usize::from(*KNOWN_BY_HASH.get(slot)?).checked_sub(1)?;
        let name = *WELL_KNOWN.get(index)?;
        if name == text {
            return Some(name);
        }
        slot = (slot + 1) % SLOTS;
    }
}

/// `text` as a mapping key's text: a [`WELL_KNOWN`] name is shared, any other text
/// is owned without spare capacity.
pub(in crate::doc) fn key_text(text: Cow<str>) -> Cow<'static, str> {
    match well_known(&text) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(exact(text)),
    }
}

/// The text as a string holding no spare capacity (a parser that builds a text by
/// pushing characters can leave up to half of it unused).
pub(in crate::doc) fn exact(text: Cow<str>) -> String {
    match text {
        Cow::Owned(owned) if owned.capacity() == owned.len() => owned,
        other => String::from(&*other),
    }
}

/// One step of a field path.
pub(super) enum Segment<'a> {
    /// A mapping key.
    Key(&'a str),
    /// A sequence index.
    Index(usize),
}

/// The path `spec.ingress[0].from` of `key` below the collections `segments`.
pub(super) fn path<'a>(segments: impl Iterator<Item = Segment<'a>>, key: &'a str) -> String {
    let mut path = String::new();
    for segment in segments.chain(core::iter::once(Segment::Key(key))) {
        match segment {
            Segment::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Index(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// Maps this small are checked pairwise; larger ones are sorted.
const PAIRWISE_LIMIT: usize = 16;

/// Indices of the entries whose key repeats an earlier entry's key, in order.
pub(super) fn repeated(entries: &[Entry]) -> Vec<usize> {
    let mut found = Vec::new();
    if entries.len() <= PAIRWISE_LIMIT {
        for (index, entry) in entries.iter().enumerate() {
            let earlier = entries.get(..index).unwrap_or_default();
            if earlier.iter().any(|e| e.key == entry.key) {
                found.push(index);
            }
        }
        return found;
    }
    let mut order: Vec<usize> = (0..entries.len()).collect();
    let key = |i: &usize| entries.get(*i).map(|e| &*e.key);
    crate::order::sort_by(&mut order, |a, b| key(a).cmp(&key(b)).then(a.cmp(b)));
    for pair in order.windows(2) {
        if let [first, second] = pair {
            if key(first) == key(second) {
                found.push(*second);
            }
        }
    }
    found.sort_unstable();
    found
}

/// The entries a merge key's value brings in, in the order go-yaml v2 applies them
/// (later ones win), or the span of the offending value.
pub(super) fn merged_entries(value: Node) -> Result<Vec<Entry>, Span> {
    match value.value {
        Value::Map(entries) => Ok(entries),
        Value::Seq(items) => {
            let mut merged = Vec::new();
            for item in items.into_iter().rev() {
                match item.value {
                    Value::Map(entries) => merged.extend(entries),
                    _ => return Err(item.span),
                }
            }
            Ok(merged)
        }
        _ => Err(value.span),
    }
}

/// The entries of a mapping after its merge keys: go-yaml v2 sets keys in source
/// order, so a merged key replaces any earlier entry of the same name and a later
/// explicit key replaces a merged one. Repeated explicit keys are all kept.
pub(super) fn apply_merges(entries: Vec<Entry>, merges: Vec<Merge>) -> Vec<Entry> {
    if merges.is_empty() {
        return entries;
    }
    let mut out: Vec<(Entry, bool)> = Vec::with_capacity(entries.len());
    let mut merges = merges.into_iter().peekable();
    for (index, entry) in entries.into_iter().enumerate() {
        while let Some(merge) = merges.next_if(|m| m.at <= index) {
            add_merged(&mut out, merge.entries);
        }
        out.retain(|(e, merged)| !(*merged && e.key == entry.key));
        out.push((entry, false));
    }
    for merge in merges {
        add_merged(&mut out, merge.entries);
    }
    out.into_iter().map(|(entry, _)| entry).collect()
}

fn add_merged(out: &mut Vec<(Entry, bool)>, entries: Vec<Entry>) {
    for entry in entries {
        out.retain(|(e, _)| e.key != entry.key);
        out.push((entry, true));
    }
}

/// go-yaml v2's guard against alias bombs: once a document has decoded more than
/// 1000 nodes, at most 99% of them may come from alias expansion, falling to 10% for
/// documents of 4,000,000 nodes.
pub(super) fn excessive_aliasing(decoded: usize, aliased: usize) -> bool {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if aliased <= 100 || decoded <= 1000 {
        return false;
    }
    let allowed = if decoded <= LOW {
        0.99
    } else if decoded >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decoded - LOW) as f64 / (HIGH - LOW) as f64)
    };
    aliased as f64 / decoded as f64 > allowed
}

/// The text of a scalar value used as a key through an alias.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn entry(key: &str, at: u32) -> Entry {
        Entry {
            key: String::from(key).into(),
            key_span: Span::new(at, at + 1),
            value: Node {
                span: Span::new(at, at + 1),
                value: Value::Int(at.into()),
            },
        }
    }

    #[test]
    fn repeated_keys_are_found_in_small_and_large_maps() {
        let small = [entry("a", 0), entry("b", 1), entry("a", 2), entry("a", 3)];
        assert_eq!(repeated(&small), [2, 3]);
        let mut large: Vec<Entry> = (0..40).map(|i| entry(&format!("k{i}"), i)).collect();
        assert!(repeated(&large).is_empty());
        large.push(entry("k7", 40));
        large.push(entry("k3", 41));
        assert_eq!(repeated(&large), [40, 41]);
    }

    #[test]
    fn paths_use_dots_and_indices() {
        let segments = [
            Segment::Key("spec"),
            Segment::Key("ingress"),
            Segment::Index(0),
        ];
        assert_eq!(path(segments.into_iter(), "from"), "spec.ingress[0].from");
        assert_eq!(path([Segment::Index(2)].into_iter(), "a"), "[2].a");
        assert_eq!(path(core::iter::empty(), "a"), "a");
    }

    #[test]
    fn well_known_names_are_found_and_others_are_not() {
        for name in WELL_KNOWN {
            assert_eq!(well_known(name), Some(*name));
            assert!(matches!(key_text(Cow::Borrowed(name)), Cow::Borrowed(_)));
        }
        for other in [
            "",
            "Kind",
            "apiversion",
            "names",
            "spec ",
            "x",
            "metadata.name",
        ] {
            assert_eq!(well_known(other), None, "{other}");
        }
        let mut built = String::with_capacity(64);
        built.push_str("custom-key");
        let owned = key_text(Cow::Owned(built));
        assert!(matches!(&owned, Cow::Owned(s) if s.capacity() == s.len()));
        assert_eq!(owned, "custom-key");
    }

    #[test]
    fn merges_follow_source_order() {
        let merge = |at, keys: &[(&str, u32)]| Merge {
            at,
            entries: keys.iter().map(|(k, v)| entry(k, *v)).collect(),
        };
        // {<<: {a: 10, b: 11}, a: 1}: the explicit a wins.
        let out = apply_merges(vec![entry("a", 1)], vec![merge(0, &[("a", 10), ("b", 11)])]);
        let keys: Vec<_> = out.iter().map(|e| (&*e.key, e.key_span.start)).collect();
        assert_eq!(keys, [("b", 11), ("a", 1)]);
        // {a: 1, <<: {a: 10}}: go-yaml v2 lets the later merge win.
        let out = apply_merges(vec![entry("a", 1)], vec![merge(1, &[("a", 10)])]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].key_span.start, 10);
    }

    #[test]
    fn alias_ratio_matches_go_yaml() {
        assert!(!excessive_aliasing(1000, 999));
        assert!(excessive_aliasing(1001, 1000));
        assert!(!excessive_aliasing(1001, 900));
        assert!(excessive_aliasing(5_000_000, 600_000));
        assert!(!excessive_aliasing(5_000_000, 400_000));
    }
}
