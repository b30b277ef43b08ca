// Recorded flows on the workspace of the built package (pkg/, `make wasm`): replay
// and synthesize answer as the Rust API does, and misuse throws a TypeError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const netpol = require('../../pkg/index.cjs');

const repo = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const article = ['namespaces.yaml', 'workloads.yaml', 'policies.yaml', 'connectivity-test.yaml'];
const sources = (files) => files.map((file) => ({ name: file, text: repo(`examples/article/${file}`) }));
const flows = repo('tests/data/flows/article.jsonl');

test('replay answers each Hubble flow, with the counts and the unreadable lines', () => {
  const ws = netpol.load(sources(article));
  const answer = ws.replay({ flows });
  assert.equal(answer.ok, true);
  assert.deepEqual(answer.summary, { allow: 5, deny: 2, uncertain: 3, wouldBreak: 1 });
  assert.equal(answer.flows[0].fromBy, 'workload');
  assert.equal(answer.flows[3].verdict, 'deny');
  assert.deepEqual(answer.problems.map((p) => p.line), [7, 9]);
  const csv = ws.replay({ flows: 'from,to,port,protocol\nshop/frontend,shop/backend,8080,TCP\n' });
  assert.equal(csv.flows[0].verdict, 'allow');
  assert.equal(csv.summary.wouldBreak, 0);
  ws.free();
});

test('synthesize writes proved policies, or says why it cannot', () => {
  const ws = netpol.load(sources(['namespaces.yaml', 'workloads.yaml', 'connectivity-test.yaml']));
  const answer = ws.synthesize({ tests: true });
  assert.equal(answer.ok, true);
  assert.equal(answer.error, undefined);
  assert.equal(answer.proof.allowed, answer.proof.required);
  assert.equal(answer.proof.denied, answer.proof.forbidden);
  assert.deepEqual(answer.files.map((f) => f.namespace), ['identity', 'ingress-nginx', 'shop']);
  const twins = netpol.load([{ name: 'x.yaml', text: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: a1, namespace: x, labels: {app: a}}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: a2, namespace: x, labels: {app: a}}',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {app: b}}',
    'apiVersion: netpol/v1alpha1\nkind: ConnectivityTest\nmetadata: {name: t}\nspec:\n  cases:\n'
      + '    - {from: x/a1, to: x/b, port: 80, expect: allow}\n'
      + '    - {from: x/a2, to: x/b, port: 80, expect: deny}',
  ].join('\n---\n') }]);
  const refused = twins.synthesize({ tests: true });
  assert.match(refused.error, /x\/a1 and x\/a2/);
  assert.deepEqual(refused.files, []);
});

test('synthesize with clusterBaseline writes one Baseline ClusterNetworkPolicy', () => {
  const ws = netpol.load(sources(['namespaces.yaml', 'workloads.yaml', 'connectivity-test.yaml']));
  const answer = ws.synthesize({ tests: true, clusterBaseline: true });
  assert.equal(answer.error, undefined);
  assert.equal(answer.proof.allowed, answer.proof.required);
  assert.match(answer.cluster, /kind: ClusterNetworkPolicy\n/);
  assert.match(answer.cluster, /tier: Baseline/);
  assert.ok(answer.files.every((f) => !f.yaml.includes('"default-deny"')));
  assert.equal(ws.synthesize({ tests: true }).cluster, undefined);
  ws.free();
});

test('replay and synthesize reject misuse with a TypeError', () => {
  const ws = netpol.load(sources(article));
  assert.throws(() => ws.replay(), TypeError);
  assert.throws(() => ws.replay({ flows: 1 }), TypeError);
  assert.throws(() => ws.replay({ flows: '', colour: 1 }), TypeError);
  assert.throws(() => ws.synthesize({}), TypeError);
  assert.throws(() => ws.synthesize({ tests: 'yes' }), TypeError);
  assert.throws(() => ws.synthesize({ tests: true, clusterBaseline: 'yes' }), TypeError);
  ws.free();
  assert.throws(() => ws.replay({ flows }), TypeError);
});
