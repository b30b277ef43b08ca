// The host of `npx netpol` (pkg/node/host.cjs): only Node's notice that WASI is
// experimental is dropped; other warnings are printed, and the command's exit code
// and output are the process's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HOST = fileURLToPath(new URL('../../pkg/node/host.cjs', import.meta.url));
const { isWasiNotice } = require(HOST);

test('the WASI notice is recognised, in every form emitWarning takes', () => {
  const notice = 'WASI is an experimental feature and might change at any time';
  assert.equal(isWasiNotice(notice, 'ExperimentalWarning'), true);
  assert.equal(isWasiNotice(notice, { type: 'ExperimentalWarning' }), true);
  const error = new Error(notice);
  error.name = 'ExperimentalWarning';
  assert.equal(isWasiNotice(error, undefined), true);
});

test('other warnings are not the WASI notice', () => {
  assert.equal(isWasiNotice('The Fetch API is an experimental feature', 'ExperimentalWarning'), false);
  assert.equal(isWasiNotice('WASI option X is deprecated', 'DeprecationWarning'), false);
  assert.equal(isWasiNotice('something happened', undefined), false);
});

test('the command runs with its exit code, and other warnings still print', () => {
  const script = `const { runWasiCommand } = require(${JSON.stringify(HOST)});
    process.emitWarning('kept', 'ExperimentalWarning');
    process.exitCode = runWasiCommand(['frobnicate']);`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /ExperimentalWarning: kept/);
  assert.doesNotMatch(run.stderr, /WASI/);
  assert.match(run.stderr, /frobnicate/);
});
