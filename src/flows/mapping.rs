//! Which endpoint of the inputs each end of a flow is: by namespace and pod name
//! (or the owning workload), else by labels, else by address.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::cell::RefCell;

use super::FlowEnd;
use crate::engine::{EndpointId, EndpointRef, Engine};

/// How an end of a flow was found among the inputs' endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MappedBy {
    /// Written as an endpoint (`ns/name`, `ns/kind/name`) in a CSV file.
    Written,
    /// The pod of that namespace and name.
    Name,
    /// The workload owning the pod (the pod itself is not in the inputs).
    Workload,
    /// The pod of that namespace carrying the flow's labels.
    Labels,
    /// The pod with that address.
    Ip,
    /// An address outside the cluster.
    Outside,
}

impl MappedBy {
    /// `written`, `name`, `workload`, `labels`, `ip` or `outside`.
    pub fn as_str(self) -> &'static str {
        match self {
            MappedBy::Written => "written",
            MappedBy::Name => "name",
            MappedBy::Workload => "workload",
            MappedBy::Labels => "labels",
            MappedBy::Ip => "ip",
            MappedBy::Outside => "outside",
        }
    }
}

/// An end of a flow found among the inputs' endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapped {
    /// The endpoint (or the address outside the cluster).
    pub endpoint: EndpointRef,
    /// How it was found.
    pub by: MappedBy,
}

/// The engine's endpoints by namespace, for mapping by labels, and the ends already
/// mapped (a flow log repeats the same ends many times).
pub struct EndpointIndex<'e, 'm> {
    engine: &'e Engine<'m>,
    by_namespace: BTreeMap<&'m str, Vec<EndpointId>>,
    mapped: RefCell<BTreeMap<*const FlowEnd, Remembered>>,
}

/// An end already mapped: the end itself (held, so its address names no other end
/// while it is remembered) and the answer.
type Remembered = (Arc<FlowEnd>, Result<Mapped, String>);

impl<'e, 'm> EndpointIndex<'e, 'm> {
    /// Indexes the endpoints of `engine` by namespace.
    pub fn new(engine: &'e Engine<'m>) -> Self {
        let mut by_namespace: BTreeMap<&'m str, Vec<EndpointId>> = BTreeMap::new();
        for (i, endpoint) in engine.endpoints().iter().enumerate() {
            by_namespace
                .entry(endpoint.namespace)
                .or_default()
                .push(EndpointId::from_index(i));
        }
        EndpointIndex {
            engine,
            by_namespace,
            mapped: RefCell::new(BTreeMap::new()),
        }
    }

    /// The engine the index is over.
    pub fn engine(&self) -> &'e Engine<'m> {
        self.engine
    }

    /// The endpoint `end` stands for, or why there is none (an end shared by many
    /// records, as the readers share them, is looked up once).
    pub fn map_end(&self, end: &Arc<FlowEnd>) -> Result<Mapped, String> {
        let key = Arc::as_ptr(end);
        if let Some((_, known)) = self.mapped.borrow().get(&key) {
            return known.clone();
        }
        let found = self.look_up(end);
        self.mapped
            .borrow_mut()
            .insert(key, (Arc::clone(end), found.clone()));
        found
    }

    /// [`EndpointIndex::map_end`] without the memory of ends already mapped.
    fn look_up(&self, end: &FlowEnd) -> Result<Mapped, String> {
        if let Some(written) = &end.written {
            return self.written(written);
        }
        let Some(namespace) = &end.namespace else {
            return self.by_address(end, None);
        };
        if let Some(pod) = &end.pod {
            if let Ok(endpoint) = self.engine.resolve(&format!("{namespace}/{pod}")) {
                return Ok(Mapped {
                    endpoint,
                    by: MappedBy::Name,
                });
            }
        }
        for (kind, name) in &end.workloads {
            let text = format!("{namespace}/{}/{name}", kind.to_ascii_lowercase());
            if let Ok(endpoint @ EndpointRef::Endpoint(_)) = self.engine.resolve(&text) {
                return Ok(Mapped {
                    endpoint,
                    by: MappedBy::Workload,
                });
            }
        }
        if let Some(id) = self.by_labels(namespace, end) {
            return Ok(Mapped {
                endpoint: EndpointRef::Endpoint(id),
                by: MappedBy::Labels,
            });
        }
        self.by_address(end, Some(namespace))
    }

    /// A CSV endpoint, resolved as `netpol query` resolves it.
    fn written(&self, text: &str) -> Result<Mapped, String> {
        let endpoint = self.engine.resolve(text).map_err(|e| format!("{e}"))?;
        let by = match endpoint {
            EndpointRef::External(_) => MappedBy::Outside,
            EndpointRef::Endpoint(_) if text.parse::<core::net::IpAddr>().is_ok() => MappedBy::Ip,
            EndpointRef::Endpoint(_) => MappedBy::Written,
        };
        Ok(Mapped { endpoint, by })
    }

    /// The first endpoint (in id order) of `namespace` carrying every label of `end`
    /// (none when the flow has no labels).
    fn by_labels(&self, namespace: &str, end: &FlowEnd) -> Option<EndpointId> {
        if end.labels.is_empty() {
            return None;
        }
        self.by_namespace
            .get(namespace)?
            .iter()
            .copied()
            .find(|id| {
                self.engine.endpoint(*id).is_some_and(|e| {
                    end.labels
                        .iter()
                        .all(|(k, v)| e.labels.get(k).is_some_and(|have| have == v))
                })
            })
    }

    /// The pod with the end's address; an address no pod has is outside the cluster,
    /// unless the record says the end is a pod of `namespace`.
    fn by_address(&self, end: &FlowEnd, namespace: Option<&String>) -> Result<Mapped, String> {
        let described = describe(end);
        let Some(ip) = end.ip else {
            return Err(format!("{described}: not in the inputs, and no address"));
        };
        match self.engine.resolve(&format!("{ip}")) {
            Ok(endpoint @ EndpointRef::Endpoint(_)) => Ok(Mapped {
                endpoint,
                by: MappedBy::Ip,
            }),
            Ok(endpoint @ EndpointRef::External(_)) if namespace.is_none() => Ok(Mapped {
                endpoint,
                by: MappedBy::Outside,
            }),
            Ok(EndpointRef::External(_)) => Err(format!(
                "{described} is not in the inputs (no pod or workload of that name or labels, and no pod has {ip})"
            )),
            Err(error) => Err(format!("{described}: {error}")),
        }
    }
}

/// The end as the messages name it: `ns/pod`, `ns/{labels}`, or its address.
pub fn describe(end: &FlowEnd) -> String {
    if let Some(written) = &end.written {
        return written.clone();
    }
    match (&end.namespace, &end.pod, &end.ip) {
        (Some(ns), Some(pod), _) => format!("{ns}/{pod}"),
        (Some(ns), None, _) if !end.labels.is_empty() => {
            let labels: Vec<String> = end.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{ns}/{{{}}}", labels.join(","))
        }
        (_, _, Some(ip)) => format!("{ip}"),
        (Some(ns), None, None) => format!("a pod of namespace {ns}"),
        (None, _, None) => "an endpoint without namespace, name or address".into(),
    }
}
