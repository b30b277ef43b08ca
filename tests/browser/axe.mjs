// The accessibility check of the browser tests: axe-core (from the playground's npm
// project) injected into the page, failing on serious or critical violations.
//
//   import { assertAccessible } from './axe.mjs';
//   await assertAccessible(page, 'the graph view');
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const www = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'www');
const source = await readFile(createRequire(join(www, 'package.json')).resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['serious', 'critical']);

/** The serious and critical violations on the page (or in `include`, a CSS selector). */
export async function seriousViolations(page, include) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: source });
  const results = await page.evaluate(async (scope) => {
    const outcome = await window.axe.run(scope ? { include: [scope] } : document, { resultTypes: ['violations'] });
    return outcome.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 3).join(' ')}`),
    }));
  }, include ?? null);
  return results.filter((v) => BLOCKING.has(v.impact));
}

/** Fails the test with a readable list when the page has serious or critical violations. */
export async function assertAccessible(page, what, include) {
  const violations = await seriousViolations(page, include);
  const text = violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
  assert.equal(violations.length, 0, `axe-core on ${what}:\n${text}`);
}
