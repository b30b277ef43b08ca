//! Hubble's JSON export (`hubble observe -o json`): one object per line, or a JSON
//! array; each object a `{"flow": {...}}` wrapper or a bare flow. Field names as
//! Hubble writes them (the proto names: `pod_name`, `is_reply`, `destination_port`),
//! and the lowerCamelCase spellings of the protobuf JSON mapping.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::net::IpAddr;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::seen::{EndText, Refused, SeenEnds};
use super::{FlowEnd, FlowLog, FlowProblem, Observed, ObservedFlow, Transport};
use crate::model::{Labels, Protocol};

/// An enum value as protobuf JSON writes it: its name, or its number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Named<'a> {
    Name(#[serde(borrow)] Cow<'a, str>),
    Number(u64),
}

#[derive(Deserialize, Default)]
struct Workload<'a> {
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    kind: Cow<'a, str>,
}

#[derive(Deserialize, Default)]
struct Endpoint<'a> {
    #[serde(borrow, default)]
    namespace: Option<Cow<'a, str>>,
    #[serde(borrow, default, alias = "podName")]
    pod_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    labels: Vec<Cow<'a, str>>,
    #[serde(borrow, default)]
    workloads: Vec<Workload<'a>>,
}

/// A string borrowed from the text unless it has escapes (serde borrows a `Cow` field
/// only when it is not inside an `Option`).
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

#[derive(Deserialize, Default)]
struct Ip<'a> {
    #[serde(borrow, default)]
    source: Option<Text<'a>>,
    #[serde(borrow, default)]
    destination: Option<Text<'a>>,
}

#[derive(Deserialize, Default)]
struct Ports {
    #[serde(default, alias = "sourcePort")]
    source_port: u32,
    #[serde(default, alias = "destinationPort")]
    destination_port: u32,
}

#[derive(Deserialize, Default)]
struct Layer4 {
    #[serde(rename = "TCP", default)]
    tcp: Option<Ports>,
    #[serde(rename = "UDP", default)]
    udp: Option<Ports>,
    #[serde(rename = "SCTP", default)]
    sctp: Option<Ports>,
    #[serde(rename = "ICMPv4", default)]
    icmp4: Option<serde::de::IgnoredAny>,
    #[serde(rename = "ICMPv6", default)]
    icmp6: Option<serde::de::IgnoredAny>,
}

/// A flow, or the `{"flow": ...}` wrapper around one (the wrapper's other keys,
/// `node_name` and `time`, are ignored).
#[derive(Deserialize, Default)]
struct Record<'a> {
    #[serde(borrow, default)]
    flow: Option<Box<Record<'a>>>,
    #[serde(borrow, default)]
    verdict: Option<Named<'a>>,
    #[serde(borrow, rename = "IP", default)]
    ip: Option<Ip<'a>>,
    #[serde(default)]
    l4: Option<Layer4>,
    /// The sender's endpoint object as written (read once per distinct end).
    #[serde(borrow, default)]
    source: Option<&'a RawValue>,
    /// The receiver's endpoint object as written.
    #[serde(borrow, default)]
    destination: Option<&'a RawValue>,
    #[serde(default, alias = "isReply")]
    is_reply: Option<bool>,
    #[serde(default)]
    reply: Option<bool>,
}

/// Reads the whole text: an array, or whitespace-separated objects (one per line).
pub(super) fn read(text: &str) -> FlowLog {
    let mut log = FlowLog::default();
    let mut ends = SeenEnds::default();
    let mut scanner = Scanner {
        text,
        pos: 0,
        line: 1,
        counted: 0,
    };
    scanner.skip_space();
    let in_array = scanner.peek() == Some(b'[');
    if in_array {
        scanner.pos += 1;
    }
    loop {
        scanner.skip_space();
        if in_array {
            while scanner.peek() == Some(b',') {
                scanner.pos += 1;
                scanner.skip_space();
            }
            if scanner.peek() == Some(b']') {
                scanner.pos += 1;
                scanner.skip_space();
                if scanner.peek().is_some() {
                    let line = scanner.line_now();
                    log.problems
                        .push(problem(line, "text after the end of the JSON array"));
                }
                break;
            }
        }
        if scanner.peek().is_none() {
            if in_array {
                let line = scanner.line_now();
                log.problems
                    .push(problem(line, "the JSON array is not closed"));
            }
            break;
        }
        let line = scanner.line_now();
        let rest = text.get(scanner.pos..).unwrap_or("");
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Record<'_>>();
        match stream.next() {
            Some(Ok(record)) => {
                scanner.pos += stream.byte_offset();
                let index = log.flows.len() + log.problems.len() + 1;
                match convert(record, index, line, &mut ends) {
                    Ok(flow) => log.flows.push(flow),
                    Err(message) => log.problems.push(problem(line, &message)),
                }
            }
            Some(Err(error)) => {
                log.problems.push(problem(
                    line,
                    &format!("not a JSON flow record: {}", without_position(&error)),
                ));
                if in_array {
                    break;
                }
                scanner.skip_line();
            }
            None => break,
        }
    }
    log
}

