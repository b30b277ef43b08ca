// The playground page: two editors, the engine worker, findings, query, matrix,
// examples and share links. Everything runs here; nothing is sent anywhere.
import examples from 'virtual:examples';
import { Cancelled, Engine } from './engine.js';
import { createEditor, jumpTo, setDarkTheme, setText, showFindings } from './editor.js';
import { paneOf, renderFindings } from './findings.js';
import { mountGenerate } from './generate.js';
import { mountGuides } from './guides.js';
import { endpointText, indexHeatmap, pairFlow, pairInfo, renderHeatmap, titleCell } from './heatmap.js';
import { readFlow, renderExplanation, writeFlow } from './query.js';
import { renderRules, showRule } from './rules.js';
import { decodeState, encodeState } from './share.js';
import { debounce, esc, richText } from './dom.js';
import { mountUpload } from './upload.js';
import { setupViews } from './views.js';

const PAUSE_MS = 300;
const $ = (id) => document.getElementById(id);

const ui = {
  status: $('status'),
  cancel: $('cancel'),
  version: $('version'),
  examples: $('examples'),
  description: $('example-description'),
  findings: $('findings'),
  findingsSummary: $('findings-summary'),
  form: $('query'),
  explanation: $('explanation'),
  endpointList: $('endpoint-list'),
  matrix: $('matrix'),
  graph: $('graph'),
  matrixNote: $('matrix-note'),
  filterProtocol: $('filter-protocol'),
  filterPort: $('filter-port'),
  filterEndpoints: $('filter-endpoints'),
  viewHeatmap: $('view-heatmap'),
  viewGraph: $('view-graph'),
  rulesDialog: $('rules-dialog'),
  rules: $('rules'),
  toast: $('toast'),
};
ui.form.from = $('query-from');
ui.form.to = $('query-to');
ui.form.port = $('query-port');
ui.form.protocol = $('query-protocol');

const state = {
  example: null,
  filter: { protocol: '', port: null, text: '' },
  view: 'heatmap',
};
let loading = false;
/** The engine's heatmap (indexHeatmap), its states under the port `heatmapPort`. */
let heatmapIndex = indexHeatmap(null);
let heatmapPort = null;
let pendingQuery = null;
let lastAppliedHash = '';
/** The engine's latest answers (lint, matrix, posture score) for the guidance parts (guides.js). */
const latest = { lint: null, matrix: null, score: null };
const analysisListeners = [];

// ---- editors ----------------------------------------------------------------------

const scheduleAnalysis = debounce(() => analyze(), PAUSE_MS);

function edited() {
  if (loading) return;
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  // The user's own text is no longer the example: it stops being highlighted.
  if (state.example !== null) markExample(null);
  scheduleAnalysis();
}

const editors = {
  policies: createEditor($('editor-policies'), { label: 'Policies (YAML)', onChange: edited }),
  cluster: createEditor($('editor-cluster'), { label: 'Cluster objects (YAML)', onChange: edited }),
};

// The views on their containers, for scripts driving the page (the browser tests).
for (const [pane, view] of Object.entries(editors)) $(`editor-${pane}`).editorView = view;

function sources() {
  return [
    { name: 'policies.yaml', text: editors.policies.state.doc.toString() },
    { name: 'cluster.yaml', text: editors.cluster.state.doc.toString() },
  ];
}

function load({ policies = '', cluster = '' }) {
  loading = true;
  try {
    setText(editors.policies, policies);
    setText(editors.cluster, cluster);
  } finally {
    loading = false;
  }
}

function jump(pane, line, column) {
  jumpTo(editors[pane] ?? editors.policies, line, column);
}

// ---- engine -------------------------------------------------------------------------

/** What the status says while a job of each type runs. */
const BUSY_TEXT = { analyze: 'checking…', query: 'explaining…', selecting: 'explaining…', picture: 'drawing…', compare: 'comparing…', synthesize: 'generating…' };
let busyTimer = null;
let lastRunMs = null;

function setStatus(text, kind = '') {
  ui.status.textContent = text;
  ui.status.className = `status ${kind}`;
}

function onBusy(job) {
  clearTimeout(busyTimer);
  if (job) {
    document.body.dataset.busy = 'true';
    busyTimer = setTimeout(() => {
      document.body.dataset.slow = 'true';
      setStatus(BUSY_TEXT[job.type] ?? 'checking…', 'busy');
      ui.cancel.classList.remove('hidden');
    }, 150);
  } else {
    delete document.body.dataset.busy;
    delete document.body.dataset.slow;
    ui.cancel.classList.add('hidden');
    if (ui.status.classList.contains('busy')) setStatus(lastRunMs === null ? '' : `checked in ${lastRunMs} ms`);
  }
}

