// A typed use of every function of the package: `tsc --noEmit` proves the
// declarations describe what the functions take and return (and reject misuse).

import netpol, { load, lint, matrix, query, testConnectivity, diff, validateAdmission, format, rules, version, portsText } from 'netpol';
import type {
  Finding, LintResult, Failure, MatrixResult, MatrixEndpoint, QueryResult, TestResult, DiffResult, AdmissionResponse,
  Workspace, Allowed, Change, Connection, DiffVerdict, Flow, Level, LintRequest, MatrixView, Port, Protocol,
  Resource, RuleDoc, RuleRef, Severity, SideExplanation, Summary, TestCaseResult, Why,
  HeatmapResult, CellState, PortsText,
} from 'netpol';
import init, * as web from 'netpol/web';

const sources = [{ name: 'k8s/policy.yaml', text: 'kind: NetworkPolicy\n' }];

const linted: LintResult | Failure = lint(sources, {
  config: { podCIDRs: ['10.244.0.0/16'], rules: { 'missing-namespace': 'off' } },
  rules: { 'allow-all-ingress': 'warning' },
  failOn: 'warning',
});
if (linted.ok) {
  const first: Finding | undefined = linted.findings[0];
  const editorColumn: number | undefined = first?.utf16Column;
  const resourceName: string | undefined = first?.resource?.name;
  const errors: number = linted.summary.error;
  const notEvaluated: boolean = linted.summary.skipped.some((s) => s.unsupportedPolicy);
  const fails: boolean = linted.fails;
  const sarif: string = format(linted, 'sarif');
  void [editorColumn, resourceName, errors, notEvaluated, fails, sarif];
} else {
  const message: string = linted.error;
  void message;
}

const m = matrix('kind: Pod\n');
if (m.ok) {
  const m2: MatrixResult = m;
  const ports: Array<[number, number]> | undefined = m2.connections[0]?.allowed[0]?.ports;
  const csv: string = format(m2, 'csv');
  void [ports, csv];
}

const q = query(sources, { from: 'shop/web', to: 'shop/api', port: 'http', protocol: 'TCP' });
if (q.ok) {
  const q2: QueryResult = q;
  const allowed: boolean = q2.allowed;
  const by: string | undefined = q2.ingress.allowedBy[0]?.path;
  void [allowed, by];
}

const t = testConnectivity(sources);
if (t.ok) {
  const t2: TestResult = t;
  const junit: string = format(t2, 'junit');
  const failed: number = t2.failed;
  void [junit, failed];
}

const ids: string[] = rules().rules.map((r) => r.id);
const ruleDoc: RuleDoc | undefined = rules().rules[0];
const ruleKind: ['validation' | 'best-practice', 'file' | 'object' | 'set' | 'cluster', Severity] | undefined =
  ruleDoc && [ruleDoc.category, ruleDoc.scope, ruleDoc.severity];
void ruleKind;
const v: string = version();
const same: typeof lint = netpol.lint;
void [ids, v, same];

async function browser(): Promise<void> {
  const api = await init({ module_or_path: new URL('https://example.test/netpol_bg.wasm') });
  const r = api.lint('kind: NetworkPolicy\n');
  const r2 = web.lint([{ name: 'a.yaml', text: '' }]);
  void [r, r2];
}
void browser;

// diff and admission:
const changed: DiffResult | Failure = diff(sources, sources, { failOn: 'added' });
if (changed.ok) {
  const opened: number = changed.summary.added;
  const gate: boolean = changed.fails;
  const md: string = format(changed, 'md');
  void [opened, gate, md, changed.added[0]?.allowed[0]?.ports];
}
const reviewed = validateAdmission({ request: { uid: 'u', object: {} } }, { failOn: 'warning' });
if (!('error' in reviewed)) {
  const response: AdmissionResponse = reviewed.response;
  const allowed: boolean = response.allowed;
  void [allowed, response.warnings];
}

