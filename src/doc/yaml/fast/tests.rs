//! The fast reader against `saphyr-parser` alone: the same documents, spans and
//! diagnostics on generated streams, on the NetworkPolicy corpus and on mutations of
//! it, and the shapes it reads or gives up.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{Documents, GiveUp};
use crate::doc::yaml::{read_each_with, Readers};
use crate::doc::{collect, Limits};
use crate::source::{Source, SourceId};

/// Everything reading `text` gives (documents with every span, diagnostics), as text
/// (a float NaN is not equal to itself, its printing is).
fn read(text: &str, readers: Readers) -> String {
    let source = Source::new("t.yaml", text);
    let limits = Limits::default();
    let result =
        collect(|each| read_each_with(&source, SourceId(0), &limits, each, readers).diagnostics);
    format!("{:?}\n{:?}", result.documents, result.diagnostics)
}

fn assert_same(text: &str) {
    let fast = read(text, Readers::FastFirst);
    let full = read(text, Readers::ParserOnly);
    assert!(
        fast == full,
        "readers differ on {text:?}\nfast: {fast}\nfull: {full}"
    );
}

/// Asserts that each of `texts` reads the same with and without the fast reader,
/// which reads `fast` documents of it before it gives up.
fn each_read_the_same(texts: &[&str], fast: usize) {
    for text in texts {
        assert_eq!(fast_documents(text), fast, "{text:?}");
        assert_same(text);
    }
}

/// How many documents of `text` the fast reader reads before it gives up.
fn fast_documents(text: &str) -> usize {
    let mut documents = Documents::new(text);
    let mut read = 0;
    while let Some(Ok(_)) = documents.next_document() {
        read += 1;
    }
    read
}

const POLICY: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web # the front end
  namespace: \"shop\"
  labels: {}
  annotations:
    note: 'a: b'
spec:
  podSelector: {}
  policyTypes: [] 
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: api

    ports:
      - port: 8080
        protocol: TCP
  empty:
  also_empty: # nothing
---
# a comment only
---
- a
- b: c
  d: é😀
";

#[test]
fn a_block_style_stream_is_read_by_the_fast_reader_alone() {
    assert_eq!(fast_documents(POLICY), 3);
    assert_same(POLICY);
}

#[test]
fn other_shapes_are_given_to_the_parser() {
    each_read_the_same(
        &[
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: b\n  c\n",
            "a: \"x\\ty\"\n",
            "a: 'it''s'\n",
            "a:\tb\n",
            "a: b\r\n",
            "\u{feff}a: b\n",
            "%YAML 1.2\n---\na: b\n",
            "a: b\n...\n",
            "? a\n: b\n",
            "- - a\n",
            "-\n  a: b\n",
            "a: b: c\n",
            "scalar\n",
            "  a: b\n",
            "a: -1\n",
            "--- a: b\n",
            "a:\n    b: 1\n  c: 2\n",
            "a: \"b\"  # c",
            "a: \"y\" #c\nb: 1\n",
            "- 'y' # c\n",
        ],
        0,
    );
}

#[test]
fn one_line_flow_collections_are_read_fast() {
    each_read_the_same(
        &[
            "a: {b: c}\n",
            "a: {b: c, d: [e, 'f', \"g\"]} # c\n",
            "a: [ x , y ]\n",
            "- {a: 1}\n- [1,2]\n",
            "a: {b: {c: d}, e: [], f: {}}\n",
            "a: [a b, c]\n",
            "labels: {app.kubernetes.io/name: web, team: shop}\n",
            "ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]\n",
            "a: {b: c, b: d}\n",
            "a: [b:c, 'd']\n",
            "containers: [{name: web, image: web:1, ports: [{name: http, containerPort: 80}]}]\n",
        ],
        1,
    );
}

#[test]
fn other_flow_shapes_are_given_to_the_parser() {
    each_read_the_same(
        &[
            "a: {b: c,\n  d: e}\n",
            "a: [b, c, ]\n",
            "a: {b}\n",
            "a: {b: }\n",
            "a: [b: c]\n",
            "a: {\"b\": c}\n",
            "a: ['it''s']\n",
            "a: [\"x\\ty\"]\n",
            "a: [-1]\n",
            "a: {b: c #d}\n",
            "a: [b]x\n",
            "a: {b:c}\n",
            "a: [&x b, *x]\n",
            "a: [b\n",
            "a: [,]\n",
            "a: {b: c]\n",
            "a: [b, c -]\n",
            "a: [b ?x, c]\n",
        ],
        0,
    );
}

