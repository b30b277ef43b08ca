//! Endpoint names as users write them: `ns/name`, `ns/kind/name`, IP addresses.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

use super::endpoints::{representing_pods, Endpoint, EndpointId, EndpointKind, EndpointRef};
use super::matrix::owner_of;
use super::{representatives, Engine};
use crate::model::{Model, Workload, WorkloadKind};
use crate::sorted::SortedMap;

/// Why an endpoint name could not be resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResolveError {
    /// Nothing was written.
    Empty,
    /// Not `ns/name`, `ns/kind/name`, `ns/{k=v,...}` or an IP address.
    Malformed {
        /// The text as written.
        text: String,
    },
    /// `ns/kind/name` with a kind that is neither `pod` nor a workload kind.
    UnknownKind {
        /// The text as written.
        text: String,
        /// The kind as written.
        kind: String,
    },
    /// No pod or workload has that name.
    NotFound {
        /// The text as written.
        text: String,
    },
    /// Several endpoints answer to the name.
    Ambiguous {
        /// The text as written.
        text: String,
        /// The endpoint ids (or `ns/kind/name` spellings) to choose from, sorted.
        candidates: Vec<String>,
    },
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Empty => f.write_str("empty endpoint: write `ns/name`, `ns/kind/name` or an IP address"),
            ResolveError::Malformed { text } => write!(
                f,
                "endpoint `{text}` is not `ns/name`, `ns/kind/name` or an IP address"
            ),
            ResolveError::UnknownKind { text, kind } => write!(
                f,
                "endpoint `{text}`: unknown kind `{kind}` (use pod, deployment, statefulset, daemonset, replicaset, replicationcontroller, job or cronjob)"
            ),
            ResolveError::NotFound { text } => {
                write!(f, "endpoint `{text}` not found: no pod or workload has that name")
            }
            ResolveError::Ambiguous { text, candidates } => write!(
                f,
                "endpoint `{text}` is ambiguous: it could be {}; write one of these",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Resolves `text` against the engine's endpoints.
pub(crate) fn resolve(engine: &Engine<'_>, text: &str) -> Result<EndpointRef, ResolveError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ResolveError::Empty);
    }
    if let Ok(addr) = text.parse::<IpAddr>() {
        return resolve_ip(engine, text, addr);
    }
    if let Some((ns, labels)) = text
        .split_once('/')
        .filter(|(_, rest)| rest.starts_with('{'))
    {
        return match representatives::canonical_name(labels) {
            Some(name) if !ns.is_empty() => resolve_name(engine, text, ns, None, &name),
            _ => Err(ResolveError::Malformed { text: text.into() }),
        };
    }
    let parts: Vec<&str> = text.split('/').collect();
    match parts.as_slice() {
        [ns, name] if !ns.is_empty() && !name.is_empty() => {
            resolve_name(engine, text, ns, None, name)
        }
        [ns, kind, name] if !ns.is_empty() && !name.is_empty() => {
            resolve_name(engine, text, ns, Some(kind), name)
        }
        _ => Err(ResolveError::Malformed { text: text.into() }),
    }
}

/// An IP: the pod with that IP, else an address outside the cluster.
fn resolve_ip(engine: &Engine<'_>, text: &str, addr: IpAddr) -> Result<EndpointRef, ResolveError> {
    match engine.by_ip.get(&addr).map(Vec::as_slice) {
        None | Some([]) => Ok(EndpointRef::External(addr)),
        Some([one]) => Ok(EndpointRef::Endpoint(*one)),
        Some(many) => Err(ResolveError::Ambiguous {
            text: text.into(),
            candidates: sorted(
                many.iter()
                    .map(|id| engine.display(&EndpointRef::Endpoint(*id))),
            ),
        }),
    }
}

/// Pod endpoints and workloads by `(namespace, name)`, each list in index order.
#[derive(Clone, Debug, Default)]
pub(crate) struct ByName<'m> {
    pods: SortedMap<(&'m str, &'m str), Vec<EndpointId>>,
    workloads: SortedMap<(&'m str, &'m str), Vec<usize>>,
}

impl<'m> ByName<'m> {
    /// The index of `model`'s workloads and the pod endpoints among `endpoints`.
    pub(crate) fn build(model: &'m Model, endpoints: &[Endpoint<'m>]) -> ByName<'m> {
        let pods = endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e.kind, EndpointKind::Pod(_)))
            .map(|(i, e)| ((e.namespace, e.name), EndpointId::from_index(i)));
        let workloads = model
            .workloads
            .iter()
            .enumerate()
            .map(|(i, w)| ((w.meta.namespace_name(), w.meta.name.value.as_str()), i));
        ByName {
            pods: SortedMap::grouped(pods),
            workloads: SortedMap::grouped(workloads),
        }
    }
}

/// What a name may denote before disambiguation.
enum Candidate {
    Pod(EndpointId),
    Workload(usize),
}

