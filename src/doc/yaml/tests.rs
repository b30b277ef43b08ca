use super::*;
use crate::source::Position;
use alloc::string::ToString;

fn read_with(text: &str, limits: &Limits) -> (Source, ReadResult) {
    let source = Source::new("t.yaml", text);
    let result = read(&source, SourceId(0), limits);
    (source, result)
}

fn read_str(text: &str) -> ReadResult {
    read_with(text, &Limits::default()).1
}

fn roots(text: &str) -> Vec<Node> {
    let result = read_str(text);
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    result.documents.into_iter().map(|d| d.root).collect()
}

fn root(text: &str) -> Node {
    let mut roots = roots(text);
    assert_eq!(roots.len(), 1);
    roots.remove(0)
}

fn rules(result: &ReadResult) -> Vec<&'static str> {
    result.diagnostics.iter().map(|d| d.rule).collect()
}

fn line_column(source: &Source, offset: u32) -> (u32, u32) {
    let Position { line, column, .. } = source.position(offset);
    (line, column)
}

fn key_span(node: &Node, key: &str) -> Span {
    let Value::Map(entries) = &node.value else {
        panic!("not a map")
    };
    entries
        .iter()
        .rev()
        .find(|e| e.key == key)
        .unwrap()
        .key_span
}

const POLICY: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: café-😀
  labels: {team: \"ünï\", tier: 'db'}
spec:
  podSelector: {}
  ingress:
    - from:
        - ipBlock:
            cidr: 10.0.0.0/8
      ports:
        - port: 5432
          protocol: TCP
";

#[test]
fn flow_scalars_followed_by_blanks_span_only_themselves() {
    let text = "{\"a\": \"b\" \n , 'c': d  , e: \"f\"}";
    let node = root(text);
    let Value::Map(entries) = &node.value else {
        panic!("not a map")
    };
    let values: Vec<&str> = entries
        .iter()
        .map(|e| &text[e.value.span.start as usize..e.value.span.end as usize])
        .collect();
    assert_eq!(values, ["\"b\"", "d", "\"f\""]);
    let keys: Vec<&str> = entries
        .iter()
        .map(|e| &text[e.key_span.start as usize..e.key_span.end as usize])
        .collect();
    assert_eq!(keys, ["\"a\"", "'c'", "e"]);
}

#[test]
fn keys_and_values_are_spanned_with_lines_and_columns() {
    let source = Source::new("p.yaml", POLICY);
    let result = read(&source, SourceId(0), &Limits::default());
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    let policy = &result.documents[0].root;
    let name = policy.get("metadata").unwrap().get("name").unwrap();
    assert_eq!(name.as_str(), Some("café-😀"));
    assert_eq!(source.slice(name.span), "café-😀");
    assert_eq!(line_column(&source, name.span.start), (4, 9));
    let team = policy.get("metadata").unwrap().get("labels").unwrap();
    assert_eq!(source.slice(team.span), "{team: \"ünï\", tier: 'db'}");
    assert_eq!(source.slice(team.get("team").unwrap().span), "\"ünï\"");
    assert_eq!(source.slice(team.get("tier").unwrap().span), "'db'");
    assert_eq!(source.slice(key_span(team, "tier")), "tier");
    let tier_key = key_span(team, "tier").start;
    assert_eq!(source.position(tier_key).column, 25);
    assert_eq!(source.position(tier_key).utf16_column, 25);
    let ingress = policy.get("spec").unwrap().get("ingress").unwrap();
    let Value::Seq(rules) = &ingress.value else {
        panic!()
    };
    let port = rules[0].get("ports").unwrap();
    let Value::Seq(ports) = &port.value else {
        panic!()
    };
    let number = ports[0].get("port").unwrap();
    assert_eq!(number.value, Value::Int(5432));
    assert_eq!(line_column(&source, number.span.start), (13, 17));
    assert_eq!(source.slice(key_span(&ports[0], "protocol")), "protocol");
    assert_eq!(
        line_column(&source, key_span(&ports[0], "protocol").start),
        (14, 11)
    );
    // A block collection spans from its first to its last content byte.
    assert_eq!(
        source.slice(ports[0].span),
        "port: 5432\n          protocol: TCP"
    );
    let cidr = rules[0].get("from").unwrap();
    assert_eq!(line_column(&source, cidr.span.start), (10, 9));
    assert_eq!(policy.span.start, 0);
    assert_eq!(policy.span.end as usize, POLICY.trim_end().len());
}

#[test]
fn crlf_line_endings_keep_spans_right() {
    let text = POLICY.replace('\n', "\r\n");
    let (source, result) = read_with(&text, &Limits::default());
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    let policy = &result.documents[0].root;
    let name = policy.get("metadata").unwrap().get("name").unwrap();
    assert_eq!(source.slice(name.span), "café-😀");
    assert_eq!(line_column(&source, name.span.start), (4, 9));
    let literal = root("a: |\r\n  x\r\n  y\r\nb: 1\r\n");
    assert_eq!(literal.get("a").unwrap().as_str(), Some("x\ny\n"));
}

#[test]
fn streams_hold_many_documents_and_empty_ones_are_left_out() {
    let text = "# only a comment\n---\na: 1\n---\n---\n# nothing\n...\n---\n- b\n---\n";
    let found = roots(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].get("a").unwrap().value, Value::Int(1));
    assert!(matches!(&found[1].value, Value::Seq(items) if items[0].as_str() == Some("b")));
    assert!(roots("").is_empty());
    assert!(roots("# c\n").is_empty());
    assert_eq!(root("--- 12\n").value, Value::Int(12));
    assert_eq!(root("--- ''\n").value, Value::String(String::new()));
}

