// The playground's guidance logic in Node, on the engine's own answers (pkg/): the
// posture score (docs/score.md), the tutorial's step checks, and the builder's YAML
// round trip. The browser tests (tutorial, builder, score, access) drive the same
// code in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REASONS, cidrContains, computeScore, endpointOf } from '../../www/src/score.js';
import { STEPS, TUTORIAL_CLUSTER, TUTORIAL_START, appMatrix, checkStep } from '../../www/src/tutorial-steps.js';
import { documentsOf, emptyRule, formOf, parsePorts, placePolicy, policyAt, policyYaml, ruleOfPath } from '../../www/src/builder-model.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const api = createRequire(join(root, 'package.json'))(resolve(root, process.env.NETPOL_PKG ?? 'pkg'));

function analyse(policies, cluster) {
  const ws = api.load([{ name: 'policies.yaml', text: policies }, { name: 'cluster.yaml', text: cluster }]);
  try {
    return { lint: ws.lint(), matrix: ws.matrix() };
  } finally {
    ws.free();
  }
}

const finding = (ruleId, severity = 'warning', extra = {}) => ({ ruleId, severity, message: `${ruleId} here`, file: 'policies.yaml', line: 3, column: 1, ...extra });
const pod = (id) => ({ id, kind: 'Pod', namespace: id.split('/')[0], name: id.split('/')[1], ips: [] });
const ext = (id, cidrs) => ({ id, kind: 'External', cidrs });

test('the score is 100 minus min(cap, weight × count) per reason', () => {
  const lint = {
    findings: [
      finding('namespace-missing-default-deny', 'warning', { message: 'namespace `a` has no default-deny policy for ingress and egress' }),
      finding('namespace-missing-default-deny', 'warning', { message: 'namespace `b` has no default-deny policy for egress' }),
      finding('peer-namespace-selector-only'),
      ...Array.from({ length: 5 }, () => finding('rule-without-ports')),
      finding('ipblock-anywhere', 'info'),
      finding('allow-all-ingress'),
      finding('rules-ignored-by-policytypes', 'error'),
      finding('ipblock-allows-metadata', 'error'),
      finding('redundant-rule', 'info'),
    ],
  };
  const matrix = { endpoints: [pod('a/x'), pod('b/y'), ext('0.0.0.0/0', ['0.0.0.0/0'])], connections: [] };
  const result = computeScore(lint, matrix);
  const points = Object.fromEntries(result.reasons.map((r) => [r.id, r.points]));
  // 3 directions × 8; 1 × 4; 5 × 3 = 15, capped at 12; the info ipblock-anywhere does not count;
  // the error already counted by its own rule (metadata) is not an "other error".
  assert.deepEqual(points, { 'default-deny': 24, 'allow-all': 5, 'namespace-only-peer': 4, 'rule-without-ports': 12, errors: 5 });
  assert.equal(result.score, 100 - 24 - 5 - 4 - 12 - 5);
  for (const reason of result.reasons) {
    assert.ok(reason.items.every((item) => item.target?.line === 3), `${reason.id} links to the finding's line`);
  }
});

test('the score counts matrix reasons: pods open to everything, the metadata address', () => {
  const all = [{ protocol: 'TCP', ports: [[1, 65535]] }];
  const endpoints = [pod('a/x'), pod('a/y'), ext('169.254.0.0/16', ['169.254.0.0/16']), ext('rest', ['0.0.0.0/1'])];
  const everyone = endpoints.filter((e) => e.id !== 'a/y').map((e) => ({ from: e.id, to: 'a/y', allowed: all }));
  const matrix = { endpoints, connections: [...everyone, { from: 'a/x', to: '169.254.0.0/16', allowed: all }] };
  const result = computeScore({ findings: [] }, matrix);
  assert.deepEqual(result.reasons.map((r) => [r.id, r.count, r.points]), [['open-pods', 1, 4], ['metadata', 1, 15]]);
  assert.equal(result.score, 81);
  assert.match(result.reasons[0].items[0].text, /^a\/y /);
  // Nothing allowed: nothing counted.
  assert.equal(computeScore({ findings: [] }, { endpoints, connections: [] }).score, 100);
  // No pods, workloads or policies: nothing to score.
  assert.deepEqual(computeScore({ findings: [] }, { endpoints: [endpoints[2]], connections: [] }), { score: 0, reasons: [], empty: true });
});

