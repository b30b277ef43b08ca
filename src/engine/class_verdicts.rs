//! [`Engine::allows`] asked of many pairs: each answer is computed once per pair of
//! endpoint classes (endpoints no policy can tell apart, as the matrix groups them)
//! and protocol/port, and shared by every pair of distinct endpoints of those
//! classes.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cell::RefCell;

use super::cidr::AddressSpace;
use super::classes::Classes;
use super::endpoints::{EndpointId, EndpointRef};
use super::{eval, Engine};
use crate::model::Protocol;

/// A memo of [`Engine::allows`] by endpoint class; build it with
/// [`Engine::class_verdicts`].
///
/// Traffic of an endpoint to itself is always allowed, and a pair with an address
/// outside the cluster is evaluated directly. With cluster-wide policies (tiers)
/// every pair is evaluated directly too.
#[derive(Debug)]
pub struct ClassVerdicts<'e, 'm> {
    engine: &'e Engine<'m>,
    /// Per endpoint (by index), its class; empty when answers are not shared.
    class_of: Vec<u32>,
    /// `(source class, destination class, protocol, port)` → allowed.
    known: RefCell<BTreeMap<(u32, u32, Protocol, u16), bool>>,
}

impl<'e, 'm> ClassVerdicts<'e, 'm> {
    /// Groups the endpoints of `engine` into classes.
    pub(super) fn new(engine: &'e Engine<'m>) -> Self {
        let class_of = if engine.has_tiers() {
            Vec::new()
        } else {
            let space = AddressSpace::build_with(engine.model, &engine.tiers.networks());
            Classes::build(engine, &space).class_of
        };
        ClassVerdicts {
            engine,
            class_of,
            known: RefCell::new(BTreeMap::new()),
        }
    }

    /// The class of `endpoint` (`None` when answers are not shared, or for an id
    /// the engine does not hold).
    pub fn class(&self, endpoint: EndpointId) -> Option<u32> {
        self.class_of.get(endpoint.index()).copied()
    }

