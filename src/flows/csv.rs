//! The CSV form: a header `from,to,port,protocol` (and optionally `,verdict`), then
//! one flow per line. Endpoints are written as for `netpol query` (`ns/name`,
//! `ns/kind/name`, an IP address); fields may be double-quoted (`"ns/{a=1,b=2}"`).
//! Without a verdict column every flow counts as forwarded: the file lists traffic
//! that happened.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{FlowEnd, FlowLog, FlowProblem, Observed, ObservedFlow, Transport};
use crate::model::Protocol;

/// Whether `text` starts with the CSV header.
pub(super) fn is_csv(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    let fields: Vec<String> = fields(first)
        .unwrap_or_default()
        .into_iter()
        .map(|f| f.trim().to_ascii_lowercase())
        .collect();
    fields.len() >= 4
        && fields.get(..4) == Some(&["from", "to", "port", "protocol"].map(String::from)[..])
}

/// Reads every line after the header.
pub(super) fn read(text: &str) -> FlowLog {
    let mut log = FlowLog::default();
    let mut lines = text.lines().enumerate();
    let with_verdict = lines
        .next()
        .and_then(|(_, header)| fields(header).ok())
        .is_some_and(|f| f.len() > 4);
    for (i, raw) in lines {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let index = log.flows.len() + log.problems.len() + 1;
        match flow(raw, with_verdict, index, line) {
            Ok(flow) => log.flows.push(flow),
            Err(message) => log.problems.push(FlowProblem { line, message }),
        }
    }
    log
}

/// One data line.
fn flow(raw: &str, with_verdict: bool, index: usize, line: u32) -> Result<ObservedFlow, String> {
    let values = fields(raw)?;
    let expected = if with_verdict { 5 } else { 4 };
    if values.len() != expected {
        return Err(format!(
            "{} fields where the header has {expected}",
            values.len()
        ));
    }
    let get = |i: usize| values.get(i).map_or("", |v| v.trim());
    let port = match get(2).parse::<u16>() {
        Ok(n) if n > 0 => n,
        _ => return Err(format!("port `{}` is not a number from 1 to 65535", get(2))),
    };
    let protocol = match get(3) {
        "" => Protocol::Tcp,
        text => Protocol::parse(&text.to_ascii_uppercase())
            .ok_or_else(|| format!("protocol `{text}` is not TCP, UDP or SCTP"))?,
    };
    let observed = if with_verdict {
        match get(4).to_ascii_lowercase().as_str() {
            "forwarded" => Observed::Forwarded,
            "dropped" => Observed::Dropped,
            "unknown" | "" => Observed::Unknown,
            other => {
                return Err(format!(
                    "verdict `{other}` is not forwarded, dropped or unknown"
                ))
            }
        }
    } else {
        Observed::Forwarded
    };
    let end = |text: &str| -> Result<Arc<FlowEnd>, String> {
        if text.is_empty() {
            return Err("an endpoint is empty".into());
        }
        Ok(Arc::new(FlowEnd {
            written: Some(text.into()),
            ip: text.parse().ok(),
            ..FlowEnd::default()
        }))
    };
    Ok(ObservedFlow {
        index,
        line,
        source: end(get(0))?,
        destination: end(get(1))?,
        transport: Transport::Ports {
            protocol,
            source_port: 0,
            destination_port: port,
        },
        observed,
        is_reply: Some(false),
    })
}

/// The comma-separated fields of one line, double quotes grouping (`""` is a quote).
fn fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(core::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    out.push(field);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_fields_and_verdicts() {
        let log = read(
            "from,to,port,protocol,verdict\n\"shop/{app=web,tier=f}\",10.0.0.1,53,udp,DROPPED\n",
        );
        assert_eq!(log.problems, []);
        let flow = &log.flows[0];
        assert_eq!(
            flow.source.written.as_deref(),
            Some("shop/{app=web,tier=f}")
        );
        assert_eq!(flow.observed, Observed::Dropped);
        assert!(flow.destination.ip.is_some());
    }

    #[test]
    fn bad_lines_are_problems_with_their_line() {
        let log = read(
            "from,to,port,protocol\na/b,a/c,0,TCP\na/b,a/c,80,ICMP\na/b,a/c\n\"a/b,a/c,80,TCP\n",
        );
        let lines: Vec<u32> = log.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(log.problems[1].message.contains("ICMP"));
        assert!(log.flows.is_empty());
    }

    #[test]
    fn header_decides_the_form() {
        assert!(is_csv("from,to,port,protocol\n"));
        assert!(is_csv("From, To, Port, Protocol, Verdict\n"));
        assert!(!is_csv("{\"flow\": {}}\n"));
    }
}
