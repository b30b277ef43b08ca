//! The Hubble reader (`netpol::flows::read`) on the paths of its endpoint cache: a
//! log that repeats its ends shares them, ends differing in one label, one workload
//! or the address stay apart, the array and line forms read alike, and a record with
//! an unreadable or wrong end is a problem on its own line while the other records
//! are read.
// Test code: a failed expectation panics, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use netpol::flows::{read, FlowLog, Transport};

const WEB: &str = r#"{"namespace":"shop","pod_name":"web-1","labels":["k8s:app=web","k8s:tier=front"],"workloads":[{"name":"web","kind":"Deployment"}]}"#;
const DB: &str = r#"{"namespace":"shop","pod_name":"db-1","labels":["k8s:app=db"]}"#;

/// A Hubble line from `source` to `destination` (endpoint objects' text) on TCP 80.
fn line(source: &str, destination: &str) -> String {
    line_with_ips(source, destination, "10.0.0.1", "10.0.0.2")
}

fn line_with_ips(source: &str, destination: &str, from_ip: &str, to_ip: &str) -> String {
    format!(
        r#"{{"flow":{{"verdict":"FORWARDED","IP":{{"source":"{from_ip}","destination":"{to_ip}"}},"l4":{{"TCP":{{"source_port":40000,"destination_port":80}}}},"source":{source},"destination":{destination}}}}}"#
    )
}

fn no_problems(log: &FlowLog) {
    assert!(log.problems.is_empty(), "{:?}", log.problems);
}

#[test]
fn repeated_ends_are_shared_and_read_alike() {
    let log = read(&[line(WEB, DB), line(WEB, DB), line(DB, WEB)].join("\n"));
    no_problems(&log);
    let [a, b, c] = [&log.flows[0], &log.flows[1], &log.flows[2]];
    assert!(Arc::ptr_eq(&a.source, &b.source));
    assert!(Arc::ptr_eq(&a.destination, &b.destination));
    assert!(!Arc::ptr_eq(&a.source, &c.source));
    assert_eq!(a.source.pod.as_deref(), Some("web-1"));
    assert_eq!(a.source.labels.get("tier"), Some("front"));
    assert_eq!(
        a.source.workloads,
        [("Deployment".to_string(), "web".to_string())]
    );
    assert_eq!(c.destination.pod.as_deref(), Some("web-1"));
    assert_eq!(c.destination.ip, "10.0.0.2".parse().ok());
    assert_eq!(a.source.ip, "10.0.0.1".parse().ok());
}

#[test]
fn ends_differing_in_one_label_are_not_merged() {
    let other = WEB.replace("k8s:tier=front", "k8s:tier=back");
    let log = read(&[line(WEB, DB), line(&other, DB)].join("\n"));
    no_problems(&log);
    let (first, second) = (&log.flows[0].source, &log.flows[1].source);
    assert!(!Arc::ptr_eq(first, second));
    assert_eq!(first.labels.get("tier"), Some("front"));
    assert_eq!(second.labels.get("tier"), Some("back"));
    assert_eq!(first.pod, second.pod);
}

#[test]
fn ends_differing_in_a_workload_or_the_address_are_not_merged() {
    let other = WEB.replace(r#""name":"web""#, r#""name":"web-canary""#);
    let log = read(
        &[
            line(WEB, DB),
            line(&other, DB),
            line_with_ips(WEB, DB, "10.0.0.9", "10.0.0.2"),
        ]
        .join("\n"),
    );
    no_problems(&log);
    let ends: Vec<_> = log.flows.iter().map(|f| &f.source).collect();
    assert_eq!(ends[1].workloads[0].1, "web-canary");
    assert_eq!(ends[2].ip, "10.0.0.9".parse().ok());
    assert_eq!(ends[0].ip, "10.0.0.1".parse().ok());
    assert!(!Arc::ptr_eq(ends[0], ends[1]));
    assert!(!Arc::ptr_eq(ends[0], ends[2]));
    // The destination is the same end in every record.
    assert!(Arc::ptr_eq(
        &log.flows[0].destination,
        &log.flows[2].destination
    ));
}

#[test]
fn the_array_form_reads_as_the_lines() {
    let records = [line(WEB, DB), line(DB, WEB), line(WEB, WEB)];
    let lines = read(&records.join("\n"));
    let array = read(&format!("[\n{}\n]\n", records.join(",\n")));
    no_problems(&lines);
    no_problems(&array);
    assert_eq!(lines.flows.len(), 3);
    for (a, b) in lines.flows.iter().zip(&array.flows) {
        assert_eq!((a.index, a.line + 1), (b.index, b.line));
        assert_eq!(*a.source, *b.source);
        assert_eq!(*a.destination, *b.destination);
        assert_eq!(a.transport, b.transport);
        assert_eq!(a.observed, b.observed);
    }
}

#[test]
fn an_unreadable_end_is_a_problem_on_its_line_and_the_rest_is_read() {
    let bad = r#"{"namespace":"shop","labels":"k8s:app=web"}"#;
    for text in [
        [line(WEB, DB), line(bad, DB), line(DB, WEB), line(bad, DB)].join("\n"),
        format!(
            "[\n{}\n]",
            [line(WEB, DB), line(bad, DB), line(DB, WEB), line(bad, DB)].join(",\n")
        ),
    ] {
        let log = read(&text);
        let offset = u32::from(text.starts_with('['));
        assert_eq!(log.flows.len(), 2);
        assert_eq!(log.flows[1].line, 3 + offset);
        assert_eq!(log.flows[1].index, 3);
        assert_eq!(log.problems.len(), 2);
        for (problem, line) in log.problems.iter().zip([2, 4]) {
            assert_eq!(problem.line, line + offset);
            assert!(
                problem
                    .message
                    .starts_with("not a JSON flow record: invalid type"),
                "{}",
                problem.message
            );
        }
    }
}

#[test]
fn a_wrong_address_is_a_problem_naming_its_side_each_time() {
    let text = [
        line_with_ips(WEB, DB, "10.0.0.1", "not-an-ip"),
        line(WEB, DB),
        line_with_ips(WEB, DB, "10.0.0.1", "not-an-ip"),
    ]
    .join("\n");
    let log = read(&text);
    assert_eq!(log.flows.len(), 1);
    assert_eq!(log.flows[0].line, 2);
    assert!(matches!(
        log.flows[0].transport,
        Transport::Ports {
            destination_port: 80,
            ..
        }
    ));
    let problems: Vec<_> = log
        .problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    let message = "destination: `not-an-ip` is not an IP address";
    assert_eq!(problems, [(1, message), (3, message)]);
}

#[test]
fn a_record_without_ends_is_still_a_flow_of_addresses() {
    let text = r#"{"flow":{"IP":{"source":"10.0.0.1","destination":"10.0.0.2"},"l4":{"UDP":{"source_port":5353,"destination_port":53}}}}"#;
    let log = read(text);
    no_problems(&log);
    assert_eq!(log.flows[0].source.ip, "10.0.0.1".parse().ok());
    assert_eq!(log.flows[0].source.pod, None);
    assert_eq!(log.flows[0].destination.ip, "10.0.0.2".parse().ok());
}
