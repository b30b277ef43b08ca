// The JavaScript API of the built package (pkg/, `make wasm`): every export, the
// result shapes, misuse, UTF-16 positions and a large input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

import { fixture } from './helpers.mjs';

const require = createRequire(import.meta.url);
const netpol = require('../../pkg/index.cjs');
const esm = await import('../../pkg/index.mjs');

const FUNCTIONS = [
  'Workspace',
  'diff',
  'format',
  'lint',
  'load',
  'matrix',
  'portsText',
  'query',
  'rules',
  'testConnectivity',
  'validateAdmission',
  'version',
];
const CRATE_VERSION = /^version = "(.*)"$/m.exec(
  readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8'),
)[1];

const shop = ['namespaces.yaml', 'workloads.yaml', 'policies.yaml', 'sub/tests.yml'].map((file) => ({
  name: `shop/${file}`,
  text: fixture(`shop/${file}`),
}));
const unicode = [{ name: 'unicode.yaml', text: fixture('unicode.yaml') }];

test('CommonJS and ES module export the same functions, and nothing else', () => {
  const names = (api) => Object.keys(api).filter((k) => k !== 'default').sort();
  assert.deepEqual(names(netpol), FUNCTIONS);
  assert.deepEqual(names(esm), FUNCTIONS);
  for (const name of FUNCTIONS) {
    assert.equal(typeof netpol[name], 'function');
    assert.equal(esm[name], netpol[name], `${name} is one function`);
  }
  assert.equal(esm.default, netpol);
});

test('version is the crate version, in every result', () => {
  assert.equal(netpol.version(), CRATE_VERSION);
  assert.equal(netpol.lint('').version, CRATE_VERSION);
  assert.equal(netpol.rules().version, CRATE_VERSION);
});

test('lint returns the documented shape with UTF-16 columns', () => {
  const result = netpol.lint(shop);
  assert.equal(result.ok, true);
  assert.deepEqual(Object.keys(result), ['ok', 'version', 'findings', 'summary', 'fails']);
  assert.deepEqual(Object.keys(result.summary), ['error', 'warning', 'info', 'suppressed', 'files', 'objects', 'skipped']);
  assert.ok(Array.isArray(result.summary.skipped));
  assert.equal(result.summary.files, 4);
  assert.ok(result.summary.objects >= 7, `objects: ${result.summary.objects}`);
  for (const finding of result.findings) {
    assert.deepEqual(Object.keys(finding), [
      'ruleId', 'severity', 'message', 'help', 'file', 'line', 'column', 'endLine',
      'endColumn', 'path', 'resource', 'utf16Column', 'utf16EndColumn',
    ]);
    assert.ok(['error', 'warning', 'info'].includes(finding.severity));
    assert.ok(shop.some((s) => s.name === finding.file) || finding.file === '');
  }
  const counted = { error: 0, warning: 0, info: 0 };
  result.findings.forEach((f) => (counted[f.severity] += 1));
  assert.deepEqual(counted, {
    error: result.summary.error,
    warning: result.summary.warning,
    info: result.summary.info,
  });
  assert.equal(result.fails, result.summary.error > 0);
});

test('mistakes in the manifests are findings, never exceptions', () => {
  const broken = netpol.lint([{ name: 'broken.yaml', text: 'kind: [NetworkPolicy\n  :::\n' }]);
  assert.equal(broken.ok, true);
  assert.ok(broken.findings.some((f) => f.ruleId === 'yaml-syntax' && f.file === 'broken.yaml' && f.line > 0));
  assert.equal(broken.fails, true);
  for (const text of ['', '\u0000\u0001', '{"kind": "NetworkPolicy"', '- - - -', '\uFEFFkind: List\nitems: 7\n']) {
    const result = netpol.lint(text);
    assert.equal(result.ok, true, JSON.stringify(text));
    assert.ok(Array.isArray(result.findings));
  }
  const empty = netpol.lint('');
  assert.deepEqual(empty.findings, []);
  assert.equal(empty.fails, false);
});

test('a string is one source named "-", like standard input', () => {
  const result = netpol.lint(fixture('unicode.yaml'));
  assert.ok(result.findings.length > 0);
  assert.ok(result.findings.every((f) => f.file === '-'));
  assert.equal(result.summary.files, 1);
});

