// The tutorial's example app and steps: from no policy to a sound posture, following
// the rule catalogue's advice. Each step's checks ask the engine's answers (the lint
// findings and the connectivity matrix of the current text), never the text itself.
// Pure data and functions (no DOM), so the steps are also tested in Node.
import { allowedPairs, allows, endpointOf } from './score.js';

/** The example app: a shop (frontend, backend) and its database in two namespaces. */
export const TUTORIAL_CLUSTER = `# The tutorial's app: frontend and backend in \`shop\`, the database in \`data\`,
# and the cluster DNS in \`kube-system\`.
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: data
---
apiVersion: v1
kind: Pod
metadata:
  name: frontend
  namespace: shop
  labels: {app: frontend}
spec:
  containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
status: {podIP: 10.1.0.10}
---
apiVersion: v1
kind: Pod
metadata:
  name: backend
  namespace: shop
  labels: {app: backend}
spec:
  containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]
status: {podIP: 10.1.0.20}
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  namespace: data
  labels: {app: db}
spec:
  containers: [{name: postgres, image: postgres, ports: [{containerPort: 5432}]}]
status: {podIP: 10.1.0.30}
---
apiVersion: v1
kind: Pod
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  containers: [{name: coredns, image: coredns, ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}]}]
status: {podIP: 10.1.0.53}
`;

/** The policies pane when the tutorial starts. */
export const TUTORIAL_START = '# Policies for the tutorial\'s app go here.\n';

const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: data
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

const FRONT_TO_BACK = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-from-frontend
  namespace: shop
spec:
  podSelector: {matchLabels: {app: backend}}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: frontend}}
    ports:
    - {protocol: TCP, port: 8080}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-to-backend
  namespace: shop
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector: {matchLabels: {app: backend}}
    ports:
    - {protocol: TCP, port: 8080}
`;

const BACK_TO_DB = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-from-backend
  namespace: data
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
      podSelector: {matchLabels: {app: backend}}
    ports:
    - {protocol: TCP, port: 5432}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-to-db
  namespace: shop
spec:
  podSelector: {matchLabels: {app: backend}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: data}}
      podSelector: {matchLabels: {app: db}}
    ports:
    - {protocol: TCP, port: 5432}
`;

const dnsPolicy = (ns) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
`;

const PAYMENTS = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-to-payments
  namespace: shop
spec:
  podSelector: {matchLabels: {app: backend}}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 203.0.113.0/24}
    ports:
    - {protocol: TCP, port: 443}
`;

const CDN = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-to-cdn
  namespace: shop
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock:
        cidr: 0.0.0.0/0
        except:
        - 169.254.169.254/32
        - 100.100.100.200/32
        - 10.0.0.0/8
        - 172.16.0.0/12
        - 192.168.0.0/16
    ports:
    - {protocol: TCP, port: 443}
`;

/** The endpoint id of `ns/name` (as written) or of an address (its class in `matrix`). */
const endpointId = (matrix, who) => (who.includes('/') ? who : endpointOf(matrix, who)?.id ?? who);

/** The questions a check asks of one analysis. */
export function askerOf(lint, matrix) {
  const pairs = allowedPairs(matrix);
  const findings = lint?.findings ?? [];
  const id = (who) => endpointId(matrix, who);
  return {
    /** Whether `from` may reach `to` (ids or addresses) on the port and protocol. */
    allows: (from, to, port, protocol) => allows(matrix, id(from), id(to), port, protocol, pairs),
    /** Whether some finding of `rule` remains (about namespace `ns` when given). */
    has: (rule, ns) => findings.some((f) => f.ruleId === rule && (!ns || f.resource?.namespace === ns || f.resource?.name === ns || f.message?.includes(`\`${ns}\``))),
    /** Whether the matrix knows the endpoint. */
    knows: (who) => (matrix?.endpoints ?? []).some((e) => e.id === who),
  };
}

const APP = ['shop/frontend', 'shop/backend', 'data/db'];

/** The endpoints of the tutorial's small matrix: the app, the DNS, and two addresses. */
export const APP_VIEW = { sources: [...APP], destinations: [...APP, 'kube-system/coredns', '8.8.8.8', '169.254.169.254'] };

/**
 * What the matrix allows between the app's endpoints: for each source and destination
 * of APP_VIEW, the allowed ports as text (`TCP 8080`, `UDP 53, TCP 53`, `all`, ``).
 */