/// serde_json's message without its `at line L column C` (relative to the record).
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(at) => text.get(..at).unwrap_or(&text).to_string(),
        None => text,
    }
}

fn problem(line: u32, message: &str) -> FlowProblem {
    FlowProblem {
        line,
        message: message.into(),
    }
}

/// A position in the text with its line number, counted as it moves forward.
struct Scanner<'t> {
    text: &'t str,
    pos: usize,
    line: u32,
    counted: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn skip_line(&mut self) {
        let rest = self.text.as_bytes().get(self.pos..).unwrap_or(&[]);
        self.pos += rest
            .iter()
            .position(|b| *b == b'\n')
            .map_or(rest.len(), |i| i + 1);
    }

    /// The 1-based line of the current position.
    fn line_now(&mut self) -> u32 {
        let seen = self
            .text
            .as_bytes()
            .get(self.counted..self.pos)
            .unwrap_or(&[]);
        let newlines = seen.iter().filter(|b| **b == b'\n').count();
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.counted = self.pos;
        self.line
    }
}

/// The flow a record describes.
fn convert<'t>(
    record: Record<'t>,
    index: usize,
    line: u32,
    ends: &mut SeenEnds<'t>,
) -> Result<ObservedFlow, String> {
    let record = match record.flow {
        Some(inner) => *inner,
        None => record,
    };
    if record.source.is_none() && record.destination.is_none() && record.ip.is_none() {
        return Err(
            "not a flow: no `source`, `destination` or `IP` (other Hubble events are ignored)"
                .into(),
        );
    }
    let ip = record.ip.unwrap_or_default();
    let source = shared_end(ends, record.source, ip.source).map_err(|e| refusal("source", e))?;
    let destination = shared_end(ends, record.destination, ip.destination)
        .map_err(|e| refusal("destination", e))?;
    Ok(ObservedFlow {
        index,
        line,
        source,
        destination,
        transport: transport(record.l4.unwrap_or_default())?,
        observed: observed(record.verdict.as_ref()),
        is_reply: record.is_reply.or(record.reply.filter(|r| *r)),
    })
}

/// The end of `endpoint` (an object's text) and `ip`, converted on first sight and
/// shared afterwards.
fn shared_end<'t>(
    ends: &mut SeenEnds<'t>,
    endpoint: Option<&'t RawValue>,
    ip: Option<Text<'t>>,
) -> Result<Arc<FlowEnd>, Refused> {
    let text = EndText::new(endpoint.map_or("", RawValue::get), ip.map(|ip| ip.0));
    ends.get_or_convert(text, |text| {
        let endpoint = match text.endpoint {
            "" => Endpoint::default(),
            written => serde_json::from_str(written)
                .map_err(|error| Refused::Unreadable(without_position(&error)))?,
        };
        end(&endpoint, text.ip.as_deref()).map_err(Refused::Invalid)
    })
}

/// The problem of a record with a refused end (`side`: `source` or `destination`).
fn refusal(side: &str, refused: Refused) -> String {
    match refused {
        Refused::Unreadable(error) => format!("not a JSON flow record: {error}"),
        Refused::Invalid(error) => format!("{side}: {error}"),
    }
}

/// One end: the endpoint's fields and its address.
fn end(endpoint: &Endpoint<'_>, ip: Option<&str>) -> Result<FlowEnd, String> {
    let ip = match ip.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => Some(
            text.parse::<IpAddr>()
                .map_err(|_| format!("`{text}` is not an IP address"))?,
        ),
    };
    let nonempty =
        |s: &Option<Cow<'_, str>>| s.as_deref().filter(|s| !s.is_empty()).map(String::from);
    Ok(FlowEnd {
        written: None,
        namespace: nonempty(&endpoint.namespace),
        pod: nonempty(&endpoint.pod_name),
        labels: kubernetes_labels(&endpoint.labels),
        workloads: endpoint
            .workloads
            .iter()
            .filter(|w| !w.name.is_empty())
            .map(|w| (w.kind.to_string(), w.name.to_string()))
            .collect(),
        ip,
    })
}

