// Browser tests of the pictures: the picture of one policy (chosen from the list or by
// the cursor), the graph of the whole input (nodes and edges as the engine says, zoom,
// pan, keyboard, search, clicks), and the downloads. Screenshots go to target/www-test/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  artifacts, chooseExample, cursorLine, editorText, lineOf, nodeApi, openPage, pasteInto, shot,
} from './harness.mjs';
import { useSuite } from './actions.mjs';
import { policiesOf } from '../../www/src/views-worker.js';

const suite = useSuite();

const ARTICLE = 'manifests/article';

async function sourcesOf(page) {
  return [
    { name: 'policies.yaml', text: await editorText(page, 'policies') },
    { name: 'cluster.yaml', text: await editorText(page, 'cluster') },
  ];
}

/** The pods the engine says `ns/name` isolates, in either direction. */
function selectedByEngine(workspace, namespace, name) {
  return workspace.endpoints()
    .filter((e) => e.kind !== 'External' && e.namespace === namespace)
    .filter((e) => {
      const q = workspace.query({ from: e.id, to: e.id, port: 1 });
      const has = (side) => (side.isolatedBy ?? []).some((r) => r.namespace === namespace && r.name === name);
      return has(q.ingress) || has(q.egress);
    })
    .map((e) => e.id)
    .sort();
}

async function pictureOf(page, key) {
  await page.locator('[data-testid="picture-panel"]').scrollIntoViewIfNeeded();
  await page.waitForSelector(`[data-testid="policy-picture"][data-policy="${key}"]`, { timeout: 30_000 });
  return page.$$eval('[data-testid="picture-peer"]', (peers) => peers.map((p) => ({
    direction: p.dataset.direction, kind: p.dataset.kind, ports: p.dataset.ports ?? null, text: p.dataset.text,
  })));
}

async function choosePolicy(page, key) {
  await page.selectOption('[data-testid="picture-policy"]', key);
  return pictureOf(page, key);
}

test('the picture of a policy: peers in words, ports, denied and untouched directions, selected pods', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, ARTICLE);
  const workspace = nodeApi().load(await sourcesOf(page));

  const options = await page.$$eval('[data-testid="picture-policy"] option', (o) => o.map((x) => x.value));
  assert.ok(options.includes('shop/allow-frontend') && options.includes('shop/default-deny-all'), options.join());

  const deny = await choosePolicy(page, 'shop/default-deny-all');
  assert.deepEqual(deny.map((p) => `${p.direction}:${p.kind}`), ['ingress:deny', 'egress:deny']);
  const selectedDeny = await page.$eval('[data-testid="picture-selected"]', (g) => Number(g.dataset.count));
  assert.equal(selectedDeny, selectedByEngine(workspace, 'shop', 'default-deny-all').length);
  assert.ok(selectedDeny > 0);
  await shot(page, 'picture-01-default-deny');

  const frontend = await choosePolicy(page, 'shop/allow-frontend');
  const ingress = frontend.filter((p) => p.direction === 'ingress');
  assert.deepEqual(ingress.map((p) => p.kind), ['pods']);
  assert.match(ingress[0].text, /pods with app\.kubernetes\.io\/name=ingress-nginx in namespace ingress-nginx/);
  assert.equal(ingress[0].ports, 'TCP http');
  const egress = frontend.filter((p) => p.direction === 'egress');
  assert.deepEqual(egress.map((p) => p.ports), ['TCP 8080', 'TCP 9090']);
  assert.match(egress[0].text, /pods with app=backend in namespace shop/);
  const shownPods = await page.$$eval('[data-testid="picture-selected"] text.pod', (t) => t.map((x) => x.textContent).sort());
  assert.deepEqual(shownPods, selectedByEngine(workspace, 'shop', 'allow-frontend'));
  await page.locator('[data-testid="picture"]').scrollIntoViewIfNeeded();
  await shot(page, 'picture-02-allow-frontend');
  // A click on a peer shows its rule in the editor.
  const identity = page.locator('[data-testid="picture-peer"][data-direction="egress"]').nth(1);
  const ruleLine = Number(await identity.getAttribute('data-line'));
  await identity.click();
  assert.equal(await cursorLine(page, 'policies'), ruleLine);
  assert.match((await editorText(page, 'policies')).split('\n')[ruleLine - 1], /^\s*- to:/);
  assert.ok(ruleLine > lineOf(await editorText(page, 'policies'), 'name: allow-frontend'));

  const internet = await choosePolicy(page, 'shop/allow-internet-egress');
  assert.deepEqual(internet.map((p) => `${p.direction}:${p.kind}`), ['ingress:open', 'egress:addresses']);
  assert.match(internet[1].text, /addresses in 0\.0\.0\.0\/0 except 169\.254\.169\.254\/32/);
  await shot(page, 'picture-03-ipblock-except');

  // The cursor in a policy picks it.
  const text = await editorText(page, 'policies');
  const line = lineOf(text, 'name: allow-backend-from-frontend');
  await page.click('[data-testid="editor-policies"] .cm-content');
  await page.evaluate((l) => {
    const view = document.querySelector('[data-testid="editor-policies"]').editorView;
    view.dispatch({ selection: { anchor: view.state.doc.line(l).from } });
  }, line);
  await page.keyboard.press('End');
  const backend = await pictureOf(page, 'shop/allow-backend-from-frontend');
  assert.deepEqual(backend.map((p) => `${p.direction}:${p.kind}:${p.ports}`), ['ingress:pods:TCP 8080', 'egress:open:null']);
  assert.equal(await page.inputValue('[data-testid="picture-policy"]'), 'shop/allow-backend-from-frontend');
  workspace.free();
  assert.deepEqual(problems, []);
  await page.close();
});

