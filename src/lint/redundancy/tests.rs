//! [`super::redundant_policies`] and [`super::covered_rules`] against the
//! straightforward pairwise decisions, on generated policies.

use super::*;
use crate::decode;
use crate::doc::Limits;
use crate::lint::cover::rule_covers;
use crate::lint::rule_key::RuleKey;
use crate::lint::Config;
use crate::source::{Source, SourceSet};
use alloc::string::String;

/// A stream of `count` NetworkPolicies over two namespaces, from `seed`: small
/// pools of pod selectors, peers and ports, so that copies, covering rules and
/// redundant policies are frequent.
pub(crate) fn generated_policies(seed: u64, count: usize) -> String {
    const SELECTORS: [&str; 5] = [
        "{}",
        "{matchLabels: {app: a}}",
        "{matchLabels: {app: a, tier: web}}",
        "{matchLabels: {app: b}}",
        "{matchExpressions: [{key: app, operator: In, values: [a, b]}]}",
    ];
    const PEERS: [&str; 8] = [
        "{podSelector: {}}",
        "{podSelector: {matchLabels: {app: a}}}",
        "{podSelector: {matchLabels: {app: a, tier: web}}}",
        "{namespaceSelector: {}}",
        "{namespaceSelector: {matchExpressions: [{key: team, operator: In, values: [blue, green]}]}, podSelector: {matchLabels: {app: a}}}",
        "{ipBlock: {cidr: 10.0.0.0/8}}",
        "{ipBlock: {cidr: 10.1.0.0/16, except: [10.1.2.0/24]}}",
        "{ipBlock: {cidr: 10.1.0.0/16, except: [10.1.3.0/24]}}",
    ];
    const PORTS: [&str; 5] = [
        "[{port: 80}]",
        "[{port: 80}, {port: 443}]",
        "[{port: 80, endPort: 90}]",
        "[{protocol: UDP, port: 53}]",
        "[{port: http}]",
    ];
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut below = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut out = String::new();
    for k in 0..count {
        let namespace = ["a", "b"][below(2)];
        let selector = SELECTORS[below(SELECTORS.len())];
        let mut spec =
            alloc::format!("  podSelector: {selector}\n  policyTypes: [Ingress, Egress]\n");
        for field in ["ingress", "egress"] {
            let peer_field = if field == "ingress" { "from" } else { "to" };
            match below(4) {
                0 => {}
                _ => {
                    spec.push_str(&alloc::format!("  {field}:\n"));
                    for _ in 0..=below(2) {
                        let mut rule = String::from("    -");
                        if below(5) > 0 {
                            let peer = PEERS[below(PEERS.len())];
                            rule.push_str(&alloc::format!(" {peer_field}: [{peer}]\n     "));
                        }
                        if below(5) > 0 {
                            rule.push_str(&alloc::format!(" ports: {}", PORTS[below(PORTS.len())]));
                        }
                        spec.push_str(rule.trim_end());
                        spec.push_str(if rule.ends_with('-') { " {}\n" } else { "\n" });
                    }
                }
            }
        }
        out.push_str(&alloc::format!(
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p{k}\n  namespace: {namespace}\nspec:\n{spec}"
        ));
    }
    out
}

/// Whether policy `q`'s rules in `d` hold one covering `narrow`.
fn has_covering_rule(cx: &Context, q: usize, d: Direction, narrow: &RuleKey) -> bool {
    cx.model.policies[q]
        .rules(d)
        .iter()
        .any(|r| rule_covers(&RuleKey::of(r), narrow))
}

/// [`redundant_policies`] the straightforward way: every pair of policies.
fn naive_redundant_policies(cx: &Context) -> Vec<bool> {
    let policies = &cx.model.policies;
    let mut found = vec![false; policies.len()];
    for (p, policy) in policies.iter().enumerate().rev() {
        let others: Vec<usize> = (0..policies.len())
            .filter(|&q| q != p && !found[q] && cx.coverage.covers(q, p))
            .collect();
        let pure = isolates_only(policy);
        found[p] = Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
            .all(|d| {
                let applying = || {
                    others
                        .iter()
                        .copied()
                        .filter(|&q| policies[q].applies_to(d))
                };
                let isolated = applying().any(|q| !pure || policies[q].rules(d).is_empty());
                isolated
                    && policy.rules(d).iter().all(|r| {
                        let narrow = RuleKey::of(r);
                        applying().any(|q| has_covering_rule(cx, q, d, &narrow))
                    })
            });
    }
    found
}

/// [`covered_rules`] the straightforward way: every pair of rules.
fn naive_covered_rules(cx: &Context, redundant: &[bool]) -> Vec<(RuleAt, At)> {
    let policies = &cx.model.policies;
    let counted = |p: usize| !redundant[p];
    let mut out = Vec::new();
    for (p, policy) in policies.iter().enumerate().filter(|(p, _)| counted(*p)) {
        for d in Direction::BOTH
            .into_iter()
            .filter(|d| policy.applies_to(*d))
        {
            for (i, rule) in policy.rules(d).iter().enumerate() {
                let narrow = RuleKey::of(rule);
                let mut best: Option<At> = None;
                for (q, other) in policies.iter().enumerate() {
                    if !counted(q) || !other.applies_to(d) || !cx.coverage.covers(q, p) {
                        continue;
                    }
                    for (j, broad) in other.rules(d).iter().enumerate() {
                        let broad = RuleKey::of(broad);
                        let equivalent = cx.coverage.covers(p, q) && rule_covers(&narrow, &broad);
                        let counts = if equivalent {
                            (q, j) < (p, i)
                        } else {
                            (q, j) != (p, i)
                        };
                        if counts && rule_covers(&broad, &narrow) {
                            best = Some(best.map_or((q, j), |b| b.min((q, j))));
                        }
                    }
                }
                if let Some(at) = best {
                    out.push(((p, d, i), at));
                }
            }
        }
    }
    out
}

#[test]
fn the_indexed_decisions_are_the_pairwise_ones() {
    let config = Config::default();
    let (mut redundant_total, mut covered_total) = (0, 0);
    for seed in 0..12 {
        let mut sources = SourceSet::new();
        sources.add(Source::new("p.yaml", generated_policies(seed, 80)));
        let loaded = decode::load(&sources, &Limits::default());
        assert_eq!(
            loaded.model.policies.len(),
            80,
            "seed {seed}: {:?}",
            loaded.diagnostics
        );
        let cx = Context::new(&loaded.model, &config);
        let redundancy = Redundancy::new(&cx);
        assert_eq!(
            redundancy.redundant,
            naive_redundant_policies(&cx),
            "seed {seed}"
        );
        let covered = covered_rules(&cx, &redundancy.contents, &redundancy.redundant);
        assert_eq!(
            covered,
            naive_covered_rules(&cx, &redundancy.redundant),
            "seed {seed}"
        );
        redundant_total += redundancy.redundant.iter().filter(|r| **r).count();
        covered_total += covered.len();
    }
    assert!(
        redundant_total > 20 && covered_total > 20,
        "{redundant_total} {covered_total}"
    );
}
