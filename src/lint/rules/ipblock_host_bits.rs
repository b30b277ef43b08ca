//! `ipblock-host-bits`: a CIDR with bits set beyond its prefix.

use alloc::format;
use alloc::vec::Vec;

use ipnet::IpNet;

use crate::diag::{Diagnostic, Severity};
use crate::lint::context::{finding, object_name, Context};
use crate::lint::doc::{Category, RuleDoc, Scope};
use crate::lint::walk::effective_ipblocks;
use crate::model::{path, Spanned};

/// Documentation.
pub const DOC: RuleDoc = RuleDoc {
    id: "ipblock-host-bits",
    default_severity: Severity::Warning,
    category: Category::BestPractice,
    scope: Scope::Object,
    summary: "a CIDR with bits set beyond the prefix (`10.0.1.12/24`)",
    rationale: "The address is masked to its network (`10.0.1.12/24` means all of `10.0.1.0/24`): the author probably meant one host (`/32`) or a different range. Newer API servers warn and strict ones reject it.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: to-db-host\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.1.12/24\n      ports:\n        - port: 5432\n",
    fix: "Write the network address (`10.0.1.0/24`) or the host prefix meant (`10.0.1.12/32`).",
};

/// Checks the rule.
pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &cx.model.policies {
        for (d, i, j, block) in effective_ipblocks(policy) {
            let base = path::in_peer(d, i, j, "ipBlock");
            let entries = core::iter::once((format!("{base}.cidr"), &block.cidr)).chain(
                block
                    .except
                    .iter()
                    .enumerate()
                    .map(|(k, e)| (format!("{base}.except[{k}]"), e)),
            );
            for (field, net) in entries {
                if let Some(diagnostic) = host_bits(policy, field, net) {
                    out.push(diagnostic);
                }
            }
        }
    }
}

fn host_bits(
    policy: &crate::model::NetworkPolicy,
    field: alloc::string::String,
    net: &Spanned<IpNet>,
) -> Option<Diagnostic> {
    let masked = net.value.trunc();
    if masked == net.value {
        return None;
    }
    let message = format!(
        "`{}` in policy {} has host bits set: it means `{masked}`",
        net.value,
        object_name(&policy.meta)
    );
    let host = IpNet::from(net.value.addr());
    Some(
        finding(&DOC, &policy.meta, net.span, field, message)
            .with_help(format!("write `{masked}`, or `{host}` for the single host")),
    )
}
