// Browser tests of "upload and visualise" (manifest files opened with the file input,
// a folder, or dropped on the page, sorted into the panes by kind) and of the
// cluster-wide tiers (the example, the tier badges in explanations).
// Screenshots: target/www-test/upload-*.png, tiers-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { artifacts, chooseExample, editorText, matrixStates, openPage, root, shot } from './harness.mjs';
import { andAnalysed, useSuite } from './actions.mjs';
import { assertAccessible } from './axe.mjs';

const suite = useSuite();
// The playground's own YAML parser (its npm project), to write the dump as JSON.
const YAML = createRequire(join(root, 'www', 'package.json'))('yaml');

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
`;

/** A `kubectl get -o yaml` dump: one List holding both namespaces, pods and a policy. */
const DUMP = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: shop}
- apiVersion: v1
  kind: Pod
  metadata: {name: web, namespace: shop, labels: {app: web}}
  status: {podIP: 10.0.0.1}
- apiVersion: v1
  kind: Pod
  metadata: {name: api, namespace: shop, labels: {app: api}}
  status: {podIP: 10.0.0.2}
- apiVersion: v1
  kind: Pod
  metadata: {name: batch, namespace: shop, labels: {app: batch}}
  status: {podIP: 10.0.0.3}
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: batch-isolated, namespace: shop}
  spec: {podSelector: {matchLabels: {app: batch}}, policyTypes: [Ingress]}
`;

const file = (name, text, mimeType = 'application/yaml') => ({ name, mimeType, buffer: Buffer.from(text) });

test('opened files go to their panes by kind and are analysed; bad files are named', async () => {
  const { page, problems } = await openPage(suite());
  await andAnalysed(page, () => page.setInputFiles('[data-testid="upload-files"]', [
    file('policy.yaml', POLICY),
    file('dump.json', JSON.stringify(YAML.parse(DUMP), null, 2), 'application/json'),
    file('broken.yaml', 'kind: Pod\nmetadata: [\n'),
    file('notes.txt', 'not a manifest'),
  ]));
  const message = await page.textContent('[data-testid="upload-message"]');
  assert.match(message, /^Opened 2 files: 2 objects in the policies pane, 4 objects in the cluster pane\./);
  assert.match(message, /1 file skipped \(not \.yaml, \.yml or \.json\)/);
  assert.match(message, /Not opened: broken\.yaml: not YAML or JSON, line \d+/);
  const policies = await editorText(page, 'policies');
  const cluster = await editorText(page, 'cluster');
  // Each file's part is headed by its name; the List was split by kind.
  assert.match(policies, /^# dump\.json\n/);
  assert.match(policies, /# policy\.yaml\napiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy/);
  assert.match(policies, /name: batch-isolated/);
  assert.doesNotMatch(policies, /kind: Pod/);
  assert.match(cluster, /kind: Namespace/);
  assert.equal(cluster.match(/kind: Pod/g)?.length, 3);
  assert.doesNotMatch(cluster, /NetworkPolicy/);
  // Analysed as usual: web reaches api (allowed by the policy), nothing reaches batch.
  const states = await matrixStates(page);
  assert.equal(states['shop/web\nshop/api'], 'all');
  assert.equal(states['shop/api\nshop/batch'], 'none');
  assert.equal(states['shop/web\nshop/batch'], 'none');
  await shot(page, 'upload-01-opened');
  await assertAccessible(page, 'the page after opening files');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a file that is not UTF-8 is named with the reason, and the panes stay as they were', async () => {
  const { page, problems } = await openPage(suite());
  const before = await editorText(page, 'policies');
  // The Open files button opens the browser's chooser, for several files.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-testid="open-files"]')]);
  assert.ok(chooser.isMultiple());
  await chooser.setFiles([
    { name: 'latin1.yaml', mimeType: 'application/yaml', buffer: Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9, 0x0a]) },
  ]);
  await page.waitForSelector('[data-testid="upload-message"]:not(.hidden)');
  const message = await page.textContent('[data-testid="upload-message"]');
  assert.match(message, /^Nothing opened\. Not opened: latin1\.yaml: not UTF-8 text/);
  assert.ok(await page.$eval('[data-testid="upload-message"]', (m) => m.classList.contains('banner-error')));
  assert.equal(await editorText(page, 'policies'), before);
  assert.deepEqual(problems, []);
  await page.close();
});

