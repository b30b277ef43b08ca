// Unit tests (Node, no browser) of opened files sorted into the panes
// (www/src/manifests.js) and of the cluster-wide policies in words and in pictures
// (www/src/tier-words.js, www/src/picture.js, www/src/views-worker.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paneOfKind, sortFile, sortFiles } from '../../www/src/manifests.js';
import { actionOf, subjectText, tierDirection, tierOf, tierPeerText, tierPortsText } from '../../www/src/tier-words.js';
import { pictureSvg } from '../../www/src/picture.js';
import { picture, policiesOf } from '../../www/src/views-worker.js';
import { uploadSummary } from '../../www/src/upload.js';
import { nodeApi } from './harness.mjs';

test('kinds go to their pane: every policy kind to the policies, the rest to the cluster', () => {
  for (const kind of ['NetworkPolicy', 'ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ConnectivityTest']) {
    assert.equal(paneOfKind(kind), 'policies', kind);
  }
  for (const kind of ['Pod', 'Namespace', 'Deployment', 'Node', undefined]) assert.equal(paneOfKind(kind), 'cluster', String(kind));
});

test('a file keeps its documents as written; a mixed List is split into its items', () => {
  const text = '# header\nkind: Pod\nmetadata: {name: a}  # kept\n---\nkind: NetworkPolicy\nmetadata: {name: p}\n---\n# only a comment\n';
  const sorted = sortFile('f.yaml', text);
  assert.equal(sorted.problem, null);
  assert.deepEqual(sorted.cluster, ['# header\nkind: Pod\nmetadata: {name: a}  # kept']);
  assert.deepEqual(sorted.policies, ['kind: NetworkPolicy\nmetadata: {name: p}']);
  assert.deepEqual(sorted.objects, { policies: 1, cluster: 1 });

  const pods = 'kind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\n';
  assert.deepEqual(sortFile('pods.yaml', pods).cluster, [pods.trim()], 'a List of one sort stays as written');
  assert.deepEqual(sortFile('pods.yaml', pods).objects, { policies: 0, cluster: 2 });

  const mixed = sortFile('dump.json', JSON.stringify({ kind: 'List', items: [{ kind: 'Namespace', metadata: { name: 'x' } }, { kind: 'ClusterNetworkPolicy', metadata: { name: 'c' } }] }));
  assert.deepEqual(mixed.cluster, ['kind: Namespace\nmetadata:\n  name: x']);
  assert.deepEqual(mixed.policies, ['kind: ClusterNetworkPolicy\nmetadata:\n  name: c']);
  assert.equal(sortFile('empty.yaml', '').problem, null);
});

test('unreadable files are named with the reason and the line', () => {
  assert.match(sortFile('bad.yaml', 'kind: Pod\n---\nkind: Pod\nmetadata: {name: [}\n').problem, /^bad\.yaml: not YAML or JSON, line [34]: /);
  assert.equal(sortFile('list.yaml', '- a\n- b\n').problem, 'list.yaml: line 1: not a Kubernetes object (a mapping with a kind)');
  const all = sortFiles([
    { name: 'b.yaml', text: 'kind: Pod\nmetadata: {name: b}\n' },
    { name: 'bin.yaml', problem: 'not UTF-8 text' },
    { name: 'a.yaml', text: 'kind: NetworkPolicy\nmetadata: {name: a}\n' },
    { name: 'c.yaml', text: 'kind: [' },
  ]);
  assert.equal(all.read, 2);
  assert.equal(all.policies, '# a.yaml\nkind: NetworkPolicy\nmetadata: {name: a}\n');
  assert.equal(all.cluster, '# b.yaml\nkind: Pod\nmetadata: {name: b}\n');
  assert.equal(all.problems.length, 2);
  assert.equal(all.problems[0], 'bin.yaml: not UTF-8 text');
  assert.match(all.problems[1], /^c\.yaml: not YAML or JSON/);
  assert.equal(uploadSummary(all, 1), `Opened 2 files: 1 object in the policies pane, 1 object in the cluster pane. 1 file skipped (not .yaml, .yml or .json). Not opened: bin.yaml: not UTF-8 text. Not opened: ${all.problems[1]}.`);
  assert.match(uploadSummary(sortFiles([{ name: 'x.yaml', problem: 'not UTF-8 text' }]), 0), /^Nothing opened\. Not opened: x\.yaml/);
});

