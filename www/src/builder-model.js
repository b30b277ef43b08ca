// The guided builder's model: the form's fields as plain data, the NetworkPolicy YAML
// they describe, and the way back (a policy of the editor into the fields). Pure
// functions (no DOM), so the round trip is also tested in Node.
import { parseAllDocuments } from 'yaml';

const METADATA_NAME = 'kubernetes.io/metadata.name';
const DIRECTIONS = ['ingress', 'egress'];
const PEER_FIELD = { ingress: 'from', egress: 'to' };

/** An empty rule of the form. `peer`: pods | cidr | any. */
export function emptyRule(direction = 'ingress') {
  return { direction, peer: 'pods', namespace: '', podLabels: '', cidr: '', except: '', ports: '' };
}

/** The form's starting fields. */
export function emptyForm() {
  return { name: '', namespace: 'default', podLabels: '', ingress: true, egress: false, rules: [] };
}

/** `app=web, tier=front` as `{app: 'web', tier: 'front'}`; throws on a bad item. */
export function parseLabels(text) {
  const labels = {};
  for (const item of splitList(text)) {
    const m = /^([^=\s]+)\s*=\s*(\S*)$/.exec(item);
    if (!m) throw new Error(`"${item}" is not a label (write key=value)`);
    labels[m[1]] = m[2];
  }
  return labels;
}

