// The workspace of the built package (pkg/, `make wasm`): load once, every method,
// texts and objects as input, edits, and misuse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

import { fixture } from './helpers.mjs';

const require = createRequire(import.meta.url);
const netpol = require('../../pkg/index.cjs');

const shop = ['namespaces.yaml', 'workloads.yaml', 'policies.yaml', 'sub/tests.yml'].map((file) => ({
  name: `shop/${file}`,
  text: fixture(`shop/${file}`),
}));

const pod = (name, ip) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: name } },
  status: { podIP: ip },
});
const denyIngress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny', namespace: 'shop' },
  spec: { podSelector: {}, policyTypes: ['Ingress'] },
};
const flow = { from: 'shop/web', to: 'shop/api', port: 8080 };

/** The answers that must not depend on how the workspace got its sources. */
function answers(workspace) {
  return {
    lint: workspace.lint(),
    matrix: workspace.matrix(),
    query: workspace.query(flow),
    test: workspace.test(),
    endpoints: workspace.endpoints(),
  };
}

test('a loaded workspace answers like the one-shot functions', () => {
  const workspace = netpol.load(shop);
  try {
    assert.deepEqual(workspace.lint(), netpol.lint(shop));
    assert.deepEqual(workspace.matrix(), netpol.matrix(shop));
    assert.deepEqual(workspace.test(), netpol.testConnectivity(shop));
    const endpoints = workspace.endpoints();
    assert.deepEqual(endpoints, netpol.matrix(shop).endpoints);
    const [from, to] = endpoints.filter((e) => e.kind !== 'External').map((e) => e.id);
    const asked = { from, to, port: 80 };
    assert.deepEqual(workspace.query(asked), netpol.query(shop, asked));
  } finally {
    workspace.free();
  }
});

test('objects are input too: findings carry path and resource, line 0', () => {
  const bad = structuredClone(denyIngress);
  bad.spec.ingress = [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }];
  delete bad.spec.policyTypes;
  for (const input of [bad, [bad], [{ name: 'bad', object: bad }], { kind: 'List', apiVersion: 'v1', items: [bad] }]) {
    const workspace = netpol.load(input);
    const result = workspace.lint();
    workspace.free();
    assert.equal(result.ok, true);
    const finding = result.findings.find((f) => f.ruleId === 'invalid-cidr');
    assert.ok(finding, JSON.stringify(result.findings));
    assert.equal(finding.line, 0);
    assert.equal(finding.column, 0);
    assert.equal(finding.path, 'spec.ingress[0].from[0].ipBlock.cidr');
    assert.equal(finding.resource.name, 'deny');
  }
  assert.equal(netpol.lint([bad]).findings.some((f) => f.ruleId === 'invalid-cidr'), true);
});

test('update and remove change the answers like a fresh load', () => {
  const workspace = netpol.load([pod('web', '10.0.0.1'), pod('api', '10.0.0.2')]);
  assert.equal(workspace.query(flow).allowed, true);
  workspace.update('deny.yaml', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
`);
  assert.equal(workspace.query(flow).allowed, false);
  const fresh = netpol.load([pod('web', '10.0.0.1'), pod('api', '10.0.0.2'), { name: 'deny.yaml', object: denyIngress }]);
  assert.deepEqual(workspace.matrix(), fresh.matrix());
  workspace.update('deny.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  assert.equal(workspace.query(flow).allowed, true);
  assert.equal(workspace.remove('deny.yaml'), true);
  assert.equal(workspace.remove('deny.yaml'), false);
  const again = netpol.load([pod('web', '10.0.0.1'), pod('api', '10.0.0.2')]);
  assert.deepEqual(answers(workspace), answers(again));
  for (const ws of [workspace, fresh, again]) ws.free();
});

test('texts (any UTF-8) and objects in any order; lint between edits as a fresh load', () => {
  const policy = (name, label) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop, annotations: {note: "caf\u00e9 \u{1F600}"}}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: ${label}}}}]
`;
  const sources = [
    { name: 'a.yaml', text: policy('caf\u00e9', 'web') },
    { name: 'pods', object: { kind: 'List', apiVersion: 'v1', items: [pod('web', '10.0.0.1'), pod('api', '10.0.0.2')] } },
    { name: 'b.yaml', text: policy('open', 'db') },
    { name: 'ns', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'web' } } } },
  ];
  const workspace = netpol.load(sources);
  const fresh = (list) => {
    const ws = netpol.load(list);
    const lint = ws.lint();
    ws.free();
    return lint;
  };
  assert.deepEqual(workspace.lint(), fresh(sources));
  const edited = [...sources];
  edited[2] = { name: 'b.yaml', text: policy('\u{1F600}', 'web') };
  workspace.update('b.yaml', edited[2].text);
  assert.deepEqual(workspace.lint(), fresh(edited));
  const withoutNamespace = edited.filter((s) => s.name !== 'ns');
  workspace.remove('ns');
  assert.deepEqual(workspace.lint(), fresh(withoutNamespace));
  const named = workspace.query({ from: 'shop/web', to: 'shop/api', port: 'http' });
  assert.equal(named.ok, false);
  assert.match(named.error, /named port `http`/);
  assert.equal(workspace.query({ from: 'shop/web', to: 'shop/api', port: 80, protocol: 'UDP' }).protocol, 'UDP');
  workspace.free();
});