    /// Whether `from` may reach `to` on `protocol`/`port`: exactly
    /// [`Engine::allows`].
    pub fn allows(
        &self,
        from: &EndpointRef,
        to: &EndpointRef,
        protocol: Protocol,
        port: u16,
    ) -> bool {
        if eval::is_self(from, to) {
            return true;
        }
        let classes = match (from, to) {
            (EndpointRef::Endpoint(a), EndpointRef::Endpoint(b)) => {
                self.class(*a).zip(self.class(*b))
            }
            _ => None,
        };
        let Some((a, b)) = classes else {
            return self.engine.allows(from, to, protocol, port);
        };
        let key = (a, b, protocol, port);
        if let Some(known) = self.known.borrow().get(&key) {
            return *known;
        }
        let allowed = self.engine.allows(from, to, protocol, port);
        self.known.borrow_mut().insert(key, allowed);
        allowed
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use alloc::vec;
    use serde_json::json;

    use super::super::tests::support::{model, ns, pod, policy};
    use super::*;

    /// Two namespaces; in `a` three pods labelled alike (one with a named port the
    /// rules use, one with an address an ipBlock picks out) and one labelled apart.
    fn cluster() -> crate::model::Model {
        let http = json!([{"name": "http", "containerPort": 8080, "protocol": "TCP"}]);
        model(vec![
            ns("a", json!({})),
            ns("b", json!({})),
            pod(
                "a",
                "web-1",
                json!({"app": "web"}),
                &["10.0.0.1"],
                json!([]),
            ),
            pod(
                "a",
                "web-2",
                json!({"app": "web"}),
                &["10.0.0.2"],
                json!([]),
            ),
            pod("a", "web-3", json!({"app": "web"}), &["10.0.0.3"], http),
            pod(
                "a",
                "web-4",
                json!({"app": "web"}),
                &["10.9.0.4"],
                json!([]),
            ),
            pod("a", "db-1", json!({"app": "db"}), &["10.0.0.5"], json!([])),
            pod(
                "b",
                "job-1",
                json!({"app": "job"}),
                &["10.0.1.1"],
                json!([]),
            ),
            policy(
                "a",
                "web",
                json!({"podSelector": {"matchLabels": {"app": "web"}},
                    "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}],
                                 "ports": [{"port": "http"}, {"port": 80}]},
                                {"from": [{"ipBlock": {"cidr": "10.9.0.0/16"}}]}]}),
            ),
            policy(
                "a",
                "db",
                json!({"podSelector": {"matchLabels": {"app": "db"}},
                    "policyTypes": ["Ingress", "Egress"],
                    "ingress": [{"from": [{"namespaceSelector": {}}], "ports": [{"port": 5432}]}]}),
            ),
        ])
    }

    #[test]
    fn every_answer_is_the_engines() {
        let model = cluster();
        let engine = Engine::new(&model);
        let verdicts = engine.class_verdicts();
        let mut ends: Vec<EndpointRef> = (0..engine.endpoints().len())
            .map(|i| EndpointRef::Endpoint(EndpointId::from_index(i)))
            .collect();
        ends.push(engine.resolve("203.0.113.9").unwrap());
        let mut allowed = 0;
        // Twice: the second round answers from the memo.
        for _ in 0..2 {
            for from in &ends {
                for to in &ends {
                    for (protocol, port) in [
                        (Protocol::Tcp, 80),
                        (Protocol::Tcp, 8080),
                        (Protocol::Tcp, 5432),
                        (Protocol::Udp, 80),
                    ] {
                        let expected = engine.allows(from, to, protocol, port);
                        assert_eq!(
                            verdicts.allows(from, to, protocol, port),
                            expected,
                            "{} -> {} {protocol:?}/{port}",
                            engine.display(from),
                            engine.display(to)
                        );
                        allowed += usize::from(expected);
                    }
                }
            }
        }
        // Some pairs are allowed and some denied, so both answers were compared.
        assert!(allowed > 0 && allowed < 2 * ends.len() * ends.len() * 4);
    }

    #[test]
    fn endpoints_share_a_class_only_when_no_policy_tells_them_apart() {
        let model = cluster();
        let engine = Engine::new(&model);
        let verdicts = engine.class_verdicts();
        let class = |name: &str| match engine.resolve(name).unwrap() {
            EndpointRef::Endpoint(id) => verdicts.class(id).unwrap(),
            EndpointRef::External(_) => panic!("{name} is not an endpoint"),
        };
        assert_eq!(class("a/web-1"), class("a/web-2"));
        // The named port, the ipBlock and the labels each set a pod apart.
        assert_ne!(class("a/web-1"), class("a/web-3"));
        assert_ne!(class("a/web-1"), class("a/web-4"));
        assert_ne!(class("a/web-1"), class("a/db-1"));
    }

    #[test]
    fn with_cluster_wide_policies_nothing_is_shared() {
        let model = model(vec![
            ns("a", json!({})),
            pod(
                "a",
                "web-1",
                json!({"app": "web"}),
                &["10.0.0.1"],
                json!([]),
            ),
            json!({"apiVersion": "policy.networking.k8s.io/v1alpha2",
                "kind": "ClusterNetworkPolicy",
                "metadata": {"name": "deny"},
                "spec": {"tier": "Admin", "priority": 5,
                    "subject": {"namespaces": {}},
                    "ingress": [{"action": "Deny",
                        "from": [{"namespaces": {}}]}]}}),
        ]);
        let engine = Engine::new(&model);
        assert!(engine.has_tiers());
        let verdicts = engine.class_verdicts();
        let web = engine.resolve("a/web-1").unwrap();
        let EndpointRef::Endpoint(id) = web else {
            panic!("a/web-1 is a pod");
        };
        assert_eq!(verdicts.class(id), None);
        assert!(verdicts.allows(&web, &web, Protocol::Tcp, 80));
    }
}