// The generated answer shapes, field by field (a missing or misnamed field fails).
function answers(l: LintResult, m2: MatrixResult, q2: QueryResult, t2: TestResult, d: DiffResult): void {
  const finding: Finding | undefined = l.findings[0];
  if (finding) {
    const place: [string, number, number, number, number, number, number] = [
      finding.file, finding.line, finding.column, finding.endLine, finding.endColumn, finding.utf16Column, finding.utf16EndColumn,
    ];
    const what: [string, string, string, string, string] = [finding.ruleId, finding.severity, finding.message, finding.help, finding.path];
    const resource: Resource | null = finding.resource;
    const ns: string | null | undefined = resource?.namespace;
    void [place, what, ns, resource?.apiVersion, resource?.kind];
  }
  const counts: Summary = l.summary;
  const total: number = counts.error + counts.warning + counts.info + counts.suppressed + counts.files + counts.objects;
  const endpoint: MatrixEndpoint | undefined = m2.endpoints[0];
  const kind: 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'ReplicationController' | 'Job' | 'CronJob' | 'Representative' | 'External' | undefined = endpoint?.kind;
  const labels: { [key in string]?: string } | undefined = endpoint?.labels;
  const members: string[] | undefined = endpoint?.pods;
  const skipped: number = l.summary.skipped.reduce((sum, s) => sum + s.count, 0);
  const cidrs: string[] | undefined = endpoint?.cidrs;
  const ips: string[] | undefined = endpoint?.ips;
  const name: string | null | undefined = endpoint?.name;
  const connection: Connection | undefined = m2.connections[0];
  const allowed: Allowed | undefined = connection?.allowed[0];
  const protocol: Protocol | undefined = allowed?.protocol;
  const side: SideExplanation = q2.egress;
  const rule: RuleRef | undefined = side.closest[0];
  const ruleWhere: [string, string, string, number, string] | undefined = rule && [rule.namespace, rule.name, rule.file, rule.line, rule.path];
  const why: [string | undefined, string | undefined] = [rule?.mismatch, rule?.portPath];
  const verdict: [boolean, boolean, boolean, string, number] = [side.isolated, side.allowed, q2.selfTraffic, q2.reason, q2.port];
  const family: 'IPv4' | 'IPv6' | undefined = q2.family;
  const portName: string | undefined = q2.portName;
  const isolatedBy: string | undefined = side.isolatedBy[0]?.name;
  const testCase: TestCaseResult | undefined = t2.results[0];
  const expected: 'allow' | 'deny' | undefined = testCase?.expect;
  const actual: 'allow' | 'deny' | undefined = testCase?.actual;
  const casePort: Port | undefined = testCase?.port;
  const caseError: string | undefined = testCase?.error;
  const passed: number = t2.passed;
  const change: Change | undefined = d.added[0] ?? d.removed[0];
  const changeWhy: Why | undefined = change?.why;
  const base: DiffVerdict | null | undefined = changeWhy?.base;
  const headReason: string | undefined = changeWhy?.head?.reason;
  const diffCounts: number = d.summary.added + d.summary.removed + d.summary.endpointsAdded + d.summary.endpointsRemoved;
  const newIds: string[] = [...d.endpointsAdded, ...d.endpointsRemoved];
  void [total, kind, labels, members, skipped, cidrs, ips, name, protocol, ruleWhere, why, verdict, family, portName, isolatedBy, expected, actual,
    casePort, caseError, passed, base?.allowed, headReason, diffCounts, newIds, d.endpoints, l.version, m2.version];
}
void answers;

// The generated request shapes.
const levels: Level[] = ['off', 'info', 'warning', 'error'];
const lintRequest: LintRequest = { rules: { 'allow-all-ingress': 'off' }, failOn: 'none' };
const view: MatrixView = { to: '10.0.0.1', protocol: 'SCTP' };
const flow: Flow = { from: 'shop/web', to: 'shop/api', port: 8080 };
void [levels, lintRequest, view, flow];

