// The engine's Web Worker: runs netpol (the npm package's browser build) off the
// page's thread. The page hands over an already compiled WebAssembly.Module, so a
// worker restarted to cancel a job starts again without the network.
//
// One workspace lives here: the first job loads it, later jobs `update` only the
// panes whose text changed (and `remove` those gone), and every question (lint,
// matrix, query) is asked of it, so an edit re-reads one pane, not all of them.
//
// Messages in:  {type: 'init', module}
//               {type: 'analyze', id, sources, payload: {port}}
//                                                     → 'lint', 'matrix', 'heatmap', 'score' (partial), 'done' (ms)
//               {type: 'heatmap', id, sources, payload: {port}} → 'done' with the heatmap answer
//               {type: 'query', id, sources, flow}    → 'done' with the query JSON
//               {type: 'picture' | 'selecting' | 'compare', id, sources, payload}
//                                                     → 'done' (views-worker.js)
//               {type: 'manifests', id, payload: files} → 'done' (manifests.js's sortFiles)
//               {type: 'synthesize', id, sources, payload: request} → 'done' with the
//                                                     synthesize answer (generate.js)
// Messages out: {type: 'ready', version, rules} | {type: 'failed', error}
//               {type: 'partial', id, key, value, ms} | {type: 'done', id, value, ms}
//               {type: 'error', id, error}
import init, { load, portsText, rules, version } from 'netpol/web';
import { compare, picture, selecting } from './views-worker.js';
import { computeScore } from './score.js';
import { sortFiles } from './manifests.js';

let ready = null;
/** The loaded workspace and the text of each of its sources, by name. */
let workspace = null;
const texts = new Map();

function errorText(err) {
  return String((err && (err.message || err.toString())) || err);
}

function timed(fn) {
  const start = performance.now();
  const value = fn();
  return { value, ms: Math.round(performance.now() - start) };
}

async function start(module) {
  await init({ module_or_path: module });
  const catalogue = rules();
  return { version: version(), rules: Array.isArray(catalogue) ? catalogue : catalogue.rules ?? [] };
}

/** The workspace holding exactly `sources` ([{name, text}]): loaded the first time,
 * then brought up to date one changed source at a time. */
function workspaceOf(sources) {
  if (!workspace) {
    workspace = load(sources);
    sources.forEach(({ name, text }) => texts.set(name, text));
    return workspace;
  }
  const names = new Set(sources.map(({ name }) => name));
  for (const name of [...texts.keys()]) {
    if (!names.has(name)) {
      workspace.remove(name);
      texts.delete(name);
    }
  }
  for (const { name, text } of sources) {
    if (texts.get(name) !== text) {
      workspace.update(name, text);
      texts.set(name, text);
    }
  }
  return workspace;
}

function analyze(id, sources, view) {
  const linted = timed(() => workspaceOf(sources).lint());
  postMessage({ type: 'partial', id, key: 'lint', ...linted });
  const drawn = timed(() => workspaceOf(sources).matrix());
  postMessage({ type: 'partial', id, key: 'matrix', ...drawn });
  // The heatmap's states under the page's port filter, its port texts and addresses.
  postMessage({ type: 'partial', id, key: 'heatmap', ...timed(() => workspaceOf(sources).heatmap(view ?? {})) });
  // The posture score (docs/score.md) of these two answers.
  postMessage({ type: 'partial', id, key: 'score', ...timed(() => computeScore(linted.value, drawn.value)) });
  postMessage({ type: 'done', id, value: linted.ms + drawn.ms });
}

function explain(id, sources, flow) {
  postMessage({ type: 'done', id, ...timed(() => workspaceOf(sources).query(flow)) });
}

/** A diff answer with each change's allowed ports as text (`ports`, from the engine). */
function withPortsText(diff) {
  if (diff?.ok === false) return diff;
  for (const change of [...(diff.added ?? []), ...(diff.removed ?? [])]) change.ports = portsText(change.allowed ?? []);
  return diff;
}

/** The questions of the heatmap, the pictures and the comparison, by job type. */
const VIEWS = {
  picture: (sources, { text, chosen }) => picture(workspaceOf(sources), text, chosen),
  selecting: (sources, { id }) => selecting(workspaceOf(sources), id),
  heatmap: (sources, view) => workspaceOf(sources).heatmap(view),
  compare: (_sources, versions) => withPortsText(compare(load, versions)),
  manifests: (_sources, files) => sortFiles(files),
  synthesize: (sources, request) => workspaceOf(sources).synthesize(request),
};

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === 'init') {
    ready = start(msg.module);
    ready.then(
      (info) => postMessage({ type: 'ready', ...info }),
      (err) => postMessage({ type: 'failed', error: errorText(err) }),
    );
    return;
  }
  try {
    await ready;
    if (msg.type === 'analyze') analyze(msg.id, msg.sources, msg.payload);
    else if (msg.type === 'query') explain(msg.id, msg.sources, msg.flow);
    else if (VIEWS[msg.type]) postMessage({ type: 'done', id: msg.id, ...timed(() => VIEWS[msg.type](msg.sources, msg.payload)) });
    else throw new Error(`unknown job ${msg.type}`);
  } catch (err) {
    postMessage({ type: 'error', id: msg.id, error: errorText(err) });
  }
};
