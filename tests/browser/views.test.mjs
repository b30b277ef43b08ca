// Unit tests (Node, no browser) of the playground's parts that need no page: a policy
// in words (www/src/words.js), the graph's model and layout (www/src/graph.js), and the
// worker's answers (www/src/views-worker.js) on the Node build of the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  directionPeers, isolates, peerText, podsText, portsText, selectorTerms,
} from '../../www/src/words.js';
import { diffGraph, layout, matrixGraph, NODE_LIMIT } from '../../www/src/graph.js';
import { indexHeatmap } from '../../www/src/heatmap.js';
import { compare, picture, policiesOf, selecting } from '../../www/src/views-worker.js';
import { nodeApi } from './harness.mjs';

test('selectors in words: labels, every operator, the empty selector', () => {
  assert.deepEqual(selectorTerms({ matchLabels: { app: 'web' }, matchExpressions: [
    { key: 'tier', operator: 'In', values: ['a', 'b'] },
    { key: 'env', operator: 'NotIn', values: ['dev'] },
    { key: 'team', operator: 'Exists' },
    { key: 'legacy', operator: 'DoesNotExist' },
  ] }), ['app=web', 'tier in (a, b)', 'env not in (dev)', 'has team', 'no legacy']);
  assert.deepEqual(selectorTerms({}), []);
  assert.deepEqual(selectorTerms(null), []);
  assert.equal(podsText({}), 'every pod');
  assert.equal(podsText({ matchLabels: { app: 'web', tier: 'x' } }), 'pods with app=web and tier=x');
});

test('peers in words: the policy namespace, a named namespace, labelled namespaces, ipBlocks', () => {
  assert.deepEqual(peerText({ podSelector: { matchLabels: { app: 'a' } } }, 'shop'), { kind: 'pods', text: 'pods with app=a in namespace shop' });
  assert.equal(peerText({ namespaceSelector: {} }, 'shop').text, 'every pod in every namespace');
  assert.equal(peerText({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } } }, 'shop').text, 'every pod in namespace dns');
  assert.equal(peerText({ namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchLabels: { app: 'b' } } }, 'shop').text,
    'pods with app=b in namespaces with team=x');
  // The name label with another term is a label selector, not a name.
  assert.equal(peerText({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns', team: 'x' } } }, 'shop').text,
    'every pod in namespaces with kubernetes.io/metadata.name=dns and team=x');
  assert.deepEqual(peerText({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] } }, 'shop'),
    { kind: 'addresses', text: 'addresses in 10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/16' });
  assert.equal(peerText({ ipBlock: { cidr: '192.0.2.0/24' } }, 'shop').text, 'addresses in 192.0.2.0/24');
});

test('ports in words: numbers, names, ranges, protocols, none', () => {
  assert.equal(portsText([{ port: 80 }, { protocol: 'UDP', port: 53 }, { port: 8000, endPort: 8080 }, { port: 'http' }]),
    'TCP 80, UDP 53, TCP 8000-8080, TCP http');
  assert.equal(portsText([{ protocol: 'SCTP' }]), 'SCTP any port');
  assert.equal(portsText(undefined), 'any port');
  assert.equal(portsText([]), 'any port');
});

test('directions: policyTypes as written, else ingress always and egress with a rule', () => {
  assert.ok(isolates({}, 'ingress'));
  assert.ok(!isolates({}, 'egress'));
  assert.ok(isolates({ egress: [{}] }, 'egress'));
  assert.ok(!isolates({ egress: [] }, 'egress'));
  assert.ok(!isolates({ policyTypes: ['Egress'] }, 'ingress'));
  assert.ok(isolates({ policyTypes: ['Egress'] }, 'egress'));
  assert.deepEqual(directionPeers({ policyTypes: ['Egress'] }, 'ingress', 'ns'), { state: 'open', peers: [] });
  assert.deepEqual(directionPeers({ policyTypes: ['Ingress'] }, 'ingress', 'ns'), { state: 'deny', peers: [] });
  const allowed = directionPeers({ ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 80 }] }, {}] }, 'ingress', 'ns');
  assert.equal(allowed.state, 'allow');
  assert.deepEqual(allowed.peers.map((p) => [p.kind, p.ports, p.rule]), [['pods', 'TCP 80', 0], ['addresses', 'TCP 80', 0], ['anyone', 'any port', 1]]);
});

