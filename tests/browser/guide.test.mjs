// Browser tests of the playground's guidance: the tutorial walked end to end, the
// builder's round trip and fixes, the posture score's reasons and links, dark mode,
// keyboard use, the 390 px layout, and axe-core on each view. Screenshots go to
// target/www-test/guide-*.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analysed, analysisCount, cursorLine, editorText, matrixStates, nodeApi, openPage, pasteInto, shot, startSuite,
} from './harness.mjs';
import { assertAccessible } from './axe.mjs';
import { computeScore } from '../../www/src/score.js';
import { STEPS, TUTORIAL_CLUSTER } from '../../www/src/tutorial-steps.js';

let suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.close();
});

/** Runs `action` and waits for the analysis it starts. */
async function andAnalysed(page, action) {
  const count = await analysisCount(page);
  await action();
  await analysed(page, count);
}

const stepOf = (page, id) => page.locator(`[data-testid="tutorial-step"][data-step="${id}"]`);

test('the tutorial is walked end to end, each step checked by the engine', async () => {
  const { page, problems } = await openPage(suite);
  await page.click('#open-tutorial');
  await andAnalysed(page, () => page.click('[data-testid="tutorial-start"]'));
  assert.equal(await editorText(page, 'cluster'), TUTORIAL_CLUSTER);
  assert.equal(await page.locator('[data-testid="tutorial-step"]').count(), STEPS.length);
  assert.equal(await stepOf(page, 'default-deny').getAttribute('data-passed'), 'false');
  assert.equal((await matrixStates(page))['shop/frontend\nshop/backend'], 'all', 'no policy: everything is open');
  await shot(page, 'guide-tutorial-start');

  // A default deny for ingress only: the engine still sees egress open, the step fails.
  await andAnalysed(page, () => pasteInto(page, 'policies', STEPS[0].answer.replaceAll('[Ingress, Egress]', '[Ingress]')));
  assert.equal(await stepOf(page, 'default-deny').getAttribute('data-passed'), 'false');
  assert.ok(await page.locator('[data-testid="tutorial-check"][data-pass="false"]').count() > 0);
  assert.equal(await page.locator('[data-testid="tutorial-next"]').isDisabled(), true);

  for (const [i, step] of STEPS.entries()) {
    // Step 2 is typed (pasted) by the user; the others use the answer button.
    if (i === 1) await andAnalysed(page, () => pasteInto(page, 'policies', step.answer));
    else await andAnalysed(page, () => page.click('[aria-current="step"] [data-action="answer"]'));
    assert.equal(await stepOf(page, step.id).getAttribute('data-passed'), 'true', `${step.id} passes`);
    assert.equal(await page.locator('[data-testid="tutorial-check"][data-pass="false"]').count(), 0);
    await shot(page, `guide-tutorial-${i + 1}-${step.id}`);
    if (i === 0) assert.equal((await matrixStates(page))['shop/frontend\nshop/backend'], 'none', 'the deny shows in the matrix');
    if (i === 1) {
      assert.equal((await matrixStates(page))['shop/frontend\nshop/backend'], 'some', 'the allow shows in the matrix');
      const row = await page.locator('[data-testid="tutorial-matrix"] tbody tr').first().locator('td').allTextContents();
      assert.deepEqual(row, ['self', 'TCP 8080', 'denied', 'denied', 'denied', 'denied'], 'the step shows the app\'s part of the matrix');
    }
    if (i < STEPS.length - 1) await page.click('[data-testid="tutorial-next"]');
  }
  assert.match(await page.textContent('.finished'), /every step holds/);
  assert.equal(await page.getAttribute('[data-testid="score"]', 'data-score'), '100');

  // A check's flow opens its explanation in the query panel.
  await page.click('[aria-current="step"] [data-action="explain"]');
  await page.waitForSelector('[data-testid="verdict"]');
  await assertAccessible(page, 'the tutorial');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the builder writes a policy, offers the lint fixes, and reads the editor back', async () => {
  const { page, problems } = await openPage(suite);
  await page.click('#open-builder');
  const builder = page.locator('[data-testid="builder"]');
  await builder.locator('input[name="name"]').fill('api-from-monitoring');
  await builder.locator('input[name="namespace"]').fill('shop');
  await builder.locator('input[name="podLabels"]').fill('app=api');
  await builder.locator('button[data-action="add"][data-direction="ingress"]').click();
  await builder.locator('input[name="rule-0-namespace"]').fill('monitoring');
  await builder.locator('input[name="rule-0-ports"]').fill('TCP 9090');
  await andAnalysed(page, () => builder.locator('[data-testid="builder-write"]').click());
  const written = await editorText(page, 'policies');
  assert.match(written, /name: api-from-monitoring\n {2}namespace: shop\n/);
  assert.match(written, /- namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: monitoring\}\}\n {4}ports:\n {4}- \{protocol: TCP, port: 9090\}/);

  // The namespace-only peer is reported, and its fix goes to the rule's pod labels.
  const fix = builder.locator('[data-testid="builder-fix"][data-rule="peer-namespace-selector-only"]');
  await fix.waitFor();
  await shot(page, 'guide-builder-fix');
  await fix.locator('button').click();
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'rule-0-podLabels');
  await page.keyboard.type('app=prometheus');
  // An egress rule to the whole internet: the metadata fix adds the except.
  await builder.locator('button[data-action="add"][data-direction="egress"]').click();
  await builder.locator('select[name="rule-1-peer"]').selectOption('cidr');
  await builder.locator('input[name="rule-1-cidr"]').fill('0.0.0.0/0');
  await builder.locator('input[name="rule-1-ports"]').fill('TCP 443');
  await andAnalysed(page, () => builder.locator('[data-testid="builder-write"]').click());
  assert.equal(await builder.locator('[data-testid="builder-fix"][data-rule="peer-namespace-selector-only"]').count(), 0, 'the fixed peer is no longer reported');
  const metadataFix = builder.locator('[data-testid="builder-fix"][data-rule="ipblock-allows-metadata"] button');
  await andAnalysed(page, () => metadataFix.click());
  assert.match(await editorText(page, 'policies'), /except: \[169\.254\.169\.254\/32, 100\.100\.100\.200\/32\]/);
  assert.equal(await builder.locator('[data-testid="builder-fix"][data-rule="ipblock-allows-metadata"]').count(), 0);
  const api = nodeApi();
  const lint = api.lint([{ name: 'policies.yaml', text: await editorText(page, 'policies') }], {});
  const mine = lint.findings.filter((f) => f.resource?.name === 'api-from-monitoring').map((f) => f.ruleId);
  assert.ok(mine.length > 0 && !mine.some((id) => ['ipblock-allows-metadata', 'peer-namespace-selector-only'].includes(id)), mine.join(', '));

  // Round trip: an edit in the editor comes back into the form.
  const text = await editorText(page, 'policies');
  const at = text.indexOf('name: api-from-monitoring');
  const edited = text.slice(0, at) + text.slice(at).replace('port: 9090', 'port: 9100').replace('app: prometheus', 'app: grafana');
  await andAnalysed(page, () => pasteInto(page, 'policies', edited));
  await page.evaluate(() => {
    const view = document.querySelector('[data-testid="editor-policies"]').editorView;
    const at = view.state.doc.toString().indexOf('api-from-monitoring');
    view.dispatch({ selection: { anchor: at } });
  });
  await builder.locator('[data-testid="builder-read"]').click();
  assert.equal(await builder.locator('input[name="name"]').inputValue(), 'api-from-monitoring');
  assert.equal(await builder.locator('input[name="podLabels"]').inputValue(), 'app=api');
  assert.equal(await builder.locator('input[name="rule-0-ports"]').inputValue(), 'TCP 9100');
  assert.equal(await builder.locator('input[name="rule-0-podLabels"]').inputValue(), 'app=grafana');
  assert.equal(await builder.locator('input[name="rule-1-except"]').inputValue(), '169.254.169.254/32, 100.100.100.200/32');
  assert.equal(await builder.locator('input[name="egress"]').isChecked(), true);
  // Writing the form read back changes nothing.
  const beforeWrite = await editorText(page, 'policies');
  await builder.locator('[data-testid="builder-write"]').click();
  assert.equal(await editorText(page, 'policies'), beforeWrite);
  // A bad field is a message, not a write.
  await builder.locator('input[name="rule-0-ports"]').fill('TCP ?');
  await builder.locator('[data-testid="builder-write"]').click();
  assert.match(await builder.locator('.builder-message').textContent(), /Not written: "TCP \?" is not a port/);
  await shot(page, 'guide-builder');
  await assertAccessible(page, 'the builder');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the builder\'s DNS fix adds the DNS egress rule the engine asks for', async () => {
  const { page, problems } = await openPage(suite);
  await page.click('#open-builder');
  const builder = page.locator('[data-testid="builder"]');
  await builder.locator('input[name="name"]').fill('web-egress');
  // A namespace of its own: the loaded example already allows DNS in its namespaces.
  await builder.locator('input[name="namespace"]').fill('sandbox');
  await builder.locator('input[name="podLabels"]').fill('app=web');
  await builder.locator('input[name="ingress"]').uncheck();
  await builder.locator('input[name="egress"]').check();
  await andAnalysed(page, () => builder.locator('[data-testid="builder-write"]').click());
  const fix = builder.locator('[data-testid="builder-fix"][data-rule="dns-egress-blocked"] button');
  await andAnalysed(page, () => fix.click());
  assert.equal(await builder.locator('[data-testid="builder-fix"][data-rule="dns-egress-blocked"]').count(), 0, 'DNS is allowed now');
  const text = await editorText(page, 'policies');
  const policy = text.slice(text.indexOf('name: web-egress'));
  assert.match(policy, /- namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: kube-system\}\}\n {6}podSelector: \{matchLabels: \{k8s-app: kube-dns\}\}\n {4}ports:\n {4}- \{protocol: UDP, port: 53\}\n {4}- \{protocol: TCP, port: 53\}/);
  assert.equal(await builder.locator('select[name="rule-0-direction"]').inputValue(), 'egress');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the score lists its reasons as the engine\'s answers give them, linked to their lines', async () => {
  const { page, problems } = await openPage(suite);
  await andAnalysed(page, () => pasteInto(page, 'cluster', TUTORIAL_CLUSTER));
  // A default deny in shop only, and an allow without ports.
  const policies = `${STEPS[0].answer.split('---')[0]}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend-from-frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: frontend}}
`;
  await andAnalysed(page, () => pasteInto(page, 'policies', policies));
  const api = nodeApi();
  const sources = [
    { name: 'policies.yaml', text: await editorText(page, 'policies') },
    { name: 'cluster.yaml', text: await editorText(page, 'cluster') },
  ];
  const expected = computeScore(api.lint(sources, {}), api.matrix(sources, {}));
  const score = page.locator('[data-testid="score"]');
  assert.equal(await score.getAttribute('data-score'), String(expected.score));
  const reasons = await score.locator('[data-testid="score-reason"]').evaluateAll((els) => els.map((e) => [e.dataset.reason, Number(e.dataset.points)]));
  assert.deepEqual(reasons, expected.reasons.map((r) => [r.id, r.points]));
  assert.ok(reasons.some(([id]) => id === 'rule-without-ports'), 'the rule without ports is a reason');
  assert.ok(reasons.some(([id]) => id === 'default-deny'), 'the missing default deny of data is a reason');
  // Its link goes to the finding's line.
  const target = expected.reasons.find((r) => r.id === 'rule-without-ports').items[0].target;
  await score.locator('[data-testid="score-reason"][data-reason="rule-without-ports"] [data-testid="score-link"]').first().click();
  assert.equal(await cursorLine(page, 'policies'), target.line);
  await shot(page, 'guide-score');
  assert.deepEqual(problems, []);
  await page.close();
});

