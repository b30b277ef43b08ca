// Generated from the Rust types of the workspace API by `make types`; do not edit.
// The JSON shapes of the requests the package takes and the answers it returns.

/**
 * A protocol, as every answer writes it.
 */
export type Protocol = "TCP" | "UDP" | "SCTP";

/**
 * The severity of a finding.
 */
export type Severity = "error" | "warning" | "info";

/**
 * The level a rule is set to (`off` turns it off).
 */
export type Level = "off" | "error" | "warning" | "info";

/**
 * The threshold at which findings fail (`none`: never).
 */
export type FailOn = "error" | "warning" | "info" | "none";

/**
 * How to lint: rule levels and the failing threshold on top of the workspace's
 * configuration.
 */
export type LintRequest = { 
/**
 * Per-rule level: `off`, `info`, `warning` or `error`.
 */
rules?: { [key in string]?: Level }, 
/**
 * Findings at or above this fail: `error`, `warning`, `info` or `none`.
 */
failOn?: FailOn, 
/**
 * Keep only the findings at or above the threshold.
 */
quiet?: boolean, };

/**
 * Which part of the matrix to answer: rows, columns, namespaces and ports.
 */
export type MatrixView = { 
/**
 * Only connections from this endpoint (`ns/name`, `ns/kind/name` or an IP).
 */
from?: string, 
/**
 * Only connections to this endpoint.
 */
to?: string, 
/**
 * Only pods and workloads of these namespaces (external ranges stay).
 */
namespace?: Array<string>, 
/**
 * Only this protocol (`TCP`, `UDP`, `SCTP`; TCP when only `port` is given).
 */
protocol?: Protocol, 
/**
 * Only connections allowing this port.
 */
port?: number, 
/**
 * `owner`: the pods of one controller as one endpoint where the policies treat
 * them alike; `none` (the default): one endpoint per pod.
 */
group?: "owner" | "none", };

/**
 * A port of a flow: a number, or a named port of the destination.
 */
export type Port = number | string;

/**
 * One flow to explain.
 */
export type Flow = { 
/**
 * The source endpoint.
 */
from: string, 
/**
 * The destination endpoint.
 */
to: string, 
/**
 * The destination port.
 */
port: Port, 
/**
 * `TCP` (default), `UDP` or `SCTP`.
 */
protocol?: Protocol, };

/**
 * The lint answer as JSON.
 */
export type LintAnswer = { 
/**
 * The version of netpol.
 */
version: string, 
/**
 * The findings, in output order.
 */
findings: Array<Finding>, 
/**
 * The counts.
 */
summary: Summary, };

/**
 * A finding with its UTF-16 columns (the JavaScript API's finding).
 */
export type Finding = { 
/**
 * 1-based start column in UTF-16 code units (JavaScript strings, editors).
 */
utf16Column: number, 
/**
 * 1-based end column in UTF-16 code units.
 */
utf16EndColumn: number, 
/**
 * Stable rule id.
 */
ruleId: string, 
/**
 * Severity after configuration.
 */
severity: Severity, 
/**
 * One-line message.
 */
message: string, 
/**
 * What to do (empty when the rule gives none).
 */
help: string, 
/**
 * The source's display name (a path relative to where netpol ran, `-`, or a
 * caller's name).
 */
file: string, 
/**
 * 1-based line of the start (0 when the finding has no location).
 */
line: number, 
/**
 * 1-based column of the start, in characters.
 */
column: number, 
/**
 * 1-based line of the end.
 */
endLine: number, 
/**
 * 1-based column just past the end, in characters.
 */
endColumn: number, 
/**
 * Field path inside the object (empty when none).
 */
path: string, 
/**
 * The object at fault (`None` for problems of a whole file).
 */
resource: Resource | null, };

/**
 * The object a finding is about, as every format prints it.
 */
export type Resource = { 
/**
 * `apiVersion`.
 */
apiVersion: string, 
/**
 * `kind`.
 */
kind: string, 
/**
 * `metadata.namespace` (`None` when not written).
 */
namespace: string | null, 
/**
 * `metadata.name`.
 */
name: string, };