const CNP = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: guard
spec:
  tier: Admin
  priority: 20
  subject:
    pods:
      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: data}}
      podSelector: {matchLabels: {app: db}}
  ingress:
  - name: pass-monitoring
    action: Pass
    from: [{namespaces: {matchLabels: {team: monitoring}}}]
  - action: Deny
    from: [{namespaces: {}}]
    protocols: [{tcp: {destinationPort: {number: 5432}}}, {udp: {destinationPort: {range: {start: 53, end: 60}}}}]
`;

test('cluster-wide policies in words: tiers, subjects, peers, protocols, actions', () => {
  assert.equal(tierOf('ClusterNetworkPolicy', { tier: 'Baseline' }), 'Baseline');
  assert.equal(tierOf('AdminNetworkPolicy', {}), 'Admin');
  assert.equal(tierOf('BaselineAdminNetworkPolicy', {}), 'Baseline');
  assert.equal(subjectText({ namespaces: {} }), 'every pod in every namespace');
  assert.equal(subjectText({ pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'db' } } } }), 'pods with app=db in namespaces with team=a');
  assert.equal(tierPeerText({ networks: ['10.0.0.0/8', '::/0'] }).text, 'addresses in 10.0.0.0/8, ::/0');
  assert.equal(tierPeerText({ nodes: { matchLabels: { role: 'infra' } } }).text, 'nodes with role=infra');
  assert.equal(tierPeerText({ domainNames: ['*.example.com'] }).text, 'domains *.example.com');
  assert.equal(tierPortsText({ protocols: [{ tcp: { destinationPort: { number: 80 } } }, { destinationNamedPort: 'http' }] }), 'TCP 80, port named http');
  assert.equal(tierPortsText({ ports: [{ portNumber: { protocol: 'UDP', port: 53 } }, { portRange: { start: 1, end: 9 } }] }), 'UDP 53, TCP 1-9');
  assert.equal(tierPortsText({}), 'all traffic');
  assert.equal(actionOf({ action: 'Allow' }), 'accept');
  assert.deepEqual(tierDirection({ egress: [] }, 'egress'), { state: 'none', peers: [] });
});

test('the picture of a ClusterNetworkPolicy: its subject in the middle, its rules by action', () => {
  const [policy] = policiesOf(CNP);
  assert.equal(policy.key, 'ClusterNetworkPolicy/guard');
  assert.equal(policy.namespace, null);
  assert.deepEqual([policy.tier, policy.priority], ['Admin', 20]);
  assert.deepEqual(policy.ruleLines.ingress, [13, 16]);
  const svg = pictureSvg(policy);
  assert.match(svg, /data-policy="ClusterNetworkPolicy\/guard"/);
  assert.match(svg, />Subject</);
  assert.match(svg, />Admin tier, priority 20</);
  assert.match(svg, /pods with app=db in/);
  const peers = [...svg.matchAll(/data-testid="picture-peer" data-direction="(\w+)" data-kind="(\w+)"(?: data-action="(\w+)")?/g)]
    .map((m) => `${m[1]} ${m[2]}${m[3] ? ` ${m[3]}` : ''}`);
  assert.deepEqual(peers, ['ingress pods pass', 'ingress pods deny', 'egress open']);
  assert.match(svg, /class="p-edge pass"/);
  assert.match(svg, /class="p-edge deny"/);
  assert.match(svg, />✕ Deny: TCP 5432, UDP 53-60</);
  assert.match(svg, /class="p-port deny"[^>]*>✕ Deny</);
  assert.match(svg, /No egress rule: this policy leaves/);
  // A NetworkPolicy's picture is unchanged: no actions, selected pods in the middle.
  const [np] = policiesOf('kind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec: {podSelector: {}, ingress: [{}]}\n');
  assert.doesNotMatch(pictureSvg({ ...np, selected: [] }), /data-action|>Subject</);
});

test('the worker pictures a cluster-wide policy without asking which pods it selects', () => {
  const api = nodeApi();
  const workspace = api.load([{ name: 'policies.yaml', text: CNP }]);
  try {
    const answer = picture(workspace, CNP, 'ClusterNetworkPolicy/guard');
    assert.deepEqual(answer.policies.map((p) => p.key), ['ClusterNetworkPolicy/guard']);
    assert.equal(answer.policy.kind, 'ClusterNetworkPolicy');
    assert.equal(answer.policy.selected, undefined);
  } finally {
    workspace.free();
  }
});
