// Browser test of the playground's tutorial, walked end to end: each step checked by the
// engine, the matrix showing the change. Screenshots: target/www-test/guide-tutorial-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editorText, matrixStates, openPage, pasteInto, shot } from './harness.mjs';
import { andAnalysed, useSuite } from './actions.mjs';
import { assertAccessible } from './axe.mjs';
import { STEPS, TUTORIAL_CLUSTER } from '../../www/src/tutorial-steps.js';

const suite = useSuite();

const stepOf = (page, id) => page.locator(`[data-testid="tutorial-step"][data-step="${id}"]`);

test('the tutorial is walked end to end, each step checked by the engine', async () => {
  const { page, problems } = await openPage(suite());
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
