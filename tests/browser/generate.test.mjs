// Browser test of "Generate policies": a flow file opened in the panel, netpol's
// synthesize run in the worker, its proof shown, the YAML (the same bytes as the Node
// package's answer) added to the Policies pane, after which the matrix allows the
// flows and nothing else between the pods; the cluster-wide baseline option; a
// refusal; keyboard use and the accessibility check.
// Screenshot: target/www-test/generate.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editorText, matrixStates, nodeApi, openPage, pasteInto, shot } from './harness.mjs';
import { andAnalysed, useSuite } from './actions.mjs';
import { assertAccessible } from './axe.mjs';

const suite = useSuite();

const CLUSTER = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
status: {podIP: 10.0.0.3}
`;

const FLOWS = 'from,to,port,protocol\nshop/web,shop/api,8080,TCP\nshop/api,shop/db,5432,TCP\n';

/** Empties the Policies pane (an edit, analysed like typing). */
async function clearPolicies(page) {
  await andAnalysed(page, () => page.evaluate(() => {
    const view = document.querySelector('[data-testid="editor-policies"]').editorView;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '' } });
  }));
}

/** Clicks Generate (or runs `action`) and waits for the answer to be shown. */
async function generated(page, action = () => page.click('[data-testid="generate-run"]')) {
  const before = await page.evaluate(() => Number(document.body.dataset.generated ?? 0));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.generated ?? 0) > n, before, { timeout: 60_000 });
}

test('generate policies from a flow file: the proof, the YAML, and the matrix after adding it', async () => {
  const { page, problems } = await openPage(suite());
  await andAnalysed(page, () => pasteInto(page, 'cluster', CLUSTER));
  await clearPolicies(page);
  await page.setInputFiles('[data-testid="generate-file"]', { name: 'flows.csv', mimeType: 'text/csv', buffer: Buffer.from(FLOWS) });
  await page.waitForFunction(() => document.querySelector('[data-testid="generate-flows"]').value.includes('shop/web'));

  // Keyboard: from the flows box, Tab reaches the options and Generate; Enter runs it.
  await page.focus('[data-testid="generate-flows"]');
  for (const testid of ['generate-tests', 'generate-baseline', 'generate-run']) {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), testid);
  }
  await generated(page, () => page.keyboard.press('Enter'));

  const proof = page.locator('[data-testid="generate-proof"]');
  assert.equal(await proof.getAttribute('data-required'), '2');
  assert.equal(await proof.getAttribute('data-allowed'), '2');
  const yaml = await page.locator('[data-testid="generate-yaml"]').textContent();
  // The engine's own answer, from the Node package on the same panes.
  const sources = [
    { name: 'policies.yaml', text: await editorText(page, 'policies') },
    { name: 'cluster.yaml', text: await editorText(page, 'cluster') },
  ];
  const workspace = nodeApi().load(sources);
  const answer = workspace.synthesize({ flows: FLOWS });
  assert.equal(yaml, answer.files.map((f) => f.yaml).join(''));
  assert.match(yaml, /name: "allow-api"/);
  // DNS for every pod is what the rules allow beyond the flows, with its reason.
  const beyond = await page.locator('[data-testid="generate-beyond"]').allTextContents();
  assert.equal(beyond.length, answer.proof.beyond.length);
  assert.ok(beyond.every((text) => text.includes('DNS egress')), beyond.join('\n'));
  await assertAccessible(page, 'the generated policies', '[data-testid="generate"]');
  await shot(page, 'generate');

  // The download is the YAML shown.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="generate-download"]')]);
  assert.equal(download.suggestedFilename(), 'synthesized-policies.yaml');

  // Added to the Policies pane: the matrix allows the flows and nothing else.
  await page.focus('[data-testid="generate-insert"]');
  await andAnalysed(page, () => page.keyboard.press('Enter'));
  assert.equal(await editorText(page, 'policies'), yaml);
  const states = await matrixStates(page);
  assert.notEqual(states['shop/web\nshop/api'], 'none');
  assert.notEqual(states['shop/api\nshop/db'], 'none');
  for (const pair of ['shop/web\nshop/db', 'shop/api\nshop/web', 'shop/db\nshop/api']) {
    assert.equal(states[pair], 'none', pair);
  }

  // The cluster-wide baseline: one ClusterNetworkPolicy instead of the per-namespace denies.
  await page.check('[data-testid="generate-baseline"]');
  await clearPolicies(page);
  await generated(page);
  const baseline = await page.locator('[data-testid="generate-yaml"]').textContent();
  const withBaseline = workspace.synthesize({ flows: FLOWS, clusterBaseline: true });
  assert.equal(baseline, withBaseline.cluster + withBaseline.files.map((f) => f.yaml).join(''));
  assert.match(baseline, /kind: ClusterNetworkPolicy\n/);
  assert.doesNotMatch(baseline, /name: "default-deny"/);
  workspace.free();
  assert.deepEqual(problems, []);
  await page.close();
});

test('generate policies refuses what cannot be expressed, and needs something to start from', async () => {
  const { page, problems } = await openPage(suite());
  await andAnalysed(page, () => pasteInto(page, 'cluster', CLUSTER));
  await clearPolicies(page);
  await generated(page);
  assert.match(await page.locator('[data-testid="generate-error"]').textContent(), /Give a flow file/);
  await page.fill('[data-testid="generate-flows"]', 'from,to,port,protocol\nshop/web,169.254.169.254,80,TCP\n');
  await generated(page);
  const error = await page.locator('[data-testid="generate-error"]').textContent();
  assert.match(error, /Nothing generated: .*metadata address 169\.254\.169\.254/);
  assert.equal(await page.locator('[data-testid="generate-insert"]').isVisible(), false);
  assert.equal(await page.locator('[data-testid="generate-yaml"]').isVisible(), false);
  await assertAccessible(page, 'a refused generation', '[data-testid="generate"]');
  assert.deepEqual(problems, []);
  await page.close();
});
