//! Data-plane profiles in the engine: every fact of `docs/cni.md` that changes a
//! verdict, on every profile (changed and unchanged), through the [`Workspace`] API
//! (`cni` of the configuration) and the matrix.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use netpol::api::{FlowRequest, MatrixFilter, Port, SourceFile, Workspace};
use netpol::engine::profile_notes;
use netpol::lint::Config;
use netpol::model::{Cni, Protocol};

const FACTS: &str = include_str!("data/cni/profile-facts.yaml");
const ADMIN_DENY: &str = include_str!("data/cni/admin-deny.yaml");
const CLUSTER_ADMIN_DENY: &str = include_str!("data/cni/cluster-admin-deny.yaml");

/// A workspace over `files` on the data plane `cni`.
fn workspace(files: &[(&str, &str)], cni: Cni) -> Workspace {
    let mut config = Config::default();
    config.cni = cni;
    Workspace::load(
        files
            .iter()
            .map(|(name, text)| SourceFile::text(*name, *text)),
        config,
    )
}

/// The flow `from` → `to` on `port`/`protocol`.
fn flow(from: &str, to: &str, port: u16, protocol: &str) -> FlowRequest {
    FlowRequest {
        from: from.into(),
        to: to.into(),
        port: Port::Number(port),
        protocol: Some(protocol.into()),
    }
}

/// Whether `from` reaches `to` on `port`/`protocol`, with the reason.
fn query(ws: &Workspace, from: &str, to: &str, port: u16, protocol: &str) -> (bool, String) {
    let verdict = ws.query(&flow(from, to, port, protocol)).unwrap().verdict;
    (verdict.allowed, verdict.reason)
}

/// Why the ingress rules closest to allowing `from` → `to` on `port`/`protocol` do not.
fn ingress_mismatches(
    ws: &Workspace,
    from: &str,
    to: &str,
    port: u16,
    protocol: &str,
) -> Vec<String> {
    let verdict = ws.query(&flow(from, to, port, protocol)).unwrap().verdict;
    verdict
        .ingress
        .closest
        .iter()
        .filter_map(|r| r.mismatch.clone())
        .collect()
}

/// Whether the matrix allows `from` → `to` on `port`/`protocol`.
fn matrix_allows(ws: &Workspace, from: &str, to: &str, port: u16, protocol: Protocol) -> bool {
    let answer = ws.matrix(&MatrixFilter::default()).unwrap();
    let i = answer.matrix.index_of(from).expect("from in the matrix");
    let j = answer.matrix.index_of(to).expect("to in the matrix");
    answer.matrix.allowed(i, j).allows(protocol, port)
}

#[test]
fn an_ipblock_matches_pod_addresses_except_on_cilium() {
    for cni in Cni::ALL {
        let ws = workspace(&[("k8s.yaml", FACTS)], cni);
        let (allowed, reason) = query(&ws, "app/client", "app/server", 80, "TCP");
        let matches_pods = cni != Cni::Cilium;
        assert_eq!(allowed, matches_pods, "{}: {reason}", cni.as_str());
        assert_eq!(
            matrix_allows(&ws, "app/client", "app/server", 80, Protocol::Tcp),
            matches_pods,
            "{}",
            cni.as_str()
        );
        if !matches_pods {
            let mismatches = ingress_mismatches(&ws, "app/client", "app/server", 80, "TCP");
            assert!(
                mismatches.iter().any(|m| m.contains(
                    "ipBlock `10.244.0.0/16`: `cilium` matches no pod address by ipBlock (`cni` profile)"
                )),
                "{mismatches:?}"
            );
        }
        // Addresses outside the cluster match on every data plane.
        let (outside, reason) = query(&ws, "10.244.200.9", "app/server", 80, "TCP");
        assert!(outside, "{}: {reason}", cni.as_str());
    }
}