#[test]
fn scalars_resolve_like_kubernetes() {
    let node = root(
        "a: yes\nb: 'yes'\nc: ~\nd:\ne: 0x1F\nf: 1_000\ng: .inf\nh: \"12\"\ni: !!str 12\nj: 017\nk: On\nl: |\n  text\n",
    );
    assert_eq!(node.get("a").unwrap().value, Value::Bool(true));
    assert_eq!(node.get("b").unwrap().as_str(), Some("yes"));
    assert_eq!(node.get("c").unwrap().value, Value::Null);
    assert_eq!(node.get("d").unwrap().value, Value::Null);
    assert_eq!(node.get("e").unwrap().value, Value::Int(31));
    assert_eq!(node.get("f").unwrap().value, Value::Int(1000));
    assert_eq!(node.get("g").unwrap().value, Value::Float(f64::INFINITY));
    assert_eq!(node.get("h").unwrap().as_str(), Some("12"));
    assert_eq!(node.get("i").unwrap().as_str(), Some("12"));
    assert_eq!(node.get("j").unwrap().value, Value::Int(15));
    assert_eq!(node.get("k").unwrap().value, Value::Bool(true));
    assert_eq!(node.get("l").unwrap().as_str(), Some("text\n"));
    // Keys keep their text, whatever they would resolve to.
    let keys = root("yes: 1\n12: 2\n~: 3\n'q': 4\n");
    let Value::Map(entries) = &keys.value else {
        panic!()
    };
    let names: Vec<_> = entries.iter().map(|e| &*e.key).collect();
    assert_eq!(names, ["yes", "12", "~", "q"]);
    // An empty value is null with a zero-length span.
    let empty = root("a:\nb: 1\n");
    let a = empty.get("a").unwrap();
    assert_eq!(
        (a.value.clone(), a.span.start, a.span.end),
        (Value::Null, 1, 1)
    );
}

#[test]
fn a_tag_that_does_not_fit_is_an_error() {
    let result = read_str("a: !!int abc\n---\nb: 1\n");
    assert_eq!(rules(&result), ["yaml-syntax"]);
    assert_eq!(
        result.diagnostics[0].message,
        "cannot decode !!str `abc` as a !!int at line 1 column 4"
    );
    assert_eq!(result.documents.len(), 1);
    let result = read_str("!!int abc: 1\n");
    assert_eq!(rules(&result), ["yaml-syntax"]);
    assert_eq!(
        root("!!str 12: 1\n").get("12").unwrap().value,
        Value::Int(1)
    );
}