/**
 * Counts printed under the findings (the `summary` of the lint JSON).
 */
export type Summary = { 
/**
 * Findings of severity error.
 */
error: number, 
/**
 * Findings of severity warning.
 */
warning: number, 
/**
 * Findings of severity info.
 */
info: number, 
/**
 * Findings suppressed by `netpol/ignore` annotations (not shown).
 */
suppressed: number, 
/**
 * Sources read.
 */
files: number, 
/**
 * Objects of a recognised kind decoded.
 */
objects: number, 
/**
 * Objects skipped, by kind (see [`SkippedCount::list`]).
 */
skipped: Array<SkippedCount>, };

/**
 * Skipped objects of one kind: an entry of `summary.skipped` in the lint JSON.
 */
export type SkippedCount = { 
/**
 * The kind as written (empty for a value that is not an object or has no kind).
 */
kind: string, 
/**
 * The API group (empty for the core group).
 */
group: string, 
/**
 * How many objects.
 */
count: number, 
/**
 * Whether it is a policy kind netpol cannot evaluate
 * (`unsupported-policy-kind`), rather than a kind that holds no policy.
 */
unsupportedPolicy: boolean, };

/**
 * The matrix document.
 */
export type MatrixAnswer = { 
/**
 * Tool version.
 */
version: string, 
/**
 * Every endpoint.
 */
endpoints: Array<MatrixEndpoint>, 
/**
 * Every pair with something allowed.
 */
connections: Array<Connection>, 
/**
 * Present when some pair has ports whose verdict depends on DNS or on the order
 * of equal-priority policies: neither allowed nor denied for sure (never in
 * `connections`).
 */
uncertain?: Array<UncertainConnection>, 
/**
 * Present (`true`) when representative endpoints stand for pods the input does
 * not hold.
 */
representative?: boolean, 
/**
 * The controllers (`ns/kind/name`) whose pods were left apart because the
 * policies treat them differently (only with grouping).
 */
splitOwners?: Array<string>, 
/**
 * The notes the other formats print (representative endpoints, owners left
 * apart).
 */
notes?: Array<string>, };

/**
 * ENDPOINT.
 */
export type MatrixEndpoint = { 
/**
 * Endpoint id.
 */
id: string, 
/**
 * `Pod`, the workload kind, or `External`.
 */
kind: "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Job" | "CronJob" | "Representative" | "External", 
/**
 * Namespace (null for an external class).
 */
namespace: string | null, 
/**
 * Name (null for an external class).
 */
name: string | null, 
/**
 * A pod's IPs.
 */
ips: Array<string>, 
/**
 * An external class's CIDRs.
 */
cidrs?: Array<string>, 
/**
 * The labels a representative endpoint stands for.
 */
labels?: { [key in string]?: string }, 
/**
 * The member pods of a group of one controller's pods.
 */
pods?: Array<string>, };

/**
 * CONNECTION.
 */
export type Connection = { 
/**
 * Source id.
 */
from: string, 
/**
 * Destination id.
 */
to: string, 
/**
 * Per protocol, inclusive port ranges.
 */
allowed: Array<Allowed>, };

/**
 * A pair with uncertain ports.
 */
export type UncertainConnection = { 
/**
 * Source id.
 */
from: string, 
/**
 * Destination id.
 */
to: string, 
/**
 * Per protocol, the inclusive port ranges whose verdict is uncertain.
 */
ports: Array<Allowed>, };

/**
 * One protocol's ports.
 */
export type Allowed = { 
/**
 * `TCP`, `UDP` or `SCTP`.
 */
protocol: Protocol, 
/**
 * Inclusive ranges.
 */
ports: Array<[number, number]>, };

/**
 * Which port the heatmap's states are about (every port when none is given).
 */
export type HeatmapView = { 
/**
 * Only this port: a pair is `all` for a protocol allowing it, else `none`.
 */
port?: number, };

/**
 * The heatmap answer (`workspace.heatmap(view)`).
 */
export type HeatmapAnswer = { 
/**
 * The endpoints of the matrix view, in matrix order.
 */
endpoints: Array<HeatmapEndpoint>, 
/**
 * Every shown pair with something allowed, except pairs of two classes
 * outside the cluster (no policy applies between them).
 */
pairs: Array<HeatmapPair>, };