test('dark mode follows the system, and the toggle overrides it', async () => {
  const { page, problems } = await openPage(suite);
  const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const themed = (name) => page.waitForFunction((t) => document.documentElement.dataset.theme === t, name);
  await page.emulateMedia({ colorScheme: 'light' });
  await themed('light');
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  await themed('dark');
  assert.notEqual(await background(), light);
  assert.equal(await page.getAttribute('#theme', 'aria-pressed'), 'true');
  assert.ok(await page.locator('#editor-policies .cm-editor').evaluate((el) => getComputedStyle(el).backgroundColor !== 'rgb(255, 255, 255)'), 'the editors are dark too');
  await shot(page, 'guide-dark');
  await assertAccessible(page, 'the page in dark mode');
  await page.click('#open-tutorial');
  await page.click('#open-builder');
  await andAnalysed(page, () => page.click('[data-testid="tutorial-start"]'));
  await andAnalysed(page, () => page.click('[aria-current="step"] [data-action="answer"]'));
  await page.locator('[data-testid="tutorial-matrix"]').scrollIntoViewIfNeeded();
  await shot(page, 'guide-dark-tutorial');
  await assertAccessible(page, 'the tutorial and builder in dark mode');
  await page.click('#theme');
  assert.equal(await theme(), 'light', 'the toggle wins over the system');
  await page.reload();
  await page.waitForSelector('body[data-analyzed]');
  assert.equal(await theme(), 'light', 'the choice is kept');
  await page.evaluate(() => localStorage.removeItem('netpol-theme'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('every part is reachable with the keyboard, and the shortcuts work', async () => {
  const { page, problems } = await openPage(suite);
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.className || '');
  await page.keyboard.press('Alt+5');
  assert.equal(await focused(), 'matrix');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const cell = page.locator('#matrix td.cursor');
  assert.equal(await cell.count(), 1);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="verdict"]');
  assert.equal(await page.inputValue('#query-from'), await cell.getAttribute('data-from'));
  assert.match(await page.textContent('#matrix-cursor'), / to /);

  // A graph edge is a button: Enter explains it.
  await page.click('#view-graph');
  const edge = page.locator('#graph path.edge[role="button"]').first();
  await edge.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((from) => document.querySelector('#query-from').value === from, await edge.getAttribute('data-from'));
  await page.click('#view-heatmap');

  await page.keyboard.press('Alt+3');
  const finding = page.locator('[data-testid="finding"]:focus');
  assert.equal(await finding.count(), 1, 'a finding has the focus');
  const line = Number(await finding.getAttribute('data-line'));
  const pane = await finding.getAttribute('data-pane');
  await page.keyboard.press('Enter');
  assert.equal(await cursorLine(page, pane), line);

  await page.keyboard.press('Alt+7');
  assert.equal(await page.isVisible('[data-testid="tutorial"]'), true);
  assert.equal(await page.getAttribute('#open-tutorial', 'aria-expanded'), 'true');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'tutorial-start');
  await page.keyboard.press('Alt+0');
  assert.equal(await page.isVisible('#keys-dialog'), true);
  assert.ok(await page.locator('#keys-list li').count() >= 8);
  await shot(page, 'guide-keys');
  await assertAccessible(page, 'the shortcuts dialog');
  await page.keyboard.press('Escape');
  assert.equal(await page.isVisible('#keys-dialog'), false);

  // Focus is visible: a focused button draws an outline.
  await page.focus('#share');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  assert.deepEqual(problems, []);
  await page.close();
});

test('Tab reaches every control of the page, the tutorial and the builder', async () => {
  const { page, problems } = await openPage(suite);
  await page.click('#open-tutorial');
  await page.click('#open-builder');
  await page.locator('[data-testid="builder"] button[data-action="add"][data-direction="egress"]').click();
  const total = await page.evaluate(() => {
    const controls = [...document.querySelectorAll('button, input, select, a[href], [tabindex="0"], .cm-content')]
      .filter((el) => !el.closest('dialog') && !el.disabled && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
    controls.forEach((el, i) => { el.dataset.tabProbe = String(i); });
    window.tabSeen = new Set();
    document.addEventListener('focusin', (e) => {
      const probe = e.target.closest?.('[data-tab-probe]');
      if (probe) window.tabSeen.add(probe.dataset.tabProbe);
    });
    return controls.length;
  });
  assert.ok(total > 40, `the page has its controls (${total})`);
  await page.focus('body');
  for (let i = 0; i < total + 10; i++) await page.keyboard.press('Tab');
  const missed = await page.evaluate(() => [...document.querySelectorAll('[data-tab-probe]')]
    .filter((el) => !window.tabSeen.has(el.dataset.tabProbe))
    .map((el) => el.id || el.getAttribute('name') || el.dataset.testid || el.textContent.trim().slice(0, 30)));
  assert.deepEqual(missed, [], `controls Tab does not reach (of ${total})`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the page is usable at 390 px wide', async () => {
  const { page, problems } = await openPage(suite);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('#open-tutorial');
  await page.click('#open-builder');
  await page.locator('[data-testid="builder"] button[data-action="add"][data-direction="ingress"]').click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `no sideways scrolling (${overflow} px wide)`);
  for (const selector of ['#open-tutorial', '#open-builder', '#share', '#theme', '[data-testid="query-run"]', '[data-testid="builder-write"]']) {
    const box = await page.locator(selector).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${selector} is on screen`);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'guide-390-top');
  await page.locator('[data-testid="builder"]').scrollIntoViewIfNeeded();
  await shot(page, 'guide-390-builder');
  await page.locator('[data-testid="matrix"]').scrollIntoViewIfNeeded();
  await shot(page, 'guide-390-matrix');
  await assertAccessible(page, 'the 390 px layout');
  assert.deepEqual(problems, []);
  await page.close();
});

test('axe-core finds no serious or critical violation on any view', async () => {
  const { page, problems } = await openPage(suite);
  await assertAccessible(page, 'the page as loaded');
  await page.click('#view-graph');
  await assertAccessible(page, 'the graph view');
  await page.click('#view-heatmap');
  await page.fill('[data-testid="query-port"]', '80');
  const first = page.locator('[data-testid="matrix-cell"]').first();
  await first.click();
  await page.waitForSelector('[data-testid="verdict"]');
  await assertAccessible(page, 'an explanation');
  await page.click('#rules-open');
  await page.waitForSelector('#rules .rule-doc');
  await assertAccessible(page, 'the rules dialog');
  await shot(page, 'guide-rules');
  await page.keyboard.press('Escape');
  assert.deepEqual(problems, []);
  await page.close();
});