#[test]
fn anchors_aliases_and_merge_keys_expand() {
    let text = "\
base: &base {app: web, tier: front}
list: &list [1, 2]
copy: *base
again: *list
merged:
  <<: *base
  tier: back
many:
  <<: [{a: 1, b: 1}, {b: 2, c: 2}]
late:
  tier: first
  <<: *base
quoted:
  '<<': *base
";
    let node = root(text);
    let copy = node.get("copy").unwrap();
    assert_eq!(copy.get("app").unwrap().as_str(), Some("web"));
    // An alias is spanned where it is written.
    assert_eq!(
        &text[copy.span.start as usize..copy.span.end as usize],
        "*base"
    );
    assert!(matches!(&node.get("again").unwrap().value, Value::Seq(items) if items.len() == 2));
    let merged = node.get("merged").unwrap();
    assert_eq!(merged.get("app").unwrap().as_str(), Some("web"));
    assert_eq!(merged.get("tier").unwrap().as_str(), Some("back"));
    let Value::Map(entries) = &merged.value else {
        panic!()
    };
    assert_eq!(entries.len(), 2);
    let many = node.get("many").unwrap();
    assert_eq!(many.get("a").unwrap().value, Value::Int(1));
    assert_eq!(
        many.get("b").unwrap().value,
        Value::Int(1),
        "earlier maps win"
    );
    assert_eq!(many.get("c").unwrap().value, Value::Int(2));
    // go-yaml v2 applies keys in order: a merge after a key overrides it.
    assert_eq!(
        node.get("late").unwrap().get("tier").unwrap().as_str(),
        Some("front")
    );
    assert!(node.get("quoted").unwrap().get("<<").is_some());
    // An anchored key can be reused as a key through its alias.
    let keys = root("- &k name: 1\n- *k : 2\n");
    let Value::Seq(items) = &keys.value else {
        panic!()
    };
    assert_eq!(items[1].get("name").unwrap().value, Value::Int(2));
}

#[test]
fn a_merge_of_a_scalar_is_an_error() {
    let result = read_str("a:\n  <<: 1\n");
    assert_eq!(rules(&result), ["yaml-syntax"]);
    assert!(result.diagnostics[0]
        .message
        .starts_with("map merge requires map"));
    assert!(result.documents.is_empty());
}

#[test]
fn duplicate_keys_report_their_path_at_the_second_key() {
    let text = "\
spec:
  podSelector: {}
  ingress:
    - from: []
      from: [{}]
  podSelector:
    matchLabels: {a: b}
";
    let (source, result) = read_with(text, &Limits::default());
    let messages: Vec<_> = result
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "duplicate field \"spec.ingress[0].from\"",
            "duplicate field \"spec.podSelector\""
        ]
    );
    assert_eq!(rules(&result), ["duplicate-field", "duplicate-field"]);
    let second = result.diagnostics[1].location.unwrap().span;
    assert_eq!(source.slice(second), "podSelector");
    assert_eq!(line_column(&source, second.start), (6, 3));
    let spec = result.documents[0].root.get("spec").unwrap();
    assert!(spec
        .get("podSelector")
        .unwrap()
        .get("matchLabels")
        .is_some());
    let Value::Map(entries) = &spec.value else {
        panic!()
    };
    assert_eq!(entries.len(), 3);
    // Merged keys that an explicit key overrides are not duplicates.
    assert!(read_str("a: &a {x: 1}\nb:\n  <<: *a\n  x: 2\n")
        .diagnostics
        .is_empty());
}

#[test]
fn a_collection_key_is_an_error() {
    for text in ["? [a]\n: b\n", "{[a]: b}\n", "? {a: 1}\n: b\n"] {
        let result = read_str(text);
        assert_eq!(rules(&result), ["yaml-syntax"], "{text:?}");
        assert!(result.diagnostics[0].message.starts_with("invalid map key"));
        assert!(result.documents.is_empty());
    }
}