/**
 * An endpoint of the heatmap.
 */
export type HeatmapEndpoint = { 
/**
 * For a class of addresses outside the cluster, one address in it (what a
 * query names); absent for pods and workloads.
 */
address?: string, 
/**
 * Endpoint id.
 */
id: string, 
/**
 * `Pod`, the workload kind, or `External`.
 */
kind: "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Job" | "CronJob" | "Representative" | "External", 
/**
 * Namespace (null for an external class).
 */
namespace: string | null, 
/**
 * Name (null for an external class).
 */
name: string | null, 
/**
 * A pod's IPs.
 */
ips: Array<string>, 
/**
 * An external class's CIDRs.
 */
cidrs?: Array<string>, 
/**
 * The labels a representative endpoint stands for.
 */
labels?: { [key in string]?: string }, 
/**
 * The member pods of a group of one controller's pods.
 */
pods?: Array<string>, };

/**
 * One pair with something allowed (pairs left out allow nothing).
 */
export type HeatmapPair = { 
/**
 * The source's id.
 */
from: string, 
/**
 * The destination's id.
 */
to: string, 
/**
 * The states under the filter.
 */
states: CellStates, 
/**
 * What is allowed (whatever the filter), per protocol.
 */
ports: Array<PortsText>, };

/**
 * A pair's state for any protocol and for each one.
 */
export type CellStates = { 
/**
 * Over TCP, UDP and SCTP together: `all` only when each is `all`, `none` only
 * when each is `none`.
 */
any: CellState, 
/**
 * TCP alone.
 */
TCP: CellState, 
/**
 * UDP alone.
 */
UDP: CellState, 
/**
 * SCTP alone.
 */
SCTP: CellState, };

/**
 * What a pair allows under the filter, for one protocol or for all of them.
 */
export type CellState = "all" | "some" | "none";

/**
 * One protocol's allowed ports, as text.
 */
export type PortsText = { 
/**
 * `TCP`, `UDP` or `SCTP`.
 */
protocol: Protocol, 
/**
 * `80, 8080-8090`, or `all ports`.
 */
text: string, 
/**
 * The lowest port allowed (the port a query about the pair asks first).
 */
first: number, };

/**
 * The query document.
 */
export type QueryAnswer = { 
/**
 * Tool version.
 */
version: string, 
/**
 * Source id.
 */
from: string, 
/**
 * Destination id.
 */
to: string, 
/**
 * Port number.
 */
port: number, 
/**
 * Port name, when the query named one.
 */
portName?: string, 
/**
 * Protocol.
 */
protocol: Protocol, 
/**
 * The verdict.
 */
allowed: boolean, 
/**
 * Why.
 */
reason: string, 
/**
 * An endpoint talking to itself.
 */
selfTraffic: boolean, 
/**
 * The IP family explained, when addresses took part.
 */
family?: "IPv4" | "IPv6", 
/**
 * The source's egress.
 */
egress: SideExplanation, 
/**
 * The destination's ingress.
 */
ingress: SideExplanation, 
/**
 * Present (`true`) when a side is a representative endpoint.
 */
representative?: boolean, 
/**
 * Present when the answer depends on DNS or on an undefined order (`allowed` is
 * then `false`).
 */
uncertain?: Uncertainty, };

/**
 * One side of a query.
 */
export type SideExplanation = { 
/**
 * Whether a policy isolates this side.
 */
isolated: boolean, 
/**
 * Whether this side allows the flow.
 */
allowed: boolean, 
/**
 * The isolating policies.
 */
isolatedBy: Array<PolicyRef>, 
/**
 * The rules allowing the flow.
 */
allowedBy: Array<RuleRef>, 
/**
 * The closest rules of a denied side.
 */
closest: Array<RuleRef>, 
/**
 * The cluster-wide tier rules met, in order (absent without them).
 */
tiers?: Array<TierStep>, 
/**
 * Which layer decided: `admin`, `networkPolicy`, `baseline` or `default` (absent
 * without cluster-wide policies).
 */
layer?: "admin" | "networkPolicy" | "baseline" | "default", };

