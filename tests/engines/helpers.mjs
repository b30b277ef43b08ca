// Shared by the engine tests: where the artifacts are, the example manifests as
// JSON objects, and the native binary for comparisons.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const OPA_WASM = process.env.NETPOL_OPA_WASM ?? join(ROOT, 'pkg/opa/policy.wasm');
export const KUBEWARDEN_WASM =
  process.env.NETPOL_KUBEWARDEN_WASM ?? join(ROOT, 'pkg/kubewarden/policy.wasm');
export const EXAMPLES = join(ROOT, 'examples');

/** Every `*.yaml` file under `dir`, sorted. */
function yamlFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

/** The objects of every example manifest (YAML documents as plain objects). */
export function exampleObjects() {
  return yamlFiles(EXAMPLES).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((doc) => doc.toJS())
      .filter((obj) => obj && typeof obj === 'object'),
  );
}

/** The examples as one `kind: List`. */
export function exampleList() {
  return { apiVersion: 'v1', kind: 'List', items: exampleObjects() };
}

/** `netpol ARGS...` with the native binary (NETPOL_NATIVE), stdout parsed as JSON. */
export function nativeJson(args) {
  const binary = process.env.NETPOL_NATIVE ?? join(ROOT, 'target/debug/netpol');
  try {
    return JSON.parse(execFileSync(binary, args, { encoding: 'utf8', cwd: ROOT }));
  } catch (error) {
    if (error.stdout) return JSON.parse(error.stdout);
    throw error;
  }
}

/** A NetworkPolicy in `namespace` with `spec`. */
export function networkPolicy(name, spec, namespace = 'shop') {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  };
}

/** A default-deny ingress policy: valid, nothing to say at `error`. */
export const GOOD_POLICY = networkPolicy('default-deny', {
  podSelector: {},
  policyTypes: ['Ingress'],
});

/** Port 0: the API server rejects it (`invalid-port`). */
export const BAD_POLICY = networkPolicy('bad-port', {
  podSelector: { matchLabels: { app: 'web' } },
  policyTypes: ['Egress'],
  egress: [{ ports: [{ port: 0 }] }],
});

/** An AdmissionReview creating `object`. */
export function admissionReview(object, uid = '705ab4f5-6393-11e8-b7cc-42010a800002') {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: admissionRequest(object, uid),
  };
}

/** An AdmissionRequest creating `object`. */
export function admissionRequest(object, uid = 'a1') {
  return {
    uid,
    kind: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
    resource: { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' },
    namespace: object.metadata?.namespace ?? 'default',
    name: object.metadata?.name ?? '',
    operation: 'CREATE',
    userInfo: { username: 'admin' },
    object,
    oldObject: null,
    dryRun: false,
  };
}