test('a policy the engine finds no pod for says so, and no policy at all says how to get one', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, ARTICLE);
  await page.evaluate(() => {
    const view = document.querySelector('[data-testid="editor-policies"]').editorView;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: lonely, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: nobody}}\n  ingress:\n    - {}\n' } });
  });
  const peers = await pictureOf(page, 'shop/lonely');
  assert.deepEqual(peers.map((p) => `${p.direction}:${p.kind}:${p.ports}`), ['ingress:anyone:any port', 'egress:open:null']);
  assert.equal(await page.$eval('[data-testid="picture-selected"]', (g) => g.dataset.count), '0');
  assert.match(await page.textContent('[data-testid="picture-selected"]'), /no pod of the input matches/);
  await page.evaluate(() => {
    const view = document.querySelector('[data-testid="editor-policies"]').editorView;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '' } });
  });
  await page.locator('[data-testid="picture-panel"]').scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-testid="picture"] .hint');
  assert.match(await page.textContent('[data-testid="picture"]'), /No NetworkPolicy/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the picture is drawn when its panel comes into view, not while it is off screen', async () => {
  const { page, problems } = await openPage(suite());
  await page.setViewportSize({ width: 1440, height: 600 });
  await page.$eval('.results', (r) => { r.scrollTop = 0; });
  await chooseExample(page, 'traps/1-and-vs-or-peers');
  const keys = policiesOf(await editorText(page, 'policies')).map((p) => p.key);
  assert.ok(keys.length > 0);
  const drawn = () => page.$$eval('[data-testid="policy-picture"]', (svgs) => svgs.map((svg) => svg.dataset.policy));
  const panelShown = await page.$eval('[data-testid="picture-panel"]', (panel) => {
    const box = panel.getBoundingClientRect();
    const results = document.querySelector('.results').getBoundingClientRect();
    return box.top < Math.min(results.bottom, window.innerHeight) && box.bottom > results.top;
  });
  assert.equal(panelShown, false, 'the panel starts off screen');
  await page.waitForTimeout(300);
  assert.ok((await drawn()).every((key) => !keys.includes(key)), 'nothing drawn for the new text yet');
  await page.locator('[data-testid="picture-panel"]').scrollIntoViewIfNeeded();
  await page.waitForFunction((k) => k.includes(document.querySelector('[data-testid="policy-picture"]')?.dataset.policy), keys);
  assert.deepEqual(problems, []);
  await page.close();
});

/** The allowed pairs of the matrix JSON the graph must draw (no self, no external↔external). */
function expectedEdges(matrix) {
  const ext = new Set(matrix.endpoints.filter((e) => e.kind === 'External').map((e) => e.id));
  return matrix.connections
    .filter((c) => c.from !== c.to && !(ext.has(c.from) && ext.has(c.to)))
    .filter((c) => c.allowed.some((a) => a.ports.length))
    .map((c) => `${c.from} → ${c.to}`)
    .sort();
}

