//! The matrix document of `netpol matrix --format json`, serialised straight from the
//! view: the bytes of `to_pretty(&view_json(view))` without building
//! the document first (no string copied per endpoint or connection).

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt::Display;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use super::view::{MatrixView, ViewConnection};
use crate::engine::{MatrixEndpoint, ProtocolPorts};

/// The matrix document of `view`, pretty-printed, with a final line break.
pub fn render(view: &MatrixView<'_>) -> String {
    super::json::to_pretty(&Document(view))
}

/// The whole document: the keys of `MatrixJson`, in its order.
struct Document<'v, 'a>(&'v MatrixView<'a>);

impl Serialize for Document<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let matrix = view.matrix;
        let mut doc = serializer.serialize_struct("MatrixJson", 7)?;
        doc.serialize_field("version", crate::VERSION)?;
        doc.serialize_field("endpoints", &Endpoints(view))?;
        doc.serialize_field("connections", &Connections(view))?;
        let uncertain = view.uncertain();
        if !uncertain.is_empty() {
            doc.serialize_field("uncertain", &Uncertain(view, &uncertain))?;
        }
        if matrix.uses_representatives() {
            doc.serialize_field("representative", &true)?;
        }
        if !matrix.split_owners().is_empty() {
            doc.serialize_field("splitOwners", matrix.split_owners())?;
        }
        let notes = super::matrix_notes(matrix);
        if !notes.is_empty() {
            doc.serialize_field("notes", &notes)?;
        }
        doc.end()
    }
}

/// The shown endpoints.
struct Endpoints<'v, 'a>(&'v MatrixView<'a>);

impl Serialize for Endpoints<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let matrix = self.0.matrix;
        serializer.collect_seq(
            self.0
                .endpoints()
                .into_iter()
                .filter_map(|i| matrix.endpoints().get(i))
                .map(Endpoint),
        )
    }
}

/// ENDPOINT, as `EndpointJson` writes it.
struct Endpoint<'e>(&'e MatrixEndpoint);

impl Serialize for Endpoint<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut out = serializer.serialize_struct("EndpointJson", 8)?;
        out.serialize_field("id", &e.id)?;
        out.serialize_field("kind", e.kind.as_str())?;
        out.serialize_field("namespace", &e.namespace)?;
        out.serialize_field("name", &e.name)?;
        out.serialize_field("ips", &DisplayedAll(&e.ips))?;
        if e.endpoint.is_none() {
            out.serialize_field("cidrs", &DisplayedAll(&e.cidrs))?;
        }
        if let Some(labels) = &e.labels {
            out.serialize_field("labels", labels)?;
        }
        if !e.pods.is_empty() {
            out.serialize_field("pods", &e.pods)?;
        }
        out.end()
    }
}

/// A list of values written as their text (IP addresses, CIDRs).
struct DisplayedAll<'l, T>(&'l [T]);

impl<T: Display> Serialize for DisplayedAll<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Displayed))
    }
}

/// One value written as its text.
struct Displayed<'t, T>(&'t T);

impl<T: Display> Serialize for Displayed<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

/// The shown connections.
struct Connections<'v, 'a>(&'v MatrixView<'a>);

impl Serialize for Connections<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        serializer.collect_seq(view.connections().map(|c| Connection {
            from: view.id(c.from),
            to: view.id(c.to),
            allowed: Allowed(c.allowed),
        }))
    }
}

/// The shown pairs with uncertain ports, as `UncertainConnectionJson` writes them.
struct Uncertain<'v, 'a>(&'v MatrixView<'a>, &'v [ViewConnection<'a>]);

impl Serialize for Uncertain<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        serializer.collect_seq(self.1.iter().map(|c| UncertainConnection {
            from: view.id(c.from),
            to: view.id(c.to),
            ports: Allowed(Cow::Borrowed(&c.allowed)),
        }))
    }
}

/// UNCERTAIN CONNECTION.
#[derive(Serialize)]
struct UncertainConnection<'c> {
    from: &'c str,
    to: &'c str,
    ports: Allowed<'c>,
}

/// CONNECTION.
#[derive(Serialize)]
struct Connection<'c> {
    from: &'c str,
    to: &'c str,
    allowed: Allowed<'c>,
}

/// The `allowed` list: per protocol, inclusive port ranges.
struct Allowed<'p>(Cow<'p, ProtocolPorts>);

impl Serialize for Allowed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|(protocol, set)| ProtocolAllowed {
            protocol: protocol.as_str(),
            ports: set.ranges(),
        }))
    }
}

/// One protocol's ports, as `AllowedJson` writes them.
#[derive(Serialize)]
struct ProtocolAllowed<'r> {
    protocol: &'static str,
    ports: &'r [(u16, u16)],
}