test('every reason has a weight, a cap and a change to make', () => {
  for (const r of REASONS) {
    assert.ok(r.weight > 0 && r.cap >= r.weight && r.title && r.change, r.id);
  }
  assert.ok(cidrContains('169.254.0.0/16', '169.254.169.254'));
  assert.ok(!cidrContains('169.254.169.0/32', '169.254.169.254'));
  assert.ok(cidrContains('0.0.0.0/0', '8.8.8.8'));
  assert.ok(!cidrContains('not a cidr', '8.8.8.8'));
});

test('docs/score.md states the weights and caps the code uses, in the same order', () => {
  const doc = readFileSync(join(root, 'docs', 'score.md'), 'utf8');
  const table = doc.split('\n').filter((line) => /^\| [A-Z]/.test(line) && !line.startsWith('| reason'));
  const rows = table.map((line) => {
    const cells = line.split('|').map((c) => c.trim());
    return { title: cells[1], weight: Number(cells[4]), cap: Number(cells[5]) };
  });
  const metadata = (t) => t.replace(/ 169\.254\.169\.254/, '');
  assert.deepEqual(rows.map((r) => [r.title, r.weight, r.cap]), REASONS.map((r) => [metadata(r.title), r.weight, r.cap]));
});

test('the engine\'s answers give the score docs/score.md works out', () => {
  const cluster = ['a/one', 'a/two', 'b/three'].map((id) => {
    const [ns, name] = id.split('/');
    return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: i}]}\n`;
  }).join('---\n');
  const { lint, matrix } = analyse('', cluster);
  const result = computeScore(lint, matrix);
  assert.deepEqual(result.reasons.map((r) => [r.id, r.points]), [['default-deny', 32], ['open-pods', 12], ['metadata', 15]]);
  assert.equal(result.score, 41);
  assert.equal(endpointOf(matrix, '169.254.169.254')?.kind, 'External');
});

test('each tutorial step passes with its answer and not with the text before it', () => {
  let before = TUTORIAL_START;
  for (const step of STEPS) {
    const { lint, matrix } = analyse(step.answer, TUTORIAL_CLUSTER);
    const passed = checkStep(step, lint, matrix);
    assert.deepEqual(passed.filter((c) => !c.pass).map((c) => c.text), [], `${step.id} passes with its answer`);
    const earlier = analyse(before, TUTORIAL_CLUSTER);
    assert.ok(checkStep(step, earlier.lint, earlier.matrix).some((c) => !c.pass), `${step.id} fails before it is done`);
    before = step.answer;
  }
  // Without the app's pods nothing passes.
  const empty = analyse(STEPS[0].answer, '');
  assert.ok(checkStep(STEPS[0], empty.lint, empty.matrix).every((c) => !c.pass));
});

test('the tutorial ends at a score of 100, and an edit that misses the point fails its step', () => {
  const last = STEPS.at(-1);
  const { lint, matrix } = analyse(last.answer, TUTORIAL_CLUSTER);
  assert.deepEqual(computeScore(lint, matrix), { score: 100, reasons: [], empty: false });
  // The CDN rule without the metadata except: the last step fails on the metadata checks.
  const careless = analyse(last.answer.replace('        - 169.254.169.254/32\n', ''), TUTORIAL_CLUSTER);
  const failing = checkStep(last, careless.lint, careless.matrix).filter((c) => !c.pass).map((c) => c.text);
  assert.ok(failing.some((t) => t.includes('169.254.169.254')), failing.join('; '));
  assert.ok(failing.includes('no `ipblock-allows-metadata` finding'));
  // Default deny for ingress only: step 1 fails (egress is still open).
  const half = analyse(STEPS[0].answer.replaceAll('[Ingress, Egress]', '[Ingress]'), TUTORIAL_CLUSTER);
  assert.ok(checkStep(STEPS[0], half.lint, half.matrix).some((c) => !c.pass));
});

test('the tutorial\'s small matrix shows what the app may reach', () => {
  const open = appMatrix(analyse(TUTORIAL_START, TUTORIAL_CLUSTER).matrix);
  assert.deepEqual(open[0], [null, 'all', 'all', 'all', 'all', 'all']);
  const done = appMatrix(analyse(STEPS.at(-1).answer, TUTORIAL_CLUSTER).matrix);
  assert.deepEqual(done, [
    [null, 'TCP 8080', '', 'TCP 53, UDP 53', 'TCP 443', ''],
    ['', null, 'TCP 5432', 'TCP 53, UDP 53', '', ''],
    ['', '', null, 'TCP 53, UDP 53', '', ''],
  ]);
});

const FORM = {
  name: 'api', namespace: 'shop', podLabels: 'app=backend', ingress: true, egress: true,
  rules: [
    { ...emptyRule('ingress'), podLabels: 'app=frontend, tier=web', ports: 'TCP 8080' },
    { ...emptyRule('ingress'), namespace: 'monitoring', podLabels: 'app=prometheus', ports: 'TCP 9090' },
    { ...emptyRule('egress'), peer: 'cidr', cidr: '203.0.113.0/24', except: '203.0.113.5/32', ports: 'TCP 443, UDP 1000-2000' },
    { ...emptyRule('egress'), namespace: '*', podLabels: '', ports: 'UDP 53' },
    { ...emptyRule('egress'), peer: 'any', ports: 'TCP http' },
  ],
};

test('the builder writes YAML the engine reads, and reads it back into the same form', () => {
  const { yaml, ruleIndex } = policyYaml(FORM);
  assert.deepEqual(ruleIndex, { ingress: [0, 1], egress: [2, 3, 4] });
  assert.deepEqual(formOf(documentsOf(yaml)[0].object), FORM);
  const lint = analyse(yaml, '').lint;
  assert.deepEqual(lint.findings.filter((f) => f.severity === 'error'), [], 'no error in what the form wrote');
  assert.deepEqual(parsePorts('8080, udp 53, SCTP 1-9'), [{ protocol: 'TCP', port: 8080 }, { protocol: 'UDP', port: 53 }, { protocol: 'SCTP', port: 1, endPort: 9 }]);
  assert.throws(() => policyYaml({ ...FORM, name: '' }), /needs a name/);
  assert.throws(() => policyYaml({ ...FORM, podLabels: 'app' }), /not a label/);
  assert.throws(() => policyYaml({ ...FORM, ingress: false, egress: false }), /at least one direction/);
});

test('the builder\'s rule of a finding is the rule the form wrote', () => {
  const form = { ...FORM, rules: [FORM.rules[0], { ...emptyRule('ingress'), namespace: 'monitoring', ports: 'TCP 9090' }] };
  const { yaml, ruleIndex } = policyYaml(form);
  const found = analyse(yaml, '').lint.findings.find((f) => f.ruleId === 'peer-namespace-selector-only');
  assert.ok(found, 'a namespace-only peer is reported');
  assert.equal(ruleOfPath(found.path, ruleIndex), 1);
});

test('the builder places its policy in the editor text, replacing one of the same name', () => {
  const { yaml } = policyYaml(FORM);
  const other = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';
  const appended = placePolicy(other, yaml, FORM);
  assert.equal(appended.text, `${other}---\n${yaml}`);
  const changed = policyYaml({ ...FORM, rules: [{ ...FORM.rules[0], ports: 'TCP 8081' }] }).yaml;
  const replaced = placePolicy(`${appended.text}---\n${other}`, changed, FORM);
  assert.equal(replaced.text, `${other}---\n${changed}---\n${other}`);
  assert.equal(placePolicy('# comment only\n', yaml, FORM).text, `# comment only\n${yaml}`);
  // Reading: the policy at the cursor, else the first one.
  const two = `${yaml}---\n${yaml.replace('name: api', 'name: web')}`;
  assert.equal(policyAt(two, two.length - 5).object.metadata.name, 'web');
  assert.equal(policyAt(two, 0).object.metadata.name, 'api');
  assert.equal(policyAt(other, 0), null);
  assert.throws(() => formOf({ kind: 'NetworkPolicy', spec: { podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } } }), /matchExpressions/);
  assert.throws(() => formOf({ kind: 'NetworkPolicy', spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] } }), /kubernetes.io\/metadata.name only/);
});