#[test]
fn syntax_errors_resume_at_the_next_document() {
    let text = "a: [b\n---\nc: d\n---\ne: 'unterminated\n---\nf: {g\n---\nh: 1\n";
    let (source, result) = read_with(text, &Limits::default());
    assert_eq!(
        rules(&result),
        ["yaml-syntax", "yaml-syntax", "yaml-syntax"]
    );
    let first = &result.diagnostics[0];
    assert!(
        first.message.contains("expected ',' or ']'"),
        "{}",
        first.message
    );
    assert!(
        first.message.ends_with("at line 2 column 1"),
        "{}",
        first.message
    );
    assert_eq!(
        line_column(&source, first.location.unwrap().span.start),
        (2, 1)
    );
    assert_eq!(result.documents.len(), 2);
    assert_eq!(
        result.documents[0].root.get("c").unwrap().as_str(),
        Some("d")
    );
    assert_eq!(
        result.documents[1].root.get("h").unwrap().value,
        Value::Int(1)
    );
    // Non-ASCII text before an error keeps its byte offsets right.
    let (source, result) = read_with("é: ü\n---\nx: [\n", &Limits::default());
    assert_eq!(result.documents.len(), 1);
    let span = result.diagnostics[0].location.unwrap().span;
    assert!(source
        .text()
        .get(span.start as usize..span.end as usize)
        .is_some());
    assert_eq!(source.position(span.start).line, 4);
}

#[test]
fn an_error_on_a_document_marker_line_reads_that_document_once() {
    let result = read_str("a: 1\n--- x: y\n---\nb: 2\n");
    assert_eq!(rules(&result), ["yaml-syntax"]);
    let documents: Vec<String> = result
        .documents
        .iter()
        .map(|d| format!("{:?}", d.root.value))
        .collect();
    assert_eq!(documents.len(), 3, "{documents:?}");
    assert_eq!(result.documents[1].root.as_str(), Some("x"));
    assert_eq!(
        result.documents[2].root.get("b").map(|n| &n.value),
        Some(&Value::Int(2))
    );
}

#[test]
fn every_broken_document_is_reported_in_linear_time() {
    let mut text = String::from("%é\n");
    for i in 0..5000 {
        text.push_str(&format!("---\na{i}: [é\n---\nb{i}: ü\n"));
    }
    let start = std::time::Instant::now();
    let result = read_str(&text);
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(result.diagnostics.len(), 5000);
    assert_eq!(result.documents.len(), 5000);
    let (source, result) = read_with(&text, &Limits::default());
    let last = result.diagnostics.last().unwrap().location.unwrap().span;
    // Each error is found at the `---` after its broken line.
    assert_eq!(source.position(last.start).line, 4 * 5000);
}

#[test]
fn the_input_size_limit_reads_nothing() {
    let limits = Limits {
        max_bytes: 4,
        ..Limits::default()
    };
    let (_, result) = read_with("a: 1\n", &limits);
    assert_eq!(rules(&result), ["input-too-large"]);
    assert!(result.documents.is_empty());
    let (_, result) = read_with("a: 1", &limits);
    assert_eq!(result.documents.len(), 1);
}

#[test]
fn the_document_limit_keeps_the_first_documents() {
    let limits = Limits {
        max_documents: 2,
        ..Limits::default()
    };
    let (source, result) = read_with("a: 1\n---\nb: 2\n---\nc: 3\n---\nd: 4\n", &limits);
    assert_eq!(rules(&result), ["too-many-documents"]);
    assert_eq!(result.documents.len(), 2);
    let at = result.diagnostics[0].location.unwrap().span.start;
    assert_eq!(line_column(&source, at), (5, 1));
    let (_, result) = read_with("a: 1\n---\nb: 2\n", &limits);
    assert!(result.diagnostics.is_empty());
}

#[test]
fn the_depth_limit_drops_the_document() {
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    let (_, ok) = read_with("a:\n  b:\n    - 1\n", &limits);
    assert_eq!((ok.documents.len(), ok.diagnostics.len()), (1, 0));
    let (source, deep) = read_with("a:\n  b:\n    - [1]\n---\nc: 1\n", &limits);
    assert_eq!(rules(&deep), ["nesting-too-deep"]);
    assert_eq!(deep.documents.len(), 1);
    let at = deep.diagnostics[0].location.unwrap().span.start;
    assert_eq!(line_column(&source, at), (3, 7));
}