const engine = new Engine({ workerUrl: 'worker.js', wasmUrl: 'netpol_bg.wasm', onBusy });
const views = setupViews({ engine, editors, sources, jump, form: ui.form, explanation: ui.explanation });

let staleParts = new Set();

/** Dims the panels whose results do not match the text any more (a cancelled check). */
function markStale(parts) {
  ui.findings.closest('.panel').classList.toggle('stale', parts.has('lint'));
  ui.matrix.closest('.panel').classList.toggle('stale', parts.has('matrix'));
  if (parts.size) document.body.dataset.stale = [...parts].join(' ');
  else delete document.body.dataset.stale;
}

async function analyze() {
  scheduleAnalysis.cancel();
  try {
    const pending = new Set(['lint', 'matrix']);
    const { port } = state.filter;
    staleParts = pending;
    lastRunMs = await engine.analyze(sources(), (key, value) => {
      if (key === 'score') {
        latest.score = value;
        return;
      }
      pending.delete(key);
      (key === 'lint' ? ui.findings : ui.matrix).closest('.panel').classList.remove('stale');
      if (key === 'matrix') {
        showMatrix(value);
        return;
      }
      // Timed as performance measures (`render-lint`, `render-matrix`) for the tests.
      const start = performance.now();
      if (key === 'lint') showLint(value);
      else showHeatmap(value, port);
      performance.measure(`render-${key === 'lint' ? 'lint' : 'matrix'}`, { start });
    }, { port });
    setStatus(`checked in ${lastRunMs} ms`);
    markStale(new Set());
    for (const listener of analysisListeners) listener(latest);
    document.body.dataset.analyzed = String(Number(document.body.dataset.analyzed ?? 0) + 1);
    views.analyzed();
    if (pendingQuery) {
      const flow = pendingQuery;
      pendingQuery = null;
      writeFlow(ui.form, flow);
      runQuery();
    } else if (ui.explanation.querySelector('[data-testid="verdict"]')) {
      runQuery(); // keep the explanation in step with the text
    }
  } catch (err) {
    if (err instanceof Cancelled) {
      if (err.message === 'cancelled') {
        setStatus('cancelled: the results shown are out of date');
        markStale(staleParts);
      }
      return;
    }
    setStatus('engine error', 'failed');
    ui.findings.innerHTML = `<li class="empty banner-error">The engine failed: ${esc(err.message)}</li>`;
  }
}

/** An API answer of `{ok: false, error}` (a usage problem) as a sentence. */
function failure(json) {
  return json?.ok === false ? `${json.error}${json.details ? `: ${json.details.trim()}` : ''}` : null;
}

function showLint(json) {
  const failed = failure(json);
  latest.lint = failed ? null : json;
  if (failed) {
    ui.findings.innerHTML = `<li class="empty banner-error">The check did not run: ${esc(failed)}</li>`;
    ui.findingsSummary.textContent = '';
    return;
  }
  const findings = json?.findings ?? [];
  for (const pane of ['policies', 'cluster']) {
    showFindings(editors[pane], findings.filter((f) => paneOf(f.file) === pane));
  }
  renderFindings(ui.findings, ui.findingsSummary, json, {
    onJump: jump,
    onRule: (id) => showRule(ui.rulesDialog, ui.rules, id),
  });
}

function showMatrix(json) {
  const failed = failure(json);
  latest.matrix = failed ? null : json;
  ui.endpointList.innerHTML = (failed ? [] : json.endpoints ?? [])
    .filter((e) => e.kind !== 'External')
    .slice(0, 2000)
    .map((e) => `<option value="${esc(e.id)}"></option>`)
    .join('');
}

/** Draws the engine's heatmap answer, its states under `port`. */
function showHeatmap(json, port) {
  const failed = failure(json);
  heatmapIndex = indexHeatmap(failed ? null : json);
  heatmapPort = port;
  drawMatrix();
  if (failed) ui.matrixNote.textContent = `The connectivity could not be computed: ${failed}`;
}

