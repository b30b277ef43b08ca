// The posture score of an input, 0-100, from the engine's lint and matrix answers.
// Defined in docs/score.md: 100 minus, per reason, min(cap, weight × count).
// Pure functions (no DOM), so the computation is tested in Node as well; the page
// runs it in the engine's worker, next to the answers it reads (one pass over the
// connections, off the page's thread).

/** The cloud metadata address whose reachability the score checks. */
export const METADATA_ADDRESS = '169.254.169.254';

/**
 * Namespaces the matrix reasons leave out, as the lint's default-deny rule does by
 * default: their control-plane and DNS pods are meant to be reachable.
 */
export const SYSTEM_NAMESPACES = ['kube-system'];

/** A pod or workload endpoint outside the system namespaces. */
function counted(e) {
  return e.kind !== 'External' && !SYSTEM_NAMESPACES.includes(e.namespace);
}

/**
 * The reasons the score counts, in the order they are listed. `lint` reasons count
 * findings of the given rules; `matrix` reasons are computed from the connections.
 */
export const REASONS = [
  { id: 'default-deny', title: 'Namespace directions without a default deny', weight: 8, cap: 40, change: 'add a policy with `podSelector: {}` and the missing policyTypes, and no rules' },
  { id: 'open-pods', title: 'Pods reachable from everywhere', weight: 4, cap: 20, change: 'isolate their ingress and allow only the sources they need' },
  { id: 'metadata', title: `Cloud metadata address ${METADATA_ADDRESS} reachable`, weight: 15, cap: 15, change: 'isolate egress, and add `except: [169.254.169.254/32]` to the ipBlocks that contain it' },
  { id: 'allow-all', title: 'Rules open to every peer', weight: 5, cap: 15, rules: ['allow-all-ingress', 'allow-all-egress', 'ipblock-anywhere'], minSeverity: 'warning', change: 'allow known peers and ranges instead' },
  { id: 'namespace-only-peer', title: 'Peers selecting whole namespaces', weight: 4, cap: 12, rules: ['peer-namespace-selector-only'], change: 'add a `podSelector` next to the `namespaceSelector`' },
  { id: 'rule-without-ports', title: 'Rules without ports', weight: 3, cap: 12, rules: ['rule-without-ports'], change: 'list the ports and protocols the rule needs' },
  { id: 'dns', title: 'Egress-isolated pods without DNS', weight: 5, cap: 10, rules: ['dns-egress-blocked'], change: 'allow egress to kube-dns on UDP and TCP port 53' },
  { id: 'errors', title: 'Other errors', weight: 5, cap: 20, change: 'fix the error the finding describes' },
];

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 };
const COUNTED_RULES = new Set(REASONS.flatMap((r) => r.rules ?? []).concat('namespace-missing-default-deny', 'ipblock-allows-metadata'));

