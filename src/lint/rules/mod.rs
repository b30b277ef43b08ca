//! The best-practice rules, one module per rule (or per family sharing everything).
//! Each module has its documentation (`DOC`) and its check.

use alloc::vec::Vec;

use super::context::Context;
use crate::diag::Diagnostic;

pub mod allow_all;
pub mod broad_empty_podselector;
pub mod cluster_missing_baseline_deny;
pub mod cni_portability;
pub mod default_deny_system_namespace;
pub mod dns_egress_blocked;
pub mod dual_stack_gap;
pub mod duplicate_policy_name;
pub mod empty_list_means_all;
pub mod ipblock_allows_cluster_ranges;
pub mod ipblock_allows_metadata;
pub mod ipblock_anywhere;
pub mod ipblock_except_redundant;
pub mod ipblock_host_bits;
pub mod missing_namespace;
pub mod missing_policytypes;
pub mod named_port_unresolved;
pub mod named_port_with_ipblock;
pub mod namespace_missing_default_deny;
pub mod namespace_selector_custom_label;
pub mod peer_namespace_selector_only;
pub mod peer_selects_nothing;
pub mod policy_name_intent_mismatch;
pub mod policy_selects_no_pods;
pub mod policy_voided_by_allow_all;
pub mod port_range_too_wide;
pub mod ports_empty_item;
pub mod redundant;
pub mod rule_without_ports;
pub mod rules_ignored_by_policytypes;
pub mod selector_contradiction;
pub mod tier_deny_blocks_dns;
pub mod tier_networks_match_pods;
pub mod tier_pass_without_networkpolicy;
pub mod tier_policy_without_rules;
pub mod tier_priority_tie;
pub mod tier_rule_shadowed;
pub mod tier_subject_selects_nothing;
pub mod unsupported_policy_kind;
pub mod workload_not_isolated;

/// A rule's check: appends its findings (at the rule's default severity).
pub type Check = fn(&Context, &mut Vec<Diagnostic>);

/// One rule: its id and its check.
pub struct Rule {
    /// The rule id (its documentation is in the catalogue).
    pub id: &'static str,
    /// The check.
    pub check: Check,
}

/// Every rule, in catalogue order.
pub static ALL: &[Rule] = &[
    Rule {
        id: allow_all::EGRESS.id,
        check: allow_all::check_egress,
    },
    Rule {
        id: allow_all::INGRESS.id,
        check: allow_all::check_ingress,
    },
    Rule {
        id: broad_empty_podselector::DOC.id,
        check: broad_empty_podselector::check,
    },
    Rule {
        id: cni_portability::DOC.id,
        check: cni_portability::check,
    },
    Rule {
        id: default_deny_system_namespace::DOC.id,
        check: default_deny_system_namespace::check,
    },
    Rule {
        id: dual_stack_gap::DOC.id,
        check: dual_stack_gap::check,
    },
    Rule {
        id: duplicate_policy_name::DOC.id,
        check: duplicate_policy_name::check,
    },
    Rule {
        id: empty_list_means_all::DOC.id,
        check: empty_list_means_all::check,
    },
    Rule {
        id: ipblock_allows_cluster_ranges::DOC.id,
        check: ipblock_allows_cluster_ranges::check,
    },
    Rule {
        id: ipblock_allows_metadata::DOC.id,
        check: ipblock_allows_metadata::check,
    },
    Rule {
        id: ipblock_anywhere::DOC.id,
        check: ipblock_anywhere::check,
    },
    Rule {
        id: ipblock_except_redundant::DOC.id,
        check: ipblock_except_redundant::check,
    },
    Rule {
        id: ipblock_host_bits::DOC.id,
        check: ipblock_host_bits::check,
    },
    Rule {
        id: missing_namespace::DOC.id,
        check: missing_namespace::check,
    },
    Rule {
        id: missing_policytypes::DOC.id,
        check: missing_policytypes::check,
    },
    Rule {
        id: named_port_with_ipblock::DOC.id,
        check: named_port_with_ipblock::check,
    },
    Rule {
        id: namespace_missing_default_deny::DOC.id,
        check: namespace_missing_default_deny::check,
    },
    Rule {
        id: namespace_selector_custom_label::DOC.id,
        check: namespace_selector_custom_label::check,
    },
    Rule {
        id: peer_namespace_selector_only::DOC.id,
        check: peer_namespace_selector_only::check,
    },
    Rule {
        id: policy_name_intent_mismatch::DOC.id,
        check: policy_name_intent_mismatch::check,
    },
    Rule {
        id: port_range_too_wide::DOC.id,
        check: port_range_too_wide::check,
    },
    Rule {
        id: ports_empty_item::DOC.id,
        check: ports_empty_item::check,
    },
    Rule {
        id: rule_without_ports::DOC.id,
        check: rule_without_ports::check,
    },
    Rule {
        id: rules_ignored_by_policytypes::DOC.id,
        check: rules_ignored_by_policytypes::check,
    },
    Rule {
        id: selector_contradiction::DOC.id,
        check: selector_contradiction::check,
    },
    Rule {
        id: dns_egress_blocked::DOC.id,
        check: dns_egress_blocked::check,
    },
    Rule {
        id: named_port_unresolved::DOC.id,
        check: named_port_unresolved::check,
    },
    Rule {
        id: peer_selects_nothing::DOC.id,
        check: peer_selects_nothing::check,
    },
    Rule {
        id: policy_selects_no_pods::DOC.id,
        check: policy_selects_no_pods::check,
    },
    Rule {
        id: policy_voided_by_allow_all::DOC.id,
        check: policy_voided_by_allow_all::check,
    },
    Rule {
        id: redundant::POLICY.id,
        check: redundant::check_policy,
    },
    Rule {
        id: redundant::RULE.id,
        check: redundant::check_rule,
    },
    Rule {
        id: unsupported_policy_kind::DOC.id,
        check: unsupported_policy_kind::check,
    },
    Rule {
        id: workload_not_isolated::DOC.id,
        check: workload_not_isolated::check,
    },
    Rule {
        id: cluster_missing_baseline_deny::DOC.id,
        check: cluster_missing_baseline_deny::check,
    },
    Rule {
        id: tier_deny_blocks_dns::DOC.id,
        check: tier_deny_blocks_dns::check,
    },
    Rule {
        id: tier_networks_match_pods::DOC.id,
        check: tier_networks_match_pods::check,
    },
    Rule {
        id: tier_pass_without_networkpolicy::DOC.id,
        check: tier_pass_without_networkpolicy::check,
    },
    Rule {
        id: tier_policy_without_rules::DOC.id,
        check: tier_policy_without_rules::check,
    },
    Rule {
        id: tier_priority_tie::DOC.id,
        check: tier_priority_tie::check,
    },
    Rule {
        id: tier_rule_shadowed::DOC.id,
        check: tier_rule_shadowed::check,
    },
    Rule {
        id: tier_subject_selects_nothing::DOC.id,
        check: tier_subject_selects_nothing::check,
    },
];
