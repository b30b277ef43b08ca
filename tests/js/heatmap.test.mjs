// workspace.heatmap of the built package (pkg/, `make wasm`): each pair's state
// under a port, the allowed ports as text and the addresses of external classes all
// come from the engine, consistent with the matrix answer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const netpol = require('../../pkg/index.cjs');

const pod = (name) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: name } },
});
const dbIngress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'db', namespace: 'shop' },
  spec: {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }, { port: 8080, endPort: 8090 }] }],
  },
};
const webEgress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ podSelector: {} }] }, { to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 443 }] }],
  },
};
const sources = [
  { name: 'pods', object: [pod('web'), pod('db')] },
  { name: 'db.yaml', object: dbIngress },
  { name: 'web.yaml', object: webEgress },
];

const pairOf = (answer, from, to) => answer.pairs.find((p) => p.from === from && p.to === to);

test('states follow the port per protocol; every pair is a matrix connection', () => {
  const workspace = netpol.load(sources);
  const heatmap = workspace.heatmap();
  assert.equal(heatmap.ok, true);
  const matrix = workspace.matrix();
  assert.deepEqual(heatmap.endpoints.map((e) => e.id), matrix.endpoints.map((e) => e.id));
  const connected = new Set(matrix.connections.map((c) => `${c.from}\n${c.to}`));
  for (const pair of heatmap.pairs) assert.ok(connected.has(`${pair.from}\n${pair.to}`), `${pair.from} → ${pair.to}`);

  assert.deepEqual(pairOf(heatmap, 'shop/web', 'shop/db').states, { any: 'some', TCP: 'some', UDP: 'none', SCTP: 'none' });
  assert.equal(pairOf(heatmap, 'shop/db', 'shop/web').states.any, 'all');
  assert.deepEqual(pairOf(workspace.heatmap({ port: 5432 }), 'shop/web', 'shop/db').states, { any: 'some', TCP: 'all', UDP: 'none', SCTP: 'none' });
  assert.equal(pairOf(workspace.heatmap({ port: 5433 }), 'shop/web', 'shop/db').states.any, 'none');
  assert.deepEqual(workspace.heatmap({ port: null }), heatmap, 'a null port is every port');
  workspace.free();
});

test('ports read as people write them; external classes carry an address', () => {
  const workspace = netpol.load(sources);
  const heatmap = workspace.heatmap();
  assert.deepEqual(pairOf(heatmap, 'shop/web', 'shop/db').ports, [{ protocol: 'TCP', text: '5432, 8080-8090', first: 5432 }]);
  assert.deepEqual(pairOf(heatmap, 'shop/db', 'shop/web').ports.map((p) => p.text), ['all ports', 'all ports', 'all ports']);
  const block = heatmap.endpoints.find((e) => e.kind === 'External' && e.cidrs?.includes('198.51.100.0/24'));
  assert.equal(block.address, '198.51.100.1');
  assert.ok(heatmap.endpoints.filter((e) => e.kind === 'Pod').every((e) => e.address === undefined));
  assert.deepEqual(pairOf(heatmap, 'shop/web', block.id).ports.map((p) => p.text), ['443']);
  const outside = new Set(heatmap.endpoints.filter((e) => e.kind === 'External').map((e) => e.id));
  assert.ok(!heatmap.pairs.some((p) => outside.has(p.from) && outside.has(p.to)), 'no pair between two external classes');
  workspace.free();
});

test('an edit changes the heatmap like a fresh load', () => {
  const workspace = netpol.load(sources);
  workspace.remove('db.yaml');
  assert.deepEqual(workspace.heatmap({ port: 22 }), netpol.load([sources[0], sources[2]]).heatmap({ port: 22 }));
  assert.equal(pairOf(workspace.heatmap(), 'shop/web', 'shop/db').states.any, 'all');
  workspace.free();
});

test('misuse throws TypeError', () => {
  const workspace = netpol.load(sources);
  for (const bad of [{ port: 0 }, { port: 70000 }, { port: '80' }, { protocol: 'TCP' }, 'port']) {
    assert.throws(() => workspace.heatmap(bad), TypeError, JSON.stringify(bad));
  }
  workspace.free();
  assert.throws(() => workspace.heatmap(), TypeError);
});

test('portsText writes an answer\'s allowed list as the heatmap does', () => {
  const workspace = netpol.load(sources);
  const matrix = workspace.matrix();
  const heatmap = workspace.heatmap();
  for (const c of matrix.connections) {
    const pair = pairOf(heatmap, c.from, c.to);
    if (pair) assert.deepEqual(netpol.portsText(c.allowed), pair.ports, `${c.from} → ${c.to}`);
  }
  workspace.free();
  assert.deepEqual(netpol.portsText([{ protocol: 'UDP', ports: [[53, 53]] }]), [{ protocol: 'UDP', text: '53', first: 53 }]);
  assert.deepEqual(netpol.portsText([]), []);
  for (const bad of [{}, [{ protocol: 'ICMP', ports: [] }], [{ protocol: 'TCP', ports: [80] }]]) {
    assert.throws(() => netpol.portsText(bad), TypeError, JSON.stringify(bad));
  }
});