/// How many documents of `text` the fast reader reads, taking over again after the
/// parser.
fn fast_documents_in_all(text: &str) -> usize {
    let source = Source::new("t.yaml", text);
    let limits = Limits::default();
    let mut ignore = |_, _| {};
    read_each_with(
        &source,
        SourceId(0),
        &limits,
        &mut ignore,
        Readers::FastFirst,
    )
    .fast_documents
}

#[test]
fn the_fast_reader_takes_over_again_after_a_document_the_parser_read() {
    for (text, fast) in [
        ("a: |\n  text\n---\nb: 1\n---\nc: [d]\n", 2),
        ("a: 'it''s'\n--- # c\nb: 1\n...\nc: 2\n", 0),
        ("a: [b\n---\nc: 1\n---\nd: !!str 2\n---\ne: 3\n", 2),
        ("a: \"x\\ty\"\n---\n- b\n- c: d\n", 1),
        // Not after an anchor (later documents may name it), nor with a directive.
        ("a: &x 1\nb: *x\n---\nc: *x\n---\nd: 2\n", 0),
        ("a: 1\n---\n%YAML 1.2\n---\nb: !!str 2\n", 0),
    ] {
        assert_eq!(fast_documents_in_all(text), fast, "{text:?}");
        assert_same(text);
    }
}

#[test]
fn giving_up_later_keeps_the_documents_before() {
    let text = "a: 1\n---\nb: &x 2\n---\nc: 3\n";
    let mut documents = Documents::new(text);
    assert!(matches!(documents.next_document(), Some(Ok(_))));
    assert_eq!(documents.position(), 5);
    assert!(matches!(documents.next_document(), Some(Err(GiveUp))));
    assert_same(text);
    assert_same("a: 1\n---\nb: [1\n---\nc: 3\n");
}

/// Every corpus file under `tests/corpus/`, found once.
fn corpus_files() -> &'static [PathBuf] {
    static FILES: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();
    FILES.get_or_init(find_corpus_files)
}

fn find_corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files = Vec::new();
    let mut folders = alloc::vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_corpus_reads_the_same_and_mostly_fast() {
    let (mut fast, mut total) = (0, 0);
    for path in corpus_files() {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        assert_same(&text);
        total += 1;
        fast += usize::from(fast_documents(&text) > 0);
    }
    assert!(total > 50, "corpus not found: {total} files");
    assert!(
        fast * 2 > total,
        "the fast reader read {fast} of {total} files"
    );
}

/// A small deterministic generator of random numbers (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "a",
    "name",
    "app.kubernetes.io/name",
    "k y",
    "é",
    "<<",
    "a#b",
    "x\"y",
    "1",
    "true",
];
const SCALARS: &[&str] = &[
    "v",
    "1",
    "0x1F",
    "yes",
    "~",
    "null",
    "1.5",
    ".nan",
    "a b",
    "nginx:1.2",
    "http://x/y",
    "b[1]",
    "\"q\"",
    "\"q #\"",
    "'s'",
    "''",
    "\"\"",
    "{}",
    "[]",
    "v # c",
    "v#c",
    "\"a\\\"b\"",
    "'it''s'",
    "&a v",
    "*a",
    "!!str 1",
    "!!int x",
    "{a: b}",
    "[1, 2]",
    "|\n  block",
    "-1",
    "- x",
    "a: b",
    "é😀",
    "v  ",
    "\"multi\n  line\"",
    "\tv",
    "v\r",
    "{ }",
    "[ ]",
    "{}x",
    "%x",
    "@x",
    "`x",
    "? x",
    ":x",
    "-",
];
const SEPARATORS: &[&str] = &[
    "---\n",
    "--- \n",
    "---\n# c\n",
    "...\n---\n",
    "--- # c\n",
    "--- a: b\n",
    "---",
];