/// The pod's own labels among Cilium's identity labels: `k8s:key=value`, without the
/// labels Cilium derives (`io.kubernetes.pod.namespace`, `io.cilium.k8s.*`) and
/// without other sources (`reserved:world`, `cidr:...`).
pub(crate) fn kubernetes_labels(labels: &[Cow<'_, str>]) -> Labels {
    labels
        .iter()
        .filter_map(|label| label.strip_prefix("k8s:"))
        .filter_map(|label| label.split_once('='))
        .filter(|(key, _)| {
            !key.starts_with("io.kubernetes.pod.namespace") && !key.starts_with("io.cilium.")
        })
        .collect()
}

/// The layer-4 part: TCP, UDP or SCTP ports, ICMP, or nothing.
fn transport(l4: Layer4) -> Result<Transport, String> {
    let ports = [
        (Protocol::Tcp, l4.tcp),
        (Protocol::Udp, l4.udp),
        (Protocol::Sctp, l4.sctp),
    ]
    .into_iter()
    .find_map(|(protocol, ports)| ports.map(|p| (protocol, p)));
    if let Some((protocol, ports)) = ports {
        let port = |n: u32, which: &str| {
            u16::try_from(n).map_err(|_| format!("l4: {which} {n} is not a port (0-65535)"))
        };
        return Ok(Transport::Ports {
            protocol,
            source_port: port(ports.source_port, "source_port")?,
            destination_port: port(ports.destination_port, "destination_port")?,
        });
    }
    Ok(if l4.icmp4.is_some() {
        Transport::Other("ICMPv4".into())
    } else if l4.icmp6.is_some() {
        Transport::Other("ICMPv6".into())
    } else {
        Transport::Missing
    })
}

/// The flow's own verdict, by name or number (`flow.proto` `Verdict`).
fn observed(verdict: Option<&Named<'_>>) -> Observed {
    match verdict {
        Some(Named::Name(name)) => match name.as_ref() {
            "FORWARDED" | "REDIRECTED" | "AUDIT" => Observed::Forwarded,
            "DROPPED" => Observed::Dropped,
            _ => Observed::Unknown,
        },
        Some(Named::Number(1 | 4 | 5)) => Observed::Forwarded,
        Some(Named::Number(2)) => Observed::Dropped,
        _ => Observed::Unknown,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    const WEB: &str = r#""namespace":"shop","pod_name":"web-1","labels":["k8s:app=web"]"#;

    fn line(source: &str, destination: &str) -> String {
        format!(
            r#"{{"flow":{{"verdict":"FORWARDED","IP":{{"source":"10.0.0.1","destination":"10.0.0.2"}},"l4":{{"TCP":{{"source_port":40000,"destination_port":80}}}},"source":{{{source}}},"destination":{{{destination}}}}}}}"#
        )
    }

    #[test]
    fn records_naming_the_same_end_share_it() {
        let db = r#""namespace":"shop","pod_name":"db-1","labels":["k8s:app=db"]"#;
        let text = [line(WEB, db), line(WEB, db), line(db, WEB)].join("\n");
        let log = read(&text);
        assert!(log.problems.is_empty());
        let [a, b, c] = [&log.flows[0], &log.flows[1], &log.flows[2]];
        assert!(Arc::ptr_eq(&a.source, &b.source));
        assert!(Arc::ptr_eq(&a.destination, &b.destination));
        assert_eq!(a.source.pod.as_deref(), Some("web-1"));
        assert_eq!(c.source.pod.as_deref(), Some("db-1"));
        assert!(!Arc::ptr_eq(&a.source, &c.source));
    }

    #[test]
    fn an_end_with_a_bad_address_is_refused_each_time() {
        let text = [line(WEB, WEB), line(WEB, WEB)]
            .join("\n")
            .replace("10.0.0.1", "not-an-ip");
        let log = read(&text);
        assert!(log.flows.is_empty());
        assert_eq!(log.problems.len(), 2);
        assert!(log.problems[1]
            .message
            .contains("`not-an-ip` is not an IP address"));
    }
}
