//! The rule catalogue: the documentation of every rule id netpol emits, validation
//! ids first, then best-practice rules, each group sorted by id.

use crate::lint::doc::RuleDoc;
use crate::lint::rules::*;

mod validation;

/// The best-practice rules' documentation, sorted by id.
const PRACTICE: [RuleDoc; 42] = [
    allow_all::EGRESS,
    allow_all::INGRESS,
    broad_empty_podselector::DOC,
    cluster_missing_baseline_deny::DOC,
    cni_portability::DOC,
    default_deny_system_namespace::DOC,
    dns_egress_blocked::DOC,
    dual_stack_gap::DOC,
    duplicate_policy_name::DOC,
    empty_list_means_all::DOC,
    ipblock_allows_cluster_ranges::DOC,
    ipblock_allows_metadata::DOC,
    ipblock_anywhere::DOC,
    ipblock_except_redundant::DOC,
    ipblock_host_bits::DOC,
    missing_namespace::DOC,
    missing_policytypes::DOC,
    named_port_unresolved::DOC,
    named_port_with_ipblock::DOC,
    namespace_missing_default_deny::DOC,
    namespace_selector_custom_label::DOC,
    peer_namespace_selector_only::DOC,
    peer_selects_nothing::DOC,
    policy_name_intent_mismatch::DOC,
    policy_selects_no_pods::DOC,
    policy_voided_by_allow_all::DOC,
    port_range_too_wide::DOC,
    ports_empty_item::DOC,
    redundant::POLICY,
    redundant::RULE,
    rule_without_ports::DOC,
    rules_ignored_by_policytypes::DOC,
    selector_contradiction::DOC,
    tier_deny_blocks_dns::DOC,
    tier_networks_match_pods::DOC,
    tier_pass_without_networkpolicy::DOC,
    tier_policy_without_rules::DOC,
    tier_priority_tie::DOC,
    tier_rule_shadowed::DOC,
    tier_subject_selects_nothing::DOC,
    unsupported_policy_kind::DOC,
    workload_not_isolated::DOC,
];

const COUNT: usize = validation::DOCS.len() + PRACTICE.len();

/// Both groups in one array, built at compile time.
static CATALOGUE: [RuleDoc; COUNT] = concat(&validation::DOCS, &PRACTICE);

/// Every documented rule id.
pub static ALL: &[RuleDoc] = &CATALOGUE;

/// `a` followed by `b`, evaluated at compile time.
// Indexing is evaluated by the compiler: an out-of-bounds index is a build error,
// never a run-time panic.
#[allow(clippy::indexing_slicing)]
const fn concat<const N: usize>(a: &[RuleDoc], b: &[RuleDoc]) -> [RuleDoc; N] {
    let mut out = [a[0]; N];
    let mut i = 0;
    while i < a.len() {
        out[i] = a[i];
        i += 1;
    }
    let mut j = 0;
    while j < b.len() {
        out[a.len() + j] = b[j];
        j += 1;
    }
    out
}

/// The documentation of `id`, if it is a known rule id.
pub fn rule_doc(id: &str) -> Option<&'static RuleDoc> {
    ALL.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::doc::Category;

    #[test]
    fn every_registered_rule_is_documented_and_every_practice_doc_registered() {
        let registered: alloc::vec::Vec<&str> =
            crate::lint::rules::ALL.iter().map(|r| r.id).collect();
        for id in &registered {
            assert!(ALL.iter().any(|d| d.id == *id), "{id} documented");
        }
        for doc in ALL.iter().filter(|d| d.category == Category::BestPractice) {
            assert!(registered.contains(&doc.id), "{} registered", doc.id);
        }
        let validation = ALL
            .iter()
            .filter(|d| d.category == Category::Validation)
            .count();
        assert_eq!(registered.len() + validation, ALL.len());
    }
}