#[test]
fn aliases_cannot_nest_deeper_than_the_limit() {
    let limits = Limits {
        max_depth: 4,
        ..Limits::default()
    };
    let (_, ok) = read_with("a: &a [[1]]\nb: [*a]\n", &limits);
    assert_eq!((ok.documents.len(), ok.diagnostics.len()), (1, 0));
    let (source, deep) = read_with("a: &a [[1]]\nb: [[*a]]\n", &limits);
    assert_eq!(rules(&deep), ["nesting-too-deep"]);
    let at = deep.diagnostics[0].location.unwrap().span.start;
    assert_eq!(source.slice(Span::new(at, at + 2)), "*a");
    // Copies of copies: each line nests one level deeper than the one before.
    let mut text = String::from("a0: &a0 [x]\n");
    for i in 1..200 {
        text.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
    }
    let (_, chain) = read_with(&text, &Limits::default());
    assert_eq!(rules(&chain), ["nesting-too-deep"]);
}

#[test]
fn an_alias_to_another_documents_anchor_is_an_error() {
    let result = read_str("a: &x 1\n---\nb: *x\n");
    assert_eq!(result.documents.len(), 1);
    assert_eq!(rules(&result), ["yaml-syntax"]);
    assert_eq!(
        result.diagnostics[0].message,
        "unknown anchor referenced at line 3 column 4"
    );
}

#[test]
fn deep_flow_nesting_never_crashes() {
    for text in [
        "[".repeat(100_000),
        "{a: ".repeat(50_000),
        "- ".repeat(20_000) + "x",
    ] {
        let result = read_str(&text);
        assert!(result.documents.is_empty());
        assert!(!result.diagnostics.is_empty());
        assert!(
            rules(&result)
                .iter()
                .all(|r| ["nesting-too-deep", "yaml-syntax"].contains(r)),
            "{:?}",
            rules(&result)
        );
    }
}

#[test]
fn the_node_limit_counts_expanded_aliases() {
    let limits = Limits {
        max_nodes: 10,
        ..Limits::default()
    };
    let (_, ok) = read_with("a: &a [1, 2]\nb: *a\n", &limits);
    assert_eq!((ok.documents.len(), ok.diagnostics.len()), (1, 0));
    let (_, over) = read_with("a: &a [1, 2]\nb: *a\nc: *a\n", &limits);
    assert_eq!(rules(&over), ["alias-expansion-limit"]);
    assert!(over.documents.is_empty());
}

#[test]
fn an_alias_bomb_is_stopped_quickly() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    let start = std::time::Instant::now();
    let result = read_str(&text);
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(rules(&result), ["alias-expansion-limit"]);
    assert_eq!(
        result.diagnostics[0].message,
        "document contains excessive aliasing"
    );
    assert!(result.documents.is_empty());
}

#[test]
fn comments_flow_and_block_styles_mix() {
    let node = root(
        "# head\na: [1, {b: c}] # tail\nd:\n  - e # note\n  - f: g\n    # inside\n    h: 'i'\n",
    );
    assert_eq!(node.get("a").unwrap().span, Span::new(10, 21));
    let Value::Seq(items) = &node.get("d").unwrap().value else {
        panic!()
    };
    assert_eq!(items[1].get("h").unwrap().as_str(), Some("i"));
    assert_eq!(node.get("a").unwrap().value.type_name(), "array");
    assert_eq!(items[0].as_str().map(ToString::to_string), Some("e".into()));
}

#[test]
fn scalar_texts_keep_no_spare_capacity() {
    let mut built = String::with_capacity(32);
    built.push_str("metadata");
    let kept = exact(Cow::Owned(built));
    assert_eq!((kept.as_str(), kept.capacity()), ("metadata", 8));
    let borrowed = exact(Cow::Borrowed("name"));
    assert_eq!((borrowed.as_str(), borrowed.capacity()), ("name", 4));
}
