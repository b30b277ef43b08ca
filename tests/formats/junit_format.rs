//! JUnit XML: parsed back with quick-xml, counts, escaping.

use netpol::diag::Severity;
use netpol::report::formats::LintFormat;
use netpol::report::junit::{escape_attr, escape_text};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use super::{Fixture, NASTY};

/// One element as read back: name, attributes (unescaped and normalised) and text.
#[derive(Debug, Default, Clone)]
pub(super) struct Element {
    pub(super) name: String,
    attrs: Vec<(String, String)>,
    text: String,
    depth: usize,
}

impl Element {
    fn attr(&self, key: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Parses `xml` completely (end names checked), returning every element in document
/// order with its unescaped text.
pub(super) fn parse(xml: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let start = |e: &quick_xml::events::BytesStart<'_>, depth: usize| Element {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                let key = a.key.as_ref().to_string();
                (
                    key,
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        text: String::new(),
        depth,
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                elements.push(start(&e, open.len()));
                open.push(elements.len() - 1);
            }
            Event::Empty(e) => elements.push(start(&e, open.len())),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let raw = format!("&{};", r.xml10_content());
                let resolved = quick_xml::escape::unescape(&raw).expect("known entity");
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    elements
}

fn named<'e>(elements: &'e [Element], name: &str) -> Vec<&'e Element> {
    elements.iter().filter(|e| e.name == name).collect()
}

#[test]
fn junit_parses_back_with_expected_counts() {
    let xml = Fixture::new(Some(Severity::Warning)).render(LintFormat::Junit);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let elements = parse(&xml);
    let root = &elements[0];
    assert_eq!((root.name.as_str(), root.depth), ("testsuites", 0));
    // 3 NetworkPolicy objects x 5 rules + the Namespace x 1 rule + yaml-syntax about
    // a file + rule-without-ports on Bad_NS/x (not in the object list).
    assert_eq!(root.attr("tests"), "18");
    // Findings at or above warning: all but missing-policytypes (info).
    assert_eq!(root.attr("failures"), "6");
    let testcases = named(&elements, "testcase");
    assert_eq!(testcases.len(), 18);
    assert!(testcases.iter().all(|t| t.depth == 2));
    assert_eq!(named(&elements, "failure").len(), 6);
    let suites = named(&elements, "testsuite");
    let names: Vec<&str> = suites.iter().map(|s| s.attr("name")).collect();
    assert_eq!(
        names,
        [
            "./deploy/pay db.yaml",
            "deploy/bad.yaml",
            "deploy/broken.yaml",
            "deploy/ns.yaml",
            "deploy/shop.yaml"
        ]
    );
    let total: usize = suites
        .iter()
        .map(|s| s.attr("tests").parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, 18);
    let shop = suites
        .iter()
        .find(|s| s.attr("name") == "deploy/shop.yaml")
        .unwrap();
    assert_eq!((shop.attr("tests"), shop.attr("failures")), ("10", "2"));
    // Every testcase has file and line; the info finding is reported but passes.
    for t in &testcases {
        assert!(
            !t.attr("file").is_empty() && !t.attr("line").is_empty(),
            "{t:?}"
        );
    }
    let system_out = named(&elements, "system-out");
    assert_eq!(system_out.len(), 1);
    assert!(system_out[0].text.contains("rule: missing-policytypes"));
}

#[test]
fn junit_failures_round_trip_escaped_text() {
    let xml = Fixture::new(Some(Severity::Warning)).render(LintFormat::Junit);
    let elements = parse(&xml);
    let failures = named(&elements, "failure");
    let allow = failures
        .iter()
        .find(|f| f.attr("type") == "allow-all-ingress")
        .unwrap();
    assert_eq!(allow.attr("message"), NASTY);
    assert!(allow
        .text
        .starts_with(&format!("{NASTY}\nrule: allow-all-ingress\n")));
    assert!(allow.text.contains("severity: warning\n"));
    assert!(allow.text.contains("resource: NetworkPolicy shop/web\n"));
    assert!(allow.text.contains("location: deploy/shop.yaml:11:5\n"));
    assert!(allow.text.contains("help: list the peers & ports <here>\n"));
    // A control character XML cannot carry becomes U+FFFD; the tab survives.
    let control = failures
        .iter()
        .find(|f| f.attr("type") == "selector-contradiction")
        .unwrap();
    assert_eq!(
        control.attr("message"),
        "control \u{FFFD} char and tab\tin `team`"
    );
    let testcase = named(&elements, "testcase")
        .into_iter()
        .find(|t| {
            t.attr("classname") == "allow-all-ingress" && t.attr("name") == "NetworkPolicy shop/web"
        })
        .unwrap();
    assert_eq!(
        (testcase.attr("file"), testcase.attr("line")),
        ("deploy/shop.yaml", "11")
    );
}

#[test]
fn junit_failures_are_warnings_errors_and_info_at_the_threshold() {
    let count = |fail_on| {
        let xml = Fixture::new(fail_on).render(LintFormat::Junit);
        named(&parse(&xml), "failure").len()
    };
    // Warnings and errors fail their testcase whatever --fail-on says (a warning must
    // not read as a pass); info findings fail only with --fail-on info.
    assert_eq!(count(Some(Severity::Error)), 6);
    assert_eq!(count(Some(Severity::Warning)), 6);
    assert_eq!(count(Some(Severity::Info)), 7);
    assert_eq!(count(None), 6);
}

#[test]
fn xml_escaping_edge_cases() {
    assert_eq!(escape_text("a<b>&c\"'\n"), "a&lt;b&gt;&amp;c\"'\n");
    assert_eq!(
        escape_attr("a<b>&c\"'\n\t\r"),
        "a&lt;b&gt;&amp;c&quot;&apos;&#10;&#9;&#13;"
    );
    assert_eq!(escape_text("]]>"), "]]&gt;");
    assert_eq!(
        escape_text("\u{0}\u{1b}\u{FFFE}é😀"),
        "\u{FFFD}\u{FFFD}\u{FFFD}é😀"
    );
}

#[test]
fn junit_writer_serves_other_commands() {
    use netpol::report::junit::{write, Case, Failure, Suite};
    let failure = |m: &str| Failure {
        kind: "connectivity".into(),
        message: m.into(),
        details: format!("{m}\nexplained"),
    };
    let suites = [Suite {
        name: "tests.yaml".into(),
        cases: vec![
            Case {
                classname: "shop".into(),
                name: "web reaches api".into(),
                file: "tests.yaml".into(),
                line: 7,
                ..Case::default()
            },
            Case {
                classname: "shop".into(),
                name: "case 2".into(),
                failures: vec![failure("expected allow, got deny"), failure("second")],
                ..Case::default()
            },
        ],
    }];
    let elements = parse(&write("netpol test", &suites));
    assert_eq!(elements[0].attr("name"), "netpol test");
    assert_eq!(
        (elements[0].attr("tests"), elements[0].attr("failures")),
        ("2", "1")
    );
    let cases = named(&elements, "testcase");
    assert_eq!(
        (cases[0].attr("file"), cases[0].attr("line")),
        ("tests.yaml", "7")
    );
    assert!(cases[1]
        .attrs
        .iter()
        .all(|(k, _)| k != "file" && k != "line"));
    let failures = named(&elements, "failure");
    assert_eq!(failures.len(), 2);
    assert_eq!(failures[0].text, "expected allow, got deny\nexplained");
    assert_eq!(write("x", &[]), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"x\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n</testsuites>\n");
}