#[test]
fn sctp_entries_allow_nothing_on_cilium() {
    for cni in Cni::ALL {
        let ws = workspace(&[("k8s.yaml", FACTS)], cni);
        let (allowed, reason) = query(&ws, "app/client", "app/server", 3868, "SCTP");
        let enforced = cni != Cni::Cilium;
        assert_eq!(allowed, enforced, "{}: {reason}", cni.as_str());
        assert_eq!(
            matrix_allows(&ws, "app/client", "app/server", 3868, Protocol::Sctp),
            enforced,
            "{}",
            cni.as_str()
        );
    }
    let ws = workspace(&[("k8s.yaml", FACTS)], Cni::Cilium);
    let texts = ingress_mismatches(&ws, "app/client", "app/server", 3868, "SCTP");
    assert!(
        texts
            .iter()
            .any(|t| t.contains("3868/SCTP (`cilium` does not enforce SCTP rules: `cni` profile)")),
        "{texts:?}"
    );
}

#[test]
fn end_port_ranges_are_enforced_on_every_profile() {
    for cni in Cni::ALL {
        let ws = workspace(&[("k8s.yaml", FACTS)], cni);
        assert!(
            query(&ws, "app/client", "app/server", 10050, "TCP").0,
            "{}",
            cni.as_str()
        );
        assert!(
            !query(&ws, "app/client", "app/server", 10101, "TCP").0,
            "{}",
            cni.as_str()
        );
        assert!(matrix_allows(
            &ws,
            "app/client",
            "app/server",
            10100,
            Protocol::Tcp
        ));
    }
}

#[test]
fn cluster_wide_kinds_count_only_where_the_data_plane_implements_them() {
    let cases = [
        (
            ADMIN_DENY,
            "AdminNetworkPolicy `admin-deny`",
            [true, true, false, true, true],
        ),
        (
            CLUSTER_ADMIN_DENY,
            "ClusterNetworkPolicy `cluster-admin-deny`",
            [true, true, false, false, false],
        ),
    ];
    for (policy, named, enforced_by) in cases {
        for (cni, enforced) in Cni::ALL.into_iter().zip(enforced_by) {
            let ws = workspace(&[("k8s.yaml", FACTS), ("tier.yaml", policy)], cni);
            // `other` is selected by no NetworkPolicy: only the tier can deny.
            let (allowed, reason) = query(&ws, "app/client", "app/other", 443, "TCP");
            assert_eq!(allowed, !enforced, "{} {named}: {reason}", cni.as_str());
            assert_eq!(
                matrix_allows(&ws, "app/client", "app/other", 443, Protocol::Tcp),
                !enforced,
                "{} {named}",
                cni.as_str()
            );
            let notes = profile_notes(&ws.loaded().model, cni);
            if enforced {
                assert!(notes.is_empty(), "{}: {notes:?}", cni.as_str());
            } else {
                assert_eq!(notes.len(), 1, "{}: {notes:?}", cni.as_str());
                assert!(
                    notes[0].starts_with(&format!("{named} is not enforced: `{}`", cni.as_str())),
                    "{notes:?}"
                );
            }
        }
    }
}

#[test]
fn a_diff_between_two_data_planes_shows_what_the_plane_changes() {
    let generic = workspace(&[("k8s.yaml", FACTS)], Cni::Generic);
    let calico = workspace(&[("k8s.yaml", FACTS)], Cni::Calico);
    let cilium = workspace(&[("k8s.yaml", FACTS)], Cni::Cilium);
    let same = generic.diff(&calico, netpol::engine::Grouping::None);
    assert!(same.diff.added.is_empty() && same.diff.removed.is_empty());
    let changed = generic.diff(&cilium, netpol::engine::Grouping::None);
    assert!(changed.diff.added.is_empty());
    let removed: Vec<String> = changed
        .diff
        .removed
        .iter()
        .map(|c| {
            let ends = &changed.diff.endpoints;
            format!("{} -> {}", ends[c.from].matrix.id, ends[c.to].matrix.id)
        })
        .collect();
    // Every pod in the ipBlock loses port 80; the client also loses SCTP.
    assert_eq!(
        removed,
        ["app/client -> app/server", "app/other -> app/server"]
    );
    let ports = &changed.diff.removed[0].ports;
    assert!(ports.allows(Protocol::Tcp, 80) && ports.allows(Protocol::Sctp, 3868));
    assert!(!ports.allows(Protocol::Tcp, 10050));
    let other = &changed.diff.removed[1].ports;
    assert!(other.allows(Protocol::Tcp, 80) && !other.allows(Protocol::Sctp, 3868));
}
