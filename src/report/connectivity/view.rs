//! A filtered view of a matrix: which sources and destinations to show, and which
//! protocol/port to keep (`netpol matrix --from/--to/--namespace/--protocol/--port`).

use alloc::borrow::Cow;
use alloc::vec;
use alloc::vec::Vec;

use crate::engine::{Matrix, MatrixEndpoint, PortSet, ProtocolPorts};
use crate::model::Protocol;

/// What `netpol matrix` shows of a [`Matrix`].
#[derive(Clone, Debug)]
pub struct MatrixView<'a> {
    /// The matrix.
    pub matrix: &'a Matrix,
    from: Vec<bool>,
    to: Vec<bool>,
    protocol: Option<Protocol>,
    port: Option<u16>,
}

/// One shown connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewConnection<'a> {
    /// Source index in the matrix.
    pub from: usize,
    /// Destination index in the matrix.
    pub to: usize,
    /// What is allowed (after the protocol/port filter; never empty): borrowed from
    /// the matrix unless a filter narrowed it.
    pub allowed: Cow<'a, ProtocolPorts>,
}

impl<'a> MatrixView<'a> {
    /// Everything.
    pub fn all(matrix: &'a Matrix) -> MatrixView<'a> {
        let n = matrix.endpoints().len();
        MatrixView {
            matrix,
            from: vec![true; n],
            to: vec![true; n],
            protocol: None,
            port: None,
        }
    }

    /// Keeps the sources for which `keep` holds.
    pub fn sources(mut self, keep: impl Fn(&MatrixEndpoint) -> bool) -> Self {
        for (flag, e) in self.from.iter_mut().zip(self.matrix.endpoints()) {
            *flag = *flag && keep(e);
        }
        self
    }

    /// Keeps the destinations for which `keep` holds.
    pub fn destinations(mut self, keep: impl Fn(&MatrixEndpoint) -> bool) -> Self {
        for (flag, e) in self.to.iter_mut().zip(self.matrix.endpoints()) {
            *flag = *flag && keep(e);
        }
        self
    }

    /// Keeps only `protocol` (and, with `port`, only that port of it).
    pub fn ports(mut self, protocol: Option<Protocol>, port: Option<u16>) -> Self {
        self.protocol = protocol;
        self.port = port;
        self
    }

    /// Whether a filter hides part of the matrix.
    pub fn is_filtered(&self) -> bool {
        self.protocol.is_some() || self.from.iter().chain(&self.to).any(|f| !f)
    }

    /// Indices of the endpoints shown (a source or a destination kept).
    pub fn endpoints(&self) -> Vec<usize> {
        (0..self.matrix.endpoints().len())
            .filter(|&i| self.from.get(i) == Some(&true) || self.to.get(i) == Some(&true))
            .collect()
    }

    /// Indices of the sources shown.
    pub fn rows(&self) -> Vec<usize> {
        (0..self.from.len())
            .filter(|&i| self.from.get(i) == Some(&true))
            .collect()
    }

    /// Indices of the destinations shown.
    pub fn columns(&self) -> Vec<usize> {
        (0..self.to.len())
            .filter(|&i| self.to.get(i) == Some(&true))
            .collect()
    }

    /// What is shown as allowed between `from` and `to` (after the port filter).
    pub fn allowed(&self, from: usize, to: usize) -> Cow<'a, ProtocolPorts> {
        self.narrowed(self.matrix.allowed(from, to))
    }

    /// `all` after the port filter: borrowed as it is when there is no filter.
    fn narrowed(&self, all: &'a ProtocolPorts) -> Cow<'a, ProtocolPorts> {
        match self.protocol {
            None => Cow::Borrowed(all),
            Some(protocol) => {
                let set = all.get(protocol);
                let kept = match self.port {
                    Some(port) if set.contains(port) => PortSet::single(port),
                    Some(_) => PortSet::none(),
                    None => set.clone(),
                };
                Cow::Owned(ProtocolPorts::only(protocol, kept))
            }
        }
    }

    /// The shown connections, by source then destination.
    pub fn connections(&self) -> impl Iterator<Item = ViewConnection<'a>> + '_ {
        self.matrix
            .connections()
            .filter(|c| self.from.get(c.from) == Some(&true) && self.to.get(c.to) == Some(&true))
            .filter_map(|c| {
                let allowed = self.narrowed(c.allowed);
                (!allowed.is_empty()).then_some(ViewConnection {
                    from: c.from,
                    to: c.to,
                    allowed,
                })
            })
    }

    /// The shown pairs with uncertain ports (after the filters), by source then
    /// destination: `allowed` holds the ports whose verdict depends on DNS or on an
    /// undefined order ([`Matrix::uncertain`]).
    pub fn uncertain(&self) -> Vec<ViewConnection<'a>> {
        self.matrix
            .uncertain_pairs()
            .into_iter()
            .filter(|&(from, to, _)| {
                self.from.get(from) == Some(&true) && self.to.get(to) == Some(&true)
            })
            .filter_map(|(from, to, ports)| {
                let ports = self.narrowed(ports);
                (!ports.is_empty()).then_some(ViewConnection {
                    from,
                    to,
                    allowed: ports,
                })
            })
            .collect()
    }

    /// The id of endpoint `i`.
    pub fn id(&self, i: usize) -> &str {
        self.matrix.endpoints().get(i).map_or("", |e| e.id.as_str())
    }
}