test('the graph draws every endpoint and allowed connection, zooms, pans, searches and explains', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, ARTICLE);
  await page.click('#view-graph');
  const graph = page.locator('[data-testid="graph"]');
  await graph.waitFor();
  const matrix = nodeApi().matrix(await sourcesOf(page), {});
  const nodes = await page.$$eval('[data-testid="graph-node"]', (n) => n.map((x) => x.dataset.id).sort());
  assert.deepEqual(nodes, matrix.endpoints.map((e) => e.id).sort());
  const edges = await page.$$eval('[data-testid="graph-edge"]', (e) => e.map((x) => `${x.dataset.from} → ${x.dataset.to}`).sort());
  assert.deepEqual(edges, expectedEdges(matrix));
  const clusters = await page.$$eval('.g-cluster', (c) => c.map((x) => x.dataset.cluster));
  assert.ok(clusters.includes('shop') && clusters.includes('outside the cluster'), clusters.join());
  await page.locator('#graph').scrollIntoViewIfNeeded();
  await shot(page, 'graph-01-article');

  // Zoom: buttons, wheel, keyboard; pan: drag and arrows; fit resets.
  const zoom = () => graph.evaluate((svg) => Number(svg.dataset.zoom));
  const transform = () => page.$eval('.g-viewport', (g) => g.getAttribute('transform'));
  await page.click('[data-testid="graph-zoom-in"]');
  assert.ok(await zoom() > 1.2);
  const box = await page.locator('#graph-canvas').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -200);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="graph"]').dataset.zoom) > 1.5);
  const beforeDrag = await transform();
  await page.mouse.move(box.x + 30, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + 130, box.y + 90, { steps: 5 });
  await page.mouse.up();
  assert.notEqual(await transform(), beforeDrag, 'a drag pans');
  await page.focus('#graph-canvas');
  const beforeKey = await transform();
  await page.keyboard.press('ArrowLeft');
  assert.notEqual(await transform(), beforeKey, 'an arrow key pans');
  await page.keyboard.press('-');
  await page.keyboard.press('0');
  assert.equal(await zoom(), 1);
  await page.keyboard.press('+');
  assert.ok(await zoom() > 1.2);
  await page.click('[data-testid="graph-fit"]');
  assert.equal(await transform(), 'translate(0.00,0.00) scale(1.0000)');

  // Search highlights the matching nodes only.
  await page.fill('[data-testid="graph-search"]', 'frontend');
  const hits = await page.$$eval('[data-testid="graph-node"].hit', (n) => n.map((x) => x.dataset.id));
  assert.ok(hits.length > 0 && hits.every((id) => id.includes('frontend')), hits.join());
  assert.equal(hits.length, nodes.filter((id) => id.includes('frontend')).length);
  assert.match(await page.textContent('#graph-hits'), new RegExp(`^${hits.length} match`));
  await page.press('[data-testid="graph-search"]', 'Enter');
  assert.ok(await zoom() >= 2, 'Enter zooms onto the first match');
  await shot(page, 'graph-02-search');
  // From the keyboard: Enter on the graph lists the policies of the first node found.
  await page.focus('#graph-canvas');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-testid="node-policies"][data-id="${hits[0]}"]`);
  await page.fill('[data-testid="graph-search"]', 'no-such-pod');
  assert.equal(await page.locator('[data-testid="graph-node"].hit').count(), 0);
  assert.match(await page.textContent('#graph-hits'), /^0 matches/);
  await page.fill('[data-testid="graph-search"]', '');
  await page.click('[data-testid="graph-fit"]');

  // A click on an edge explains it; a click on a node lists the policies selecting it.
  const edge = page.locator('[data-testid="graph-edge"][data-from^="shop/"][data-to^="shop/"]').first();
  const [from, to] = await edge.evaluate((e) => [e.dataset.from, e.dataset.to]);
  await edge.dispatchEvent('click');
  await page.waitForSelector('[data-testid="graph-info"] [data-testid="verdict"]');
  assert.equal(await page.getAttribute('[data-testid="graph-info"] [data-testid="verdict"]', 'data-allowed'), 'true');
  assert.equal(await page.inputValue('[data-testid="query-from"]'), from);
  assert.equal(await page.inputValue('[data-testid="query-to"]'), to);
  await page.locator('#graph-info').scrollIntoViewIfNeeded();
  await shot(page, 'graph-03-edge-explained');
  await page.locator('[data-testid="graph-node"][data-id^="shop/"]').first().dispatchEvent('click');
  await page.waitForSelector('[data-testid="node-policies"]');
  const info = await page.textContent('[data-testid="node-policies"]');
  assert.match(info, /default-deny-all/);
  await page.locator('#graph-info').scrollIntoViewIfNeeded();
  await shot(page, 'graph-04-node-policies');
  assert.deepEqual(problems, []);
  await page.close();
});

test('downloads: the YAML of the editor, the picture and the graph as SVG and PNG', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, ARTICLE);
  const fetched = async (testid) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
    return { name: download.suggestedFilename(), data: await readFile(await download.path()) };
  };
  const yaml = await fetched('download-yaml');
  assert.equal(yaml.name, 'policies.yaml');
  assert.equal(yaml.data.toString('utf8'), await editorText(page, 'policies'));
  const cluster = await fetched('download-cluster-yaml');
  assert.equal(cluster.data.toString('utf8'), await editorText(page, 'cluster'));

  await page.locator('[data-testid="picture-panel"]').scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-testid="policy-picture"]');
  const svg = await fetched('download-picture-svg');
  assert.match(svg.name, /\.svg$/);
  const svgText = svg.data.toString('utf8');
  assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svgText, /style="fill:/, 'the styles are written into the file');
  const png = await fetched('download-picture-png');
  assert.match(png.name, /\.png$/);
  assert.deepEqual([...png.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await writeFile(join(artifacts, 'download-picture.png'), png.data);
  const width = png.data.readUInt32BE(16);
  assert.ok(width >= 1900, `the PNG is drawn at twice the picture's size (${width} px)`);

  await page.click('#view-graph');
  await page.waitForSelector('[data-testid="graph"]');
  const graphSvg = (await fetched('download-graph-svg')).data.toString('utf8');
  assert.equal((graphSvg.match(/data-testid="graph-node"/g) ?? []).length, await page.locator('[data-testid="graph-node"]').count());
  const graphPng = await fetched('download-graph-png');
  assert.equal(graphPng.data.toString('latin1', 1, 4), 'PNG');
  await writeFile(join(artifacts, 'download-graph.png'), graphPng.data);
  assert.deepEqual(problems, []);
  await page.close();
});

