//! `policy-name-intent-mismatch`: the name promises `deny-all`/`default-deny` or
//! `allow-dns`, the content does something else.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::{effective_rules, is_dns_only, rule_allows, DNS_PORT};
use crate::model::{Direction, NetworkPolicy, Protocol};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "policy-name-intent-mismatch",
    default_severity: Severity::Info,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "the name says `deny-all`/`default-deny` or `allow-dns` but the content does something else",
    rationale: "Reviewers read names: a `default-deny-egress` that only isolates ingress (policyTypes defaulting), or a `deny-all` that allows traffic, passes review while leaving pods open.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-egress\n  namespace: shop\nspec:\n  podSelector: {}\n  egress: []\n",
    fix: "Make the content match the name (e.g. add `policyTypes: [Egress]`), or rename the policy.",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        let name = policy.meta.name.value.to_ascii_lowercase();
        let problem = if is_deny_name(&name) {
            deny_mismatch(policy, &name)
        } else if name.contains("allow") && name.contains("dns") {
            dns_mismatch(policy)
        } else {
            None
        };
        let Some(problem) = problem else { continue };
        let message = format!("policy {} {problem}", object_name(&policy.meta));
        out.push(
            finding(
                &DOC,
                &policy.meta,
                policy.meta.name.span,
                "metadata.name",
                message,
            )
            .with_help("make the content match the name, or rename the policy"),
        );
    }
}

/// `deny-all`, `default-deny`, `deny-all-ingress`, `default-deny-egress`, ...
fn is_deny_name(name: &str) -> bool {
    name.contains("deny-all") || name.contains("default-deny") || name.contains("denyall")
}

/// What a deny-named policy does other than denying: allowing traffic, or not
/// isolating a direction its name mentions.
fn deny_mismatch(policy: &NetworkPolicy, name: &str) -> Option<String> {
    let mut named = Direction::BOTH
        .into_iter()
        .filter(|d| name.contains(d.field()));
    if let Some(d) = named.find(|d| !policy.applies_to(*d)) {
        return Some(format!(
            "is named as a deny for {} but does not isolate {} (`policyTypes` lacks `{}`)",
            d.field(),
            d.field(),
            d.policy_type().as_str()
        ));
    }
    let (d, _, _) = effective_rules(policy).next()?;
    Some(format!(
        "is named as a deny but allows {} traffic",
        d.field()
    ))
}

/// What an allow-DNS policy does other than allowing DNS.
fn dns_mismatch(policy: &NetworkPolicy) -> Option<String> {
    let rules: Vec<_> = effective_rules(policy).collect();
    if rules.iter().any(|(_, _, r)| !is_dns_only(r)) {
        return Some(String::from(
            "is named as a DNS allowance but allows ports other than 53",
        ));
    }
    let dns = rules.iter().any(|(_, _, r)| {
        rule_allows(r, Protocol::Udp, DNS_PORT) || rule_allows(r, Protocol::Tcp, DNS_PORT)
    });
    (!dns).then(|| String::from("is named as a DNS allowance but allows no traffic to port 53"))
}
