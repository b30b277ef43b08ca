// Shared steps of the browser tests: one server and browser per test file, and an
// action that waits for the analysis it starts.
import { after, before } from 'node:test';
import { analysed, analysisCount, startSuite } from './harness.mjs';

/** Starts the server and the browser before the file's tests; `suite()` gives them. */
export function useSuite() {
  let suite;
  before(async () => {
    suite = await startSuite();
  });
  after(async () => {
    await suite?.close();
  });
  return () => suite;
}

/** Runs `action` and waits for the analysis it starts. */
export async function andAnalysed(page, action) {
  const count = await analysisCount(page);
  await action();
  await analysed(page, count);
}
