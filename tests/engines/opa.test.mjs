// pkg/opa/policy.wasm in OPA's own npm host (@open-policy-agent/opa-wasm).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';

import opa from '@open-policy-agent/opa-wasm';

import {
  BAD_POLICY,
  GOOD_POLICY,
  OPA_WASM,
  admissionRequest,
  admissionReview,
  exampleList,
  nativeJson,
  networkPolicy,
} from './helpers.mjs';

const { loadPolicy, loadPolicySync } = opa;
const wasm = readFileSync(OPA_WASM);
const ENTRYPOINTS = ['netpol/violations', 'netpol/admission', 'netpol/lint', 'netpol/matrix'];

/** The single result of an evaluation (the result set must hold one binding). */
function result(policy, input, entrypoint = 0) {
  const set = policy.evaluate(input, entrypoint);
  assert.equal(set.length, 1, JSON.stringify(set));
  return set[0].result;
}

/** A policy whose host takes the legacy context path (opa_eval_ctx_*, eval). */
function legacy(policy) {
  policy.minorVersion = 1;
  return policy;
}

describe('the module', () => {
  const module = new WebAssembly.Module(wasm);

  test('imports only the memory and opa_abort, from env', () => {
    const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`);
    assert.deepEqual(imports.sort(), ['env.memory:memory', 'env.opa_abort:function']);
  });

  test('exports the ABI', () => {
    const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
    for (const name of [
      'opa_wasm_abi_version', 'opa_wasm_abi_minor_version', 'memory', 'builtins', 'entrypoints',
      'opa_eval_ctx_new', 'opa_eval_ctx_set_input', 'opa_eval_ctx_set_data',
      'opa_eval_ctx_set_entrypoint', 'opa_eval_ctx_get_result', 'eval', 'opa_malloc', 'opa_free',
      'opa_json_parse', 'opa_value_parse', 'opa_json_dump', 'opa_value_dump', 'opa_heap_ptr_get',
      'opa_heap_ptr_set', 'opa_value_add_path', 'opa_value_remove_path', 'opa_value_free',
      'opa_heap_blocks_stash', 'opa_heap_blocks_restore', 'opa_heap_stash_clear', 'opa_eval',
    ]) {
      assert.ok(exports.has(name), name);
    }
  });

  test('has ABI version 1.3 in constant globals and fits 5 pages of imported memory', () => {
    const memory = new WebAssembly.Memory({ initial: 5, maximum: 5 });
    const instance = new WebAssembly.Instance(module, { env: { memory, opa_abort() {} } });
    assert.equal(instance.exports.opa_wasm_abi_version.value, 1);
    assert.equal(instance.exports.opa_wasm_abi_minor_version.value, 3);
  });

  test('carries Kubewarden gatekeeper-mode metadata', () => {
    const [section] = WebAssembly.Module.customSections(module, 'io.kubewarden.metadata');
    const metadata = JSON.parse(new TextDecoder().decode(section));
    assert.equal(metadata.protocolVersion, 'v1');
    assert.equal(metadata.executionMode, 'gatekeeper');
    assert.equal(metadata.mutating, false);
  });
});

describe('loadPolicy (one-shot opa_eval)', () => {
  let policy;
  before(async () => {
    policy = await loadPolicy(wasm);
  });

  test('lists the four entrypoints, violations first', () => {
    assert.deepEqual(policy.entrypoints, {
      'netpol/violations': 0,
      'netpol/admission': 1,
      'netpol/lint': 2,
      'netpol/matrix': 3,
    });
    assert.equal(policy.minorVersion, 3);
  });

  test('every entrypoint on the examples agrees with the native CLI', () => {
    const list = exampleList();
    assert.ok(list.items.length > 0, 'examples/ holds manifests');
    const lint = result(policy, list, 'netpol/lint');
    const native = nativeJson(['lint', '--format', 'json', 'examples']);
    const key = (f) => `${f.ruleId} ${f.severity} ${f.resource?.namespace}/${f.resource?.name} ${f.path}`;
    assert.deepEqual(lint.findings.map(key).sort(), native.findings.map(key).sort());
    assert.equal(lint.summary.objects, native.summary.objects);

    const violations = result(policy, list, 'netpol/violations');
    const errors = native.findings.filter((f) => f.severity === 'error');
    assert.equal(violations.length, errors.length);
    for (const v of violations) {
      assert.match(v.msg, /^\[[a-z-]+\] /);
      assert.ok(!v.msg.includes('\n'));
      assert.deepEqual(Object.keys(v.details).sort(), ['file', 'line', 'path', 'resource', 'ruleId', 'severity']);
    }

    const matrix = result(policy, list, 'netpol/matrix');
    assert.deepEqual(matrix, nativeJson(['matrix', '--format', 'json', 'examples']));
    assert.ok(matrix.connections.length > 0);

    const admission = result(policy, list, 'netpol/admission');
    assert.equal(typeof admission.response.allowed, 'boolean');
  });

  test('an AdmissionReview: accepted, rejected, uid echoed', () => {
    const ok = result(policy, admissionReview(GOOD_POLICY, 'uid-ok'), 'netpol/admission');
    assert.equal(ok.response.allowed, true);
    assert.equal(ok.response.uid, 'uid-ok');
    const bad = result(policy, admissionReview(BAD_POLICY, 'uid-bad'), 'netpol/admission');
    assert.equal(bad.response.allowed, false);
    assert.equal(bad.response.uid, 'uid-bad');
    assert.equal(bad.response.status.code, 403);
    assert.match(bad.response.status.message, /invalid-port/);
    assert.deepEqual(result(policy, admissionReview(GOOD_POLICY)), []);
    assert.equal(result(policy, admissionReview(BAD_POLICY))[0].details.ruleId, 'invalid-port');
  });

  test("Gatekeeper's {review, parameters}", () => {
    const review = admissionRequest(BAD_POLICY);
    const strict = result(policy, { review, parameters: {} });
    assert.deepEqual(strict.map((v) => v.details.ruleId), ['invalid-port']);
    assert.deepEqual(result(policy, { review, parameters: { failOn: 'none' } }), []);
    assert.deepEqual(result(policy, { review: admissionRequest(GOOD_POLICY), parameters: {} }), []);
    const misconfigured = result(policy, { review, parameters: { failOn: 'often' } });
    assert.equal(misconfigured[0].details.ruleId, 'invalid-config');
    // Only single-object rules decide under admission: a policy alone in its
    // namespace is not judged on what the rest of the cluster lacks.
    const lone = networkPolicy('allow-web', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'lb' } } }] }],
    });
    const scopes = new Map(nativeJson(['rules', '--format', 'json']).rules.map((r) => [r.id, r.scope]));
    const alone = result(policy, lone, 'netpol/lint').findings.map((f) => f.ruleId);
    assert.ok(alone.some((id) => scopes.get(id) === 'set' || scopes.get(id) === 'cluster'), alone.join());
    const admitted = result(policy, { review: admissionRequest(lone) }, 'netpol/lint').findings;
    assert.ok(admitted.length > 0);
    for (const f of admitted) assert.match(scopes.get(f.ruleId) ?? 'file', /^(object|file)$/, f.ruleId);
  });

  test('a list kind, {items}, and one object', () => {
    const items = [GOOD_POLICY, BAD_POLICY];
    for (const input of [{ apiVersion: 'v1', kind: 'List', items }, { items }, BAD_POLICY]) {
      assert.deepEqual(result(policy, input).map((v) => v.details.ruleId), ['invalid-port']);
    }
    assert.equal(result(policy, { items }, 'netpol/lint').summary.objects, 2);
  });

  test('malformed input gives an error result, not a trap', () => {
    const bytes = new TextEncoder().encode('{"kind": "NetworkPolicy", ').buffer;
    const violations = result(policy, bytes);
    assert.equal(violations.length, 1);
    assert.match(violations[0].details.ruleId, /syntax/);
    assert.equal(result(policy, bytes, 'netpol/admission').response.allowed, false);
    assert.ok(result(policy, bytes, 'netpol/matrix').errors.length > 0);
    assert.equal(policy.wasmInstance.exports.opa_json_parse(policy.baseHeapPtr, 0), 0);
    // The module still works afterwards.
    assert.deepEqual(result(policy, GOOD_POLICY), []);
  });

  test('a 5 MB input', () => {
    const items = [];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const p = networkPolicy(`p-${i}`, {
        podSelector: { matchLabels: { app: `app-${i}` } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { role: `client-${i}` } } }], ports: [{ port: 8080 }] }],
      }, `ns-${i % 50}`);
      size += JSON.stringify(p).length;
      items.push(p);
    }
    items.push(BAD_POLICY);
    const input = { apiVersion: 'v1', kind: 'List', items };
    assert.ok(JSON.stringify(input).length >= 5 * 1024 * 1024);
    const violations = result(policy, input);
    assert.deepEqual(violations.map((v) => v.details.ruleId), ['invalid-port']);
    assert.equal(result(policy, input, 'netpol/lint').summary.objects, items.length);
  });

  test('the Rego-value format (1) is a set of one binding', () => {
    const { exports } = policy.wasmInstance;
    const input = new TextEncoder().encode(JSON.stringify(admissionReview(BAD_POLICY)));
    const addr = policy.dataHeapPtr;
    new Uint8Array(policy.mem.buffer).set(input, addr);
    const out = exports.opa_eval(0, 0, policy.dataAddr, addr, input.length, addr + input.length, 1);
    const bytes = new Uint8Array(policy.mem.buffer, out);
    const text = new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
    assert.match(text, /^\{.*\}$/s);
    // A Rego set literal `{a, b, ...}` of JSON terms: its elements as a JSON array.
    const bindings = JSON.parse(`[${text.slice(1, -1)}]`);
    assert.equal(bindings.length, 1);
    assert.deepEqual(Object.keys(bindings[0]), ['result']);
    assert.equal(bindings[0].result[0].details.ruleId, 'invalid-port');
    const undefinedSet = exports.opa_eval(0, 99, policy.dataAddr, addr, input.length, addr + input.length, 1);
    const empty = new Uint8Array(policy.mem.buffer, undefinedSet);
    assert.equal(new TextDecoder().decode(empty.subarray(0, empty.indexOf(0))), 'set()');
  });

  test('10,000 evaluations with memory not growing', () => {
    const input = admissionReview(BAD_POLICY);
    for (let i = 0; i < 100; i++) policy.evaluate(input, 'netpol/admission');
    const before = policy.mem.buffer.byteLength;
    for (let i = 0; i < 10_000; i++) {
      const [{ result: r }] = policy.evaluate(input, i % 2 ? 'netpol/admission' : 'netpol/violations');
      if (i % 2 && r.response.allowed !== false) assert.fail(`evaluation ${i}`);
    }
    assert.equal(policy.mem.buffer.byteLength, before);
  });
});

test('exhausted memory is reported through opa_abort, then the call traps', async () => {
  // The host's memory may grow to 40 pages (2.5 MiB): enough to hold the input, not
  // to read it.
  const policy = await loadPolicy(wasm, { initial: 5, maximum: 40 });
  const items = Array.from({ length: 6000 }, (_, i) =>
    networkPolicy(`p-${i}`, { podSelector: { matchLabels: { app: `a${i}` } }, policyTypes: ['Ingress'] }));
  assert.throws(() => policy.evaluate({ items }), /netpol: out of memory/);
});

describe('loadPolicySync with the legacy context path forced', () => {
  const oneShot = loadPolicySync(wasm);
  const policy = legacy(loadPolicySync(wasm));

  test('gives the same result as opa_eval for every entrypoint and shape', () => {
    const inputs = [
      exampleList(),
      admissionReview(BAD_POLICY),
      { review: admissionRequest(BAD_POLICY), parameters: { failOn: 'warning' } },
      { items: [GOOD_POLICY] },
      GOOD_POLICY,
    ];
    for (const input of inputs) {
      for (const entrypoint of ENTRYPOINTS) {
        const viaContext = result(policy, input, entrypoint);
        const viaEval = result(oneShot, input, entrypoint);
        if (entrypoint === 'netpol/lint' || entrypoint === 'netpol/violations') {
          // Positions differ: the context path reads the input re-serialised.
          const strip = (v) => JSON.parse(JSON.stringify(v, (k, x) => (['line', 'column', 'endLine', 'endColumn'].includes(k) ? 0 : x)));
          assert.deepEqual(strip(viaContext), strip(viaEval), entrypoint);
        } else {
          assert.deepEqual(viaContext, viaEval, entrypoint);
        }
      }
    }
  });

  test('memory stays flat over 2,000 evaluations', () => {
    const input = admissionReview(GOOD_POLICY);
    for (let i = 0; i < 50; i++) policy.evaluate(input);
    const before = policy.mem.buffer.byteLength;
    for (let i = 0; i < 2_000; i++) policy.evaluate(input);
    assert.equal(policy.mem.buffer.byteLength, before);
  });

  test('values: parse, add and remove paths, dump', () => {
    const { exports } = policy.wasmInstance;
    const load = (json) => {
      const bytes = new TextEncoder().encode(json);
      const addr = exports.opa_malloc(bytes.length);
      new Uint8Array(policy.mem.buffer).set(bytes, addr);
      return exports.opa_json_parse(addr, bytes.length);
    };
    const dump = (value) => {
      const addr = exports.opa_json_dump(value);
      const bytes = new Uint8Array(policy.mem.buffer, addr);
      return JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0))));
    };
    const base = load('{}');
    assert.equal(exports.opa_value_add_path(base, load('["a", "b"]'), load('[1, 2]')), 0);
    assert.deepEqual(dump(base), { a: { b: [1, 2] } });
    assert.equal(exports.opa_value_remove_path(base, load('["a", "b"]')), 0);
    assert.deepEqual(dump(base), { a: {} });
    assert.notEqual(exports.opa_value_remove_path(base, load('["nope"]')), 0);
    assert.equal(load('{broken'), 0);
  });
});