test('files and a folder dropped on the page are opened (a synthetic drop event)', async () => {
  const { page, problems } = await openPage(suite());
  await andAnalysed(page, () => page.evaluate(([policy, dump]) => {
    const data = new DataTransfer();
    data.items.add(new File([policy], 'policy.yml', { type: 'application/yaml' }));
    data.items.add(new File([dump], 'dump.yaml', { type: 'application/yaml' }));
    const target = document.querySelector('[data-testid="editor-cluster"] .cm-content');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [POLICY, DUMP]));
  assert.match(await page.textContent('[data-testid="upload-message"]'), /^Opened 2 files: 2 objects in the policies pane, 4 objects in the cluster pane\./);
  const policies = await editorText(page, 'policies');
  // Sorted by name; the drop on an editor did not paste the files' text into it.
  assert.ok(policies.indexOf('# dump.yaml') < policies.indexOf('# policy.yml'));
  assert.doesNotMatch(await editorText(page, 'cluster'), /kind: List|NetworkPolicy/);
  assert.equal(await page.$eval('body', (b) => b.dataset.dropping ?? null), null);
  // The folder button is offered (Chromium has webkitdirectory) and reads a folder's files.
  assert.ok(await page.isVisible('[data-testid="open-folder"]'));
  const folder = join(artifacts, 'upload-folder');
  await rm(folder, { recursive: true, force: true });
  await mkdir(join(folder, 'apps'), { recursive: true });
  await writeFile(join(folder, 'apps', 'policy.yaml'), POLICY);
  await writeFile(join(folder, 'README.txt'), 'not a manifest');
  await andAnalysed(page, () => page.setInputFiles('[data-testid="upload-folder"]', folder));
  assert.equal(await page.textContent('[data-testid="upload-message"]'),
    'Opened 1 file: 1 object in the policies pane, 0 objects in the cluster pane. 1 file skipped (not .yaml, .yml or .json).');
  assert.match(await editorText(page, 'policies'), /^# upload-folder\/apps\/policy\.yaml\n/);
  assert.equal(await editorText(page, 'cluster'), '');
  await rm(folder, { recursive: true, force: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('cluster-wide tiers: the example, and tier badges when an admin or baseline rule decides', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, 'traps/4-cluster-wide-tiers');
  assert.match(await editorText(page, 'policies'), /kind: ClusterNetworkPolicy[\s\S]*kind: NetworkPolicy/);
  assert.doesNotMatch(await editorText(page, 'cluster'), /NetworkPolicy/);
  const explain = async (from, to, port) => {
    await page.fill('[data-testid="query-from"]', from);
    await page.fill('[data-testid="query-to"]', to);
    await page.fill('[data-testid="query-port"]', String(port));
    await page.evaluate(() => document.querySelector('#explanation').replaceChildren());
    await page.click('[data-testid="query-run"]');
    await page.waitForSelector('#explanation [data-testid="verdict"]');
    const badges = await page.$$eval('#explanation [data-side="ingress"] [data-testid="tier"]', (b) => b.map((x) => `${x.dataset.tier} ${x.dataset.action}`));
    const layer = await page.getAttribute('#explanation [data-side="ingress"] [data-testid="layer"]', 'data-layer');
    return { allowed: await page.getAttribute('[data-testid="verdict"]', 'data-allowed'), badges, layer };
  };
  // legacy → db: the admin Deny decides, whatever db's NetworkPolicy allows.
  assert.deepEqual(await explain('legacy/batch', 'data/db', 5432), { allowed: 'false', badges: ['admin Deny'], layer: 'admin' });
  assert.match(await page.textContent('#explanation'), /Decided by the Admin tier/);
  await shot(page, 'tiers-01-admin-deny');
  await assertAccessible(page, 'an explanation with tier badges', '#explanation');
  // monitoring → db: the admin Pass hands it to db's NetworkPolicy, which allows it.
  assert.deepEqual(await explain('monitoring/prometheus', 'data/db', 5432), { allowed: 'true', badges: ['admin Pass'], layer: 'networkPolicy' });
  assert.match(await page.textContent('#explanation [data-side="ingress"]'), /Allowed by:/);
  // frontend → prometheus: no admin rule, no NetworkPolicy isolates prometheus: the baseline Deny decides.
  assert.deepEqual(await explain('shop/frontend', 'monitoring/prometheus', 9090), { allowed: 'false', badges: ['baseline Deny'], layer: 'baseline' });
  // frontend → db: db's NetworkPolicy isolates it, so the baseline is never reached.
  assert.deepEqual(await explain('shop/frontend', 'data/db', 5432), { allowed: 'false', badges: [], layer: 'networkPolicy' });
  // frontend → backend: shop's NetworkPolicy decides; no tier rule is met on the way.
  assert.deepEqual(await explain('shop/frontend', 'shop/backend', 8080), { allowed: 'true', badges: [], layer: 'networkPolicy' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('cluster-wide tiers: the picture of a ClusterNetworkPolicy, and the graph decided by the tiers', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, 'traps/4-cluster-wide-tiers');
  // The picture is drawn once its panel is in view.
  await page.locator('[data-testid="picture-panel"]').scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-testid="picture-policy"] option[value="ClusterNetworkPolicy/admin-guard-data"]', { state: 'attached', timeout: 30_000 });
  const keys = await page.$$eval('[data-testid="picture-policy"] option', (o) => o.map((x) => x.value));
  assert.deepEqual(keys, ['ClusterNetworkPolicy/baseline-default-deny', 'ClusterNetworkPolicy/admin-guard-data', 'shop/frontend-to-backend', 'data/db-from-monitoring-and-legacy']);
  await page.selectOption('[data-testid="picture-policy"]', 'ClusterNetworkPolicy/admin-guard-data');
  await page.waitForSelector('[data-testid="policy-picture"][data-policy="ClusterNetworkPolicy/admin-guard-data"]', { timeout: 30_000 });
  const peers = await page.$$eval('[data-testid="picture-peer"]', (all) => all.map((p) => `${p.dataset.direction} ${p.dataset.action ?? p.dataset.kind}: ${p.dataset.text}`));
  assert.deepEqual(peers, [
    'ingress pass: pass-monitoring: every pod in namespaces with kubernetes.io/metadata.name=monitoring',
    'ingress deny: deny-legacy: every pod in namespaces with kubernetes.io/metadata.name=legacy',
    'egress open: No egress rule: this policy leaves Egress to the next layer',
  ]);
  assert.match(await page.textContent('[data-testid="picture-selected"]'), /Admin tier, priority 20.*every pod in namespaces with/);
  // A click on a rule's box shows it in the editor.
  await page.click('[data-testid="picture-peer"][data-action="deny"]');
  const policies = await editorText(page, 'policies');
  const line = await page.evaluate(() => {
    const view = document.querySelector('[data-testid="editor-policies"]').editorView;
    return view.state.doc.lineAt(view.state.selection.main.head).number;
  });
  assert.match(policies.split('\n')[line - 1], /- name: deny-legacy/);
  await shot(page, 'tiers-02-picture');
  await assertAccessible(page, 'the picture of a ClusterNetworkPolicy', '[data-testid="picture-panel"]');

  // The graph draws the engine's matrix, tiers included.
  await page.click('#view-graph');
  await page.waitForSelector('[data-testid="graph-edge"]');
  const edges = new Set(await page.$$eval('[data-testid="graph-edge"]', (all) => all.map((e) => `${e.dataset.from} -> ${e.dataset.to}`)));
  assert.ok(edges.has('shop/frontend -> shop/backend'), 'allowed by the NetworkPolicy');
  assert.ok(edges.has('monitoring/prometheus -> data/db'), 'passed by the admin tier, allowed by the NetworkPolicy');
  assert.ok(!edges.has('legacy/batch -> data/db'), 'the admin Deny wins over the NetworkPolicy');
  assert.ok(!edges.has('shop/frontend -> monitoring/prometheus'), 'the baseline Deny');
  await page.locator('#graph').scrollIntoViewIfNeeded();
  await shot(page, 'tiers-03-graph');
  assert.deepEqual(problems, []);
  await page.close();
});
