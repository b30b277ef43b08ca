// The guided tutorial: the example app of tutorial-steps.js, one step at a time. Each
// step is checked after every analysis of the editors' text, with the engine's answers.
import { APP_VIEW, STEPS, TUTORIAL_CLUSTER, TUTORIAL_START, appMatrix, checkStep } from './tutorial-steps.js';
import { esc, richText } from './dom.js';

function checksHtml(results) {
  return results
    .map((r, i) => {
      const mark = `<span class="mark" aria-hidden="true">${r.pass ? '✓' : '✗'}</span>`;
      const label = `${richText(r.text)}<span class="visually-hidden">${r.pass ? ' (done)' : ' (not yet)'}</span>`;
      const body = r.flow ? `<button type="button" class="linkish" data-action="explain" data-check="${i}" title="Explain this flow">${label}</button>` : label;
      return `<li data-testid="tutorial-check" data-pass="${r.pass}">${mark} ${body}</li>`;
    })
    .join('');
}

/** The app's part of the matrix: what each of its pods may reach, on which ports. */
function appMatrixHtml(matrix) {
  if (!matrix) return '';
  const short = (id) => esc(id.replace(/^[^/]+\//, ''));
  const head = APP_VIEW.destinations.map((to) => `<th scope="col">${short(to)}</th>`).join('');
  const rows = appMatrix(matrix).map((cells, i) => `<tr><th scope="row">${short(APP_VIEW.sources[i])}</th>${cells
    .map((c) => (c === null ? '<td class="self">self</td>' : `<td class="${c ? 'open' : 'closed'}">${c ? esc(c) : 'denied'}</td>`))
    .join('')}</tr>`);
  return `<table class="app-matrix" data-testid="tutorial-matrix"><caption>What the app may reach now (rows: from, columns: to)</caption><thead><tr><td></td>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function stepHtml(step, index, state, results, matrix) {
  const current = index === state.current;
  const passed = state.passed.has(index);
  const head = `<button type="button" class="step-title" data-action="go" data-index="${index}" aria-expanded="${current}">${index + 1}. ${esc(step.title)}${passed ? ' <span class="done">done</span>' : ''}</button>`;
  if (!current) return `<li data-testid="tutorial-step" data-step="${step.id}" data-passed="${passed}">${head}</li>`;
  const last = index === STEPS.length - 1;
  return `<li data-testid="tutorial-step" data-step="${step.id}" data-passed="${passed}" aria-current="step">${head}
    <p>${richText(step.body)}</p>
    <p class="hint">Edit the Policies pane (or load the answer), then read the checks: the engine re-checks after every edit, and the matrix shows the change. Click a flow to explain it.</p>
    <ul class="checks">${checksHtml(results)}</ul>
    ${appMatrixHtml(matrix)}
    <div class="step-actions">
      <button type="button" data-action="answer">Load the answer</button>
      <button type="button" data-action="go" data-index="${index - 1}" ${index === 0 ? 'disabled' : ''}>Back</button>
      <button type="button" data-action="go" data-index="${index + 1}" data-testid="tutorial-next" ${passed && !last ? '' : 'disabled'}>Next step</button>
    </div>
    ${passed && last ? '<p class="finished" role="status">Done: every step holds. The score above shows what is left.</p>' : ''}</li>`;
}

/**
 * Mounts the tutorial in `root` (the element with `data-testid="tutorial"`).
 * `page` gives `onAnalysis(fn)`, `latest()`, `setInput({policies, cluster})` and
 * `explain(flow)`.
 */
export function mountTutorial(root, page) {
  const body = root.querySelector('.tutorial-body');
  const state = { started: false, current: 0, passed: new Set() };
  let results = [];

  function evaluate() {
    const { lint, matrix } = page.latest();
    if (!state.started || !matrix) return;
    results = checkStep(STEPS[state.current], lint, matrix);
    if (results.every((r) => r.pass)) state.passed.add(state.current);
  }

  function render() {
    root.dataset.started = String(state.started);
    if (!state.started) {
      body.innerHTML = `<p>A small shop: <code>frontend</code> and <code>backend</code> in <code>shop</code>, <code>db</code> in <code>data</code>. In ${STEPS.length} steps you go from no policy to a default deny with precise allows, checked by the engine at each step.</p>
        <p class="hint">Starting replaces both editors with the example app.</p>
        <button type="button" data-action="start" data-testid="tutorial-start">Start the tutorial</button>`;
      return;
    }
    const { matrix } = page.latest();
    body.innerHTML = `<ol class="steps">${STEPS.map((s, i) => stepHtml(s, i, state, results, matrix)).join('')}</ol>
      <button type="button" data-action="start" class="restart">Start again</button>`;
  }

  body.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || button.disabled) return;
    const action = button.dataset.action;
    if (action === 'start') {
      Object.assign(state, { started: true, current: 0, passed: new Set() });
      results = [];
      page.setInput({ policies: TUTORIAL_START, cluster: TUTORIAL_CLUSTER });
    } else if (action === 'answer') {
      page.setInput({ policies: STEPS[state.current].answer, cluster: TUTORIAL_CLUSTER });
    } else if (action === 'go') {
      const index = Number(button.dataset.index);
      if (index < 0 || index >= STEPS.length) return;
      state.current = index;
      evaluate();
    } else if (action === 'explain') {
      const flow = results[Number(button.dataset.check)]?.flow;
      if (flow) page.explain(flow);
      return;
    }
    render();
    root.querySelector('[aria-current="step"] .step-title')?.focus();
  });

  page.onAnalysis(() => {
    const hadFocus = body.contains(document.activeElement);
    evaluate();
    render();
    if (hadFocus) root.querySelector('[aria-current="step"] .step-title')?.focus();
  });
  render();
}