export function appMatrix(matrix) {
  const pairs = allowedPairs(matrix);
  const id = (who) => endpointId(matrix, who);
  const text = (allowed) => {
    const every = allowed.length === 3 && allowed.every((a) => a.ports.some(([lo, hi]) => lo <= 1 && hi >= 65535));
    if (every) return 'all';
    return allowed.map((a) => `${a.protocol} ${a.ports.map(([lo, hi]) => (lo <= 1 && hi >= 65535 ? 'all' : lo === hi ? lo : `${lo}-${hi}`)).join(' ')}`).join(', ');
  };
  return APP_VIEW.sources.map((from) => APP_VIEW.destinations.map((to) => (from === to ? null : text(pairs.get(`${id(from)}\n${id(to)}`) ?? []))));
}
const flow = (from, to, port, protocol = 'TCP') => `${from} → ${to} on ${port === undefined ? `any ${protocol} port` : `${protocol} ${port}`}`;
const allowed = (from, to, port, protocol = 'TCP') => ({ text: `${flow(from, to, port, protocol)} is allowed`, flow: { from, to, port, protocol }, test: (q) => q.allows(from, to, port, protocol) });
const denied = (from, to, port, protocol = 'TCP') => ({ text: `${flow(from, to, port, protocol)} is denied`, flow: { from, to, port: port ?? 80, protocol }, test: (q) => !q.allows(from, to, port, protocol) });
const gone = (rule, ns) => ({ text: `no \`${rule}\` finding${ns ? ` for \`${ns}\`` : ''}`, test: (q) => !q.has(rule, ns) });

/**
 * The steps: `{id, title, body, answer, checks: [{text, test(asker)}]}`. `answer` is
 * the whole policies pane once the step is done (each step adds to the previous one).
 */
export const STEPS = [
  {
    id: 'default-deny',
    title: 'Deny everything by default',
    body: 'Pods that no policy selects accept and send anything: every cell of the matrix is green. Add to each of `shop` and `data` a policy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules.',
    answer: DENY,
    checks: [
      gone('namespace-missing-default-deny', 'shop'),
      gone('namespace-missing-default-deny', 'data'),
      denied('shop/frontend', 'shop/backend'),
      denied('shop/backend', 'data/db'),
      denied('203.0.113.7', 'shop/frontend'),
      denied('shop/frontend', '8.8.8.8'),
    ],
  },
  {
    id: 'pod-labels',
    title: 'Allow by pod labels, ports and protocols',
    body: 'The frontend calls the backend on TCP 8080. Allow it on both sides: an ingress policy selecting `app: backend` with a `podSelector` peer `app: frontend`, and an egress policy for the frontend. Name the port and the protocol: a rule without `ports` opens every port.',
    answer: DENY + FRONT_TO_BACK,
    checks: [
      allowed('shop/frontend', 'shop/backend', 8080),
      denied('shop/frontend', 'shop/backend', 22),
      denied('shop/backend', 'shop/frontend'),
      denied('shop/frontend', 'data/db'),
      gone('rule-without-ports'),
    ],
  },
  {
    id: 'namespace-labels',
    title: 'Cross namespaces with kubernetes.io/metadata.name',
    body: 'The backend reads the database in `data` on TCP 5432. Select the other namespace by `kubernetes.io/metadata.name` (Kubernetes sets it; custom labels can be added by anyone who may label namespaces), and always pair the `namespaceSelector` with a `podSelector` in the same peer: a namespace alone admits every pod in it.',
    answer: DENY + FRONT_TO_BACK + BACK_TO_DB,
    checks: [
      allowed('shop/backend', 'data/db', 5432),
      denied('shop/backend', 'data/db', 22),
      denied('shop/frontend', 'data/db', 5432),
      gone('peer-namespace-selector-only'),
      gone('namespace-selector-custom-label'),
    ],
  },
  {
    id: 'dns',
    title: 'Allow DNS egress',
    body: 'With egress denied, the pods cannot resolve names. In each namespace allow egress to the cluster DNS (`k8s-app: kube-dns` in `kube-system`) on UDP and TCP port 53, and nothing else.',
    answer: DENY + FRONT_TO_BACK + BACK_TO_DB + dnsPolicy('shop') + dnsPolicy('data'),
    checks: [
      allowed('shop/frontend', 'kube-system/coredns', 53, 'UDP'),
      allowed('data/db', 'kube-system/coredns', 53, 'TCP'),
      denied('shop/frontend', 'kube-system/coredns', 80),
      gone('dns-egress-blocked'),
    ],
  },
  {
    id: 'known-ranges',
    title: 'ipBlocks for known external ranges',
    body: 'The backend calls a payment provider at `203.0.113.0/24` on TCP 443. Allow exactly that range and port in an egress `ipBlock` for the backend, not the whole internet.',
    answer: DENY + FRONT_TO_BACK + BACK_TO_DB + dnsPolicy('shop') + dnsPolicy('data') + PAYMENTS,
    checks: [
      allowed('shop/backend', '203.0.113.7', 443),
      denied('shop/backend', '198.51.100.7', 443),
      denied('shop/frontend', '203.0.113.7', 443),
      gone('ipblock-anywhere'),
    ],
  },
  {
    id: 'metadata',
    title: 'Except the cloud metadata address',
    body: 'The frontend fetches from public CDNs on TCP 443, so it needs `0.0.0.0/0`. Except the cloud metadata addresses from that ipBlock (`169.254.169.254/32` on most clouds, `100.100.100.200/32` on Alibaba Cloud: they hand out the node\'s credentials), and the private ranges the cluster lives in (`10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`): the pods are reached by their labels, not by address.',
    answer: DENY + FRONT_TO_BACK + BACK_TO_DB + dnsPolicy('shop') + dnsPolicy('data') + PAYMENTS + CDN,
    checks: [
      allowed('shop/frontend', '8.8.8.8', 443),
      denied('shop/frontend', '169.254.169.254', 80),
      denied('shop/frontend', '169.254.169.254', 443),
      denied('shop/frontend', 'data/db', 5432),
      gone('ipblock-allows-metadata'),
    ],
  },
];

/**
 * The results of a step's checks on one analysis: `[{text, pass, flow}]` (`flow` for
 * the checks about a connection). Nothing passes while the app's pods are missing.
 */
export function checkStep(step, lint, matrix) {
  const asker = askerOf(lint, matrix);
  const ready = APP.every((who) => asker.knows(who));
  return step.checks.map((c) => ({ text: c.text, flow: c.flow, pass: ready && Boolean(c.test(asker)) }));
}