test('UTF-16 columns count code units; columns count characters', () => {
  const result = netpol.lint(unicode);
  const lines = unicode[0].text.split('\n');
  const utf16 = (line, column) => [...lines[line - 1]].slice(0, column - 1).join('').length + 1;
  let differs = 0;
  for (const f of result.findings.filter((f) => f.line > 0)) {
    assert.equal(f.utf16Column, utf16(f.line, f.column), `start of ${f.ruleId}`);
    assert.equal(f.utf16EndColumn, utf16(f.endLine, f.endColumn), `end of ${f.ruleId}`);
    if (f.utf16Column !== f.column || f.utf16EndColumn !== f.endColumn) {
      differs += 1;
    }
  }
  assert.ok(differs > 0, 'some finding lies after an emoji: its UTF-16 columns differ');
  // The text an editor would underline is the text the finding names.
  const onLine5 = result.findings.find((f) => f.line === 5 && f.utf16Column > f.column);
  assert.ok(onLine5, 'a finding after the emoji label on line 5');
});

test('lint options: rules, failOn and config', () => {
  const base = netpol.lint(shop);
  const someRule = base.findings.find((f) => f.severity !== 'error')?.ruleId;
  assert.ok(someRule, 'the fixture has a non-error finding');
  const off = netpol.lint(shop, { rules: { [someRule]: 'off' } });
  assert.ok(!off.findings.some((f) => f.ruleId === someRule));
  const raised = netpol.lint(shop, { rules: { [someRule]: 'error' }, failOn: 'error' });
  assert.ok(raised.findings.filter((f) => f.ruleId === someRule).every((f) => f.severity === 'error'));
  assert.equal(raised.fails, true);
  assert.equal(netpol.lint(shop, { failOn: 'none' }).fails, false);
  const configured = netpol.lint(shop, { config: { rules: { [someRule]: 'off' } } });
  assert.deepEqual(configured.findings, off.findings);
  const yamlText = netpol.lint(shop, { config: `rules:\n  ${someRule}: off\n` });
  assert.deepEqual(yamlText.findings, off.findings);
});

test('an invalid configuration or rule id is a failure result, not an exception', () => {
  const bad = netpol.lint(shop, { config: { nonsense: true } });
  assert.equal(bad.ok, false);
  assert.equal(bad.version, CRATE_VERSION);
  assert.match(bad.error, /options\.config/);
  assert.match(bad.details, /nonsense/);
  const unknownRule = netpol.lint(shop, { rules: { 'no-such-rule': 'off' } });
  assert.equal(unknownRule.ok, false);
  assert.match(unknownRule.error, /no-such-rule/);
});

test('misuse of the API throws a TypeError', () => {
  const cases = [
    () => netpol.lint(42),
    () => netpol.lint(null),
    () => netpol.lint(['kind: Pod']),
    () => netpol.lint([{ name: 'a.yaml' }]),
    () => netpol.lint([{ name: 'a.yaml', text: '' }, { name: 'a.yaml', text: '' }]),
    () => netpol.lint([{ name: '', text: '' }]),
    () => netpol.lint('', 'json'),
    () => netpol.lint('', { colour: true }),
    () => netpol.lint('', { rules: { x: 'fatal' } }),
    () => netpol.lint('', { rules: 'x=off' }),
    () => netpol.lint('', { failOn: 'sometimes' }),
    () => netpol.lint('', { config: 7 }),
    () => netpol.matrix('', { failOn: 'error' }),
    () => netpol.matrix('', { config: {} }),
    () => netpol.query(''),
    () => netpol.query('', { from: 'a/b', port: 80 }),
    () => netpol.query('', { from: 'a/b', to: 'a/c', port: 80.5 }),
    () => netpol.query('', { from: 'a/b', to: 'a/c', port: null }),
    () => netpol.query('', { from: 'a/b', to: 'a/c', port: 80, protocol: 'ICMP' }),
    () => netpol.testConnectivity({}),
    () => netpol.format({ ok: true, findings: [] }, 'sarif'),
    () => netpol.format(JSON.parse(JSON.stringify(netpol.lint(''))), 'sarif'),
    () => netpol.format(netpol.lint(''), 'csv'),
    () => netpol.format(netpol.lint(''), undefined),
  ];
  cases.forEach((call, i) => assert.throws(call, TypeError, `case ${i}: ${call}`));
  assert.throws(() => netpol.lint(42), /netpol\.lint: sources must be a string or an array/);
});