test('matrix views filter rows, columns, namespaces and ports', () => {
  const workspace = netpol.load(shop);
  const whole = workspace.matrix();
  const [first] = whole.endpoints.filter((e) => e.kind !== 'External');
  const rows = workspace.matrix({ from: first.id, protocol: 'TCP', port: 80 });
  assert.ok(rows.connections.every((c) => c.from === first.id));
  assert.ok(rows.connections.every((c) => c.allowed.every((a) => a.protocol === 'TCP')));
  const none = workspace.matrix({ namespace: ['no-such-namespace'] });
  assert.ok(none.endpoints.every((e) => e.kind === 'External'));
  const unknown = workspace.matrix({ to: 'shop/nobody' });
  assert.equal(unknown.ok, false);
  assert.match(unknown.error, /shop\/nobody/);
  workspace.free();
});

test('diff compares two workspaces', () => {
  const base = netpol.load([pod('web', '10.0.0.1'), pod('api', '10.0.0.2')]);
  const head = netpol.load([pod('web', '10.0.0.1'), pod('api', '10.0.0.2'), denyIngress]);
  const result = base.diff(head, { failOn: 'removed' });
  assert.equal(result.ok, true);
  assert.ok(result.removed.length > 0);
  assert.equal(result.added.length, 0);
  assert.equal(result.fails, true);
  assert.equal(base.diff(head).fails, false);
  assert.equal(base.diff(base, { failOn: 'any' }).fails, false);
  assert.throws(() => base.diff(head, { group: 'controller' }), TypeError);
  base.free();
  head.free();
});

test('diff and matrix group the pods of one controller on request', () => {
  const replica = (name, ip) => ({
    ...pod(name, ip),
    metadata: {
      name,
      namespace: 'shop',
      labels: { app: 'web', 'pod-template-hash': '5d8f' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: 'u1', controller: true }],
    },
  });
  const pods = [replica('web-5d8f-a', '10.0.0.1'), replica('web-5d8f-b', '10.0.0.3'), pod('api', '10.0.0.2')];
  // Only api's ingress changes, so the diff says the same of both web pods.
  const denyApi = { ...denyIngress, spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] } };
  const base = netpol.load(pods);
  const head = netpol.load([...pods, denyApi]);
  const perPod = base.diff(head);
  const grouped = base.diff(head, { group: 'owner' });
  const ids = (answer) => answer.endpoints.map((e) => e.id);
  assert.ok(ids(perPod).includes('shop/web-5d8f-a'));
  assert.ok(ids(grouped).includes('shop/deployment/web'), JSON.stringify(ids(grouped)));
  const group = grouped.endpoints.find((e) => e.id === 'shop/deployment/web');
  assert.deepEqual(group.pods, ['shop/web-5d8f-a', 'shop/web-5d8f-b']);
  assert.ok(grouped.removed.length < perPod.removed.length);
  const matrixIds = base.matrix({ group: 'owner' }).endpoints.map((e) => e.id);
  assert.ok(matrixIds.includes('shop/deployment/web'), JSON.stringify(matrixIds));
  assert.ok(base.matrix().endpoints.some((e) => e.id === 'shop/web-5d8f-a'), 'json views default to one endpoint per pod');
  assert.throws(() => base.matrix({ group: 'replicas' }), TypeError);
  base.free();
  head.free();
});