function splitList(text) {
  return String(text ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
}

/** `TCP 8080, UDP 53, 8000-8100, TCP http` as NetworkPolicy ports; throws on a bad item. */
export function parsePorts(text) {
  return splitList(text).map((item) => {
    const m = /^(?:(TCP|UDP|SCTP)\s+)?([A-Za-z0-9-]+?)(?:-(\d+))?$/i.exec(item);
    if (!m) throw new Error(`"${item}" is not a port (write 8080, UDP 53 or TCP 8000-8100)`);
    const protocol = (m[1] ?? 'TCP').toUpperCase();
    const port = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
    return m[3] ? { protocol, port, endPort: Number(m[3]) } : { protocol, port };
  });
}

function labelsText(labels) {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
}

function portsText(ports) {
  return (ports ?? []).map((p) => `${p.protocol ?? 'TCP'} ${p.port ?? ''}${p.endPort ? `-${p.endPort}` : ''}`.trim()).join(', ');
}

/** A YAML scalar: plain when that reads back as the same string, else quoted. */
function scalar(value) {
  if (typeof value === 'number') return String(value);
  const text = String(value);
  const plain = /^[A-Za-z0-9_./-]+$/.test(text) && !/^[-.]/.test(text) &&
    !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(text) && Number.isNaN(Number(text));
  return plain ? text : JSON.stringify(text);
}

function flowMap(entries) {
  const parts = Object.entries(entries).filter(([, v]) => v !== undefined).map(([k, v]) => `${scalar(k)}: ${typeof v === 'object' ? v.flow : scalar(v)}`);
  return `{${parts.join(', ')}}`;
}

function selector(labels) {
  return { flow: Object.keys(labels).length ? flowMap({ matchLabels: { flow: flowMap(labels) } }) : '{}' };
}

/** The YAML lines of one peer, the first starting with `- `, relative to the rule. */
function peerLines(rule) {
  if (rule.peer === 'any') return [];
  if (rule.peer === 'cidr') {
    const except = splitList(rule.except);
    const lines = [`- ipBlock:`, `    cidr: ${scalar(rule.cidr.trim())}`];
    if (except.length) lines.push(`    except: [${except.map(scalar).join(', ')}]`);
    return lines;
  }
  const labels = parseLabels(rule.podLabels);
  const ns = rule.namespace.trim();
  if (!ns) return [`- podSelector: ${selector(labels).flow}`];
  const nsSelector = ns === '*' ? '{}' : flowMap({ matchLabels: { flow: flowMap({ [METADATA_NAME]: ns }) } });
  const lines = [`- namespaceSelector: ${nsSelector}`];
  if (Object.keys(labels).length) lines.push(`  podSelector: ${selector(labels).flow}`);
  return lines;
}

/**
 * The YAML of the policy the form describes, and for each direction the form's rule
 * index of each written rule (`spec.ingress[i]` is form rule `ruleIndex.ingress[i]`).
 * Throws an Error whose message names the bad field.
 */
export function policyYaml(form) {
  const name = form.name.trim();
  const namespace = form.namespace.trim();
  if (!name) throw new Error('the policy needs a name');
  if (!namespace) throw new Error('the policy needs a namespace');
  const types = DIRECTIONS.filter((d) => form[d]);
  if (!types.length) throw new Error('choose at least one direction (ingress or egress)');
  const lines = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${scalar(name)}`,
    `  namespace: ${scalar(namespace)}`,
    'spec:',
    `  podSelector: ${selector(parseLabels(form.podLabels)).flow}`,
    `  policyTypes: [${types.map((d) => d[0].toUpperCase() + d.slice(1)).join(', ')}]`,
  ];
  const ruleIndex = { ingress: [], egress: [] };
  for (const direction of types) {
    const rules = form.rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => rule.direction === direction);
    if (!rules.length) continue;
    lines.push(`  ${direction}:`);
    for (const { rule, index } of rules) {
      if (rule.peer === 'cidr' && !rule.cidr.trim()) throw new Error(`rule ${index + 1} needs a CIDR`);
      const peers = peerLines(rule);
      const ports = parsePorts(rule.ports);
      const body = [];
      if (peers.length) body.push(`${PEER_FIELD[direction]}:`, ...peers);
      if (ports.length) body.push('ports:', ...ports.map((p) => `- ${flowMap({ protocol: p.protocol, port: p.port, endPort: p.endPort })}`));
      if (!body.length) body.push('{}');
      lines.push(`  - ${body[0]}`, ...body.slice(1).map((l) => `    ${l}`));
      ruleIndex[direction].push(index);
    }
  }
  return { yaml: `${lines.join('\n')}\n`, ruleIndex };
}

function plainLabels(selectorObject, what) {
  if (!selectorObject) return {};
  if (typeof selectorObject !== 'object') throw new Error(`${what} is not a selector`);
  if (selectorObject.matchExpressions?.length) throw new Error(`${what} uses matchExpressions, which the form does not edit`);
  return selectorObject.matchLabels ?? {};
}

function rulesFromPeer(direction, peer, ports) {
  const base = { ...emptyRule(direction), ports };
  if (peer.ipBlock) return { ...base, peer: 'cidr', cidr: String(peer.ipBlock.cidr ?? ''), except: (peer.ipBlock.except ?? []).join(', ') };
  const podLabels = labelsText(plainLabels(peer.podSelector, 'a podSelector'));
  if (!peer.namespaceSelector) return { ...base, podLabels };
  const nsLabels = plainLabels(peer.namespaceSelector, 'a namespaceSelector');
  const keys = Object.keys(nsLabels);
  if (keys.length === 0) return { ...base, namespace: '*', podLabels };
  if (keys.length === 1 && keys[0] === METADATA_NAME) return { ...base, namespace: String(nsLabels[METADATA_NAME]), podLabels };
  throw new Error(`a namespaceSelector uses ${labelsText(nsLabels)}: the form selects namespaces by ${METADATA_NAME} only`);
}

/** The form's fields for a NetworkPolicy object; throws when the form cannot hold it. */
export function formOf(policy) {
  if (policy?.kind !== 'NetworkPolicy') throw new Error('not a NetworkPolicy');
  const spec = policy.spec ?? {};
  const types = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  const form = {
    name: String(policy.metadata?.name ?? ''),
    namespace: String(policy.metadata?.namespace ?? 'default'),
    podLabels: labelsText(plainLabels(spec.podSelector, 'the podSelector')),
    ingress: types.includes('Ingress'),
    egress: types.includes('Egress'),
    rules: [],
  };
  for (const direction of DIRECTIONS) {
    for (const rule of spec[direction] ?? []) {
      const ports = portsText(rule.ports);
      const peers = rule[PEER_FIELD[direction]];
      if (!peers?.length) form.rules.push({ ...emptyRule(direction), peer: 'any', ports });
      else for (const peer of peers) form.rules.push(rulesFromPeer(direction, peer, ports));
    }
  }
  return form;
}

/**
 * The documents of a YAML stream, unreadable ones skipped: `{object, start, from, to}`,
 * character offsets of the document (with its `---`), of its content, and of its end.
 */
export function documentsOf(text) {
  return parseAllDocuments(text)
    .filter((doc) => !doc.errors?.length && doc.contents)
    .map((doc) => ({ object: doc.toJS(), start: doc.range[0], from: doc.contents.range[0], to: doc.range[2] }));
}

/** The NetworkPolicy document at `offset` (else the first one) of a YAML stream, or null. */
export function policyAt(text, offset) {
  const policies = documentsOf(text).filter((d) => d.object?.kind === 'NetworkPolicy');
  return policies.find((d) => d.start <= offset && offset <= d.to) ?? policies[0] ?? null;
}

/** The text with the policy `yaml` in place of the same-named one, or appended. */
export function placePolicy(text, yaml, { name, namespace }) {
  const same = documentsOf(text).find((d) => d.object?.kind === 'NetworkPolicy' &&
    d.object.metadata?.name === name && (d.object.metadata?.namespace ?? 'default') === namespace);
  if (same) {
    const before = text.slice(0, same.from);
    const after = text.slice(same.to).replace(/^\n*/, '');
    return { text: `${before}${yaml}${after ? `${after.startsWith('---') ? '' : '---\n'}${after}` : ''}`, from: same.from };
  }
  const body = text.replace(/\s*$/, '');
  const hasContent = documentsOf(text).length > 0;
  const joined = hasContent ? `${body}\n---\n` : body ? `${body}\n` : '';
  return { text: `${joined}${yaml}`, from: joined.length };
}

/** The builder rule a finding's `path` points at (`spec.egress[1]...`), or -1. */
export function ruleOfPath(path, ruleIndex) {
  const m = /spec\.(ingress|egress)\[(\d+)\]/.exec(path ?? '');
  return m ? ruleIndex[m[1]]?.[Number(m[2])] ?? -1 : -1;
}

