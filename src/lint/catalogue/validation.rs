//! Documentation of the reading and validation rule ids (spec/validation.md): what
//! the API server (or the reader) rejects.

use crate::diag::Severity;
use crate::lint::doc::{Category, RuleDoc, Scope};

/// A validation rule's documentation (severity `error`, category validation).
const fn rejected(
    id: &'static str,
    scope: Scope,
    summary: &'static str,
    rationale: &'static str,
    example: &'static str,
    fix: &'static str,
) -> RuleDoc {
    RuleDoc {
        id,
        default_severity: Severity::Error,
        category: Category::Validation,
        scope,
        summary,
        rationale,
        example,
        fix,
    }
}

/// The API server rejects objects with these problems; `kubectl apply` fails.
const REJECTED: &str = "The API server rejects the object: `kubectl apply` fails and the policy does not exist in the cluster, so nothing it was meant to allow or deny takes effect.";

/// Every validation and reading rule id.
pub const DOCS: [RuleDoc; 22] = [
    rejected(
        "alias-expansion-limit",
        Scope::File,
        "YAML aliases expand to more nodes than the reading limit",
        "Aliases that refer to aliases grow exponentially (\"billion laughs\"); netpol stops reading the file instead of exhausting memory.",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n# ... repeated until the expansion exceeds the limit\n",
        "Write the manifests without nested aliases (render templates first).",
    ),
    rejected(
        "duplicate-field",
        Scope::Object,
        "the same key twice in one mapping",
        "YAML parsers disagree on which value wins (kubectl's strict decoding rejects the object): a duplicated `podSelector` or `ingress` means the object is not what it reads as.",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  podSelector:\n    matchLabels:\n      app: web\n",
        "Keep one of the keys (merge their content if both matter).",
    ),
    rejected(
        "input-too-large",
        Scope::File,
        "a source larger than the reading limit",
        "netpol bounds what one input may make it do, so a huge or hostile input gives a finding rather than exhausting memory.",
        "# a file larger than 256 MiB\n",
        "Split the input, or lint the manifests that matter.",
    ),
    rejected(
        "invalid-cidr",
        Scope::Object,
        "an ipBlock `cidr` or `except` entry that is missing or not a CIDR",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.1\n",
        "Write a CIDR with its prefix length (`10.0.0.1/32`, `2001:db8::/64`).",
    ),
    rejected(
        "invalid-config",
        Scope::File,
        "a configuration file (`.netpol.yaml`, `--config`) with an unknown key, an unknown rule id or a bad value",
        "A misspelled key or rule id would otherwise be ignored silently, and the run would not be configured the way the file says.",
        "# .netpol.yaml\nrules:\n  rule-without-port: off\nportRangeThreshold: wide\n",
        "Use the keys and rule ids `netpol rules` lists; levels are `off`, `info`, `warning`, `error`.",
    ),
    rejected(
        "invalid-end-port",
        Scope::Object,
        "`endPort` below `port`, out of range, or with a missing or named `port`",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: range\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - ports:\n        - port: 9000\n          endPort: 8000\n",
        "Make `endPort` a number at least `port`, with a numeric `port`.",
    ),
    rejected(
        "invalid-except",
        Scope::Object,
        "an `except` entry that is not a strict subset of the ipBlock's `cidr`",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: out\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock:\n            cidr: 10.0.0.0/16\n            except: [192.168.0.0/24]\n",
        "Except only ranges inside `cidr` (and smaller than it).",
    ),
    rejected(
        "invalid-label-key",
        Scope::Object,
        "a selector label key that is not a qualified name",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      \"app name\": web\n",
        "Use an optional DNS prefix and `/` and a name of letters, digits, `-`, `_`, `.` (at most 63).",
    ),
    rejected(
        "invalid-label-value",
        Scope::Object,
        "a selector label value that is not a valid label value",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: \"web server\"\n",
        "Use at most 63 letters, digits, `-`, `_`, `.`, starting and ending alphanumeric (or empty).",
    ),
    rejected(
        "invalid-name",
        Scope::Object,
        "`metadata.name` missing or not a DNS-1123 subdomain",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: Web_Policy\n  namespace: shop\nspec:\n  podSelector: {}\n",
        "Use lowercase letters, digits, `-` and `.` (at most 253).",
    ),
    rejected(
        "invalid-namespace",
        Scope::Object,
        "`metadata.namespace` not a DNS-1123 label",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: Shop\nspec:\n  podSelector: {}\n",
        "Use lowercase letters, digits and `-` (at most 63).",
    ),
    rejected(
        "invalid-peer",
        Scope::Object,
        "a peer with no selector and no ipBlock, or an ipBlock together with a selector",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 10.0.0.0/8\n          podSelector: {}\n",
        "Give each peer entry either selectors or an ipBlock (use two entries for both).",
    ),
    rejected(
        "invalid-policy-type",
        Scope::Object,
        "a `policyTypes` value other than `Ingress`/`Egress`, or more than two values",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [ingress]\n",
        "Write `Ingress` and/or `Egress` (case-sensitive).",
    ),
    rejected(
        "invalid-port",
        Scope::Object,
        "a port number outside 1..65535, or an invalid port name",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - ports:\n        - port: 70000\n",
        "Use a number from 1 to 65535, or a port name of at most 15 lowercase letters, digits and single hyphens.",
    ),
    rejected(
        "invalid-protocol",
        Scope::Object,
        "a protocol other than `TCP`, `UDP`, `SCTP`",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: dns\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - ports:\n        - port: 53\n          protocol: udp\n",
        "Write the protocol in capitals: `TCP`, `UDP` or `SCTP`.",
    ),
    rejected(
        "invalid-selector",
        Scope::Object,
        "a matchExpressions entry with an unknown operator, or values missing or forbidden for its operator",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchExpressions:\n      - key: app\n        operator: In\n",
        "Use `In`/`NotIn` with values, `Exists`/`DoesNotExist` without.",
    ),
    rejected(
        "invalid-type",
        Scope::Object,
        "a field of the wrong type (a list where a mapping is expected, a string `endPort`, a number as a label value)",
        REJECTED,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      tier: 1\n",
        "Write the field with the type the API expects (quote label values that look like numbers).",
    ),
    rejected(
        "nesting-too-deep",
        Scope::File,
        "collections nested deeper than the reading limit",
        "netpol bounds nesting so that a hostile input gives a finding rather than a stack overflow.",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
        "Check where the input comes from; manifests are never that deep.",
    ),
    rejected(
        "removed-api-version",
        Scope::Object,
        "a NetworkPolicy in `extensions/v1beta1`, which current clusters no longer serve",
        "Kubernetes 1.16 stopped serving NetworkPolicy in `extensions/v1beta1`: applying it fails.",
        "apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n",
        "Use `apiVersion: networking.k8s.io/v1`.",
    ),
    rejected(
        "too-many-documents",
        Scope::File,
        "more YAML documents in one source than the reading limit",
        "netpol bounds what one input may make it do, so a hostile input gives a finding rather than exhausting memory.",
        "# a stream of more than 1,000,000 `---` documents\n",
        "Split the input into several files.",
    ),
    rejected(
        "unknown-field",
        Scope::Object,
        "a key the schema does not have (`form`, `podselector`, `policyType`)",
        "kubectl rejects unknown fields (strict validation); a lenient client drops them, and a misspelled `from` then opens the rule to every source, a misspelled `podSelector` selects every pod. netpol checks the rest as the server would store it.",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - form:\n        - podSelector: {}\n",
        "Correct the spelling (field names are case-sensitive).",
    ),
    rejected(
        "yaml-syntax",
        Scope::File,
        "a document that cannot be parsed as YAML (or JSON)",
        "Nothing in the document can be checked or applied.",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n   namespace: shop\n",
        "Fix the syntax at the position given (indentation, quotes, unbalanced brackets).",
    ),
];
