//! One flow as a user writes it: endpoints, protocol and a port number or name.

use alloc::string::String;
use core::fmt;

use super::endpoints::EndpointRef;
use super::resolve::ResolveError;
use super::Engine;
use crate::model::{PortValue, Protocol};

/// A flow with both ends resolved and the port as a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// The source.
    pub from: EndpointRef,
    /// The destination.
    pub to: EndpointRef,
    /// The protocol.
    pub protocol: Protocol,
    /// The port number (a named port already resolved on the destination).
    pub port: u16,
    /// The port name as written, when the flow named one.
    pub port_name: Option<String>,
}

impl Flow {
    /// A flow between resolved endpoints on a port number.
    pub fn new(from: EndpointRef, to: EndpointRef, protocol: Protocol, port: u16) -> Flow {
        Flow {
            from,
            to,
            protocol,
            port,
            port_name: None,
        }
    }
}

/// Why a flow could not be evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryError {
    /// The source could not be resolved.
    From(ResolveError),
    /// The destination could not be resolved.
    To(ResolveError),
    /// Port 0 is no port.
    InvalidPort,
    /// The destination has no container port with that name and protocol.
    NamedPortNotFound {
        /// The port name.
        name: String,
        /// The protocol.
        protocol: Protocol,
        /// The destination's id.
        endpoint: String,
    },
    /// A named port was asked of an address outside the cluster.
    NamedPortOutsideCluster {
        /// The port name.
        name: String,
        /// The destination address.
        address: String,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::From(e) => write!(f, "from: {e}"),
            QueryError::To(e) => write!(f, "to: {e}"),
            QueryError::InvalidPort => f.write_str("port 0 is not a valid port (1-65535)"),
            QueryError::NamedPortNotFound {
                name,
                protocol,
                endpoint,
            } => write!(
                f,
                "named port `{name}` not found: `{endpoint}` has no container port named `{name}` with protocol {}",
                protocol.as_str()
            ),
            QueryError::NamedPortOutsideCluster { name, address } => write!(
                f,
                "named port `{name}` cannot be resolved on `{address}`, an address outside the cluster"
            ),
        }
    }
}

/// See [`Engine::flow`].
pub(crate) fn flow(
    engine: &Engine<'_>,
    from: &str,
    to: &str,
    port: &PortValue,
    protocol: Protocol,
) -> Result<Flow, QueryError> {
    let from = engine.resolve(from).map_err(QueryError::From)?;
    let to = engine.resolve(to).map_err(QueryError::To)?;
    match port {
        PortValue::Number(0) => Err(QueryError::InvalidPort),
        PortValue::Number(n) => Ok(Flow::new(from, to, protocol, *n)),
        PortValue::Name(name) => {
            let number = resolve_named_port(engine, &to, name, protocol)?;
            Ok(Flow {
                port_name: Some(name.clone()),
                ..Flow::new(from, to, protocol, number)
            })
        }
    }
}

/// The number of the destination's container port `name`/`protocol` (the lowest if
/// several containers declare it).
fn resolve_named_port(
    engine: &Engine<'_>,
    to: &EndpointRef,
    name: &str,
    protocol: Protocol,
) -> Result<u16, QueryError> {
    let EndpointRef::Endpoint(id) = to else {
        return Err(QueryError::NamedPortOutsideCluster {
            name: name.into(),
            address: engine.display(to),
        });
    };
    engine
        .endpoint(*id)
        .and_then(|ep| {
            ep.ports
                .iter()
                .filter(|c| c.protocol == protocol && c.name.as_deref() == Some(name))
                .map(|c| c.port)
                .min()
        })
        .ok_or_else(|| QueryError::NamedPortNotFound {
            name: name.into(),
            protocol,
            endpoint: engine.display(to),
        })
}
