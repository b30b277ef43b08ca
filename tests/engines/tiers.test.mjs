// Cluster-wide policies (ClusterNetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy) admitted through both engine artifacts: the validation
// findings of their CRDs decide, as for NetworkPolicies.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import opa from '@open-policy-agent/opa-wasm';

import { KUBEWARDEN_WASM, OPA_WASM } from './helpers.mjs';
import { loadWapcGuest } from './wapc.mjs';

const GROUP = 'policy.networking.k8s.io';

/** A cluster-wide policy of `kind` at `version` with `spec`. */
function clusterPolicy(kind, version, name, spec) {
  return { apiVersion: `${GROUP}/${version}`, kind, metadata: { name }, spec };
}

/** A valid Admin-tier ClusterNetworkPolicy: deny ingress from every namespace. */
const GOOD_CNP = clusterPolicy('ClusterNetworkPolicy', 'v1alpha2', 'deny-all', {
  tier: 'Admin',
  priority: 10,
  subject: { namespaces: {} },
  ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
});

/** Priority 1001 and a range that does not start below its end. */
const BAD_CNP = clusterPolicy('ClusterNetworkPolicy', 'v1alpha2', 'bad', {
  tier: 'Admin',
  priority: 1001,
  subject: { namespaces: {} },
  egress: [
    {
      action: 'Accept',
      to: [{ networks: ['10.0.0.0/8'] }],
      protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }],
    },
  ],
});

/** A BaselineAdminNetworkPolicy that is not named `default`. */
const BAD_BANP = clusterPolicy('BaselineAdminNetworkPolicy', 'v1alpha1', 'baseline', {
  subject: { namespaces: {} },
  ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
});

/** A valid AdminNetworkPolicy. */
const GOOD_ANP = clusterPolicy('AdminNetworkPolicy', 'v1alpha1', 'allow-dns', {
  priority: 5,
  subject: { namespaces: {} },
  egress: [
    {
      action: 'Allow',
      to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
      ports: [{ portNumber: { protocol: 'UDP', port: 53 } }],
    },
  ],
});

/** The resource names of the kinds. */
const RESOURCES = {
  ClusterNetworkPolicy: 'clusternetworkpolicies',
  AdminNetworkPolicy: 'adminnetworkpolicies',
  BaselineAdminNetworkPolicy: 'baselineadminnetworkpolicies',
};

/** An AdmissionRequest creating the cluster-scoped `object` (no namespace). */
function request(object) {
  const [, version] = object.apiVersion.split('/');
  return {
    uid: 'c1',
    kind: { group: GROUP, version, kind: object.kind },
    resource: { group: GROUP, version, resource: RESOURCES[object.kind] },
    name: object.metadata.name,
    operation: 'CREATE',
    userInfo: { username: 'admin' },
    object,
    oldObject: null,
    dryRun: false,
  };
}

describe('the Kubewarden policy', () => {
  const guest = loadWapcGuest(KUBEWARDEN_WASM);
  const validate = (object) => {
    const reply = guest.call('validate', JSON.stringify({ settings: {}, request: request(object) }));
    assert.ok(reply.ok, reply.text);
    return JSON.parse(reply.text);
  };

  test('registers the cluster-wide resources', () => {
    const [section] = WebAssembly.Module.customSections(guest.module, 'io.kubewarden.metadata');
    const rules = JSON.parse(new TextDecoder().decode(section)).rules;
    const resources = rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((x) => `${x}.${g}`)));
    for (const name of ['clusternetworkpolicies', 'adminnetworkpolicies', 'baselineadminnetworkpolicies']) {
      assert.ok(resources.includes(`${name}.${GROUP}`), name);
    }
  });

  test('accepts valid cluster-wide policies', () => {
    for (const object of [GOOD_CNP, GOOD_ANP]) {
      const answer = validate(object);
      assert.equal(answer.accepted, true, `${object.kind}: ${answer.message}`);
    }
  });

  test('rejects a ClusterNetworkPolicy with its CRD findings', () => {
    const answer = validate(BAD_CNP);
    assert.equal(answer.accepted, false);
    assert.equal(answer.code, 403);
    assert.match(answer.message, /invalid-priority/);
    assert.match(answer.message, /spec\.priority/);
    assert.match(answer.message, /Start port must be less than End port/);
  });

  test('rejects a BaselineAdminNetworkPolicy not named default', () => {
    const answer = validate(BAD_BANP);
    assert.equal(answer.accepted, false);
    assert.match(answer.message, /Only one baseline admin network policy/);
  });
});

describe('the OPA module', () => {
  const policy = opa.loadPolicySync(readFileSync(OPA_WASM));
  const violations = (object) => {
    const set = policy.evaluate({ review: request(object), parameters: {} }, 0);
    assert.equal(set.length, 1, JSON.stringify(set));
    return set[0].result;
  };

  test('has no violations for valid cluster-wide policies', () => {
    assert.deepEqual(violations(GOOD_CNP), []);
    assert.deepEqual(violations(GOOD_ANP), []);
  });

  test('lists the CRD findings of an invalid ClusterNetworkPolicy', () => {
    const found = violations(BAD_CNP);
    const rules = found.map((v) => v.details.ruleId).sort();
    assert.deepEqual(rules, ['invalid-port', 'invalid-priority']);
    const priority = found.find((v) => v.details.ruleId === 'invalid-priority');
    assert.equal(priority.details.path, 'spec.priority');
    assert.equal(priority.details.resource.kind, 'ClusterNetworkPolicy');
  });

  test('an AdmissionReview of a BaselineAdminNetworkPolicy not named default is denied', () => {
    const set = policy.evaluate(
      { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: request(BAD_BANP) },
      1,
    );
    assert.equal(set[0].result.response.allowed, false);
    assert.equal(set[0].result.response.uid, 'c1');
  });
});
