// A cluster-wide policy's parts in words, for its picture: ClusterNetworkPolicy
// (v1alpha2: `tier`, `protocols`) and its predecessors AdminNetworkPolicy and
// BaselineAdminNetworkPolicy (v1alpha1: `ports`, `Allow`). The picture draws the
// policy as written; netpol's query says what it decides for a given flow.
import { podsText, selectorTerms } from './words.js';

/** The kinds of the cluster-wide policies. */
export const CLUSTER_KINDS = new Set(['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

/** `Admin` or `Baseline`: the tier a cluster-wide policy of `kind` sits in. */
export function tierOf(kind, spec) {
  if (kind === 'AdminNetworkPolicy') return 'Admin';
  if (kind === 'BaselineAdminNetworkPolicy') return 'Baseline';
  return spec?.tier === 'Baseline' ? 'Baseline' : spec?.tier === 'Admin' ? 'Admin' : String(spec?.tier ?? '?');
}

function namespaces(selector) {
  const terms = selectorTerms(selector);
  return terms.length ? `namespaces with ${terms.join(' and ')}` : 'every namespace';
}

/** A `subject` (or a `namespaces`/`pods` peer) in words. */
export function subjectText(subject) {
  if (subject?.namespaces) return `every pod in ${namespaces(subject.namespaces)}`;
  if (subject?.pods) return `${podsText(subject.pods.podSelector)} in ${namespaces(subject.pods.namespaceSelector)}`;
  return 'no subject written';
}

/** One `from`/`to` entry in words, with its kind: `pods` or `addresses`. */
export function tierPeerText(peer) {
  if (peer?.namespaces || peer?.pods) return { kind: 'pods', text: subjectText(peer) };
  if (Array.isArray(peer?.networks)) return { kind: 'addresses', text: `addresses in ${peer.networks.join(', ')}` };
  if (peer?.nodes) {
    const terms = selectorTerms(peer.nodes);
    return { kind: 'addresses', text: terms.length ? `nodes with ${terms.join(' and ')}` : 'every node' };
  }
  if (Array.isArray(peer?.domainNames)) return { kind: 'addresses', text: `domains ${peer.domainNames.join(', ')}` };
  return { kind: 'pods', text: 'an unknown peer' };
}

/** A v1alpha2 `protocols` entry: `TCP 80`, `UDP 53-60`, `TCP port named http`. */
function protocolText(entry) {
  if (entry?.destinationNamedPort) return `port named ${entry.destinationNamedPort}`;
  const [name, value] = Object.entries(entry ?? {})[0] ?? ['?', {}];
  const port = value?.destinationPort;
  const where = port?.number !== undefined ? ` ${port.number}` : port?.range ? ` ${port.range.start}-${port.range.end}` : ' any port';
  return `${name.toUpperCase()}${where}`;
}

/** A v1alpha1 `ports` entry: `TCP 80`, `TCP 8000-8080`, `port named http`. */
function portText(entry) {
  if (entry?.namedPort) return `port named ${entry.namedPort}`;
  if (entry?.portNumber) return `${entry.portNumber.protocol ?? 'TCP'} ${entry.portNumber.port}`;
  if (entry?.portRange) return `${entry.portRange.protocol ?? 'TCP'} ${entry.portRange.start}-${entry.portRange.end}`;
  return '?';
}

/** A rule's protocols or ports in words, `all traffic` when absent. */
export function tierPortsText(rule) {
  if (Array.isArray(rule?.protocols) && rule.protocols.length) return rule.protocols.map(protocolText).join(', ');
  if (Array.isArray(rule?.ports) && rule.ports.length) return rule.ports.map(portText).join(', ');
  return 'all traffic';
}

/** `accept`, `deny` or `pass` (v1alpha1's `Allow` is `accept`). */
export function actionOf(rule) {
  const action = String(rule?.action ?? '').toLowerCase();
  return action === 'allow' ? 'accept' : action;
}

/**
 * One direction of a cluster-wide policy as boxes to draw: `{state, peers}` where
 * state is `none` (no rule for it: this policy leaves it to the next layer) or
 * `rules`, and each peer is `{kind, action, text, ports, rule}`, in rule order.
 */
export function tierDirection(spec, direction) {
  const rules = Array.isArray(spec?.[direction]) ? spec[direction] : [];
  if (!rules.length) return { state: 'none', peers: [] };
  const field = direction === 'ingress' ? 'from' : 'to';
  const peers = [];
  rules.forEach((rule, index) => {
    const action = actionOf(rule);
    const ports = tierPortsText(rule);
    const named = rule?.name ? `${rule.name}: ` : '';
    for (const peer of Array.isArray(rule?.[field]) ? rule[field] : []) {
      const { kind, text } = tierPeerText(peer);
      peers.push({ kind, action, text: `${named}${text}`, ports, rule: index });
    }
  });
  return { state: 'rules', peers };
}
