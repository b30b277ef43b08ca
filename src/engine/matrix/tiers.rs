//! The matrix when cluster-wide tiers take part: every class pair through
//! [`crate::engine::tiers::flow`], from one member of each class (an external class
//! by one of its addresses). The classes already answer every tier selector alike and
//! the address classes respect every tier network and Node address, so one member
//! speaks for its class. Uncertain ports (DNS, undefined order) are not allowed: they
//! have rows of their own.

use alloc::vec::Vec;

use super::{MatrixEndpoint, Work};
use crate::engine::endpoints::EndpointRef;
use crate::engine::intern::NONE;
use crate::engine::tiers::flow::flow_sets;

/// Per class, the allowed and the uncertain cells.
type TierRows = (Vec<Vec<(u32, u32)>>, Vec<Vec<(u32, u32)>>);

impl Work<'_, '_> {
    /// One member per class: pod classes, then external classes (`None` for a class
    /// with no address to stand for it).
    fn members(&self, endpoints: &[MatrixEndpoint], pods: usize) -> Vec<Option<EndpointRef>> {
        let mut out: Vec<Option<EndpointRef>> = self
            .classes
            .rep
            .iter()
            .map(|id| Some(EndpointRef::Endpoint(*id)))
            .collect();
        for e in 0..self.externals.len() {
            let address = endpoints
                .get(pods + e)
                .and_then(|m| m.cidrs.first())
                .map(|net| EndpointRef::External(net.network()));
            out.push(address);
        }
        out
    }

    /// The rows of the matrix, every pair evaluated through the tiers: the allowed
    /// ports, and the uncertain ones.
    pub(super) fn tier_rows(&mut self, endpoints: &[MatrixEndpoint], pods: usize) -> TierRows {
        let members = self.members(endpoints, pods);
        let pod_classes = self.pod_classes();
        let mut rows = Vec::with_capacity(members.len());
        let mut uncertain_rows = Vec::with_capacity(members.len());
        for (s, from) in members.iter().enumerate() {
            let mut row = Vec::new();
            let mut uncertain_row = Vec::new();
            for (d, to) in members.iter().enumerate() {
                // Two external classes never talk through the cluster.
                if s >= pod_classes && d >= pod_classes {
                    continue;
                }
                let (Some(from), Some(to)) = (from, to) else {
                    continue;
                };
                let sets = flow_sets(self.engine, from, to);
                let class = u32::try_from(d).unwrap_or(u32::MAX);
                let id = self.table.intern(sets.allowed());
                if id != NONE {
                    row.push((class, id));
                }
                let uncertain = self.table.intern(sets.uncertain());
                if uncertain != NONE {
                    uncertain_row.push((class, uncertain));
                }
            }
            rows.push(row);
            uncertain_rows.push(uncertain_row);
        }
        (rows, uncertain_rows)
    }
}