/** Asks the engine for the heatmap under the filter's port when the one shown is for another. */
function refreshHeatmap() {
  const { port } = state.filter;
  if (port === heatmapPort) return;
  engine.ask('heatmap', sources(), { port }).then(
    (json) => (port === state.filter.port ? showHeatmap(json, port) : undefined),
    (err) => {
      if (!(err instanceof Cancelled)) ui.matrixNote.textContent = `The connectivity could not be computed: ${err.message}`;
    },
  );
}

function drawMatrix() {
  const graph = state.view === 'graph';
  ui.matrix.classList.toggle('hidden', graph);
  ui.graph.classList.toggle('hidden', !graph);
  ui.viewHeatmap.setAttribute('aria-pressed', String(!graph));
  ui.viewGraph.setAttribute('aria-pressed', String(graph));
  ui.matrixNote.textContent = graph
    ? views.drawGraph(heatmapIndex, state.filter)
    : renderHeatmap(ui.matrix, heatmapIndex, state.filter);
}

// ---- query --------------------------------------------------------------------------

async function runQuery() {
  const flow = readFlow(ui.form);
  if (!flow.from || !flow.to || flow.port === '') return;
  try {
    const result = await engine.query(sources(), flow);
    renderExplanation(ui.explanation, result, { onJump: jump });
  } catch (err) {
    if (err instanceof Cancelled) return;
    renderExplanation(ui.explanation, { error: err.message }, { onJump: jump });
  }
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  runQuery();
});

function pickPair(from, to) {
  const { pair } = pairInfo(heatmapIndex, from, to, state.filter);
  const { protocol, port } = pairFlow(pair, state.filter);
  writeFlow(ui.form, {
    from: endpointText(heatmapIndex, from),
    to: endpointText(heatmapIndex, to),
    port: port ?? (ui.form.port.value.trim() || 80),
    protocol,
  });
  runQuery();
}

ui.matrix.addEventListener('click', (event) => {
  const cell = event.target.closest('[data-testid="matrix-cell"]');
  if (!cell || cell.classList.contains('na')) return;
  for (const el of ui.matrix.querySelectorAll('td.picked')) el.classList.remove('picked');
  cell.classList.add('picked');
  pickPair(cell.dataset.from, cell.dataset.to);
});

ui.matrix.addEventListener('mouseover', (event) => {
  const cell = event.target.closest('[data-testid="matrix-cell"]');
  if (cell) titleCell(cell, heatmapIndex);
});

// ---- matrix filter and view ------------------------------------------------------------

function readFilter() {
  const port = Number(ui.filterPort.value.trim());
  state.filter = {
    protocol: ui.filterProtocol.value,
    port: Number.isInteger(port) && port >= 1 && port <= 65535 ? port : null,
    text: ui.filterEndpoints.value,
  };
  drawMatrix();
  refreshHeatmap();
}

const refilter = debounce(readFilter, 120);
ui.filterProtocol.addEventListener('change', readFilter);
ui.filterPort.addEventListener('input', refilter);
ui.filterEndpoints.addEventListener('input', refilter);
ui.viewHeatmap.addEventListener('click', () => {
  state.view = 'heatmap';
  drawMatrix();
});
ui.viewGraph.addEventListener('click', () => {
  state.view = 'graph';
  drawMatrix();
});

function writeFilter(filter = {}) {
  ui.filterProtocol.value = filter.protocol ?? '';
  ui.filterPort.value = filter.port ?? '';
  ui.filterEndpoints.value = filter.text ?? '';
  readFilter();
}

// ---- examples -----------------------------------------------------------------------

function renderExamples() {
  let group = null;
  const parts = [];
  for (const ex of examples) {
    if (ex.group !== group) {
      group = ex.group;
      parts.push(`<span class="group">${esc(group)}:</span>`);
    }
    parts.push(`<button type="button" data-testid="example" data-example="${esc(ex.id)}" title="${esc(ex.description || ex.files.join(', '))}">${esc(ex.title)}</button>`);
  }
  ui.examples.innerHTML = parts.join('');
  ui.examples.addEventListener('click', (event) => {
    const button = event.target.closest('[data-testid="example"]');
    if (!button) return;
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    chooseExample(button.dataset.example);
    ui.explanation.innerHTML = '';
    analyze();
  });
}

function markExample(id) {
  state.example = id;
  const ex = examples.find((e) => e.id === id);
  ui.description.innerHTML = richText(ex?.description ?? '');
  for (const b of ui.examples.querySelectorAll('[data-testid="example"]')) {
    b.setAttribute('aria-current', String(b.dataset.example === id));
  }
}

