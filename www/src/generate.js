// Generate policies: least-privilege NetworkPolicies for a flow file (Hubble's JSON
// export or CSV, pasted or opened) and/or the ConnectivityTests of the panes, asked
// of netpol's workspace in the worker (`synthesize`, docs/synthesize.md). The page
// shows the engine's proof (required flows allowed, deny cases denied, what the
// rules allow beyond the requirements and why) or why nothing can be generated, and
// offers the YAML: added to the Policies pane, or downloaded.
import { Cancelled } from './engine.js';
import { saveText } from './download.js';
import { esc } from './dom.js';

/** Past this size a flow file is not read into the page. */
export const MAX_FLOW_BYTES = 20 * 1024 * 1024;

/** How many of the beyond-the-requirements entries and left-out lines are listed. */
const LIST_LIMIT = 50;

/** The YAML stream of a synthesize answer: the cluster-wide policy first, then the
 * namespaces in order (as `netpol synthesize` writes it). */
export function streamOf(answer) {
  return (answer.cluster ?? '') + (answer.files ?? []).map((f) => f.yaml).join('');
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function listed(items, render, more) {
  const shown = items.slice(0, LIST_LIMIT).map(render).join('');
  const rest = items.length > LIST_LIMIT ? `<li class="more">and ${items.length - LIST_LIMIT} ${more}</li>` : '';
  return shown + rest;
}

function problemsHtml(problems) {
  if (!problems?.length) return '';
  const item = (p) => `<li data-testid="generate-problem">${p.line ? `line ${p.line}: ` : ''}${esc(p.message)}</li>`;
  return `<p>Left out (${problems.length}):</p><ul class="generate-problems">${listed(problems, item, 'more')}</ul>`;
}

/** The answer as HTML: the refusal, or the proof with the extras and their reasons. */
export function proofHtml(answer) {
  if (!answer || answer.ok === false) {
    return `<p class="banner-error" data-testid="generate-error">Nothing generated: ${esc(answer?.error ?? 'no answer')}</p>`;
  }
  if (answer.error) {
    return `<p class="banner-error" data-testid="generate-error">Nothing generated: ${esc(answer.error)}</p>${problemsHtml(answer.problems)}`;
  }
  const { proof } = answer;
  const namespaces = (answer.files ?? []).map((f) => f.namespace);
  const what = [
    answer.cluster ? 'one cluster-wide baseline policy' : '',
    namespaces.length ? `policies for ${plural(namespaces.length, 'namespace')} (${namespaces.join(', ')})` : '',
  ].filter(Boolean).join(' and ');
  const beyond = (b) => `<li data-testid="generate-beyond"><code>${esc(b.policy)}</code> ${esc(b.rule)} (${esc(b.ports.join(' '))}) allows `
    + `${b.exact ? '' : 'at least '}${plural(b.pairs, 'more pair')}, e.g. <code>${esc(b.example)}</code>: ${esc(b.reason)}</li>`;
  const extras = proof.beyond.length
    ? `<p>Allowed beyond the requirements:</p><ul class="generate-beyond">${listed(proof.beyond, beyond, 'more rules')}</ul>`
    : '<p>Nothing is allowed beyond the requirements.</p>';
  return `<p data-testid="generate-proof" data-allowed="${proof.allowed}" data-required="${proof.required}" data-denied="${proof.denied}" data-forbidden="${proof.forbidden}">`
    + `Proved by netpol: ${proof.allowed}/${plural(proof.required, 'required flow')} allowed, `
    + `${proof.denied}/${plural(proof.forbidden, 'deny case')} denied. Generated ${what || 'nothing'}.</p>`
    + extras + problemsHtml(answer.problems);
}

/** The panel's elements (index.html), by their ids `generate-*`. */
function panelElements() {
  const $ = (id) => document.getElementById(`generate-${id}`);
  const ids = ['flows', 'open', 'file', 'tests', 'baseline', 'run', 'result', 'actions', 'insert', 'download', 'yaml'];
  return Object.fromEntries(ids.map((id) => [id, $(id)]));
}

/**
 * Mounts the panel. `engine` runs the worker's `synthesize` job on `sources()`;
 * `addPolicies(yaml)` appends the generated YAML to the Policies pane.
 */
export function mountGenerate({ engine, sources, addPolicies }) {
  const ui = panelElements();
  let stream = '';

  const show = (html, yaml) => {
    stream = yaml;
    ui.result.innerHTML = html;
    ui.yaml.textContent = yaml;
    ui.yaml.classList.toggle('hidden', !yaml);
    ui.actions.classList.toggle('hidden', !yaml);
  };
  /** Shows a finished generation (counted, for scripts driving the page). */
  const answered = (html, yaml) => {
    show(html, yaml);
    document.body.dataset.generated = String(Number(document.body.dataset.generated ?? 0) + 1);
  };

  async function generate() {
    const flows = ui.flows.value;
    const tests = ui.tests.checked;
    if (!flows.trim() && !tests) {
      answered('<p class="banner-error" data-testid="generate-error">Give a flow file, or use the ConnectivityTests of the panes.</p>', '');
      return;
    }
    const request = { tests, clusterBaseline: ui.baseline.checked };
    if (flows.trim()) request.flows = flows;
    ui.result.innerHTML = '<p>Generating…</p>';
    let answer;
    try {
      answer = await engine.ask('synthesize', sources(), request);
    } catch (err) {
      if (err instanceof Cancelled) return;
      answer = { ok: false, error: err.message };
    }
    const ok = answer && answer.ok !== false && !answer.error;
    answered(proofHtml(answer), ok ? streamOf(answer) : '');
  }

  ui.run.addEventListener('click', generate);
  ui.open.addEventListener('click', () => ui.file.click());
  ui.file.addEventListener('change', async () => {
    const [file] = ui.file.files;
    ui.file.value = '';
    if (!file) return;
    if (file.size > MAX_FLOW_BYTES) {
      show(`<p class="banner-error" data-testid="generate-error">${esc(file.name)} is larger than ${MAX_FLOW_BYTES / 1024 / 1024} MB: not read.</p>`, '');
      return;
    }
    ui.flows.value = await file.text();
    ui.result.innerHTML = `<p>Read ${esc(file.name)}: press Generate.</p>`;
  });
  ui.insert.addEventListener('click', () => {
    if (stream) addPolicies(stream);
  });
  ui.download.addEventListener('click', () => {
    if (stream) saveText(stream, 'synthesized-policies.yaml');
  });
}
