//! Properties every verdict must have, checked on random clusters against both the
//! engine and the naive evaluator:
//!
//! - verdicts do not depend on the order of the policies;
//! - adding an allow rule (to a direction the policy already governs) never removes a
//!   connection;
//! - an endpoint no policy selects for a direction is open in that direction.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod naive;

use std::collections::BTreeMap;

use netpol::engine::{EndpointKind, EndpointRef, Engine, ProtocolPorts};
use netpol::model::{Direction, Model};
use proptest::prelude::*;
use serde_json::Value;

use naive::generate::{cluster, policy, proptest_config, show};
use naive::manifest;

/// Allowed ports of every ordered pair of cluster endpoints, keyed by display ids.
fn all_pairs(model: &Model) -> BTreeMap<(String, String), ProtocolPorts> {
    let engine = Engine::new(model);
    let refs: Vec<EndpointRef> = (0..engine.endpoints().len())
        .map(|i| EndpointRef::Endpoint(netpol::engine::EndpointId::from_index(i)))
        .collect();
    let mut out = BTreeMap::new();
    for from in &refs {
        for to in &refs {
            out.insert(
                (engine.display(from), engine.display(to)),
                engine.allowed_ports(from, to),
            );
        }
    }
    out
}

fn naive_endpoint(kind: EndpointKind) -> naive::Endpoint {
    match kind {
        EndpointKind::Pod(i) => naive::Endpoint::Pod(i),
        EndpointKind::Workload(i) => naive::Endpoint::Workload(i),
    }
}

/// `objects` with one rule appended to `spec.<direction>` of the policy at `index`.
fn with_extra_rule(
    objects: &[Value],
    index: usize,
    direction: Direction,
    rule: Value,
) -> Vec<Value> {
    let mut out = objects.to_vec();
    let spec = &mut out[index]["spec"];
    let field = direction.field();
    match spec.get_mut(field).and_then(Value::as_array_mut) {
        Some(rules) => rules.push(rule),
        None => spec[field] = Value::Array(vec![rule]),
    }
    out
}

/// A rule taken from a freshly generated policy (whatever its shape).
fn some_rule() -> impl Strategy<Value = Value> {
    policy("donor".to_string()).prop_map(|p| {
        let spec = &p["spec"];
        for field in ["ingress", "egress"] {
            if let Some(rule) = spec[field].as_array().and_then(|r| r.first()) {
                // Ingress rules use `from`, egress rules `to`: keep only the ports and
                // re-home the peers under both names so either direction reads them.
                let mut r = rule.clone();
                let peers = r.get("from").or_else(|| r.get("to")).cloned();
                if let Some(obj) = r.as_object_mut() {
                    obj.remove("from");
                    obj.remove("to");
                    if let Some(p) = peers {
                        obj.insert("from".into(), p.clone());
                        obj.insert("to".into(), p);
                    }
                }
                return r;
            }
        }
        serde_json::json!({})
    })
}

/// 200 cases, or `PROPTEST_CASES`; as many rejected inputs as cases.
fn config() -> ProptestConfig {
    let config = proptest_config(200);
    ProptestConfig {
        max_global_rejects: config.cases,
        ..config
    }
}

proptest! {
    #![proptest_config(config())]

    /// Reordering the policies changes no verdict.
    #[test]
    fn verdicts_do_not_depend_on_policy_order(
        (objects, shuffled) in cluster(5, 5).prop_flat_map(|objects| {
            let (policies, rest): (Vec<Value>, Vec<Value>) =
                objects.iter().cloned().partition(|o| o["kind"] == "NetworkPolicy");
            (Just(objects), Just(policies).prop_shuffle().prop_map(move |p| {
                let mut all = rest.clone();
                all.extend(p);
                all
            }))
        })
    ) {
        let before = all_pairs(&manifest::model(&objects));
        let after = all_pairs(&manifest::model(&shuffled));
        prop_assert!(before == after, "order changed verdicts:\n{}", show(&objects));
    }

    /// Adding a rule to a direction a policy already governs only adds connections.
    #[test]
    fn adding_an_allow_rule_never_removes_a_connection(
        objects in cluster(5, 4),
        pick in any::<prop::sample::Index>(),
        ingress in any::<bool>(),
        rule in some_rule(),
    ) {
        let policies: Vec<usize> = (0..objects.len()).filter(|&i| objects[i]["kind"] == "NetworkPolicy").collect();
        prop_assume!(!policies.is_empty());
        let index = policies[pick.index(policies.len())];
        let policy = manifest::policy(&objects[index]);
        // A rule in a direction the policy does not govern could switch the default
        // policyTypes on (egress rules add Egress) and isolate: not an allow rule.
        // Every policy governs at least one direction.
        let mut direction = if ingress { Direction::Ingress } else { Direction::Egress };
        if !naive::policy_applies(&policy, direction) {
            direction = if ingress { Direction::Egress } else { Direction::Ingress };
        }
        prop_assert!(naive::policy_applies(&policy, direction));
        let model = manifest::model(&objects);
        let grown = with_extra_rule(&objects, index, direction, rule);
        let before = all_pairs(&model);
        let after = all_pairs(&manifest::model(&grown));
        for (pair, ports) in &before {
            let now = &after[pair];
            prop_assert!(ports.is_subset(now), "{pair:?} lost {:?}\ninput:\n{}\ngrown:\n{}",
                ports.difference(now), show(&objects), show(&grown));
        }
    }

    /// An endpoint no policy selects for a direction is open in that direction: the
    /// engine says it is not isolated, and its side allows every port with every peer.
    #[test]
    fn unselected_endpoints_are_open(objects in cluster(5, 4)) {
        let model = manifest::model(&objects);
        let engine = Engine::new(&model);
        let count = engine.endpoints().len();
        for i in 0..count {
            let id = netpol::engine::EndpointId::from_index(i);
            let at = EndpointRef::Endpoint(id);
            let n = naive_endpoint(engine.endpoints()[i].kind);
            for direction in Direction::BOTH {
                let isolated = naive::isolated(&model, &n, direction);
                prop_assert_eq!(engine.is_isolated(id, direction), isolated,
                    "isolation of {} for {:?}\n{}", engine.display(&at), direction, show(&objects));
                if isolated {
                    continue;
                }
                for j in 0..count {
                    let peer = EndpointRef::Endpoint(netpol::engine::EndpointId::from_index(j));
                    prop_assert!(engine.side_ports(&at, direction, &peer).is_all(),
                        "{} not open for {:?} with {}\n{}", engine.display(&at), direction,
                        engine.display(&peer), show(&objects));
                }
            }
        }
    }
}