test('format renders the same run as the command line would', () => {
  const result = netpol.lint(shop);
  const json = JSON.parse(netpol.format(result, 'json'));
  const plain = result.findings.map(({ utf16Column, utf16EndColumn, ...rest }) => rest);
  assert.deepEqual(json, { version: result.version, findings: plain, summary: result.summary });
  const sarif = JSON.parse(netpol.format(result, 'sarif'));
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results.length, result.findings.length);
  const text = netpol.format(result, 'text');
  assert.match(text, /shop\/policies\.yaml:\d+:\d+/);
  assert.doesNotMatch(text, /\u001b\[/, 'no colours outside a terminal');
  for (const name of ['junit', 'policyreport', 'openreports', 'gatekeeper', 'conftest']) {
    assert.equal(typeof netpol.format(result, name), 'string');
    assert.ok(netpol.format(result, name).length > 0, name);
  }
  const configured = netpol.lint(shop, { failOn: 'none', rules: { 'missing-namespace': 'off' } });
  assert.deepEqual(JSON.parse(netpol.format(configured, 'json')).findings.length, configured.findings.length);
});

test('rules lists the catalogue', () => {
  const { rules } = netpol.rules();
  assert.ok(rules.length > 10);
  const ids = new Set(rules.map((r) => r.id));
  assert.equal(ids.size, rules.length, 'ids are unique');
  assert.ok(ids.has('yaml-syntax'));
  for (const rule of rules) {
    assert.deepEqual(Object.keys(rule), ['id', 'severity', 'category', 'scope', 'summary', 'rationale', 'example', 'fix']);
    assert.ok(['validation', 'best-practice'].includes(rule.category));
  }
  const emitted = netpol.lint(shop).findings.map((f) => f.ruleId);
  assert.ok(emitted.every((id) => ids.has(id)), 'every emitted rule is documented');
});

test('matrix returns endpoints and connections', () => {
  const result = netpol.matrix(shop);
  assert.equal(result.ok, true);
  const ids = result.endpoints.map((e) => e.id);
  assert.ok(ids.includes('shop/web') && ids.includes('shop/api'));
  assert.ok(ids.includes('monitoring/deployment/prometheus'));
  assert.ok(result.endpoints.some((e) => e.kind === 'External' && Array.isArray(e.cidrs)));
  const webToApi = result.connections.find((c) => c.from === 'shop/web' && c.to === 'shop/api');
  assert.deepEqual(webToApi.allowed, [{ protocol: 'TCP', ports: [[9090, 9090]] }]);
  assert.ok(!result.connections.some((c) => c.from === 'shop/api' && c.to === 'shop/web'));
  assert.match(netpol.format(result, 'csv'), /shop\/web/);
});

test('query explains one flow', () => {
  const allowed = netpol.query(shop, { from: 'shop/web', to: 'shop/api', port: 'grpc' });
  assert.equal(allowed.ok, true);
  assert.equal(allowed.allowed, true);
  assert.equal(allowed.port, 9090);
  assert.equal(allowed.protocol, 'TCP');
  assert.ok(allowed.ingress.allowedBy.some((r) => r.name === 'api-from-web' && r.path.startsWith('spec.ingress[0]')));
  const denied = netpol.query(shop, { from: 'shop/api', to: 'shop/web', port: 8080, protocol: 'TCP' });
  assert.equal(denied.allowed, false);
  assert.equal(denied.egress.isolated, true);
  const unknown = netpol.query(shop, { from: 'shop/nobody', to: 'shop/web', port: 80 });
  assert.equal(unknown.ok, false);
  assert.match(unknown.error, /nobody/);
  assert.match(netpol.format(allowed, 'text'), /shop\/web/);
});

test('testConnectivity runs the ConnectivityTest cases', () => {
  const result = netpol.testConnectivity(shop);
  assert.equal(result.ok, true);
  assert.equal(result.passed, 2);
  assert.equal(result.failed, 2);
  assert.deepEqual(result.results.map((r) => r.pass), [true, true, false, false]);
  assert.equal(result.results[3].name, 'case 4');
  assert.ok(result.results[3].error);
  assert.equal(result.results[0].file, 'shop/sub/tests.yml');
  assert.match(netpol.format(result, 'junit'), /<testsuite/);
});

