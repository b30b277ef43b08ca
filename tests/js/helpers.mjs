// Shared by the node:test suites: fixtures and what the built package offers.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The text of `tests/js/fixtures/<path>`. */
export function fixture(path) {
  return readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
}

/** Whether the command line (in the built package) has the command `name`. */
export function commandExists(name) {
  const raw = require('../../pkg/node/netpol.js');
  const outcome = raw.runWithSources([name, '--help'], [], [], undefined, 0, false);
  const exists = outcome.code === 0;
  outcome.free();
  return exists;
}