// Misuse the declarations reject:
// @ts-expect-error the query answer has no `ports`
if (q.ok) void q.ports;
// @ts-expect-error not a protocol
const badView: MatrixView = { protocol: 'ICMP' };
// @ts-expect-error a finding's severity is error, warning or info
const badFinding: Finding['severity'] = 'fatal';
void [badView, badFinding];
// @ts-expect-error diff fails on added, removed or any
diff(sources, sources, { failOn: 'error' });
// @ts-expect-error not a diff format
if (changed.ok) format(changed, 'sarif');
// @ts-expect-error sources must be a string or {name, text}[]
lint(42);
// @ts-expect-error a flow needs `to`
query(sources, { from: 'a/b', port: 80 });
// @ts-expect-error not a lint format
if (linted.ok) format(linted, 'csv');
// @ts-expect-error unknown level
lint(sources, { rules: { x: 'fatal' } });

// The workspace: load once, ask many questions, edit one source.
const workspace: Workspace = load(sources, { config: { rules: { 'missing-namespace': 'off' } } });
const objects: Workspace = load([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } }]);
const wsLint: LintResult | Failure = workspace.lint({ failOn: 'warning', rules: { 'missing-namespace': 'info' } });
const wsMatrix: MatrixResult | Failure = workspace.matrix({ from: 'shop/web', namespace: ['shop'], protocol: 'TCP', port: 80 });
const wsHeatmap: HeatmapResult | Failure = workspace.heatmap({ port: 5432 });
if (wsHeatmap.ok) {
  const pair = wsHeatmap.pairs[0];
  const states: CellState[] = [pair.states.any, pair.states.TCP, pair.states.UDP, pair.states.SCTP];
  const texts: string[] = pair.ports.map((p) => `${p.protocol}: ${p.text} (from ${p.first})`);
  const address: string | undefined = wsHeatmap.endpoints[0].address;
  console.log(states, texts, address, wsHeatmap.endpoints[0].id);
}
const texts: PortsText[] = portsText([{ protocol: 'TCP', ports: [[80, 80], [8080, 8090]] }]);
console.log(texts[0].text, texts[0].first, netpol.portsText([]));
// @ts-expect-error ports are ranges
portsText([{ protocol: 'TCP', ports: [80] }]);
// @ts-expect-error the heatmap's view has only a port
workspace.heatmap({ protocol: 'TCP' });
const wsQuery: QueryResult | Failure = workspace.query({ from: 'shop/web', to: '10.0.0.1', port: 53, protocol: 'UDP' });
const wsTest: TestResult | Failure = workspace.test();
const wsDiff: DiffResult = workspace.diff(objects, { failOn: 'any', group: 'owner' });
const wsEndpoints: MatrixEndpoint[] = workspace.endpoints();
workspace.update('k8s/policy.yaml', 'kind: NetworkPolicy\n');
workspace.update('pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api' } });
const removed: boolean = workspace.remove('pod');
workspace.addCluster([{ name: 'cluster.yaml', text: 'kind: Namespace\n' }]);
const wsSynthesized = workspace.synthesize({ tests: true, clusterBaseline: true });
const baselineYaml: string | undefined = wsSynthesized.ok ? wsSynthesized.cluster : undefined;
void [baselineYaml];
void [wsLint, wsMatrix, wsQuery, wsTest, wsDiff, wsEndpoints, removed];
workspace.free();
objects[Symbol.dispose]();
// @ts-expect-error update takes a name and a source
workspace.update({ name: 'a', text: '' });
// @ts-expect-error a matrix view's port is a number
workspace.matrix({ port: 'http' });
// @ts-expect-error the workspace's lint takes no configuration (load does)
workspace.lint({ config: '' });
// @ts-expect-error a flow's protocol is TCP, UDP or SCTP
workspace.query({ from: 'a/b', to: 'a/c', port: 80, protocol: 'HTTP' });
// @ts-expect-error clusterBaseline is a boolean
workspace.synthesize({ tests: true, clusterBaseline: 'yes' });
