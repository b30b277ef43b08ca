use super::*;
use alloc::vec::Vec;

fn read_str(text: &str) -> ReadResult {
    read(
        &Source::new("t.json", text),
        SourceId(0),
        &Limits::default(),
    )
}

fn root(text: &str) -> Node {
    let result = read_str(text);
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    assert_eq!(result.documents.len(), 1);
    result.documents.into_iter().next().unwrap().root
}

fn error_of(text: &str) -> String {
    let result = read_str(text);
    assert!(result.documents.is_empty(), "{text:?} was accepted");
    assert_eq!(result.diagnostics.len(), 1, "{:?}", result.diagnostics);
    assert_eq!(result.diagnostics[0].rule, "yaml-syntax");
    result.diagnostics[0].message.clone()
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

#[test]
fn scalars_are_typed() {
    assert_eq!(root("true").value, Value::Bool(true));
    assert_eq!(root(" false ").value, Value::Bool(false));
    assert_eq!(root("null").value, Value::Null);
    assert_eq!(root("-12").value, Value::Int(-12));
    assert_eq!(root("0").value, Value::Int(0));
    assert_eq!(root("9223372036854775807").value, Value::Int(i64::MAX));
    assert_eq!(root("-9223372036854775808").value, Value::Int(i64::MIN));
    assert_eq!(
        root("9223372036854775808").value,
        Value::Float(9.223_372_036_854_776e18)
    );
    assert_eq!(root("1.5").value, Value::Float(1.5));
    assert_eq!(root("80.0").value, Value::Float(80.0));
    assert_eq!(root("-2e3").value, Value::Float(-2000.0));
    assert_eq!(root("1E+2").value, Value::Float(100.0));
    assert_eq!(root("\"x\"").value, Value::String("x".into()));
}

#[test]
fn escapes_and_surrogate_pairs_decode() {
    let node = root(r#""a\"\\\/\b\f\n\r\t\u00e9\u20AC\ud83d\ude00z""#);
    assert_eq!(node.as_str(), Some("a\"\\/\u{8}\u{c}\n\r\té€😀z"));
    // A lone surrogate becomes U+FFFD, like Go's decoder.
    assert_eq!(root(r#""\ud800x""#).as_str(), Some("\u{fffd}x"));
    assert_eq!(root(r#""\udc00""#).as_str(), Some("\u{fffd}"));
    assert_eq!(root(r#""\ud800\u0041""#).as_str(), Some("\u{fffd}A"));
    assert_eq!(root("\"café😀\"").as_str(), Some("café😀"));
}

#[test]
fn what_json_rejects_is_rejected() {
    for bad in [
        "",
        "  ",
        "tru",
        "nul",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "+1",
        "[1,]",
        "{\"a\":1,}",
        "{a:1}",
        "{\"a\" 1}",
        "[1 2]",
        "\"a",
        "\"\t\"",
        "\"\\x\"",
        "\"\\u12G4\"",
        "'a'",
        "[",
        "{",
        "]",
        "1 2",
        "NaN",
        "Infinity",
        "[1]]",
        "{\"a\":1}}",
        "\u{a0}1",
    ] {
        let result = read_str(bad);
        assert!(result.documents.is_empty(), "{bad:?} was accepted");
        assert_eq!(result.diagnostics.len(), 1, "{bad:?}");
        assert_eq!(result.diagnostics[0].rule, "yaml-syntax", "{bad:?}");
    }
}

#[test]
fn syntax_errors_give_line_and_column() {
    let message = error_of("{\n  \"a\": 1,\n  \"b\" 2\n}");
    assert_eq!(
        message,
        "expected ':' after an object key at line 3 column 7"
    );
    let result = read_str("[1,\n é]");
    let location = result.diagnostics[0].location.unwrap();
    assert_eq!(location.span, Span::new(5, 7));
    assert!(result.diagnostics[0].message.ends_with("line 2 column 2"));
}

#[test]
fn nodes_and_keys_are_spanned() {
    let text = "{\"kind\": \"NetworkPolicy\", \"spec\": {\"ports\": [80, {\"port\": \"é\"}]}}";
    let node = root(text);
    assert_eq!(node.span, Span::new(0, text.len() as u32));
    let Value::Map(entries) = &node.value else {
        panic!()
    };
    assert_eq!(slice(text, entries[0].key_span), "\"kind\"");
    assert_eq!(slice(text, entries[0].value.span), "\"NetworkPolicy\"");
    let ports = node.get("spec").unwrap().get("ports").unwrap();
    assert_eq!(slice(text, ports.span), "[80, {\"port\": \"é\"}]");
    let Value::Seq(items) = &ports.value else {
        panic!()
    };
    assert_eq!(slice(text, items[0].span), "80");
    assert_eq!(slice(text, items[1].get("port").unwrap().span), "\"é\"");
}

#[test]
fn crlf_and_bom_are_whitespace() {
    let text = "\u{feff}{\r\n  \"a\": [\r\n    true\r\n  ]\r\n}\r\n";
    let node = root(text);
    let a = node.get("a").unwrap();
    let source = Source::new("t.json", text);
    let position = source.position(a.span.start);
    assert_eq!((position.line, position.column), (2, 8));
    assert_eq!(slice(text, node.span).chars().next(), Some('{'));
}

#[test]
fn duplicate_keys_are_reported_at_the_second_key_with_their_path() {
    let text = r#"{"spec": {"podSelector": {}, "ingress": [{"from": [], "from": [1]}], "podSelector": {"a": 1}}}"#;
    let result = read_str(text);
    assert_eq!(result.documents.len(), 1);
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
    let second = text.rfind("\"podSelector\"").unwrap() as u32;
    let location = result.diagnostics[1].location.unwrap();
    assert_eq!(location.span, Span::new(second, second + 13));
    assert_eq!(
        result.diagnostics[1].path.as_deref(),
        Some("spec.podSelector")
    );
    // Every entry is kept; `get` returns the last one.
    let spec = result.documents[0].root.get("spec").unwrap();
    let Value::Map(entries) = &spec.value else {
        panic!()
    };
    assert_eq!(entries.len(), 3);
    assert!(spec.get("podSelector").unwrap().get("a").is_some());
    assert!(read_str(r#"{"a": 1, "b": {"a": 2}}"#)
        .diagnostics
        .is_empty());
}

#[test]
fn limits_give_diagnostics() {
    let small = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    let result = read(&Source::new("t.json", "[1, 2, 3, 4]"), SourceId(3), &small);
    assert!(result.documents.is_empty());
    assert_eq!(result.diagnostics[0].rule, "input-too-large");
    assert_eq!(result.diagnostics[0].location.unwrap().source, SourceId(3));

    let shallow = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    let ok = read(&Source::new("t.json", "[[[1]]]"), SourceId(0), &shallow);
    assert_eq!((ok.documents.len(), ok.diagnostics.len()), (1, 0));
    let deep = read(&Source::new("t.json", "[[[[1]]]]"), SourceId(0), &shallow);
    assert!(deep.documents.is_empty());
    assert_eq!(deep.diagnostics[0].rule, "nesting-too-deep");
    assert_eq!(deep.diagnostics[0].location.unwrap().span, Span::new(3, 4));

    let few = Limits {
        max_nodes: 3,
        ..Limits::default()
    };
    let ok = read(&Source::new("t.json", "[1, 2]"), SourceId(0), &few);
    assert_eq!(ok.documents.len(), 1);
    let many = read(&Source::new("t.json", "[1, 2, 3]"), SourceId(0), &few);
    assert!(many.documents.is_empty());
    assert_eq!(many.diagnostics[0].rule, "alias-expansion-limit");
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    let text = "[".repeat(200_000);
    let result = read_str(&text);
    assert_eq!(result.diagnostics[0].rule, "nesting-too-deep");
    let unlimited = Limits {
        max_depth: usize::MAX,
        ..Limits::default()
    };
    let result = read(&Source::new("t.json", text), SourceId(0), &unlimited);
    assert_eq!(result.diagnostics[0].rule, "yaml-syntax");
}