/**
 * POLICYREF.
 */
export type PolicyRef = { 
/**
 * Namespace.
 */
namespace: string, 
/**
 * Name.
 */
name: string, 
/**
 * Source file.
 */
file: string, 
/**
 * 1-based line of the policy.
 */
line: number, };

/**
 * RULEREF.
 */
export type RuleRef = { 
/**
 * Namespace.
 */
namespace: string, 
/**
 * Name.
 */
name: string, 
/**
 * Source file.
 */
file: string, 
/**
 * 1-based line of `path`.
 */
line: number, 
/**
 * `spec.ingress[0].from[1]` (or the rule's path when no peer matched).
 */
path: string, 
/**
 * The matching port entry's path.
 */
portPath?: string, 
/**
 * For a closest rule, what did not match.
 */
mismatch?: string, };

/**
 * One tier rule an explanation names.
 */
export type TierStep = { 
/**
 * `admin` or `baseline`.
 */
tier: "admin" | "baseline", 
/**
 * `ClusterNetworkPolicy`, `AdminNetworkPolicy` or `BaselineAdminNetworkPolicy`.
 */
kind: string, 
/**
 * The policy's name.
 */
name: string, 
/**
 * The policy's priority.
 */
priority: bigint, 
/**
 * The rule's index in `spec.ingress` / `spec.egress`.
 */
rule: number, 
/**
 * The rule's `name`.
 */
ruleName?: string, 
/**
 * `Accept`, `Deny` or `Pass`.
 */
action: "Accept" | "Deny" | "Pass", 
/**
 * Present (`true`) when the rule matches only if DNS resolves one of its
 * `domainNames` to the address.
 */
dependsOnDns?: boolean, 
/**
 * Source file.
 */
file: string, 
/**
 * 1-based line of the rule.
 */
line: number, };

/**
 * Why a flow has no definite answer.
 */
export type Uncertainty = { 
/**
 * The answer depends on DNS.
 */
dns: boolean, 
/**
 * The answer depends on the order of equal-priority policies.
 */
order: boolean, };

/**
 * The test document.
 */
export type TestAnswer = { 
/**
 * Tool version.
 */
version: string, 
/**
 * One result per case.
 */
results: Array<TestCaseResult>, 
/**
 * Cases passed.
 */
passed: number, 
/**
 * Cases failed (the uncertain ones included).
 */
failed: number, 
/**
 * Present when some case's verdict depends on DNS or on an undefined order: how
 * many (each counts as failed).
 */
uncertain?: number, 
/**
 * Present (`true`) when some case named a representative endpoint.
 */
representative?: boolean, };

/**
 * One case's result.
 */
export type TestCaseResult = { 
/**
 * Name as written, or `case N`.
 */
name: string, 
/**
 * `from` as written.
 */
from: string, 
/**
 * `to` as written.
 */
to: string, 
/**
 * `port` as written (number or name).
 */
port: number | string, 
/**
 * Protocol.
 */
protocol: Protocol, 
/**
 * `allow` or `deny`.
 */
expect: "allow" | "deny", 
/**
 * `allow` or `deny` (absent when the case could not be evaluated).
 */
actual?: "allow" | "deny", 
/**
 * Whether actual is expect.
 */
pass: boolean, 
/**
 * The case's file.
 */
file: string, 
/**
 * The case's line.
 */
line: number, 
/**
 * Why the case could not be evaluated.
 */
error?: string, 
/**
 * The verdict's reason (when evaluated).
 */
reason?: string, 
/**
 * Present when the verdict depends on DNS or on an undefined order (as in the
 * query document): the case fails whatever it expects.
 */
uncertain?: Uncertainty, };

/**
 * The diff document.
 */
