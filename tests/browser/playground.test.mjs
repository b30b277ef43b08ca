// Browser tests of the playground (www/): Playwright (playwright-core) on Debian's
// Chromium, against the built site served on 127.0.0.1. Screenshots of each state
// go to target/www-test/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analysed, analysisCount, chooseExample, cursorLine, editorText, findingsShown, lineOf,
  matrixStates, nodeApi, openPage, pasteInto, shot,
} from './harness.mjs';
import { useSuite } from './actions.mjs';

const suite = useSuite();

const TRAPS = {
  and: 'traps/1-and-vs-or-peers',
  ports: 'traps/2-ports-empty-item',
  types: 'traps/3-missing-policytypes',
};

/** The state of a pair as the page must show it, from the matrix JSON. */
function expectedState(matrix, from, to) {
  const ext = (id) => matrix.endpoints.find((e) => e.id === id)?.kind === 'External';
  if (ext(from) && ext(to)) return 'none';
  const conn = matrix.connections.find((c) => c.from === from && c.to === to);
  const allowed = (conn?.allowed ?? []).filter((a) => a.ports.length);
  if (!allowed.length) return 'none';
  const full = ['TCP', 'UDP', 'SCTP'].every((p) =>
    allowed.some((a) => a.protocol === p && a.ports.some(([lo, hi]) => lo <= 1 && hi >= 65535)));
  return full ? 'all' : 'some';
}

test('the page loads with no console errors', async () => {
  const { page, problems } = await openPage(suite());
  assert.ok(await page.locator('[data-testid="example"]').count() >= 3, 'examples are listed');
  assert.ok(await page.locator('[data-testid="matrix-cell"]').count() > 0, 'the first example draws a matrix');
  assert.match(await page.textContent('#version'), /^netpol \S+/);
  await shot(page, '01-loaded');
  assert.deepEqual(problems, []);
  await page.close();
});

