// The package as a user gets it: `npm pack`, installed from the tarball into a fresh
// project, loaded with `require` and `import`, and `npx netpol` compared byte for byte
// (stdout, stderr, exit code) with the native binary (NETPOL_NATIVE).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NATIVE = process.env.NETPOL_NATIVE ? resolve(ROOT, process.env.NETPOL_NATIVE) : '';
const TSC = join(ROOT, 'node_modules/.bin/tsc');

let project;
let bin;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: project,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    ...options,
  });
  if (result.error) {
    throw result.error;
  }
  return result;
}

before(() => {
  assert.ok(NATIVE && existsSync(NATIVE), 'NETPOL_NATIVE names the native binary (make wasm-test-js)');
  project = mkdtempSync(join(tmpdir(), 'netpol-package-'));
  const packed = run('npm', ['pack', join(ROOT, 'pkg'), '--pack-destination', project, '--json']);
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = JSON.parse(packed.stdout)[0].filename;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  const installed = run('npm', ['install', '--no-audit', '--no-fund', join(project, tarball)]);
  assert.equal(installed.status, 0, installed.stderr);
  bin = join(project, 'node_modules/.bin/netpol');
  // The inputs, at the same relative paths for both binaries.
  cpSync(join(ROOT, 'tests/js/fixtures'), join(project, 'k8s'), { recursive: true });
  mkdirSync(join(project, 'k8s/shop/node_modules'));
  writeFileSync(join(project, 'k8s/shop/node_modules/skipped.yaml'), 'kind: [broken\n');
  writeFileSync(join(project, 'k8s/shop/.hidden.yaml'), 'kind: [broken\n');
  writeFileSync(join(project, 'k8s/shop/notes.txt'), 'not a manifest\n');
  mkdirSync(join(project, 'bad'));
  writeFileSync(join(project, 'bad/latin1.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]));
  symlinkSync('policies.yaml', join(project, 'k8s/shop/linked.yaml'));
  symlinkSync('sub', join(project, 'k8s/shop/linked-dir'));
  if (existsSync(join(ROOT, 'examples'))) {
    cpSync(join(ROOT, 'examples'), join(project, 'examples'), { recursive: true });
  }
});

after(() => {
  if (project) {
    rmSync(project, { recursive: true, force: true });
  }
});

/** Runs `args` with both binaries and asserts identical stdout, stderr and status. */
function same(args, options = {}) {
  const native = run(NATIVE, args, options);
  const wasm = run(bin, args, options);
  const label = `netpol ${args.join(' ')}`;
  assert.equal(wasm.stdout, native.stdout, `${label}: stdout`);
  assert.equal(wasm.stderr, native.stderr, `${label}: stderr`);
  assert.equal(wasm.status, native.status, `${label}: exit code`);
  return native;
}

test('the tarball holds the package and nothing else', () => {
  const listed = run('tar', ['-tzf', readdirTarball()]).stdout.split('\n').filter(Boolean).sort();
  for (const file of [
    'package/package.json', 'package/README.md', 'package/LICENSE', 'package/index.cjs',
    'package/index.mjs', 'package/index.d.ts', 'package/generated.d.ts', 'package/api.cjs', 'package/api.mjs',
    'package/bin/netpol.cjs', 'package/node/netpol.js', 'package/node/netpol_bg.wasm',
    'package/node/host.cjs', 'package/web/index.js', 'package/web/index.d.ts',
    'package/web/netpol.js', 'package/web/netpol_bg.wasm', 'package/web/package.json',
  ]) {
    assert.ok(listed.includes(file), `${file} in ${listed.join(', ')}`);
  }
  assert.ok(!listed.some((f) => f.endsWith('.gitignore')));
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/netpol/package.json'), 'utf8'));
  assert.equal(manifest.license, 'Apache-2.0');
  assert.deepEqual(manifest.bin, { netpol: 'bin/netpol.cjs' });
  assert.match(readFileSync(join(project, 'node_modules/netpol/LICENSE'), 'utf8'), /Apache License/);
});

function readdirTarball() {
  const found = run('sh', ['-c', 'ls netpol-*.tgz']).stdout.trim();
  return join(project, found);
}

test('require and import work from a user project', () => {
  const script = "const n = require('netpol'); const r = n.lint('kind: [');" +
    "console.log(r.ok, r.findings[0].ruleId, typeof n.matrix, n.version())";
  const cjs = run('node', ['-e', script]);
  assert.equal(cjs.status, 0, cjs.stderr);
  const esm = run('node', ['--input-type=module', '-e',
    "import { lint, version } from 'netpol'; import n from 'netpol';" +
    "console.log(lint('kind: [').ok, lint('kind: [').findings[0].ruleId, typeof n.matrix, version())"]);
  assert.equal(esm.status, 0, esm.stderr);
  assert.equal(esm.stdout, cjs.stdout);
  assert.match(cjs.stdout, /^true yaml-syntax function \d+\.\d+\.\d+/);
  const web = run('node', ['--input-type=module', '-e',
    "import { readFileSync } from 'node:fs'; import init, { lint } from 'netpol/web';" +
    "try { lint(''); } catch (e) { console.log(e.message); }" +
    "const bytes = readFileSync('node_modules/netpol/web/netpol_bg.wasm');" +
    "await init({ module_or_path: bytes }); console.log(lint('kind: [').findings[0].ruleId);"]);
  assert.equal(web.status, 0, web.stderr);
  assert.match(web.stdout, /init\(\) first\nyaml-syntax\n$/);
});

test('the TypeScript declarations resolve through the exports map', () => {
  cpSync(join(ROOT, 'tests/js/types/usage.mts'), join(project, 'usage.mts'));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16',
      target: 'es2022', lib: ['es2022', 'dom'], types: [],
    },
    files: ['usage.mts'],
  }));
  const checked = run(TSC, ['-p', '.']);
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
});