const ALL = [{ protocol: 'TCP', ports: [[1, 65535]] }, { protocol: 'UDP', ports: [[1, 65535]] }, { protocol: 'SCTP', ports: [[1, 65535]] }];

/** Pods `pod-P` in namespaces `ns-N`, each namespace with one policy: TCP 80 from and
 * to every pod and 0.0.0.0/0 (`allowEveryPair`), or nothing at all. */
function manifestsOf(namespaces, podsEach, allowEveryPair) {
  const objects = [];
  const peers = [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }];
  const rule = allowEveryPair ? [{ ports: [{ port: 80 }] }] : [];
  for (let n = 0; n < namespaces; n++) {
    for (let p = 0; p < podsEach; p++) objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${p}`, namespace: `ns-${n}` } });
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'only-80', namespace: `ns-${n}` },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: rule.map((r) => ({ ...r, from: peers })),
        egress: rule.map((r) => ({ ...r, to: peers })),
      },
    });
  }
  return objects;
}

/** The engine's heatmap of `manifestsOf(...)`, its states under `view`, indexed as the page does. */
function heatmapOf(namespaces, podsEach, allowEveryPair, view = {}) {
  const workspace = nodeApi().load(manifestsOf(namespaces, podsEach, allowEveryPair));
  try {
    return indexHeatmap(workspace.heatmap(view));
  } finally {
    workspace.free();
  }
}

test('the graph model: one node per endpoint, one edge per allowed pair, the filter applies', () => {
  const index = heatmapOf(3, 4, true);
  const model = matrixGraph(index, {});
  const outside = index.endpoints.filter((e) => e.kind === 'External' && e.id !== '0.0.0.0/0').length;
  assert.equal(model.nodes.length, 13 + outside);
  assert.equal(model.edges.length, 13 * 12, 'no self edge');
  assert.ok(model.edges.every((e) => e.cls === 's-some'));
  assert.ok(model.edges.every((e) => e.title.endsWith(': TCP 80')), 'the engine\'s port text');
  assert.equal(model.note, '');
  assert.equal(matrixGraph(heatmapOf(3, 4, true, { port: 443 }), {}).edges.length, 0, 'the port filter removes what it does not allow');
  assert.equal(matrixGraph(heatmapOf(3, 4, true, { port: 80 }), { protocol: 'UDP' }).edges.length, 0, 'so does the protocol filter');
  assert.equal(matrixGraph(index, { text: 'ns-1/' }).nodes.length, 4);
  const none = matrixGraph(heatmapOf(2, 2, false), {});
  assert.equal(none.edges.length, 0, 'the diagonal is never an edge');
});

test('past the limit the graph shows namespaces and says so', () => {
  const index = heatmapOf(6, Math.ceil(NODE_LIMIT / 6) + 1, false);
  const model = matrixGraph(index, {});
  assert.match(model.note, /one node per namespace/);
  assert.deepEqual(model.nodes.map((n) => n.id).sort(), ['ns-0/*', 'ns-1/*', 'ns-2/*', 'ns-3/*', 'ns-4/*', 'ns-5/*', 'outside the cluster']);
});

test('the layout: deterministic, one cluster per namespace, no two nodes at one place', () => {
  const index = heatmapOf(5, 30, false);
  const { nodes } = matrixGraph(index, {});
  const first = layout(nodes);
  const second = layout([...nodes].reverse());
  const sorted = (pos) => [...pos].sort(([a], [b]) => a.localeCompare(b));
  assert.deepEqual(sorted(first.pos), sorted(second.pos), 'the order of the input does not matter');
  assert.deepEqual(first.clusters.map((c) => c.name), ['ns-0', 'ns-1', 'ns-2', 'ns-3', 'ns-4', 'outside the cluster']);
  const places = new Set([...first.pos.values()].map((p) => `${Math.round(p.x)},${Math.round(p.y)}`));
  assert.equal(places.size, nodes.length);
  for (const c of first.clusters) {
    const inside = nodes.filter((n) => n.cluster === c.name).map((n) => first.pos.get(n.id));
    assert.ok(inside.every((p) => p.x > c.x && p.x < c.x + c.w && p.y > c.y && p.y < c.y + c.h), `nodes of ${c.name} inside its box`);
  }
});

test('the diff graph: one edge per change, marked added or removed', () => {
  const diff = {
    endpoints: [{ id: 'a/x', kind: 'Pod', namespace: 'a' }, { id: 'b/y', kind: 'Pod', namespace: 'b' }, { id: 'a/z', kind: 'Pod', namespace: 'a' }],
    added: [{ from: 'a/x', to: 'b/y', allowed: ALL }],
    removed: [{ from: 'b/y', to: 'a/x', allowed: [{ protocol: 'TCP', ports: [[80, 80]] }] }],
  };
  for (const change of [...diff.added, ...diff.removed]) change.ports = nodeApi().portsText(change.allowed);
  const model = diffGraph(diff);
  assert.deepEqual(model.nodes.map((n) => n.id), ['a/x', 'b/y'], 'only the endpoints a change involves');
  assert.deepEqual(model.edges.map((e) => `${e.change} ${e.from} ${e.to}`), ['added a/x b/y', 'removed b/y a/x']);
  assert.deepEqual(model.edges.map((e) => e.title.split(': ').slice(2).join(': ')), ['TCP all ports, UDP all ports, SCTP all ports', 'TCP 80']);
});

const TWO_POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}}
---
this: is: not: yaml
---
apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: web, namespace: shop}
    spec:
      podSelector: {matchLabels: {app: web}}
      ingress: [{ports: [{port: 80}]}]
`;

test('the worker reads the policies as written, with their lines; a broken document is skipped', () => {
  const policies = policiesOf(TWO_POLICIES);
  assert.deepEqual(policies.map((p) => [p.key, p.line]), [['default/deny', 1], ['shop/web', 11]]);
  assert.equal(policies[0].endLine, 5);
  assert.deepEqual(policies[1].spec.podSelector, { matchLabels: { app: 'web' } });
  assert.deepEqual(policies[1].ruleLines, { ingress: [16], egress: [] });
  assert.deepEqual(policies[0].ruleLines, { ingress: [], egress: [] });
  assert.deepEqual(policiesOf('kind: Pod\nmetadata: {name: x}\n'), []);
  assert.deepEqual(policiesOf(': : :'), []);
});

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
`;

test('the worker asks the engine which pods a policy selects, and which policies select a pod', () => {
  const api = nodeApi();
  const workspace = api.load([{ name: 'policies.yaml', text: TWO_POLICIES }, { name: 'cluster.yaml', text: PODS }]);
  try {
    const answer = picture(workspace, TWO_POLICIES, 'shop/web');
    assert.deepEqual(answer.policies.map((p) => p.key), ['default/deny', 'shop/web']);
    assert.equal(answer.policy.key, 'shop/web');
    assert.deepEqual(answer.policy.selected, ['shop/web-1']);
    assert.equal(answer.policy.candidates, 2);
    assert.equal(picture(workspace, TWO_POLICIES, 13).policy.key, 'shop/web', 'a line inside the List item chooses it');
    assert.equal(picture(workspace, TWO_POLICIES, 2).policy.key, 'default/deny');
    assert.equal(picture(workspace, '', null).policy, null);
    const web = selecting(workspace, 'shop/web-1');
    assert.deepEqual(web.ingress.map((r) => r.name), ['web']);
    assert.deepEqual(web.egress, []);
    assert.deepEqual(selecting(workspace, 'shop/db'), { ingress: [], egress: [] });
  } finally {
    workspace.free();
  }
});

test('the worker compares two versions over one cluster', () => {
  const api = nodeApi();
  const base = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n';
  const diff = compare(api.load, { base, head: '', cluster: PODS });
  assert.ok(diff.added.length > 0, 'dropping the deny adds connections');
  assert.equal(diff.removed.length, 0);
  assert.deepEqual(compare(api.load, { base, head: base, cluster: PODS }).added, []);
});

test('after an edit the worker reads only what changed, with the lines of the new text', () => {
  const first = policiesOf(TWO_POLICIES);
  const edited = TWO_POLICIES.replace('metadata: {name: deny}', 'metadata:\n  name: deny2');
  const second = policiesOf(edited);
  assert.deepEqual(second.map((p) => [p.key, p.line]), [['default/deny2', 1], ['shop/web', 12]]);
  assert.equal(second[1].spec, first[1].spec, 'the unchanged document was not read again');
  assert.match(edited.split('\n')[second[1].line - 1], /- apiVersion: networking/);
  assert.deepEqual(second[1].ruleLines.ingress, [17], 'rule lines move with their document');
});