export type DiffAnswer = { 
/**
 * Tool version.
 */
version: string, 
/**
 * The union of both sides' endpoints.
 */
endpoints: Array<MatrixEndpoint>, 
/**
 * Ids of endpoints in head only.
 */
endpointsAdded: Array<string>, 
/**
 * Ids of endpoints in base only.
 */
endpointsRemoved: Array<string>, 
/**
 * What head allows and base did not.
 */
added: Array<Change>, 
/**
 * What base allowed and head does not.
 */
removed: Array<Change>, 
/**
 * Present when some ports' verdict on head depends on DNS or on the order of
 * equal-priority policies and did not on base (`allowed`: those ports).
 */
uncertain?: Array<Change>, 
/**
 * Counts.
 */
summary: DiffSummary, 
/**
 * Present (`true`) when representative endpoints stand for pods the inputs do
 * not hold.
 */
representative?: boolean, 
/**
 * The controllers (`ns/kind/name`) whose pods were left apart (only with
 * grouping).
 */
splitOwners?: Array<string>, 
/**
 * The notes the other formats print.
 */
notes?: Array<string>, };

/**
 * A CONNECTION of the diff, with its explanation.
 */
export type Change = { 
/**
 * Source id.
 */
from: string, 
/**
 * Destination id.
 */
to: string, 
/**
 * The ports gained (in `added`) or lost (in `removed`).
 */
allowed: Array<Allowed>, 
/**
 * Both sides' verdicts on a representative flow.
 */
why?: Why, };

/**
 * The explanation of one change.
 */
export type Why = { 
/**
 * The representative flow's protocol.
 */
protocol: Protocol, 
/**
 * Its port.
 */
port: number, 
/**
 * Base's verdict (`null`: an endpoint is absent in base).
 */
base: DiffVerdict | null, 
/**
 * Head's verdict.
 */
head: DiffVerdict | null, };

/**
 * One side's verdict, as in the query document.
 */
export type DiffVerdict = { 
/**
 * Whether the flow is allowed.
 */
allowed: boolean, 
/**
 * Why.
 */
reason: string, 
/**
 * The source's egress side (isolation, allowing rules, closest rules).
 */
egress: SideExplanation, 
/**
 * The destination's ingress side.
 */
ingress: SideExplanation, };

/**
 * The counts.
 */
export type DiffSummary = { 
/**
 * Connections in `added`.
 */
added: number, 
/**
 * Connections in `removed`.
 */
removed: number, 
/**
 * Endpoints in head only.
 */
endpointsAdded: number, 
/**
 * Endpoints in base only.
 */
endpointsRemoved: number, };

/**
 * Which flows to replay: the text of a flow file (Hubble's JSON export, or CSV with
 * the header `from,to,port,protocol`).
 */
export type ReplayRequest = { 
/**
 * The flow file's text.
 */
flows: string, };

/**
 * The replay JSON.
 */
export type ReplayAnswer = { 
/**
 * The version of netpol.
 */
version: string, 
/**
 * Every flow, in input order.
 */
flows: Array<ReplayFlow>, 
/**
 * The counts.
 */
summary: ReplaySummary, 
/**
 * Per observed pair, the connections allowed and never observed.
 */
unobserved: Array<Unobserved>, 
/**
 * The records that could not be read.
 */
problems: Array<FlowProblem>, };

/**
 * One replayed flow.
 */
export type ReplayFlow = { 
/**
 * 1-based position in the flow file.
 */
index: number, 
/**
 * The line the record starts on.
 */
line: number, 
/**
 * The connection's initiator (a reply is turned around).
 */
from: string, 
/**
 * The connection's server.
 */
to: string, 
/**
 * The server's port (absent when not known).
 */
port?: number, 
/**
 * `TCP`, `UDP` or `SCTP` (absent for other protocols).
 */
protocol?: Protocol, 
/**
 * What the record says happened: `forwarded`, `dropped` or `unknown`.
 */
observed: "forwarded" | "dropped" | "unknown", 
/**
 * What the policies decide: `allow`, `deny` or `uncertain`.
 */
verdict: "allow" | "deny" | "uncertain", 
/**
 * Why.
 */
reason: string, 
/**
 * How the source was mapped to the inputs (`name`, `workload`, `labels`,
 * `ip`, `outside`, `written`).
 */
fromBy?: string, 
/**
 * How the destination was mapped.
 */
toBy?: string, 
/**
 * The policies involved (`ns/name`).
 */
policies: Array<string>, 
/**
 * Whether the record was a reply.
 */
reply: boolean, };

