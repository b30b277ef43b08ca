// Browser tests of the playground's access: dark mode, keyboard use (shortcuts, Tab to
// every control), the 390 px layout, and axe-core on each view (tests/browser/axe.mjs).
// Screenshots: target/www-test/guide-{dark,keys,390-*,rules}.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorLine, openPage, shot } from './harness.mjs';
import { andAnalysed, useSuite } from './actions.mjs';
import { assertAccessible } from './axe.mjs';

const suite = useSuite();

test('dark mode follows the system, and the toggle overrides it', async () => {
  const { page, problems } = await openPage(suite());
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
  const { page, problems } = await openPage(suite());
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
  // The arrows move on from the explained cell, not back to it.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const moved = await page.locator('#matrix td.cursor').evaluate((td) => [td.cellIndex, td.parentElement.rowIndex]);
  const picked = await page.locator('#matrix td.picked').evaluate((td) => [td.cellIndex, td.parentElement.rowIndex]);
  assert.deepEqual(moved, [picked[0] + 2, picked[1]]);
  assert.match(await page.textContent('#matrix-cursor'), / to /);

  // A graph edge is a button: Enter explains it.
  await page.click('#view-graph');
  const edge = page.locator('#graph [data-testid="graph-edge"][role="button"]').first();
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
  const { page, problems } = await openPage(suite());
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
  const { page, problems } = await openPage(suite());
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
  const { page, problems } = await openPage(suite());
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