/// A random block collection at `indent`, `depth` levels deep.
fn collection(rng: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    let pad = " ".repeat(indent);
    let items = 1 + rng.below(4);
    let seq = rng.below(3) == 0;
    for _ in 0..items {
        if rng.below(8) == 0 {
            out.push_str(rng.pick(&["\n", "# c\n", "  # c\n", "   \n"]));
        }
        out.push_str(&pad);
        if seq {
            out.push_str("- ");
            if rng.below(2) == 0 {
                let key = rng.pick(KEYS);
                out.push_str(key);
                out.push(':');
                value(rng, out, indent + 2, depth);
                if rng.below(2) == 0 {
                    out.push_str(&pad);
                    out.push_str("  ");
                    out.push_str(rng.pick(KEYS));
                    out.push(':');
                    value(rng, out, indent + 2, depth);
                }
            } else {
                out.push_str(rng.pick(SCALARS));
                out.push('\n');
            }
        } else {
            out.push_str(rng.pick(KEYS));
            out.push(':');
            value(rng, out, indent, depth);
        }
    }
}

/// Scalars inside flow collections, most of them readable there, some not.
const FLOW_SCALARS: &[&str] = &[
    "v",
    "1",
    "a b",
    "kube-system",
    "10.0.0.0/8",
    "\"q\"",
    "'s'",
    "''",
    "true",
    "~",
    "a:b",
    "a :b",
    "v #c",
    "-1",
    "&a v",
    "*a",
    "!!str x",
    "'it''s'",
    "\"x\\ty\"",
    "",
    "@x",
    "a\"b",
];

/// A random flow collection, `depth` levels deep (sometimes spanning lines or
/// missing a bracket).
fn flow(rng: &mut Rng, out: &mut String, depth: usize) {
    let map = rng.below(2) == 0;
    out.push(if map { '{' } else { '[' });
    let items = rng.below(4);
    for i in 0..items {
        if i > 0 {
            out.push_str(rng.pick(&[",", ", ", " , ", ",  ", ",\n  "]));
        } else {
            out.push_str(rng.pick(&["", "", " "]));
        }
        if map {
            out.push_str(rng.pick(KEYS));
            out.push_str(rng.pick(&[": ", ": ", ":", " : ", ":  "]));
        }
        if depth < 3 && rng.below(4) == 0 {
            flow(rng, out, depth + 1);
        } else {
            out.push_str(rng.pick(FLOW_SCALARS));
        }
    }
    out.push_str(rng.pick(&["", "", " ", ", "]));
    if rng.below(20) != 0 {
        out.push(if map { '}' } else { ']' });
    }
}

/// A random value after a key at `indent` (its `:` written).
fn value(rng: &mut Rng, out: &mut String, indent: usize, depth: usize) {
    match rng.below(if depth < 4 { 7 } else { 3 }) {
        0 => out.push_str(rng.pick(&["\n", " \n", " # c\n"])),
        6 => {
            out.push(' ');
            flow(rng, out, 0);
            out.push_str(rng.pick(&["\n", "\n", " # c\n", " x\n"]));
        }
        1 | 2 => {
            out.push(' ');
            out.push_str(rng.pick(SCALARS));
            out.push('\n');
        }
        3 => {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            out.push_str("- ");
            out.push_str(rng.pick(SCALARS));
            out.push('\n');
        }
        _ => {
            out.push('\n');
            let deeper = indent + 1 + rng.below(3);
            collection(rng, out, deeper, depth + 1);
        }
    }
}

/// A random stream: documents of random collections, sometimes with a random byte
/// changed.
fn stream(seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut out = String::new();
    for document in 0..1 + rng.below(3) {
        if document > 0 || rng.below(4) == 0 {
            out.push_str(rng.pick(SEPARATORS));
        }
        collection(&mut rng, &mut out, 0, 0);
    }
    if rng.below(4) == 0 {
        let at = rng.below(out.len() + 1);
        if out.is_char_boundary(at) {
            out.insert_str(
                at,
                rng.pick(&[" ", "\n", ":", "-", "#", "\t", "\r", "'", "\"", "  "]),
            );
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn generated_streams_read_the_same(seed in any::<u64>()) {
        assert_same(&stream(seed));
    }

    #[test]
    fn mutated_corpus_files_read_the_same(file in 0usize..1000, at in any::<usize>(), edit in 0usize..10) {
        let files = corpus_files();
        let Some(path) = files.get(file % files.len().max(1)) else { return Ok(()) };
        let Ok(mut text) = std::fs::read_to_string(path) else { return Ok(()) };
        let at = at % (text.len() + 1);
        if text.is_char_boundary(at) {
            let edits = [" ", "\n", ":", "- ", "#", "\t", "\r\n", "'", "\"", "---\n"];
            text.insert_str(at, edits[edit]);
        }
        assert_same(&text);
    }
}