/**
 * The counts.
 */
export type ReplaySummary = { 
/**
 * Flows allowed.
 */
allow: number, 
/**
 * Flows denied.
 */
deny: number, 
/**
 * Flows not decided.
 */
uncertain: number, 
/**
 * Flows observed as forwarded that the policies deny.
 */
wouldBreak: number, };

/**
 * Connections allowed between a pair and never observed.
 */
export type Unobserved = { 
/**
 * The initiator.
 */
from: string, 
/**
 * The server.
 */
to: string, 
/**
 * `PROTOCOL:ranges` per protocol (`TCP:1-79,81-65535`).
 */
ports: Array<string>, };

/**
 * A record that could not be read.
 */
export type FlowProblem = { 
/**
 * The line.
 */
line: number, 
/**
 * What is wrong.
 */
message: string, };

/**
 * What to synthesize from: the flows of a flow file (those observed as
 * forwarded), and/or the `allow`/`deny` cases of the ConnectivityTests.
 */
export type SynthesizeRequest = { 
/**
 * A flow file's text (Hubble's JSON export, or CSV).
 */
flows?: string, 
/**
 * Use the ConnectivityTest cases of the workspace.
 */
tests?: boolean, 
/**
 * Emit the cluster-wide default deny and DNS allowance as one
 * ClusterNetworkPolicy in the Baseline tier instead of a `default-deny` and an
 * `allow-dns` NetworkPolicy per namespace.
 */
clusterBaseline?: boolean, };

/**
 * The synthesize JSON.
 */
export type SynthesizeAnswer = { 
/**
 * The version of netpol.
 */
version: string, 
/**
 * One YAML stream per namespace.
 */
files: Array<SynthesizedFile>, 
/**
 * The cluster-wide baseline ClusterNetworkPolicy (with `clusterBaseline`).
 */
cluster?: string, 
/**
 * The proof.
 */
proof: Proof, 
/**
 * Why nothing was written.
 */
error?: string, 
/**
 * Flows and cases left out.
 */
problems: Array<FlowProblem>, };

/**
 * The policies of one namespace.
 */
export type SynthesizedFile = { 
/**
 * The namespace.
 */
namespace: string, 
/**
 * The YAML.
 */
yaml: string, };

/**
 * The proof.
 */
export type Proof = { 
/**
 * Required flows.
 */
required: number, 
/**
 * Required flows allowed.
 */
allowed: number, 
/**
 * Forbidden flows.
 */
forbidden: number, 
/**
 * Forbidden flows denied.
 */
denied: number, 
/**
 * What the rules allow beyond the requirements.
 */
beyond: Array<Beyond>, };

/**
 * What one rule allows beyond the requirements.
 */
export type Beyond = { 
/**
 * The policy, `ns/name`.
 */
policy: string, 
/**
 * The rule, `spec.ingress[0]`.
 */
rule: string, 
/**
 * Its ports, `TCP/8080`.
 */
ports: Array<string>, 
/**
 * Pairs allowed that no requirement names.
 */
pairs: number, 
/**
 * Whether `pairs` is exact (false: a lower bound).
 */
exact: boolean, 
/**
 * One of them.
 */
example: string, 
/**
 * Why.
 */
reason: string, };

/**
 * The documentation of one rule id.
 */
export type RuleDoc = { 
/**
 * Stable kebab-case id.
 */
id: string, 
/**
 * Severity when the configuration does not change it.
 */
severity: Severity, 
/**
 * Validation or best practice.
 */
category: Category, 
/**
 * What the rule needs to see.
 */
scope: Scope, 
/**
 * One line: what the rule flags.
 */
summary: string, 
/**
 * Why it matters.
 */
rationale: string, 
/**
 * A manifest (YAML) that fires the rule.
 */
example: string, 
/**
 * How to fix it.
 */
fix: string, };

/**
 * Which family a rule belongs to.
 */
export type Category = "validation" | "best-practice";

/**
 * What a rule needs to see to decide.
 */
export type Scope = "file" | "object" | "set" | "cluster";
