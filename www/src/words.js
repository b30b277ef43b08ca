// A NetworkPolicy's parts in words, for the picture: selectors, peers, ports, and
// which directions the policy isolates (netpol's defaulting of `policyTypes`).

const NAME_LABEL = 'kubernetes.io/metadata.name';

function list(values) {
  return Array.isArray(values) ? values.map(String).join(', ') : '';
}

/** The terms of a label selector (`app=web`, `tier in (a, b)`, `has k`); [] selects all. */
export function selectorTerms(selector) {
  if (!selector || typeof selector !== 'object') return [];
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const req of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const key = String(req?.key ?? '?');
    const op = String(req?.operator ?? '');
    if (op === 'In') terms.push(`${key} in (${list(req.values)})`);
    else if (op === 'NotIn') terms.push(`${key} not in (${list(req.values)})`);
    else if (op === 'Exists') terms.push(`has ${key}`);
    else if (op === 'DoesNotExist') terms.push(`no ${key}`);
    else terms.push(`${key} ${op} (${list(req.values)})`);
  }
  return terms;
}

/** `namespace shop`, `every namespace` or `namespaces with team=a`. */
function namespacesText(selector) {
  const terms = selectorTerms(selector);
  if (!terms.length) return 'every namespace';
  const only = Object.keys(selector.matchLabels ?? {});
  if (terms.length === 1 && only.length === 1 && only[0] === NAME_LABEL) {
    return `namespace ${selector.matchLabels[NAME_LABEL]}`;
  }
  return `namespaces with ${terms.join(' and ')}`;
}

/** The pods a `podSelector` picks, in words (`every pod`, `pods with app=web`). */
export function podsText(selector) {
  const terms = selectorTerms(selector);
  return terms.length ? `pods with ${terms.join(' and ')}` : 'every pod';
}

/** One `from`/`to` entry in words, with its kind: `pods` or `addresses`. */
export function peerText(peer, namespace) {
  if (peer?.ipBlock) {
    const except = Array.isArray(peer.ipBlock.except) && peer.ipBlock.except.length
      ? ` except ${list(peer.ipBlock.except)}`
      : '';
    return { kind: 'addresses', text: `addresses in ${peer.ipBlock.cidr ?? '?'}${except}` };
  }
  const pods = podsText(peer?.podSelector);
  const where = peer?.namespaceSelector ? namespacesText(peer.namespaceSelector) : `namespace ${namespace}`;
  return { kind: 'pods', text: `${pods} in ${where}` };
}

/** A rule's `ports` in words: `TCP 80, UDP 53`, `TCP 8000-8080`, or `any port`. */
export function portsText(ports) {
  if (!Array.isArray(ports) || !ports.length) return 'any port';
  return ports
    .map((p) => {
      const protocol = p?.protocol ?? 'TCP';
      if (p?.port === undefined || p?.port === null) return `${protocol} any port`;
      return `${protocol} ${p.port}${p.endPort ? `-${p.endPort}` : ''}`;
    })
    .join(', ');
}

/** Whether the policy isolates `direction` (`ingress`|`egress`): `policyTypes` when
 * written and non-empty; otherwise ingress always, egress when it has a rule. */
export function isolates(spec, direction) {
  const types = Array.isArray(spec?.policyTypes) ? spec.policyTypes : [];
  if (types.length) return types.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
  return direction === 'ingress' || (Array.isArray(spec?.egress) && spec.egress.length > 0);
}

/**
 * One direction of a policy as boxes to draw: `{state, peers}` where state is
 * `open` (not isolated by this policy), `deny` (isolated, no rule) or `allow`,
 * and each peer is `{kind, text, ports, rule}`.
 */
export function directionPeers(spec, direction, namespace) {
  if (!isolates(spec, direction)) return { state: 'open', peers: [] };
  const rules = Array.isArray(spec?.[direction]) ? spec[direction] : [];
  if (!rules.length) return { state: 'deny', peers: [] };
  const field = direction === 'ingress' ? 'from' : 'to';
  const peers = [];
  rules.forEach((rule, index) => {
    const ports = portsText(rule?.ports);
    const written = Array.isArray(rule?.[field]) ? rule[field] : [];
    if (!written.length) {
      peers.push({ kind: 'anyone', text: 'anyone: every pod of every namespace and every address', ports, rule: index });
    }
    for (const peer of written) peers.push({ ...peerText(peer, namespace), ports, rule: index });
  });
  return { state: 'allow', peers };
}