/** `namespaces` × `pods` Pods, each namespace with a default deny and one allow from
 * the previous namespace's `app: a0` pods to its own `app: a1` pods on TCP 8080. */
function midSizeCluster(namespaces, pods) {
  const docs = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${String(n).padStart(2, '0')}`;
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}`);
    for (let p = 0; p < pods; p++) {
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: pod-${p}, namespace: ${ns}, labels: {app: a${p % 4}}}\nstatus: {podIP: 10.1.${n}.${p + 1}}`);
    }
  }
  const policies = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${String(n).padStart(2, '0')}`;
    const previous = `ns-${String((n + namespaces - 1) % namespaces).padStart(2, '0')}`;
    policies.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ${ns}}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}`);
    policies.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-previous, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {app: a1}}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${previous}}}, podSelector: {matchLabels: {app: a0}}}]\n      ports: [{port: 8080}]`);
    policies.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: to-next, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {app: a0}}\n  policyTypes: [Egress]\n  egress:\n    - to: [{namespaceSelector: {}, podSelector: {matchLabels: {app: a1}}}]\n      ports: [{port: 8080}]`);
  }
  return { cluster: `${docs.join('\n---\n')}\n`, policies: `${policies.join('\n---\n')}\n` };
}

test('a 300-pod input: one node per pod in its namespace cluster, labels when zoomed in', async (t) => {
  const { page, problems } = await openPage(suite());
  const { cluster, policies } = midSizeCluster(15, 20);
  await page.click('#view-graph');
  const before = await page.evaluate(() => Number(document.body.dataset.analyzed ?? 0));
  await pasteInto(page, 'cluster', cluster);
  await pasteInto(page, 'policies', policies);
  await page.waitForFunction((n) => Number(document.body.dataset.analyzed ?? 0) > n
    && document.querySelectorAll('[data-testid="graph-node"]').length >= 300, before, { timeout: 120_000 });
  const matrix = nodeApi().matrix([{ name: 'policies.yaml', text: policies }, { name: 'cluster.yaml', text: cluster }], {});
  assert.equal(await page.locator('[data-testid="graph-node"]').count(), matrix.endpoints.length);
  assert.deepEqual(
    await page.$$eval('[data-testid="graph-edge"]', (e) => e.map((x) => `${x.dataset.from} → ${x.dataset.to}`).sort()),
    expectedEdges(matrix),
  );
  assert.equal(await page.locator('.g-cluster').count(), 16, 'fifteen namespaces and the outside');
  assert.equal(await page.textContent('#matrix-note'), '');
  const draw = await page.evaluate(() => performance.getEntriesByType('measure').filter((m) => m.name === 'render-matrix').pop()?.duration);
  t.diagnostic(`${matrix.endpoints.length} nodes drawn in ${draw?.toFixed(0)} ms (render-matrix)`);
  // Dense: the labels show once zoomed in.
  const labelShown = () => page.$eval('[data-testid="graph-node"] .g-label', (l) => getComputedStyle(l).display !== 'none');
  assert.equal(await labelShown(), false);
  await page.locator('#graph').scrollIntoViewIfNeeded();
  await shot(page, 'graph-07-300-pods');
  await page.fill('[data-testid="graph-search"]', 'ns-07/pod-1');
  await page.press('[data-testid="graph-search"]', 'Enter');
  assert.equal(await labelShown(), true);
  await shot(page, 'graph-08-300-pods-zoomed');
  assert.deepEqual(problems, []);
  await page.close();
});
