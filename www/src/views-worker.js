// The worker's answers for the pictures and the comparison, all asked of netpol's
// workspace: the NetworkPolicies (and cluster-wide policies) of the policies pane (their structure as written,
// read with the `yaml` package, with the pods netpol says each one selects), the
// policies selecting one endpoint, and the diff of two versions.
import { LineCounter, parseAllDocuments } from 'yaml';
import { CLUSTER_KINDS, tierOf } from './tier-words.js';

/** At most this many pods of a namespace are checked for a policy's selection. */
export const SELECTION_LIMIT = 200;

/** The policies read from each document, by the document's text: after an edit only
 * the changed documents are read again. */
let cache = new Map();

/** `text` cut before each `---` line: [{text, line}] with `line` the 1-based line
 * where the piece starts (it keeps its `---`, so its own lines count from there). */
function pieces(text) {
  const found = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    line += 1;
    if (text.startsWith('---', at + 1) && /^---(\s|$)/.test(text.slice(at + 1, at + 5))) {
      found.push({ text: text.slice(start, at + 1), line: startLine });
      start = at + 1;
      startLine = line;
    }
  }
  found.push({ text: text.slice(start), line: startLine });
  return found;
}

/** The policies of one piece of YAML, lines counted in the piece. */
function piecePolicies(text) {
  const lines = new LineCounter();
  const policies = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  } catch {
    return policies;
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    let object;
    try {
      object = doc.toJS({ maxAliasCount: 100 });
    } catch {
      continue; // netpol's findings say what is wrong with this document
    }
    const list = object?.kind === 'List' && Array.isArray(object.items);
    (list ? object.items : [object]).forEach((item, i) => {
      const clusterWide = CLUSTER_KINDS.has(item?.kind);
      if ((item?.kind !== 'NetworkPolicy' && !clusterWide) || typeof item.metadata?.name !== 'string') return;
      // Where it is written: the document, or the List's item.
      const range = (list ? doc.getIn(['items', i], true)?.range : doc.contents?.range) ?? [0, 0];
      const namespace = clusterWide ? null : typeof item.metadata.namespace === 'string' ? item.metadata.namespace : 'default';
      const spec = item.spec && typeof item.spec === 'object' ? item.spec : {};
      // The line of each ingress and egress rule, for the picture's links.
      const path = list ? ['items', i, 'spec'] : ['spec'];
      const ruleLines = {};
      for (const direction of ['ingress', 'egress']) {
        const rules = Array.isArray(spec[direction]) ? spec[direction] : [];
        ruleLines[direction] = rules.map((_, r) => {
          const node = doc.getIn([...path, direction, r], true);
          return node?.range ? lines.linePos(node.range[0]).line : null;
        });
      }
      // A cluster-wide policy has no namespace: its kind names it in the list.
      const cluster = clusterWide ? { tier: tierOf(item.kind, spec), priority: spec.priority } : {};
      policies.push({
        key: `${clusterWide ? item.kind : namespace}/${item.metadata.name}`,
        kind: item.kind,
        ...cluster,
        namespace,
        name: item.metadata.name,
        line: lines.linePos(range[0]).line,
        endLine: lines.linePos(range[1]).line,
        ruleLines,
        spec,
      });
    });
  }
  return policies;
}

/** The NetworkPolicies and cluster-wide policies written in `text`: [{key, kind,
 * namespace (null for a cluster-wide one, which has tier and priority), name, line,
 * endLine, ruleLines: {ingress: [line], egress: [line]}, spec}]. */
export function policiesOf(text) {
  const next = new Map();
  const policies = [];
  for (const piece of pieces(text)) {
    const found = next.get(piece.text) ?? cache.get(piece.text) ?? piecePolicies(piece.text);
    next.set(piece.text, found);
    const shift = (line) => (line === null ? null : line + piece.line - 1);
    for (const p of found) {
      const ruleLines = { ingress: p.ruleLines.ingress.map(shift), egress: p.ruleLines.egress.map(shift) };
      policies.push({ ...p, line: shift(p.line), endLine: shift(p.endLine), ruleLines });
    }
  }
  cache = next;
  return policies;
}

/** The policies isolating `id` as netpol's query tells: {ingress: [ref], egress: [ref]}. */
export function selecting(workspace, id) {
  const answer = workspace.query({ from: id, to: id, port: 1 });
  if (answer?.ok === false) return { ingress: [], egress: [], error: answer.error };
  const refs = (side) => (side?.isolated ? side.isolatedBy ?? [] : []);
  return { ingress: refs(answer.ingress), egress: refs(answer.egress) };
}

/** The endpoints of the policy's namespace that it selects (for either direction). */
export function selectedBy(workspace, policy) {
  const candidates = workspace
    .endpoints()
    .filter((e) => e.kind !== 'External' && e.namespace === policy.namespace);
  const checked = candidates.slice(0, SELECTION_LIMIT);
  const isIt = (ref) => ref.namespace === policy.namespace && ref.name === policy.name;
  const selected = checked
    .filter((e) => {
      const refs = selecting(workspace, e.id);
      return refs.ingress.some(isIt) || refs.egress.some(isIt);
    })
    .map((e) => e.id);
  return { selected, checked: checked.length, candidates: candidates.length };
}

/** The picture's data: the list of policies, and the chosen one with its selection
 * (`chosen` is a key, or a 1-based line of the policies pane). */
export function picture(workspace, text, chosen) {
  const policies = policiesOf(text);
  const policy =
    policies.find((p) => p.key === chosen) ??
    policies.find((p) => typeof chosen === 'number' && p.line <= chosen && chosen <= p.endLine) ??
    policies[0];
  const list = policies.map(({ key, line, endLine }) => ({ key, line, endLine }));
  if (!policy) return { policies: list, policy: null };
  // A cluster-wide policy's subject is drawn as written: its picture lists no pods.
  if (!policy.namespace) return { policies: list, policy };
  return { policies: list, policy: { ...policy, ...selectedBy(workspace, policy) } };
}

/** The diff of two versions of the policies over one cluster, from fresh workspaces. */
export function compare(load, { base, head, cluster }) {
  const base_ = load([{ name: 'base/policies.yaml', text: base }]);
  const head_ = load([{ name: 'head/policies.yaml', text: head }]);
  try {
    if (cluster.trim()) {
      for (const side of [base_, head_]) side.addCluster([{ name: 'cluster/cluster.yaml', text: cluster }]);
    }
    return base_.diff(head_);
  } finally {
    base_.free();
    head_.free();
  }
}