function chooseExample(id) {
  const ex = examples.find((e) => e.id === id);
  if (!ex) return;
  load(ex);
  markExample(id);
}

// ---- share --------------------------------------------------------------------------

function snapshot() {
  const [policies, cluster] = sources();
  return {
    v: 1,
    example: state.example,
    policies: policies.text,
    cluster: cluster.text,
    query: readFlow(ui.form),
    filter: state.filter,
    view: state.view,
  };
}

function toast(text) {
  ui.toast.textContent = text;
  ui.toast.classList.remove('hidden');
  clearTimeout(ui.toast.timer);
  ui.toast.timer = setTimeout(() => ui.toast.classList.add('hidden'), 3500);
}

$('share').addEventListener('click', async () => {
  const hash = await encodeState(snapshot());
  lastAppliedHash = hash;
  history.replaceState(null, '', hash);
  try {
    await navigator.clipboard.writeText(location.href);
    toast(`Link copied (${location.href.length} characters). It holds the whole state; nothing was uploaded.`);
  } catch {
    toast(`Copy this link from the address bar: the whole state is in it.`);
  }
});

async function restore(hash) {
  const saved = await decodeState(hash);
  if (!saved) return false;
  lastAppliedHash = hash;
  load(saved);
  markExample(saved.example ?? null);
  state.view = saved.view === 'graph' ? 'graph' : 'heatmap';
  writeFilter(saved.filter);
  if (saved.query) writeFlow(ui.form, saved.query);
  pendingQuery = saved.query?.from && saved.query?.to && saved.query?.port !== '' ? saved.query : null;
  ui.explanation.innerHTML = '';
  return true;
}

window.addEventListener('hashchange', async () => {
  if (location.hash === lastAppliedHash) return;
  if (await restore(location.hash)) analyze();
});

// ---- guidance: score, tutorial, builder, theme, keys ---------------------------------

/** Replaces both panes with `input` ({policies, cluster}) and analyses it. */
function setInput(input) {
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  load(input);
  markExample(null);
  ui.explanation.innerHTML = '';
  analyze();
}

mountUpload({
  filesButton: $('open-files'),
  filesInput: $('upload-files'),
  folderButton: $('open-folder'),
  folderInput: $('upload-folder'),
  message: $('upload-message'),
  engine,
  setInput,
});

mountGenerate({
  engine,
  sources,
  /** Appends `yaml` to the Policies pane as an edit (re-checked like typing). */
  addPolicies(yaml) {
    const text = editors.policies.state.doc.toString();
    const joined = text.trim() ? `${text.replace(/\n*$/, '\n')}${yaml}` : yaml;
    setText(editors.policies, joined);
    toast('The generated policies are in the Policies pane.');
  },
});

mountGuides({
  onAnalysis: (listener) => analysisListeners.push(listener),
  latest: () => latest,
  setInput,
  policiesText: () => editors.policies.state.doc.toString(),
  policiesCursor: () => editors.policies.state.selection.main.head,
  /** Replaces the Policies text as an edit (re-checked like typing), cursor at `at`. */
  writePolicies(text, at) {
    setText(editors.policies, text);
    editors.policies.dispatch({ selection: { anchor: Math.min(at, text.length) }, scrollIntoView: true });
  },
  explain(flow) {
    writeFlow(ui.form, flow);
    runQuery();
    ui.explanation.scrollIntoView?.({ block: 'nearest' });
  },
  jump: (file, line, column) => jump(paneOf(file), line, column),
  setDark: (dark) => Object.values(editors).forEach((view) => setDarkTheme(view, dark)),
});

// ---- start --------------------------------------------------------------------------

$('rules-open').addEventListener('click', () => showRule(ui.rulesDialog, ui.rules, null));
ui.cancel.addEventListener('click', () => engine.cancel());

async function start() {
  renderExamples();
  const restored = await restore(location.hash);
  if (!restored && examples.length) chooseExample(examples[0].id);
  setStatus('starting the engine…', 'busy');
  try {
    const info = await engine.start();
    ui.version.textContent = `netpol ${info.version}`;
    renderRules(ui.rules, info.rules);
    setStatus('');
  } catch (err) {
    setStatus('the engine did not start', 'failed');
    ui.findings.innerHTML = `<li class="empty banner-error">The engine did not start: ${esc(err.message)}</li>`;
    return;
  }
  document.body.dataset.ready = 'true';
  await analyze();
}

start();
