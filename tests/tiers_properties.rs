//! Properties of the cluster-wide tiers, checked on random clusters with all three
//! policy kinds (`naive::generate_tiers`):
//!
//! - without tier policies, the tiers change nothing (Nodes alone decide nothing);
//! - an Admin policy ahead of all others that accepts every pod in both directions
//!   opens every pod-to-pod flow between non-host-networked pods;
//! - one that denies them closes them all;
//! - the order of the tier policies in the input does not matter.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod naive;

use netpol::model::{Model, Protocol};
use proptest::prelude::*;
use serde_json::{json, Value};

use naive::generate::{cluster, proptest_config, show};
use naive::generate_tiers::{cluster_with_tiers, node};
use naive::tiers::Outcome;
use naive::{manifest, Endpoint};

const FLOWS: [(Protocol, u16); 4] = [
    (Protocol::Tcp, 80),
    (Protocol::Udp, 53),
    (Protocol::Sctp, 81),
    (Protocol::Tcp, 8080),
];

/// The pods of `model` that are not host-networked.
fn pod_network_pods(model: &Model) -> Vec<Endpoint> {
    (0..model.pods.len())
        .filter(|i| !model.pods[*i].host_network)
        .map(Endpoint::Pod)
        .collect()
}

/// An Admin ClusterNetworkPolicy at priority 0 (ahead of the generated 1..3) with
/// `action` for every pod in both directions.
fn everything(action: &str) -> Value {
    let all = json!([{"namespaces": {}}]);
    json!({"apiVersion": "policy.networking.k8s.io/v1alpha2", "kind": "ClusterNetworkPolicy",
           "metadata": {"name": "first"},
           "spec": {"tier": "Admin", "priority": 0, "subject": {"namespaces": {}},
                    "ingress": [{"action": action, "from": all}],
                    "egress": [{"action": action, "to": all}]}})
}

fn same_as_network_policies(objects: &[Value]) -> Result<(), TestCaseError> {
    let model = manifest::model(objects);
    let pods: Vec<Endpoint> = (0..model.pods.len()).map(Endpoint::Pod).collect();
    for from in &pods {
        for to in &pods {
            for (protocol, port) in FLOWS {
                let plain = naive::verdict(&model, from, to, protocol, port);
                let tiered = naive::tiers::verdict(&model, objects, from, to, protocol, port);
                let want = if plain { Outcome::Allow } else { Outcome::Deny };
                prop_assert_eq!(tiered, want, "{:?} -> {:?}\n{}", from, to, show(objects));
            }
        }
    }
    Ok(())
}

fn first_decides(objects: &[Value], action: &str, want: &Outcome) -> Result<(), TestCaseError> {
    let mut all = objects.to_vec();
    all.push(everything(action));
    let model = manifest::model(&all);
    let pods = pod_network_pods(&model);
    for from in &pods {
        for to in &pods {
            if from == to {
                continue;
            }
            for (protocol, port) in FLOWS {
                let got = naive::tiers::verdict(&model, &all, from, to, protocol, port);
                prop_assert_eq!(&got, want, "{:?} -> {:?}\n{}", from, to, show(&all));
            }
        }
    }
    Ok(())
}

fn order_does_not_matter(objects: &[Value]) -> Result<(), TestCaseError> {
    let mut reversed = objects.to_vec();
    reversed.reverse();
    let model = manifest::model(objects);
    let model_reversed = manifest::model(&reversed);
    // Pod indices differ between the two models: compare by name.
    let index = |m: &Model, name: &str, ns: &str| {
        (0..m.pods.len())
            .find(|i| {
                m.pods[*i].meta.name.value == name && naive::namespace_of(&m.pods[*i].meta) == ns
            })
            .map(Endpoint::Pod)
            .unwrap()
    };
    for a in &model.pods {
        for b in &model.pods {
            let (an, ans) = (&a.meta.name.value, naive::namespace_of(&a.meta));
            let (bn, bns) = (&b.meta.name.value, naive::namespace_of(&b.meta));
            for (protocol, port) in FLOWS {
                let one = naive::tiers::verdict(
                    &model,
                    objects,
                    &index(&model, an, &ans),
                    &index(&model, bn, &bns),
                    protocol,
                    port,
                );
                let two = naive::tiers::verdict(
                    &model_reversed,
                    &reversed,
                    &index(&model_reversed, an, &ans),
                    &index(&model_reversed, bn, &bns),
                    protocol,
                    port,
                );
                prop_assert_eq!(
                    one,
                    two,
                    "{}/{} -> {}/{}\n{}",
                    ans,
                    an,
                    bns,
                    bn,
                    show(objects)
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config(64))]

    #[test]
    fn nodes_alone_change_nothing(objects in cluster(4, 3), n in node(0)) {
        let mut all = objects;
        all.push(n);
        same_as_network_policies(&all)?;
    }

    #[test]
    fn an_admin_accept_ahead_of_all_opens_every_pod_flow(objects in cluster_with_tiers(4, 2, 3)) {
        first_decides(&objects, "Accept", &Outcome::Allow)?;
    }

    #[test]
    fn an_admin_deny_ahead_of_all_closes_every_pod_flow(objects in cluster_with_tiers(4, 2, 3)) {
        first_decides(&objects, "Deny", &Outcome::Deny)?;
    }

    #[test]
    fn the_input_order_of_tier_policies_does_not_matter(objects in cluster_with_tiers(4, 2, 3)) {
        order_does_not_matter(&objects)?;
    }
}
