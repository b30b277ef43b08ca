//! One side of a flow seen in one IP family, and the families a flow is evaluated in.

use alloc::vec::Vec;
use core::net::IpAddr;

use crate::engine::endpoints::{Endpoint, EndpointRef, Family};
use crate::engine::namespaces::NamespaceInfo;
use crate::engine::Engine;
use crate::model::{Cni, Protocol, Support};

/// One side of a flow seen in one IP family: who it is, and which of its addresses
/// ipBlocks may match.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a, 'm> {
    /// The endpoint, or `None` for an address outside the cluster.
    pub ep: Option<&'a Endpoint<'m>>,
    /// The endpoint's namespace.
    pub ns: Option<&'a NamespaceInfo>,
    /// The external address.
    pub external: Option<IpAddr>,
    /// The family evaluated (`None`: no address takes part).
    pub family: Option<Family>,
    /// The data plane the verdict follows.
    pub cni: Cni,
}

impl View<'_, '_> {
    /// The addresses of this side in the evaluated family.
    pub fn addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        let family = self.family;
        let own = self.ep.map_or(&[][..], |e| e.ips);
        own.iter()
            .copied()
            .chain(self.external)
            .filter(move |a| Some(Family::of(a)) == family)
    }

    /// Whether an ipBlock (or a `networks` peer) can match this side: an address
    /// outside the cluster always can; a pod only where the data plane matches pod
    /// addresses by CIDR (`Cni::ip_block_matches_pods`).
    pub fn blocks_see(&self) -> bool {
        self.ep.is_none() || self.cni.ip_block_matches_pods() != Support::No
    }

    /// The addresses of this side an ipBlock may match (see [`View::blocks_see`]).
    pub fn block_addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        let seen = self.blocks_see();
        self.addresses().filter(move |_| seen)
    }

    /// Whether the data plane enforces rule entries of `protocol` (SCTP entries of a
    /// data plane without SCTP allow nothing).
    pub fn enforces(&self, protocol: Protocol) -> bool {
        protocol != Protocol::Sctp || self.cni.sctp() != Support::No
    }
}

/// The families a flow between `a` and `b` is evaluated in (see the module docs of
/// `engine`): one or two entries.
pub(crate) fn families(
    engine: &Engine<'_>,
    a: &EndpointRef,
    b: &EndpointRef,
) -> Vec<Option<Family>> {
    let set = |r: &EndpointRef| -> [bool; 2] {
        match r {
            EndpointRef::External(addr) => [
                Family::of(addr) == Family::V4,
                Family::of(addr) == Family::V6,
            ],
            EndpointRef::Endpoint(id) => engine.endpoint(*id).map_or([false, false], |e| {
                [e.has_family(Family::V4), e.has_family(Family::V6)]
            }),
        }
    };
    let external = |r: &EndpointRef| matches!(r, EndpointRef::External(_));
    let (fa, fb) = (set(a), set(b));
    let chosen = if external(a) {
        fa
    } else if external(b) {
        fb
    } else {
        let both = [fa[0] && fb[0], fa[1] && fb[1]];
        if both[0] || both[1] {
            both
        } else {
            [fa[0] || fb[0], fa[1] || fb[1]]
        }
    };
    let mut out = Vec::with_capacity(2);
    if chosen[0] {
        out.push(Some(Family::V4));
    }
    if chosen[1] {
        out.push(Some(Family::V6));
    }
    if out.is_empty() {
        out.push(None);
    }
    out
}

/// `endpoint` seen in `family`.
pub(crate) fn view<'a, 'm>(
    engine: &'a Engine<'m>,
    endpoint: &EndpointRef,
    family: Option<Family>,
) -> View<'a, 'm> {
    match endpoint {
        EndpointRef::Endpoint(id) => {
            let ep = engine.endpoint(*id);
            View {
                ep,
                ns: ep.and_then(|e| engine.namespaces.by_id(e.namespace_id)),
                external: None,
                family,
                cni: engine.cni,
            }
        }
        EndpointRef::External(addr) => View {
            ep: None,
            ns: None,
            external: Some(*addr),
            family,
            cni: engine.cni,
        },
    }
}