test('a large input: 3000 policies in 300 namespaces', () => {
  const docs = [];
  for (let i = 0; i < 3000; i += 1) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: p${i}
  namespace: ns${i % 300}
  labels: {owner: "équipe-${i}"}
spec:
  podSelector: {matchLabels: {app: a${i % 7}}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: b${i % 5}}}}, {ipBlock: {cidr: 10.${i % 250}.0.0/16}}]
      ports: [{port: ${1000 + (i % 100)}, protocol: TCP}]
`);
  }
  const text = docs.join('---\n');
  assert.ok(text.length > 1_000_000);
  const started = performance.now();
  const result = netpol.lint([{ name: 'big.yaml', text }]);
  const elapsed = performance.now() - started;
  assert.equal(result.ok, true);
  assert.equal(result.summary.objects, 3000);
  assert.ok(result.findings.every((f) => f.file === 'big.yaml'));
  assert.ok(elapsed < 60_000, `lint took ${elapsed} ms`);
});

test('diff lists what head opens and closes, with the responsible rules', () => {
  const policies = shop.find((s) => s.name === 'shop/policies.yaml');
  const narrowed = shop.map((s) => (s === policies ? { ...s, text: s.text.replace(/port: (\d+)/, 'port: 1') } : s));
  assert.notEqual(narrowed.find((s) => s.name === 'shop/policies.yaml').text, policies.text, 'the fixture has a port');
  const same = netpol.diff(shop, shop);
  assert.equal(same.ok, true);
  assert.deepEqual([same.added, same.removed, same.fails], [[], [], false]);
  assert.deepEqual(Object.keys(same).slice(0, 8), [
    'ok', 'version', 'endpoints', 'endpointsAdded', 'endpointsRemoved', 'added', 'removed', 'summary',
  ]);
  const changed = netpol.diff(shop, narrowed, { failOn: 'removed' });
  assert.ok(changed.removed.length > 0, 'narrowing a port removes a connection');
  assert.equal(changed.summary.removed, changed.removed.length);
  assert.equal(changed.fails, true);
  assert.equal(netpol.diff(shop, narrowed, { failOn: 'added' }).fails, changed.added.length > 0);
  const md = netpol.format(changed, 'md');
  assert.match(md, /netpol diff/);
  assert.match(md, /base\/shop\/policies\.yaml:\d+/, 'rules are named with the side\'s file and line');
  assert.throws(() => netpol.diff(shop, narrowed, { bogus: 1 }), TypeError);
  assert.throws(() => netpol.diff(shop, narrowed, { failOn: 'sometimes' }), TypeError);
  assert.throws(() => netpol.diff(shop, []), TypeError);
});

test('validateAdmission answers an AdmissionReview like a webhook', () => {
  const object = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'open', namespace: 'shop' },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] },
  };
  const review = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: { uid: 'uid-7', operation: 'CREATE', namespace: 'shop', object },
  };
  const rejected = netpol.validateAdmission(review);
  assert.equal(rejected.kind, 'AdmissionReview');
  assert.equal(rejected.response.uid, 'uid-7');
  assert.equal(rejected.response.allowed, false);
  assert.equal(rejected.response.status.code, 403);
  assert.match(rejected.response.status.message, /ipblock-allows-metadata/);
  for (const warning of rejected.response.warnings) {
    assert.ok(warning.length < 120, warning);
  }
  const admitted = netpol.validateAdmission(JSON.stringify(review), { failOn: 'none' });
  assert.equal(admitted.response.allowed, true);
  assert.ok(admitted.response.warnings.some((w) => w.includes('ipblock-allows-metadata')));
  const off = netpol.validateAdmission(review, 'rules:\n  ipblock-allows-metadata: off\n');
  assert.equal(off.response.allowed, true);
  const broken = netpol.validateAdmission('{not json');
  assert.equal(broken.response.allowed, false, 'input that cannot be read is rejected, not thrown');
  assert.throws(() => netpol.validateAdmission(42), TypeError);
  assert.throws(() => netpol.validateAdmission(review, 42), TypeError);
});