test('a configuration applies to every lint; a bad one throws', () => {
  const plain = netpol.load(shop);
  const someRule = plain.lint().findings.find((f) => f.severity !== 'error')?.ruleId;
  assert.ok(someRule);
  const configured = netpol.load(shop, { config: { rules: { [someRule]: 'off' } } });
  assert.ok(!configured.lint().findings.some((f) => f.ruleId === someRule));
  assert.ok(!plain.lint({ rules: { [someRule]: 'off' } }).findings.some((f) => f.ruleId === someRule));
  assert.equal(plain.lint({ rules: { 'no-such-rule': 'off' } }).ok, false);
  assert.throws(() => netpol.load(shop, { config: { nonsense: true } }), /options\.config/);
  plain.free();
  configured.free();
});

test('misuse and a freed workspace throw TypeError', () => {
  const workspace = netpol.load('');
  const cases = [
    () => netpol.load(42),
    () => netpol.load([42]),
    () => netpol.load('', { cni: 7, colour: 1 }),
    () => workspace.lint({ colour: true }),
    () => workspace.matrix({ port: 'http' }),
    () => workspace.matrix({ namespace: 'shop' }),
    () => workspace.query({ from: 'a/b', port: 80 }),
    () => workspace.query({ from: 'a/b', to: 'a/c', port: 0 }),
    () => workspace.diff({}),
    () => workspace.update('', 'x'),
    () => workspace.update('a.yaml', 42),
    () => workspace.remove(1),
  ];
  cases.forEach((call, i) => assert.throws(call, TypeError, `case ${i}: ${call}`));
  workspace[Symbol.dispose]();
  for (const call of [() => workspace.lint(), () => workspace.update('a', ''), () => workspace.endpoints()]) {
    assert.throws(call, /freed/);
  }
  workspace.free();
});

test('load takes the data plane: the rules follow options.cni', () => {
  const text = readFileSync(new URL('../data/cni/cluster-deny.yaml', import.meta.url), 'utf8');
  const portability = (workspace) =>
    workspace.lint().findings.filter((f) => f.ruleId === 'cni-portability').map((f) => f.message);
  assert.deepEqual(portability(netpol.load(text)), []);
  const cilium = portability(netpol.load(text, { cni: 'cilium' }));
  assert.ok(cilium.some((m) => m.includes('is not enforced')), cilium.join('\n'));
  // The option wins over the configuration's own cni.
  assert.deepEqual(portability(netpol.load(text, { cni: 'generic', config: { cni: 'cilium' } })), []);
  assert.throws(() => netpol.load(text, { cni: 'flannel' }), TypeError);
  assert.throws(() => netpol.load(text, { cni: 'cilium', config: 'failOn: error\n' }), TypeError);
});

test('the verdicts follow options.cni too: matrix and query', () => {
  const text = readFileSync(new URL('../data/cni/profile-facts.yaml', import.meta.url), 'utf8');
  const flow = { from: 'app/client', to: 'app/server', port: 80 };
  assert.equal(netpol.load(text).query(flow).allowed, true);
  // Cilium matches no pod address by ipBlock.
  const cilium = netpol.load(text, { cni: 'cilium' });
  const verdict = cilium.query(flow);
  assert.equal(verdict.allowed, false);
  assert.ok(verdict.ingress.closest.some((r) => (r.mismatch ?? '').includes('`cilium`')), JSON.stringify(verdict));
  const cell = (workspace) =>
    workspace.matrix().connections.find((c) => c.from === 'app/client' && c.to === 'app/server');
  assert.ok(cell(netpol.load(text)).allowed.some((a) => a.protocol === 'TCP' && a.ports.some(([lo, hi]) => lo <= 80 && 80 <= hi)));
  assert.ok(!cell(cilium).allowed.some((a) => a.protocol === 'TCP' && a.ports.some(([lo, hi]) => lo <= 80 && 80 <= hi)));
});