test('each example shows the engine\'s findings and matrix states', async () => {
  const { page, problems } = await openPage(suite());
  const api = nodeApi();
  const ids = await page.$$eval('[data-testid="example"]', (els) => els.map((e) => e.dataset.example));
  for (const id of ids) {
    await chooseExample(page, id);
    const sources = [
      { name: 'policies.yaml', text: await editorText(page, 'policies') },
      { name: 'cluster.yaml', text: await editorText(page, 'cluster') },
    ];
    const lint = api.lint(sources, {});
    const shown = await findingsShown(page);
    const key = (f) => `${f.rule}@${f.pane}:${f.line}`;
    const expected = lint.findings.map((f) => key({ rule: f.ruleId, pane: /cluster/.test(f.file) ? 'cluster' : 'policies', line: f.line }));
    assert.deepEqual(shown.map(key).sort(), expected.slice(0, 500).sort(), `findings of ${id}`);

    const matrix = api.matrix(sources, {});
    const states = await matrixStates(page);
    const visible = matrix.endpoints.slice(0, 80).map((e) => e.id);
    assert.equal(Object.keys(states).length, visible.length ** 2, `one cell per pair in ${id}`);
    for (const from of visible) {
      for (const to of visible) {
        assert.equal(states[`${from}\n${to}`], expectedState(matrix, from, to), `${id}: ${from} → ${to}`);
      }
    }
    await shot(page, `02-example-${id.replace(/\W+/g, '-')}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the traps show what the specification says', async () => {
  const { page } = await openPage(suite());
  const cases = {
    [TRAPS.and]: {
      rules: { 'peer-namespace-selector-only': 'matchLabels:' },
      cells: {
        'partner/api\nshop/db-and': 'some', 'partner/batch\nshop/db-and': 'none', 'shop/api\nshop/db-and': 'none',
        'partner/batch\nshop/db-or': 'some', 'shop/api\nshop/db-or': 'some', 'shop/web\nshop/db-or': 'none',
        'shop/web\nshop/api': 'all', 'shop/db-and\nshop/db-and': 'all',
      },
    },
    [TRAPS.ports]: {
      rules: { 'ports-empty-item': 'ports: [{}]', 'rule-without-ports': '- from:' },
      cells: {
        'demo/deployment/web\ndemo/deployment/api': 'some',
        'demo/deployment/web\ndemo/deployment/cache': 'all',
        'demo/deployment/api\ndemo/deployment/cache': 'none',
      },
    },
    [TRAPS.types]: {
      rules: { 'missing-policytypes': 'podSelector:' },
      cells: {
        'jobs/worker\njobs/db': 'all', 'jobs/web\njobs/worker': 'none', 'jobs/api\njobs/db': 'some',
        'jobs/api\njobs/web': 'none', 'jobs/web\njobs/api': 'some',
      },
    },
  };
  for (const [id, want] of Object.entries(cases)) {
    await chooseExample(page, id);
    const text = await editorText(page, 'policies');
    const shown = await findingsShown(page);
    for (const [rule, needle] of Object.entries(want.rules)) {
      const hit = shown.find((f) => f.rule === rule);
      assert.ok(hit, `${id}: ${rule} is shown`);
      assert.ok(text.split('\n')[hit.line - 1].includes(needle), `${id}: ${rule} points at a line with ${needle}`);
      if (rule === 'peer-namespace-selector-only') {
        // db-or's first peer (namespaceSelector alone), not db-and's (which has both).
        assert.ok(hit.line > lineOf(text, 'name: db-or'), `${id}: ${rule} is in db-or`);
        assert.ok(text.split('\n')[hit.line - 2].includes('- namespaceSelector:'), `${id}: ${rule} points at the peer`);
        assert.equal(shown.filter((f) => f.rule === rule).length, 1, 'only db-or has a namespaceSelector-only peer');
      }
    }
    const states = await matrixStates(page);
    for (const [pair, state] of Object.entries(want.cells)) assert.equal(states[pair], state, `${id}: ${pair}`);
  }
  // The hover text of a cell lists the allowed ports per protocol.
  await chooseExample(page, TRAPS.and);
  await page.hover('[data-testid="matrix-cell"][data-from="partner/api"][data-to="shop/db-and"]');
  const title = await page.getAttribute('[data-testid="matrix-cell"][data-from="partner/api"][data-to="shop/db-and"]', 'title');
  assert.match(title, /TCP: 5432/);
  // The filter: one protocol, one port.
  const cell = '[data-testid="matrix-cell"][data-from="partner/api"][data-to="shop/db-and"]';
  await page.selectOption('#filter-protocol', 'UDP');
  assert.equal(await page.getAttribute(cell, 'data-state'), 'none');
  await page.selectOption('#filter-protocol', 'TCP');
  await page.fill('#filter-port', '5432');
  await page.waitForFunction((sel) => document.querySelector(sel).dataset.state === 'all', cell);
  await page.fill('#filter-port', '5433');
  await page.waitForFunction((sel) => document.querySelector(sel).dataset.state === 'none', cell);
  await page.fill('#filter-port', '');
  await page.selectOption('#filter-protocol', '');
  await page.waitForFunction((sel) => document.querySelector(sel).dataset.state === 'some', cell);
  await page.click('#view-graph');
  assert.ok(await page.locator('[data-testid="graph"] [data-testid="graph-edge"]').count() > 0, 'the graph draws edges');
  await shot(page, '03-graph');
  await page.close();
});

test('typing an invalid CIDR underlines the right line', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, TRAPS.types);
  const policy = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: to-the-bank',
    '  namespace: jobs',
    'spec:',
    '  podSelector: {}',
    '  policyTypes: [Egress]',
    '  egress:',
    '    - to:',
    '        - ipBlock:',
    '            cidr: 203.0.113.0/3',
  ].join('\n');
  const before = await analysisCount(page);
  await pasteInto(page, 'policies', policy);
  // The pasted text is the user's own: no example stays highlighted.
  assert.equal(await page.locator('[data-testid="example"][aria-current="true"]').count(), 0);
  assert.equal(await page.getAttribute(`[data-testid="example"][data-example="${TRAPS.types}"]`, 'aria-current'), 'false');
  await page.keyboard.type('3'); // 203.0.113.0/33: prefix too long
  await analysed(page, before);
  const text = await editorText(page, 'policies');
  const line = lineOf(text, '203.0.113.0/33');
  await page.waitForSelector(`[data-testid="finding"][data-rule="invalid-cidr"]`);
  assert.equal(await page.getAttribute('[data-testid="finding"][data-rule="invalid-cidr"]', 'data-line'), String(line));
  // The underline sits on that line, and the gutter marks it.
  const underlined = await page.$$eval('[data-testid="editor-policies"] .cm-lintRange-error', (els) => els.map((e) => e.closest('.cm-line').textContent));
  assert.ok(underlined.some((t) => t.includes('203.0.113.0/33')), `underlined: ${JSON.stringify(underlined)}`);
  assert.ok(await page.locator('[data-testid="editor-policies"] .cm-lint-marker-error').count() >= 1);
  await page.hover('[data-testid="editor-policies"] .cm-lintRange-error');
  const tooltip = await page.waitForSelector('.cm-tooltip-lint', { timeout: 5000 });
  assert.match(await tooltip.textContent(), /203\.0\.113\.0\/33|CIDR|cidr/);
  await shot(page, '04-invalid-cidr');
  // Clicking the finding moves the editor to its line.
  await page.click('[data-testid="finding"][data-rule="invalid-cidr"] .msg');
  assert.equal(await cursorLine(page, 'policies'), line);
  // Its rule id opens the rule's documentation (from the engine's catalogue).
  await page.click('[data-testid="finding"][data-rule="invalid-cidr"] .rule-link');
  const doc = page.locator('#rules-dialog [data-rule-doc="invalid-cidr"]');
  await doc.waitFor();
  assert.equal(await doc.getAttribute('open'), '');
  assert.match(await doc.textContent(), /Why it matters[\s\S]*Fix/);
  assert.ok(await page.locator('#rules-dialog [data-rule-doc]').count() > 30, 'the whole catalogue is there');
  await shot(page, '04b-rule-doc');
  await page.keyboard.press('Escape');
  assert.deepEqual(problems, []);
  await page.close();
});

async function ask(page, from, to, port, protocol = 'TCP') {
  await page.fill('[data-testid="query-from"]', from);
  await page.fill('[data-testid="query-to"]', to);
  await page.fill('[data-testid="query-port"]', String(port));
  await page.selectOption('[data-testid="query-protocol"]', protocol);
  const old = await page.$('[data-testid="verdict"]');
  await page.click('[data-testid="query-run"]');
  if (old) await old.waitForElementState('hidden').catch(() => {});
  await page.waitForFunction(
    ([f, t]) => document.querySelector('.flow')?.textContent.startsWith(`${f} → ${t} `),
    [from, to],
  );
  return page.getAttribute('[data-testid="verdict"]', 'data-allowed');
}

test('a query shows the verdict and its reasons, linked to their lines', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, TRAPS.and);
  const text = await editorText(page, 'policies');

  assert.equal(await ask(page, 'partner/batch', 'shop/db-and', 5432), 'false');
  const ingress = page.locator('.side[data-side="ingress"]');
  assert.match(await ingress.textContent(), /Isolated by:[\s\S]*shop\/db-and/);
  assert.match(await ingress.textContent(), /Closest rules:[\s\S]*spec\.ingress\[0\]/);
  await shot(page, '05-query-denied');
  const link = ingress.locator('a.ref').first();
  const line = Number(await link.getAttribute('data-line'));
  const dbAnd = lineOf(text, 'name: db-and');
  const dbOr = lineOf(text, 'name: db-or');
  assert.ok(line >= dbAnd - 4 && line < dbOr, `the reference points into db-and (line ${line})`);
  await link.click();
  assert.equal(await cursorLine(page, 'policies'), line);

  assert.equal(await ask(page, 'partner/api', 'shop/db-and', 5432), 'true');
  assert.match(await page.locator('.side[data-side="ingress"]').textContent(), /Allowed by:[\s\S]*shop\/db-and/);
  assert.equal(await ask(page, 'partner/api', 'shop/db-and', 5432, 'UDP'), 'false');
  assert.equal(await ask(page, 'shop/web', 'shop/db-or', 5432), 'false');
  assert.equal(await ask(page, 'shop/api', 'shop/db-or', 5432), 'true');

  // Clicking a matrix cell fills the form and explains it.
  await page.click('[data-testid="matrix-cell"][data-from="partner/batch"][data-to="shop/db-or"]');
  await page.waitForFunction(() => document.querySelector('.flow')?.textContent.startsWith('partner/batch → shop/db-or'));
  assert.equal(await page.inputValue('[data-testid="query-port"]'), '5432');
  assert.equal(await page.getAttribute('[data-testid="verdict"]', 'data-allowed'), 'true');
  await shot(page, '06-query-from-cell');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a share link restores the state in a new page', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, TRAPS.ports);
  const before = await analysisCount(page);
  await page.click('[data-testid="editor-policies"] .cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n# ünïcode ✓ 🚀');
  await analysed(page, before);
  assert.equal(await ask(page, 'demo/deployment/web', 'demo/deployment/api', 8125, 'UDP'), 'false');
  await page.click('[data-testid="share"]');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const url = page.url();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  const policies = await editorText(page, 'policies');
  const cluster = await editorText(page, 'cluster');
  await shot(page, '07-shared');

  const { page: again, problems: againProblems } = await openPage(suite(), url);
  assert.equal(await editorText(again, 'policies'), policies);
  assert.equal(await editorText(again, 'cluster'), cluster);
  assert.equal(await again.inputValue('[data-testid="query-from"]'), 'demo/deployment/web');
  assert.equal(await again.inputValue('[data-testid="query-port"]'), '8125');
  assert.equal(await again.inputValue('[data-testid="query-protocol"]'), 'UDP');
  await again.waitForSelector('[data-testid="verdict"]');
  assert.equal(await again.getAttribute('[data-testid="verdict"]', 'data-allowed'), 'false');
  // The example was edited before sharing: the restored page highlights none.
  assert.equal(await again.locator('[data-testid="example"][aria-current="true"]').count(), 0);
  await shot(again, '08-restored');
  assert.deepEqual([...problems, ...againProblems], []);
  await again.close();
  await page.close();
});

/** A cluster of `namespaces` × (1 Namespace + `pods` Pods), and one policy per namespace. */
function bigCluster(namespaces, pods) {
  const cluster = [];
  const policies = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = `team-${n}`;
    cluster.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    tier: t${n % 3}`);
    for (let p = 0; p < pods; p++) {
      cluster.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: app-${p}\n  namespace: ${ns}\n  labels:\n    app: app-${p % 4}\nspec:\n  containers:\n    - name: c\n      image: app\n      ports:\n        - containerPort: ${8000 + (p % 4)}\nstatus:\n  podIP: 10.${n >> 8}.${n & 255}.${p + 1}`);
    }
    policies.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: app-0-from-app-1\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: app-0\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: app-1\n      ports:\n        - port: 8000`);
  }
  return { cluster: `${cluster.join('\n---\n')}\n`, policies: `${policies.join('\n---\n')}\n` };
}

test('a 2,000-object paste keeps the page responsive, and the job can be cancelled', async (t) => {
  const { page, problems } = await openPage(suite());
  const { cluster, policies } = bigCluster(100, 19); // 100 Namespaces + 1,900 Pods
  // The page notes when the worker started computing, and for each keystroke in the
  // port field: the wait for its handler and for the next frame (from the event's time
  // stamp), and whether the worker was computing then and still after the frame.
  await page.evaluate(() => {
    window.busySince = null;
    new MutationObserver(() => {
      const busy = document.body.dataset.busy === 'true';
      if (busy && window.busySince === null) window.busySince = performance.now();
      if (!busy) window.busySince = null;
    }).observe(document.body, { attributes: true, attributeFilter: ['data-busy'] });
    window.inputDelays = [];
    document.querySelector('[data-testid="query-port"]').addEventListener('input', (e) => {
      const queued = performance.now() - e.timeStamp;
      const busyFor = window.busySince === null ? 0 : e.timeStamp - window.busySince;
      requestAnimationFrame(() => setTimeout(() => window.inputDelays.push({
        queued, painted: performance.now() - e.timeStamp, busyFor, busyAfter: document.body.dataset.busy === 'true',
      })));
    });
  });
  await page.fill('[data-testid="query-port"]', '');
  await pasteInto(page, 'policies', policies);
  await pasteInto(page, 'cluster', cluster);
  // Keys are typed once the worker has computed for 3 s (the whole analysis of this
  // input takes far longer: its matrix has 2,000 × 2,000 pairs).
  await page.waitForFunction(() => window.busySince !== null && performance.now() - window.busySince > 3000, null, { timeout: 60_000 });
  await page.focus('[data-testid="query-port"]');
  for (const key of ['Digit8', 'Digit0']) await page.keyboard.press(key);
  await page.waitForFunction(() => window.inputDelays.length >= 2);
  const delays = await page.evaluate(() => window.inputDelays);
  t.diagnostic(`while the worker computes, key to handler: ${delays.map((d) => d.queued.toFixed(0)).join(', ')} ms; key to next frame: ${delays.map((d) => d.painted.toFixed(0)).join(', ')} ms; worker busy for ${delays.map((d) => d.busyFor.toFixed(0)).join(', ')} ms`);
  for (const d of delays) {
    // Handled and painted while the analysis still runs: on the page's thread it would
    // hold every keystroke until its end. The waits are bounded by a fraction of the
    // time the worker had already computed, not by a figure the machine's load decides.
    assert.ok(d.busyFor >= 3000 && d.busyAfter, 'the keystroke was handled and painted while the worker computed');
    assert.ok(d.queued < d.busyFor / 4, `a keystroke waited ${d.queued.toFixed(0)} ms for its handler (worker busy for ${d.busyFor.toFixed(0)} ms)`);
    assert.ok(d.painted < d.busyFor / 2, `a keystroke took ${d.painted.toFixed(0)} ms to be painted (worker busy for ${d.busyFor.toFixed(0)} ms)`);
  }
  assert.equal(await page.inputValue('[data-testid="query-port"]'), '80');
  await page.waitForSelector('#cancel:not(.hidden)');
  await shot(page, '09-big-paste-running');

  // Cancel stops the job (the worker restarts) and the page stays usable, offline too:
  // the restarted worker comes from memory, not from the network.
  await suite().browser.setOffline(true);
  await page.click('#cancel');
  await page.waitForFunction(() => !document.body.dataset.busy);
  assert.match(await page.textContent('#status'), /^cancelled/);
  assert.match(await page.getAttribute('body', 'data-stale'), /matrix/);
  await shot(page, '10-big-paste-cancelled');
  const before = await analysisCount(page);
  await chooseExample(page, TRAPS.and);
  assert.ok(await analysisCount(page) > before, 'the restarted engine answers');
  assert.equal(await ask(page, 'partner/api', 'shop/db-and', 5432), 'true');
  await suite().browser.setOffline(false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a `kubectl get -o yaml` dump (a List) pasted in the cluster pane is read', async () => {
  const { page, problems } = await openPage(suite());
  await chooseExample(page, TRAPS.and);
  const dump = [
    'apiVersion: v1',
    'kind: List',
    'metadata:',
    '  resourceVersion: ""',
    'items:',
    '  - apiVersion: v1',
    '    kind: Pod',
    '    metadata:',
    '      name: api',
    '      namespace: shop',
    '      labels: {app: api}',
    '      uid: 0d6f7c52-4c1e-4a8e-9e36-1b0f3b0f6a11',
    '    spec:',
    '      containers: [{name: api, image: api}]',
    '    status: {phase: Running, podIP: 10.0.1.1}',
    '  - apiVersion: v1',
    '    kind: Pod',
    '    metadata:',
    '      name: db-and',
    '      namespace: shop',
    '      labels: {app: db-and}',
    '    spec:',
    '      containers: [{name: db, image: postgres}]',
    '    status: {phase: Running, podIP: 10.0.1.3}',
    '  - apiVersion: v1',
    '    kind: Service',
    '    metadata: {name: db, namespace: shop}',
    '    spec: {ports: [{port: 5432}]}',
  ].join('\n');
  const before = await analysisCount(page);
  await pasteInto(page, 'cluster', dump);
  await analysed(page, before);
  const states = await matrixStates(page);
  const pods = [...new Set(Object.keys(states).map((k) => k.split('\n')[0]))].filter((id) => !id.includes(':') && !/^\d/.test(id));
  assert.deepEqual(pods.sort(), ['shop/api', 'shop/db-and']);
  assert.equal(states['shop/api\nshop/db-and'], 'none', 'db-and admits only partner/api');
  await shot(page, '11-kubectl-list');
  assert.deepEqual(problems, []);
  await page.close();
});
