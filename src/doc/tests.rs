use super::*;
use alloc::vec;
use alloc::vec::Vec;

/// What `read_each` handed out: per document, its root's first key and the rule ids
/// of the diagnostics that came with it; then the rule ids returned at the end.
fn handed_out(name: &str, text: &str) -> (Vec<(String, Vec<&'static str>)>, Vec<&'static str>) {
    let source = Source::new(name, text);
    let mut documents = Vec::new();
    let rest = read_each(
        &source,
        SourceId(0),
        &Limits::default(),
        &mut |document, met| {
            let key = match &document.root.value {
                Value::Map(entries) => entries
                    .first()
                    .map_or(String::new(), |e| e.key.clone().into_owned()),
                _ => String::new(),
            };
            documents.push((key, met.iter().map(|d| d.rule).collect()));
        },
    );
    (documents, rest.iter().map(|d| d.rule).collect())
}

#[test]
fn yaml_documents_come_one_at_a_time_with_their_diagnostics() {
    let text = "a: 1\n---\nb: 1\nb: 2\n---\nc: [\n---\nd: 1\n---\ne: 1\ne: 2\n";
    let (documents, rest) = handed_out("s.yaml", text);
    assert_eq!(
        documents,
        [
            (String::from("a"), Vec::new()),
            (String::from("b"), vec!["duplicate-field"]),
            // The broken document is dropped; its error comes with the next one.
            (String::from("d"), vec!["yaml-syntax"]),
            (String::from("e"), vec!["duplicate-field"]),
        ]
    );
    assert!(rest.is_empty());
}

#[test]
fn problems_after_the_last_document_are_returned() {
    let (documents, rest) = handed_out("s.yaml", "a: 1\n---\nb: [\n");
    assert_eq!(documents, [(String::from("a"), Vec::new())]);
    assert_eq!(rest, ["yaml-syntax"]);

    let (documents, rest) = handed_out("s.json", "{\"a\": 1, \"a\": 2}");
    assert_eq!(documents, [(String::from("a"), vec!["duplicate-field"])]);
    assert!(rest.is_empty());

    let (documents, rest) = handed_out("s.json", "{\"x\": {\"a\": 1, \"a\": 2}, ");
    assert!(documents.is_empty());
    assert_eq!(rest, ["duplicate-field", "yaml-syntax"]);
}

#[test]
fn read_collects_what_read_each_hands_out_sorted_by_position() {
    let text = "a: 1\na: 2\n---\nb: [\n---\nc: 1\nc: 2\n";
    let source = Source::new("s.yaml", text);
    let result = read(&source, SourceId(0), &Limits::default());
    let keys: Vec<_> = result
        .documents
        .iter()
        .filter_map(|d| match &d.root.value {
            Value::Map(entries) => entries.first().map(|e| &*e.key),
            _ => None,
        })
        .collect();
    assert_eq!(keys, ["a", "c"]);
    let rules: Vec<_> = result.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["duplicate-field", "yaml-syntax", "duplicate-field"]);
    let starts: Vec<_> = result
        .diagnostics
        .iter()
        .map(|d| d.location.map(|l| l.span.start))
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
}

#[test]
fn list_items_can_be_taken_as_they_complete() {
    let text = r#"{"kind":"List","items":[{"a":1},{"b":1,"b":2},[3]],"x":[{"c":1}]}"#;
    let source = Source::new("l.json", text);
    let mut taken = Vec::new();
    let mut documents = Vec::new();
    let rest = json::read_each_item(
        &source,
        SourceId(0),
        &Limits::default(),
        &mut |item, root, met| {
            let root_keys: Vec<_> = root.iter().map(|e| e.key.clone().into_owned()).collect();
            let rules: Vec<_> = met.iter().map(|d| d.path.clone()).collect();
            let keep = matches!(item.value, Value::Seq(_));
            taken.push((item.span, root_keys, rules));
            keep.then_some(item)
        },
        &mut |document, met| documents.push((document, met)),
    );
    assert!(rest.is_empty());
    let keys = || vec![String::from("kind")];
    assert_eq!(
        taken,
        [
            (Span::new(24, 31), keys(), vec![]),
            (
                Span::new(32, 45),
                keys(),
                vec![Some(String::from("items[1].b"))]
            ),
            (Span::new(46, 49), keys(), vec![]),
        ]
    );
    // Taken items are left out of the tree; the one given back and other lists stay.
    let [(document, met)] = documents.as_slice() else {
        panic!("one document expected, got {}", documents.len());
    };
    assert!(met.is_empty());
    let items = document.root.get("items").unwrap();
    assert!(
        matches!(&items.value, Value::Seq(kept) if kept.len() == 1 && kept[0].span == Span::new(46, 49))
    );
    assert!(matches!(&document.root.get("x").unwrap().value, Value::Seq(x) if x.len() == 1));
}
