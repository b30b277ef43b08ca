// Manifest files into the playground's two panes: policies (NetworkPolicies, the
// cluster-wide policies and ConnectivityTests) and the cluster (everything else).
// Documents keep their text as written; a List holding both sorts (a whole
// `kubectl get -o yaml` dump) is split into its items, written again as YAML.
import { parseAllDocuments, stringify } from 'yaml';

/** The kinds that go to the policies pane; every other kind is a cluster object. */
export const POLICY_KINDS = new Set([
  'NetworkPolicy',
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ConnectivityTest',
]);

/** The pane (`policies` or `cluster`) of an object of `kind`. */
export function paneOfKind(kind) {
  return POLICY_KINDS.has(kind) ? 'policies' : 'cluster';
}

/** The names a file may have to be read as a manifest. */
export const MANIFEST_NAME = /\.(ya?ml|json)$/i;

/** `text` cut before each `---` line: [{text, line}], `line` 1-based. */
function documentTexts(text) {
  const found = [];
  let start = 0;
  let startLine = 1;
  const lines = text.split('\n');
  let offset = 0;
  lines.forEach((line, i) => {
    if (i > 0 && /^---(\s|$)/.test(line)) {
      found.push({ text: text.slice(start, offset), line: startLine });
      start = offset;
      startLine = i + 1;
    }
    offset += line.length + 1;
  });
  found.push({ text: text.slice(start), line: startLine });
  return found;
}

/** The parse error of a YAML document, as `line N: message`. */
function errorText(error, firstLine) {
  const at = error.linePos?.[0]?.line;
  const message = String(error.message).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return at ? `line ${firstLine + at - 1}: ${message}` : message;
}

/**
 * Sorts one file's documents into the panes: `{policies: [text], cluster: [text],
 * objects: {policies, cluster}, problem}` (`objects` counts them, List items one by
 * one) where `problem` (a sentence, or null) says why the file was not read.
 */
export function sortFile(name, text) {
  const panes = { policies: [], cluster: [], objects: { policies: 0, cluster: 0 } };
  for (const piece of documentTexts(text)) {
    let docs;
    try {
      docs = parseAllDocuments(piece.text, { uniqueKeys: false });
    } catch (err) {
      return { ...panes, problem: `${name}: not YAML or JSON (${String(err.message)})` };
    }
    const all = Array.isArray(docs) ? docs : [docs];
    for (const doc of all) {
      if (doc.errors?.length) {
        return { ...panes, problem: `${name}: not YAML or JSON, ${errorText(doc.errors[0], piece.line)}` };
      }
      let object;
      try {
        object = doc.toJS({ maxAliasCount: 100 });
      } catch (err) {
        return { ...panes, problem: `${name}: ${String(err.message)}` };
      }
      if (object === null || object === undefined) continue; // comments only
      if (typeof object !== 'object' || Array.isArray(object)) {
        return { ...panes, problem: `${name}: line ${piece.line}: not a Kubernetes object (a mapping with a kind)` };
      }
      // As written, unless the piece holds several documents (`...` markers).
      const written = all.length === 1 ? piece.text.replace(/^---[^\n]*\n?/, '').trim() : stringify(object).trim();
      sortObject(object, written, panes);
    }
  }
  return { ...panes, problem: null };
}

/** Puts one object (or a List's items) into `panes`, as written when it fits one pane. */
function sortObject(object, written, panes) {
  const items = Array.isArray(object.items) && /List$/.test(String(object.kind ?? '')) ? object.items : null;
  for (const item of items ?? [object]) panes.objects[paneOfKind(item?.kind)] += 1;
  if (!items) {
    panes[paneOfKind(object.kind)].push(written);
    return;
  }
  const targets = new Set(items.map((item) => paneOfKind(item?.kind)));
  if (targets.size <= 1) {
    if (items.length) panes[[...targets][0]].push(written);
    return;
  }
  for (const item of items) panes[paneOfKind(item?.kind)].push(stringify(item).trim());
}

/**
 * The panes' text from several files ([{name, text}] or [{name, problem}] for a file
 * that could not be decoded): `{policies, cluster, read, objects, problems}`, each
 * file's part headed by a `# name` comment; `read` counts the files read, `objects`
 * the objects put in each pane.
 */
export function sortFiles(files) {
  const panes = { policies: [], cluster: [] };
  const objects = { policies: 0, cluster: 0 };
  const problems = [];
  let read = 0;
  for (const file of files) {
    if (file.problem) {
      problems.push(`${file.name}: ${file.problem}`);
      continue;
    }
    const sorted = sortFile(file.name, file.text);
    if (sorted.problem) {
      problems.push(sorted.problem);
      continue;
    }
    read += 1;
    for (const pane of ['policies', 'cluster']) {
      objects[pane] += sorted.objects[pane];
      if (sorted[pane].length) panes[pane].push(`# ${file.name}\n${sorted[pane].join('\n---\n')}`);
    }
  }
  const joined = (docs) => (docs.length ? `${docs.join('\n---\n')}\n` : '');
  return { policies: joined(panes.policies), cluster: joined(panes.cluster), read, objects, problems };
}
