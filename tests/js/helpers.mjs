// Shared by the node:test suites: fixtures and what the built package offers.

import { readFileSync } from 'node:fs';

/** The text of `tests/js/fixtures/<path>`. */
export function fixture(path) {
  return readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
}