test('npx netpol runs the native command line', () => {
  const npx = run('npx', ['--no', 'netpol', 'lint', 'k8s/shop']);
  const native = run(NATIVE, ['lint', 'k8s/shop']);
  assert.equal(npx.stdout, native.stdout);
  // npm itself may warn about the machine's npm configuration: not netpol's output.
  assert.equal(npx.stderr.replace(/^npm warn .*\n/gm, ''), native.stderr);
  assert.equal(npx.status, native.status);
  const sarif = run('npx', ['--no', 'netpol', 'lint', 'k8s/', '--format', 'sarif']);
  assert.equal(sarif.stdout, run(NATIVE, ['lint', 'k8s/', '--format', 'sarif']).stdout);
});

test('lint: every format, directories, files, stdin, options, errors', () => {
  for (const format of ['text', 'json', 'sarif', 'junit', 'gatekeeper', 'conftest']) {
    same(['lint', '--format', format, 'k8s/shop']);
  }
  same(['lint', 'k8s']);
  same(['lint', 'k8s/']);
  same(['lint', 'k8s/unicode.yaml', 'k8s/shop/policies.yaml']);
  same(['lint', '--color', 'always', 'k8s/unicode.yaml']);
  same(['lint', '--quiet', '--fail-on', 'warning', 'k8s/shop']);
  same(['lint', '--fail-on', 'none', '--rule', 'missing-namespace=off', 'k8s']);
  same(['lint', '-', 'k8s/unicode.yaml'], { input: fixture('shop/policies.yaml') });
  same(['lint', '--format', 'json', '-'], { input: '' });
  same(['lint', 'k8s/missing.yaml']);
  same(['lint', 'bad/latin1.yaml']);
  same(['lint', 'bad']);
  // A Latin-1 file is a finding for that file; the other files are read as usual.
  const mixed = same(['lint', '--format', 'json', 'bad', 'k8s/shop']);
  assert.equal(mixed.status, 1);
  const findings = JSON.parse(mixed.stdout).findings;
  assert.ok(findings.some((f) => f.ruleId === 'invalid-encoding' && f.file === 'bad/latin1.yaml' && f.line === 1));
  assert.ok(findings.some((f) => f.file.startsWith('k8s/shop/')));
  same(['lint', '-'], { input: Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]) });
  same(['lint', '--stdin-name', 'chart/rendered.yaml', '--format', 'sarif', '-'], { input: fixture('shop/policies.yaml') });
  same(['lint', 'k8s/shop/linked-dir']);
  same(['lint', '--rule', 'nope=off', 'k8s']);
  same(['lint', '--format', 'bogus', 'k8s']);
  same(['lint']);
  same(['lint', '--help']);
});

test('report formats differ only by their timestamps', () => {
  for (const format of ['policyreport', 'openreports']) {
    const mask = (text) => text.replace(/\b(seconds|nanos|timestamp|creationTimestamp): .*$/gm, '$1: *');
    const native = run(NATIVE, ['lint', '--format', format, 'k8s/shop']);
    const wasm = run(bin, ['lint', '--format', format, 'k8s/shop']);
    assert.equal(mask(wasm.stdout), mask(native.stdout), format);
    assert.equal(wasm.status, native.status);
  }
});

test('--output writes the same file', () => {
  const native = run(NATIVE, ['lint', '--format', 'sarif', '--output', 'native.sarif', 'k8s']);
  const wasm = run(bin, ['lint', '--format', 'sarif', '--output', 'wasm.sarif', 'k8s']);
  assert.equal(wasm.status, native.status);
  assert.equal(wasm.stdout, '');
  assert.equal(readFileSync(join(project, 'wasm.sarif'), 'utf8'), readFileSync(join(project, 'native.sarif'), 'utf8'));
  same(['lint', '--output', 'no/such/dir/out.txt', 'k8s']);
});

test('matrix, query, test, rules, version, help: same bytes and exit codes', () => {
  same(['matrix', 'k8s/shop']);
  same(['matrix', '--format', 'json', 'k8s/shop']);
  same(['query', '--from', 'shop/web', '--to', 'shop/api', '--port', '9090', 'k8s/shop']);
  same(['query', '--from', 'shop/web', '--to', 'shop/api', '--port', 'grpc', '--format', 'json', 'k8s/shop']);
  same(['query', '--from', 'shop/nobody', '--to', 'shop/api', '--port', '1', 'k8s/shop']);
  same(['test', 'k8s/shop']);
  same(['test', '--format', 'json', 'k8s/shop']);
  same(['rules']);
  same(['rules', '--format', 'json']);
  same(['rules', 'yaml-syntax']);
  same(['version']);
  same(['--version']);
  same(['--help']);
  same([]);
  same(['frobnicate']);
});

test('examples/: lint, matrix, query and test', { skip: !existsSync(join(ROOT, 'examples')) && 'no examples/ yet' }, () => {
  same(['lint', 'examples']);
  same(['lint', '--format', 'sarif', 'examples/']);
  same(['matrix', 'examples']);
  same(['matrix', '--format', 'json', 'examples']);
  same(['test', 'examples']);
  const matrix = run(NATIVE, ['matrix', '--format', 'json', 'examples']);
  if (matrix.status === 0) {
    const [from, to] = JSON.parse(matrix.stdout).endpoints.map((e) => e.id);
    same(['query', '--from', from, '--to', to, '--port', '80', 'examples']);
  }
});

function fixture(path) {
  return readFileSync(join(ROOT, 'tests/js/fixtures', path), 'utf8');
}
