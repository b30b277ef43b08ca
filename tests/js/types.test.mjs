// The generated declarations (js/generated.d.ts) against real answers of the built
// package: every answer is written as a typed constant and compiled with
// `tsc --strict`, so a field the JSON has and the declarations lack (or the
// reverse, or another type) fails the compilation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fixture } from './helpers.mjs';

const require = createRequire(import.meta.url);
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const netpol = require(join(root, 'pkg/index.cjs'));

const shop = ['namespaces.yaml', 'workloads.yaml', 'policies.yaml', 'sub/tests.yml'].map((file) => ({
  name: `shop/${file}`,
  text: fixture(`shop/${file}`),
}));
// The same cluster without its policies: everything open.
const open = shop.filter((file) => !file.name.endsWith('policies.yaml'));

/** Compiles `source` (a module importing from 'netpol') against the built package. */
function compile(source) {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-types-'));
  try {
    writeFileSync(join(dir, 'answers.mts'), source);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'es2022',
        lib: ['es2022'], types: [], paths: { netpol: [join(root, 'pkg/index.d.ts')] },
      },
      files: ['answers.mts'],
    }));
    return spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A module declaring each answer as a constant of its type. */
function typed(answers) {
  const lines = ["import type * as netpol from 'netpol';"];
  for (const [name, [type, value]] of Object.entries(answers)) {
    lines.push(`export const ${name}: netpol.${type} = ${JSON.stringify(value, null, 1)};`);
  }
  return lines.join('\n') + '\n';
}

test('the declarations describe the real answers, optional fields included', () => {
  const base = netpol.load(shop);
  const head = netpol.load(open);
  try {
    const answers = {
      lint: ['LintResult', netpol.lint([...shop, { name: 'bad.yaml', text: 'kind: NetworkPolicy\nmetadata: {name: x}\n' }])],
      matrix: ['MatrixResult', base.matrix()],
      filtered: ['MatrixResult', base.matrix({ protocol: 'TCP', port: 80 })],
      external: ['QueryResult', base.query({ from: 'shop/api', to: '203.0.113.7', port: 443 })],
      named: ['QueryResult', base.query({ from: 'shop/web', to: 'shop/api', port: 'grpc' })],
      closest: ['QueryResult', base.query({ from: 'shop/web', to: 'shop/api', port: 1 })],
      test: ['TestResult', base.test()],
      endpoints: ['MatrixEndpoint[]', base.endpoints()],
      diff: ['DiffResult', base.diff(head, { failOn: 'added' })],
      rules: ['RulesResult', netpol.rules()],
    };
    for (const [name, [, value]] of Object.entries(answers)) {
      assert.notEqual(value.ok, false, `${name}: ${JSON.stringify(value)}`);
    }
    assert.ok(answers.lint[1].findings.some((f) => f.resource !== null));
    assert.ok(answers.matrix[1].endpoints.some((e) => e.cidrs !== undefined));
    assert.ok(answers.diff[1].added.some((c) => c.why !== undefined));
    assert.ok(answers.named[1].portName !== undefined && answers.external[1].family !== undefined);
    assert.ok(answers.closest[1].ingress.closest.some((r) => r.mismatch !== undefined));
    const compiled = compile(typed(answers));
    assert.equal(compiled.status, 0, compiled.stdout + compiled.stderr);
  } finally {
    base.free();
    head.free();
  }
});

test('an answer with a field the declarations lack does not compile', () => {
  const workspace = netpol.load(shop);
  try {
    const query = { ...workspace.query({ from: 'shop/web', to: 'shop/api', port: 8080 }), colour: 'red' };
    const compiled = compile(typed({ query: ['QueryResult', query] }));
    assert.notEqual(compiled.status, 0);
    assert.match(compiled.stdout, /colour/);
  } finally {
    workspace.free();
  }
});
