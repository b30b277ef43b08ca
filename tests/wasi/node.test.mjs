// The WASI command under Node's `node:wasi`: the same bytes and exit codes as the
// native binary (NETPOL_NATIVE) for lint, matrix, query, test and diff, standard
// input and `--output`, with the scratch directory pre-opened as `.`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NATIVE = resolve(ROOT, process.env.NETPOL_NATIVE ?? '');
const MODULE = resolve(ROOT, process.env.NETPOL_WASI ?? '');

let scratch;
let compiled;

before(async () => {
  compiled = await WebAssembly.compile(readFileSync(MODULE));
  scratch = mkdtempSync(join(tmpdir(), 'netpol-node-wasi-'));
  cpSync(join(ROOT, 'examples'), join(scratch, 'examples'), { recursive: true });
  cpSync(join(ROOT, 'examples/article'), join(scratch, 'base'), { recursive: true });
  cpSync(join(ROOT, 'examples/article'), join(scratch, 'head'), { recursive: true });
  unlinkSync(join(scratch, 'head/policies.yaml'));
  writeFileSync(join(scratch, 'bad.yaml'), 'kind: [broken\n');
});

after(() => {
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
  }
});

/** Runs the module like a process: stdin, stdout and stderr are files in `scratch`. */
function runWasi(args, input) {
  const names = ['.stdin', '.stdout', '.stderr'].map((name) => join(scratch, name));
  writeFileSync(names[0], input);
  const [stdin, stdout, stderr] = [openSync(names[0], 'r'), openSync(names[1], 'w'), openSync(names[2], 'w')];
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: ['netpol', ...args],
      env: {},
      preopens: { '.': scratch },
      stdin,
      stdout,
      stderr,
      returnOnExit: true,
    });
    const instance = new WebAssembly.Instance(compiled, wasi.getImportObject());
    const status = wasi.start(instance);
    return { status, stdout: readFileSync(names[1], 'utf8'), stderr: readFileSync(names[2], 'utf8') };
  } finally {
    [stdin, stdout, stderr].forEach(closeSync);
    names.forEach((name) => rmSync(name, { force: true }));
  }
}

/** Runs both and asserts identical stdout, stderr and exit code. */
function same(args, input = '') {
  const native = spawnSync(NATIVE, args, { cwd: scratch, input, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wasi = runWasi(args, input);
  const label = `netpol ${args.join(' ')}`;
  assert.equal(wasi.stdout, native.stdout, `${label}: stdout`);
  assert.equal(wasi.stderr, native.stderr, `${label}: stderr`);
  assert.equal(wasi.status, native.status, `${label}: exit code`);
  return native;
}

test('lint: formats and exit codes', () => {
  for (const format of ['text', 'json', 'sarif', 'junit', 'gatekeeper', 'conftest']) {
    assert.equal(same(['lint', '--format', format, 'examples/']).status, 0);
  }
  assert.equal(same(['lint', '--fail-on', 'warning', 'examples']).status, 1);
  assert.equal(same(['lint', 'bad.yaml']).status, 1);
  assert.equal(same(['lint', 'missing.yaml']).status, 2);
  assert.equal(same(['lint', '--format', 'bogus', 'examples']).status, 2);
});

test('matrix, query, test, diff', () => {
  for (const format of ['text', 'json', 'csv', 'md', 'dot', 'svg']) {
    same(['matrix', '--format', format, 'examples']);
  }
  const flow = ['--from', 'shop/frontend', '--to', 'identity/keycloak', '--port', '9090'];
  assert.match(same(['query', ...flow, 'examples']).stdout, /^ALLOWED/);
  same(['query', ...flow, '--format', 'json', 'examples']);
  assert.equal(same(['test', 'examples']).status, 0);
  same(['test', '--format', 'junit', 'examples']);
  assert.equal(same(['diff', '--base', 'base', '--head', 'head', '--fail-on', 'added']).status, 1);
  same(['diff', '--format', 'md', '--base', 'base', '--head', 'head']);
});

test('standard input and --output', () => {
  const policies = readFileSync(join(ROOT, 'examples/article/policies.yaml'), 'utf8');
  same(['lint', '-'], policies);
  same(['lint', '--format', 'json', '-', 'examples/article/workloads.yaml'], policies);
  const wasi = runWasi(['lint', '--format', 'sarif', '--output', 'wasi.sarif', 'examples'], '');
  spawnSync(NATIVE, ['lint', '--format', 'sarif', '--output', 'native.sarif', 'examples'], { cwd: scratch });
  assert.deepEqual([wasi.status, wasi.stdout], [0, '']);
  assert.equal(readFileSync(join(scratch, 'wasi.sarif'), 'utf8'), readFileSync(join(scratch, 'native.sarif'), 'utf8'));
  assert.equal(same(['lint', '--output', 'no/such/dir/out.txt', 'examples']).status, 2);
});

test('the npm package ships the module', () => {
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', join(ROOT, 'pkg')], { encoding: 'utf8' });
  assert.equal(packed.status, 0, packed.stderr);
  const files = JSON.parse(packed.stdout)[0].files.map((file) => file.path);
  assert.ok(files.includes('wasi/netpol.wasm'), files.join(', '));
  const shipped = readFileSync(join(ROOT, 'pkg/wasi/netpol.wasm'));
  assert.deepEqual(shipped.subarray(0, 4), Buffer.from('\0asm'));
});