/// `ns/name` (kind `None`) or `ns/kind/name`.
fn resolve_name(
    engine: &Engine<'_>,
    text: &str,
    ns: &str,
    kind: Option<&str>,
    name: &str,
) -> Result<EndpointRef, ResolveError> {
    let (want_pods, want_kind) = match kind {
        None => (true, None),
        Some(k) if k.eq_ignore_ascii_case("pod") => (true, None),
        Some(k) => match WorkloadKind::parse(k) {
            Some(wk) => (false, Some(wk)),
            None => {
                return Err(ResolveError::UnknownKind {
                    text: text.into(),
                    kind: k.into(),
                })
            }
        },
    };
    let want_workloads = kind.is_none() || want_kind.is_some();
    let mut candidates = Vec::new();
    if want_pods {
        let pods = engine.by_name.pods.get(&(ns, name));
        candidates.extend(pods.into_iter().flatten().map(|&id| Candidate::Pod(id)));
    }
    if want_workloads {
        let workloads = engine.by_name.workloads.get(&(ns, name));
        for &i in workloads.into_iter().flatten() {
            let kind_ok = engine
                .model
                .workloads
                .get(i)
                .is_some_and(|w| want_kind.is_none_or(|k| k == w.kind));
            if kind_ok {
                candidates.push(Candidate::Workload(i));
            }
        }
    }
    match candidates.as_slice() {
        [] => match want_kind {
            Some(kind) => resolve_owned(engine, text, ns, kind, name),
            None => Err(ResolveError::NotFound { text: text.into() }),
        },
        [Candidate::Pod(id)] => Ok(EndpointRef::Endpoint(*id)),
        [Candidate::Workload(w)] => resolve_workload(engine, text, *w),
        many => Err(ResolveError::Ambiguous {
            text: text.into(),
            candidates: sorted(many.iter().map(|c| candidate_name(engine, c))),
        }),
    }
}

/// A workload: its own endpoint, or the one pod representing it.
fn resolve_workload(
    engine: &Engine<'_>,
    text: &str,
    workload: usize,
) -> Result<EndpointRef, ResolveError> {
    if let Some(id) = engine.workload_endpoint(workload) {
        return Ok(EndpointRef::Endpoint(id));
    }
    let Some(w) = engine.model.workloads.get(workload) else {
        return Err(ResolveError::NotFound { text: text.into() });
    };
    match representing_pods(&engine.endpoints, w).as_slice() {
        [] => Err(ResolveError::NotFound { text: text.into() }),
        [one] => Ok(EndpointRef::Endpoint(*one)),
        many => Err(ResolveError::Ambiguous {
            text: text.into(),
            candidates: sorted(
                many.iter()
                    .map(|id| engine.display(&EndpointRef::Endpoint(*id))),
            ),
        }),
    }
}

/// `ns/kind/name` of a controller absent from the inputs: the one pod it owns
/// (see [`owner_of`]); several are ambiguous and listed.
fn resolve_owned(
    engine: &Engine<'_>,
    text: &str,
    ns: &str,
    kind: WorkloadKind,
    name: &str,
) -> Result<EndpointRef, ResolveError> {
    let owned: Vec<EndpointId> = engine
        .endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| e.namespace == ns)
        .filter(|(_, e)| match e.kind {
            EndpointKind::Pod(p) => engine
                .model
                .pods
                .get(p)
                .and_then(owner_of)
                .is_some_and(|(k, n)| k == kind && n == name),
            EndpointKind::Workload(_) => false,
        })
        .map(|(i, _)| EndpointId::from_index(i))
        .collect();
    match owned.as_slice() {
        [] => Err(ResolveError::NotFound { text: text.into() }),
        [one] => Ok(EndpointRef::Endpoint(*one)),
        many => Err(ResolveError::Ambiguous {
            text: text.into(),
            candidates: sorted(
                many.iter()
                    .map(|id| engine.display(&EndpointRef::Endpoint(*id))),
            ),
        }),
    }
}

/// How a candidate is written unambiguously.
fn candidate_name(engine: &Engine<'_>, candidate: &Candidate) -> String {
    match candidate {
        Candidate::Pod(id) => engine.display(&EndpointRef::Endpoint(*id)),
        Candidate::Workload(i) => engine
            .model
            .workloads
            .get(*i)
            .map(workload_spelling)
            .unwrap_or_default(),
    }
}

/// `ns/kind/name` of a workload, kind in lower case.
pub(crate) fn workload_spelling(w: &Workload) -> String {
    format!(
        "{}/{}/{}",
        w.meta.namespace_name(),
        w.kind.as_str().to_ascii_lowercase(),
        w.meta.name.value
    )
}

/// Sorted, without repeats.
fn sorted(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = names.collect();
    crate::order::sort(&mut v);
    v.dedup();
    v
}