/** A 32-bit number of a dotted IPv4 address, or null. */
export function ipv4(text) {
  const parts = String(text).split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether the IPv4 CIDR `cidr` contains the IPv4 `address`. */
export function cidrContains(cidr, address) {
  const [base, bits = '32'] = String(cidr).split('/');
  const start = ipv4(base);
  const ip = ipv4(address);
  const prefix = Number(bits);
  if (start === null || ip === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(start / size) === Math.floor(ip / size);
}

/** The endpoint of a matrix answer that stands for `address` (a pod's IP or an external class). */
export function endpointOf(matrix, address) {
  const endpoints = matrix?.endpoints ?? [];
  return (
    endpoints.find((e) => e.kind !== 'External' && (e.ips ?? []).includes(address)) ??
    endpoints.find((e) => e.kind === 'External' && (e.cidrs ?? []).some((c) => cidrContains(c, address))) ??
    null
  );
}

/** The allowed lists of a matrix answer by `from\nto`, only pairs with some port. */
export function allowedPairs(matrix) {
  const pairs = new Map();
  for (const c of matrix?.connections ?? []) {
    const allowed = (c.allowed ?? []).filter((a) => a.ports?.length);
    if (allowed.length) pairs.set(`${c.from}\n${c.to}`, allowed);
  }
  return pairs;
}

/** Whether the matrix allows `from` to reach `to` on `port` with `protocol` (any port when omitted). */
export function allows(matrix, from, to, port, protocol = 'TCP', pairs = allowedPairs(matrix)) {
  const allowed = pairs.get(`${from}\n${to}`) ?? [];
  return allowed.some((a) => a.protocol === protocol && (port === undefined || a.ports.some(([lo, hi]) => lo <= port && port <= hi)));
}

/** Where a finding points, for a link. */
function targetOf(f) {
  return f ? { file: f.file, line: f.line, column: f.utf16Column || f.column } : null;
}

/** The first finding of `rule` about namespace `ns` (the namespace's own object or one in it). */
function findingFor(findings, rule, ns, name) {
  const mine = findings.filter((f) => f.ruleId === rule);
  return (
    mine.find((f) => f.resource?.namespace === ns && (name === undefined || f.resource?.name === name)) ??
    mine.find((f) => f.resource?.kind === 'Namespace' && f.resource?.name === ns) ??
    mine.find((f) => f.message?.includes(`\`${ns}\``)) ??
    null
  );
}

/** Number of directions a `namespace-missing-default-deny` finding reports missing (1 or 2). */
export function missingDirections(finding) {
  return /ingress and egress/.test(finding.message ?? '') ? 2 : 1;
}

function lintItems(findings, reason) {
  const floor = SEVERITY_RANK[reason.minSeverity ?? 'info'];
  return findings
    .filter((f) => reason.rules.includes(f.ruleId) && (SEVERITY_RANK[f.severity] ?? 0) >= floor)
    .map((f) => ({ text: f.message, count: 1, target: targetOf(f) }));
}

function defaultDenyItems(findings) {
  return findings
    .filter((f) => f.ruleId === 'namespace-missing-default-deny')
    .map((f) => ({ text: f.message, count: missingDirections(f), target: targetOf(f) }));
}

function errorItems(findings) {
  return findings
    .filter((f) => f.severity === 'error' && !COUNTED_RULES.has(f.ruleId))
    .map((f) => ({ text: `${f.ruleId}: ${f.message}`, count: 1, target: targetOf(f) }));
}

/** For each endpoint id, how many other endpoints may connect to it on some port. */
function inboundCounts(matrix) {
  const counts = new Map();
  for (const c of matrix?.connections ?? []) {
    if (c.from !== c.to && (c.allowed ?? []).some((a) => a.ports?.length)) counts.set(c.to, (counts.get(c.to) ?? 0) + 1);
  }
  return counts;
}

/** Internal endpoints that every other endpoint (pods and external classes) may reach. */
function openPodItems(matrix, findings) {
  const endpoints = matrix?.endpoints ?? [];
  if (endpoints.length < 2) return [];
  const inbound = inboundCounts(matrix);
  return endpoints
    .filter(counted)
    .filter((to) => inbound.get(to.id) === endpoints.length - 1)
    .map((to) => ({
      text: `${to.id} accepts connections from every pod and every address`,
      count: 1,
      target: targetOf(findingFor(findings, 'workload-not-isolated', to.namespace, to.name) ?? findingFor(findings, 'namespace-missing-default-deny', to.namespace)),
    }));
}

/** One item when some pod may reach the metadata address (it counts once). */
function metadataItems(matrix, findings) {
  const metadata = endpointOf(matrix, METADATA_ADDRESS);
  if (!metadata || metadata.kind !== 'External') return [];
  const sources = new Set(
    (matrix.connections ?? []).filter((c) => c.to === metadata.id && (c.allowed ?? []).some((a) => a.ports?.length)).map((c) => c.from),
  );
  const reaching = (matrix.endpoints ?? []).filter((e) => counted(e) && sources.has(e.id));
  if (!reaching.length) return [];
  const first = reaching[0];
  const shown = reaching.slice(0, 3).map((e) => e.id).join(', ');
  const more = reaching.length > 3 ? ` and ${reaching.length - 3} more` : '';
  const finding = findings.find((f) => f.ruleId === 'ipblock-allows-metadata') ?? findingFor(findings, 'namespace-missing-default-deny', first.namespace);
  return [{ text: `${shown}${more} may connect to ${METADATA_ADDRESS}`, count: 1, target: targetOf(finding) }];
}

/**
 * The score of one analysis: `{score, reasons: [{id, title, change, weight, cap, count,
 * points, items: [{text, count, target: {file, line, column} | null}]}], empty}`.
 * `empty` is true (and the score 0) when the input has no pods, workloads or policies.
 */
export function computeScore(lint, matrix) {
  const findings = lint?.findings ?? [];
  const internal = (matrix?.endpoints ?? []).filter((e) => e.kind !== 'External');
  if (!internal.length) return { score: 0, reasons: [], empty: true };
  const itemsOf = {
    'default-deny': () => defaultDenyItems(findings),
    'open-pods': () => openPodItems(matrix, findings),
    metadata: () => metadataItems(matrix, findings),
    errors: () => errorItems(findings),
  };
  const reasons = REASONS.map((reason) => {
    const items = (itemsOf[reason.id] ?? (() => lintItems(findings, reason)))();
    const count = items.reduce((n, item) => n + item.count, 0);
    const { rules: _rules, minSeverity: _min, ...shown } = reason;
    return { ...shown, count, points: Math.min(reason.cap, reason.weight * count), items };
  }).filter((r) => r.count > 0);
  const lost = reasons.reduce((n, r) => n + r.points, 0);
  return { score: Math.max(0, 100 - lost), reasons, empty: false };
}
