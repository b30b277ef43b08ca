// pkg/kubewarden/policy.wasm driven through waPC, as Kubewarden's policy server does.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BAD_POLICY, GOOD_POLICY, KUBEWARDEN_WASM, admissionRequest } from './helpers.mjs';
import { loadWapcGuest } from './wapc.mjs';

const guest = loadWapcGuest(KUBEWARDEN_WASM);

function validate(object, settings = {}) {
  const reply = guest.call('validate', JSON.stringify({ settings, request: admissionRequest(object) }));
  assert.ok(reply.ok, reply.text);
  return JSON.parse(reply.text);
}

function validateSettings(settings) {
  const reply = guest.call('validate_settings', settings);
  assert.ok(reply.ok, `validate_settings must not be a guest error: ${reply.text}`);
  return JSON.parse(reply.text);
}

test('the module speaks waPC only and carries its metadata', () => {
  const imports = WebAssembly.Module.imports(guest.module).map((i) => `${i.module}.${i.name}`);
  assert.deepEqual(imports.sort(), ['wapc.__guest_error', 'wapc.__guest_request', 'wapc.__guest_response']);
  const exports = WebAssembly.Module.exports(guest.module).map((e) => e.name);
  for (const name of ['wapc_init', '__guest_call', 'memory']) assert.ok(exports.includes(name), name);
  const [section] = WebAssembly.Module.customSections(guest.module, 'io.kubewarden.metadata');
  const metadata = JSON.parse(new TextDecoder().decode(section));
  assert.equal(metadata.protocolVersion, 'v1');
  assert.equal(metadata.mutating, false);
  assert.deepEqual(metadata.rules[0].resources, ['networkpolicies']);
});

test('protocol_version is v1', () => {
  const reply = guest.call('protocol_version', '');
  assert.ok(reply.ok);
  assert.equal(JSON.parse(reply.text), 'v1');
});

test('validate_settings accepts the configuration keys', () => {
  const settings = {
    rules: { 'missing-namespace': 'off' },
    failOn: 'warning',
    podCIDRs: ['10.244.0.0/16'],
    serviceCIDRs: ['10.96.0.0/12'],
  };
  assert.deepEqual(validateSettings(JSON.stringify(settings)), { valid: true, message: null });
  assert.equal(validateSettings('{}').valid, true);
});

test('validate_settings refuses bad settings with a message', () => {
  for (const [settings, mention] of [
    ['{"failOn": "sometimes"}', 'failOn'],
    ['{"podCIDRs": ["10.0.0.0/33"]}', 'podCIDRs'],
    ['{"rules": {"no-such-rule": "off"}}', 'no-such-rule'],
    ['{"colour": "blue"}', 'colour'],
    ['not json at all', 'invalid settings'],
  ]) {
    const answer = validateSettings(settings);
    assert.equal(answer.valid, false, settings);
    assert.match(answer.message, new RegExp(mention), settings);
  }
});

test('validate accepts a valid NetworkPolicy', () => {
  const answer = validate(GOOD_POLICY);
  assert.equal(answer.accepted, true);
  assert.equal(answer.message, null);
});

test('validate rejects an invalid NetworkPolicy with every finding at or above failOn', () => {
  const answer = validate(BAD_POLICY);
  assert.equal(answer.accepted, false);
  assert.equal(answer.code, 403);
  assert.match(answer.message, /invalid-port/);
  assert.match(answer.message, /spec\.egress\[0\]\.ports\[0\]\.port/);
});

test('findings below failOn come back as short warnings', () => {
  const answer = validate(BAD_POLICY, { failOn: 'none' });
  assert.equal(answer.accepted, true);
  assert.ok(answer.warnings.length >= 1);
  for (const warning of answer.warnings) assert.ok(warning.length < 120, warning);
  assert.ok(answer.warnings.some((w) => w.includes('invalid-port')));
});

test('rule levels from the settings decide', () => {
  const lenient = validate(BAD_POLICY, { rules: { 'invalid-port': 'warning' } });
  assert.equal(lenient.accepted, true);
  const invalidSettings = validate(GOOD_POLICY, { failOn: 'sometimes' });
  assert.equal(invalidSettings.accepted, false);
  assert.match(invalidSettings.message, /invalid-config/);
});
