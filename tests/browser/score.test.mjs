// Browser test of the playground's posture score: the reasons as the engine's answers
// give them (docs/score.md), each linked to its line. Screenshot: target/www-test/guide-score.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorLine, editorText, nodeApi, openPage, pasteInto, shot } from './harness.mjs';
import { andAnalysed, useSuite } from './actions.mjs';
import { computeScore } from '../../www/src/score.js';
import { STEPS, TUTORIAL_CLUSTER } from '../../www/src/tutorial-steps.js';

const suite = useSuite();

test('the score lists its reasons as the engine\'s answers give them, linked to their lines', async () => {
  const { page, problems } = await openPage(suite());
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
