//! Property: the diff is the difference of the two matrices.

use super::*;

// ----- property: the diff is the difference of the two matrices -----------------

/// Per pair of endpoint ids, what is allowed; external classes keyed by a sample
/// address in them.
struct Brute {
    matrix: netpol::engine::Matrix,
    index: BTreeMap<String, usize>,
}

impl Brute {
    fn new(model: &Model) -> Brute {
        let matrix = Engine::new(model).matrix();
        let index = matrix
            .endpoints()
            .iter()
            .enumerate()
            .filter(|(_, e)| e.endpoint.is_some())
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Brute { matrix, index }
    }

    /// The matrix index of a diff endpoint: by id, or the external class holding
    /// `address`.
    fn find(&self, id: &str, address: Option<std::net::IpAddr>) -> Option<usize> {
        match address {
            None => self.index.get(id).copied(),
            Some(a) => self
                .matrix
                .endpoints()
                .iter()
                .position(|e| e.endpoint.is_none() && e.cidrs.iter().any(|c| c.contains(&a))),
        }
    }
}

fn external_address(r: Option<EndpointRef>) -> Option<std::net::IpAddr> {
    match r {
        Some(EndpointRef::External(a)) => Some(a),
        _ => None,
    }
}

/// Checks `d` against the matrices of `b` and `h` pair by pair.
fn check_against_matrices(d: &Diff, b: &Model, h: &Model) -> Result<(), TestCaseError> {
    let sides = [Brute::new(b), Brute::new(h)];
    let mut expected_added = BTreeSet::new();
    let mut expected_removed = BTreeSet::new();
    let n = d.endpoints.len();
    let locate = |side: usize, i: usize| {
        let e = &d.endpoints[i];
        let r = if side == 0 { e.base } else { e.head };
        r.and_then(|r| sides[side].find(&e.matrix.id, external_address(Some(r))))
    };
    for x in 0..n {
        for y in 0..n {
            let ext = |i: usize| d.endpoints[i].matrix.namespace.is_none();
            if ext(x) && ext(y) {
                continue;
            }
            let value = |side: usize| match (locate(side, x), locate(side, y)) {
                (Some(a), Some(b)) => sides[side].matrix.allowed(a, b).clone(),
                _ => ProtocolPorts::none(),
            };
            let (base, head) = (value(0), value(1));
            let gained = head.difference(&base);
            if !gained.is_empty() {
                expected_added.insert((x, y, gained));
            }
            let lost = base.difference(&head);
            if !lost.is_empty() {
                expected_removed.insert((x, y, lost));
            }
        }
    }
    let got = |list: &[netpol::diff::Change]| -> BTreeSet<(usize, usize, ProtocolPorts)> {
        list.iter()
            .map(|c| (c.from, c.to, c.ports.clone()))
            .collect()
    };
    prop_assert_eq!(got(&d.added), expected_added);
    prop_assert_eq!(got(&d.removed), expected_removed);
    // Every external class lies inside one class of each side.
    for e in d.endpoints.iter().filter(|e| e.matrix.namespace.is_none()) {
        let rep = external_address(e.base);
        for (side, brute) in sides.iter().enumerate() {
            let class = brute.find("", rep);
            prop_assert!(class.is_some(), "side {} has no class for {:?}", side, rep);
            for c in &e.matrix.cidrs {
                prop_assert_eq!(brute.find("", Some(c.network())), class);
                prop_assert_eq!(brute.find("", Some(c.broadcast())), class);
            }
        }
    }
    Ok(())
}

/// Applies `mutation` to `objects`: replace, remove or add a policy, or relabel a
/// pod or workload.
fn mutate(objects: &[Value], mutation: &Mutation) -> Vec<Value> {
    let mut out = objects.to_vec();
    let policies: Vec<usize> = (0..out.len())
        .filter(|&i| out[i]["kind"] == "NetworkPolicy")
        .collect();
    let endpoints: Vec<usize> = (0..out.len())
        .filter(|&i| out[i]["kind"] != "NetworkPolicy" && out[i]["kind"] != "Namespace")
        .collect();
    match mutation.kind % 4 {
        0 if !policies.is_empty() => {
            let i = policies[mutation.index.index(policies.len())];
            let mut p = mutation.policy.clone();
            p["metadata"]["name"] = out[i]["metadata"]["name"].clone();
            out[i] = p;
        }
        1 if !policies.is_empty() => {
            out.remove(policies[mutation.index.index(policies.len())]);
        }
        3 if !endpoints.is_empty() => {
            let i = endpoints[mutation.index.index(endpoints.len())];
            let labels = Value::Object(mutation.labels.clone());
            if out[i]["kind"] == "Pod" {
                out[i]["metadata"]["labels"] = labels;
            } else if let Some(t) = out[i]["spec"].get_mut("template") {
                t["metadata"]["labels"] = labels;
            }
        }
        _ => out.push(mutation.policy.clone()),
    }
    out
}

#[derive(Clone, Debug)]
struct Mutation {
    kind: u8,
    index: proptest::sample::Index,
    policy: Value,
    labels: serde_json::Map<String, Value>,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (
        0u8..4,
        any::<proptest::sample::Index>(),
        naive::generate::policy("changed".into()),
        proptest::collection::btree_map(
            proptest::sample::select(vec!["app", "tier"]),
            proptest::sample::select(vec!["a", "b"]),
            0..3,
        ),
    )
        .prop_map(|(kind, index, policy, labels)| Mutation {
            kind,
            index,
            policy,
            labels: labels
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::from(v)))
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn the_diff_is_the_difference_of_the_matrices(
        objects in naive::generate::cluster(6, 4),
        first in mutation(),
        second in proptest::option::of(mutation()),
    ) {
        let mut head_objects = mutate(&objects, &first);
        if let Some(m) = &second {
            head_objects = mutate(&head_objects, m);
        }
        let b = naive::manifest::model(&objects);
        let h = naive::manifest::model(&head_objects);
        let (be, he) = (Engine::new(&b), Engine::new(&h));
        for strategy in [How::Incremental, How::Full] {
            let d = diff(&be, &he, &DiffOptions { strategy, explain_limit: 3 });
            check_against_matrices(&d, &b, &h).map_err(|e| {
                TestCaseError::fail(format!(
                    "{strategy:?}: {e}\nbase: {}\nhead: {}",
                    naive::generate::show(&objects),
                    naive::generate::show(&head_objects)
                ))
            })?;
        }
    }
}
