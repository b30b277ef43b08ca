// The pictures and the comparison, wired to the page: the policy picture (chosen from
// the list or by the cursor in the policies editor), the graph of the whole input
// (zoom, pan, search; a click explains an edge or lists the policies selecting a
// node), the comparison of two versions, and the downloads.
import { Cancelled } from './engine.js';
import { renderDiff } from './compare.js';
import { saveSvg, savePng, saveText } from './download.js';
import { matrixGraph, graphSvg } from './graph.js';
import { attachGraph } from './graph-view.js';
import { endpointText, pairFlow, pairInfo } from './heatmap.js';
import { renderPicture } from './picture.js';
import { paneOf } from './findings.js';
import { renderExplanation, writeFlow } from './query.js';
import { debounce, esc } from './dom.js';

const $ = (id) => document.getElementById(id);

/** Ignores a job that a newer one superseded; anything else is shown by `fail`. */
function settle(promise, show, fail) {
  return promise.then(show, (err) => {
    if (!(err instanceof Cancelled)) fail(err);
  });
}

/** A list of policy references as links to their lines. */
function refLinks(refs) {
  if (!refs.length) return '<em>none</em>';
  return refs
    .map((r) => `<a class="ref" href="#" data-pane="${paneOf(r.file)}" data-line="${esc(r.line)}">${esc(`${r.namespace}/${r.name}`)}</a>`)
    .join(', ');
}

/**
 * Sets up the views. `sources()` gives the workspace's sources, `jump(pane, line)`
 * moves an editor's cursor; `form` and `explanation` are the query panel's.
 * Returns `{analyzed(), drawGraph(index, filter)}` for main.js.
 */
export function setupViews({ engine, editors, sources, jump, form, explanation }) {
  const ui = {
    policy: $('picture-policy'),
    picture: $('picture'),
    graphCanvas: $('graph-canvas'),
    graphInfo: $('graph-info'),
    graphSearch: $('graph-search'),
    graphHits: $('graph-hits'),
    diffBase: $('diff-base'),
    diffHead: $('diff-head'),
    diffResult: $('diff-result'),
    diffGraph: $('diff-graph'),
    diffSummary: $('diff-summary'),
  };
  let chosen = null; // a policy key, or a line of the policies pane
  let shownPolicies = [];
  let index = null;

  // ---- the policy picture ----
  const policyText = () => editors.policies.state.doc.toString();
  function refreshPicture() {
    settle(engine.ask('picture', sources(), { text: policyText(), chosen }), (answer) => {
      shownPolicies = answer.policies;
      renderPicture({ select: ui.policy, container: ui.picture }, answer);
    }, (err) => {
      ui.picture.innerHTML = `<p class="banner-error">The picture could not be drawn: ${esc(err.message)}</p>`;
    });
  }
  // The picture is drawn while its panel is on screen; otherwise when it comes into view.
  let pictureShown = true;
  let pictureStale = false;
  function pictureWanted() {
    pictureStale = !pictureShown;
    if (pictureShown) refreshPicture();
  }
  new IntersectionObserver((entries) => {
    pictureShown = entries.some((e) => e.isIntersecting);
    if (pictureShown && pictureStale) pictureWanted();
  }).observe(ui.picture.closest('.panel'));
  ui.policy.addEventListener('change', () => {
    chosen = ui.policy.value;
    const policy = shownPolicies.find((p) => p.key === chosen);
    if (policy) jump('policies', policy.line);
    refreshPicture();
  });
  ui.picture.addEventListener('click', (event) => {
    const linked = event.target.closest('[data-line]');
    if (linked) jump('policies', Number(linked.dataset.line));
  });
  const followCursor = debounce((line) => {
    const current = shownPolicies.find((p) => p.key === ui.policy.value);
    if (current && current.line <= line && line <= current.endLine) return;
    if (!shownPolicies.some((p) => p.line <= line && line <= p.endLine)) return;
    chosen = line;
    refreshPicture();
  }, 200);
  editors.policies.dom.addEventListener('keyup', () => followCursor(cursorLine(editors.policies)));
  editors.policies.dom.addEventListener('pointerup', () => followCursor(cursorLine(editors.policies)));

  // ---- the graph ----
  const graph = attachGraph(ui.graphCanvas, {
    onEdge: (from, to) => explainEdge(from, to),
    onNode: (id) => showSelecting(id),
  });
  function explainEdge(from, to) {
    if (!index?.byId.has(from) || !index.byId.has(to)) {
      ui.graphInfo.innerHTML = `<p>${esc(from)} → ${esc(to)}: connections between namespaces; narrow the endpoint filter to see and explain them one by one.</p>`;
      return;
    }
    const { pair } = pairInfo(index, from, to, {});
    const { protocol, port } = pairFlow(pair, {});
    const flow = { from: endpointText(index, from), to: endpointText(index, to), port: port ?? 80, protocol };
    writeFlow(form, flow);
    settle(engine.query(sources(), flow), (result) => {
      // The explanation shows under the graph; the query form holds the flow to vary it.
      explanation.innerHTML = '';
      renderExplanation(ui.graphInfo, result, { onJump: jump });
    }, (err) => renderExplanation(ui.graphInfo, { error: err.message }, { onJump: jump }));
  }
  function showSelecting(id) {
    const endpoint = index?.byId.get(id);
    if (!endpoint) {
      ui.graphInfo.innerHTML = `<p><code>${esc(id)}</code> stands for several endpoints: narrow the endpoint filter to see them.</p>`;
      return;
    }
    if (endpoint.kind === 'External') {
      ui.graphInfo.innerHTML = `<p><code>${esc(id)}</code> is outside the cluster: no NetworkPolicy selects it.</p>`;
      return;
    }
    settle(engine.ask('selecting', sources(), { id }), (refs) => {
      const none = !refs.ingress.length && !refs.egress.length;
      ui.graphInfo.innerHTML = `<div data-testid="node-policies" data-id="${esc(id)}"><p><strong>${esc(id)}</strong>${none ? ': no NetworkPolicy selects it, so they allow all its traffic (cluster-wide policies may still decide: the arrows show what is allowed).' : ' is selected by'}</p>`
        + (none ? '' : `<p>for ingress: ${refLinks(refs.ingress)}</p><p>for egress: ${refLinks(refs.egress)}</p>`)
        + '</div>';
    }, (err) => {
      ui.graphInfo.innerHTML = `<p class="banner-error">${esc(err.message)}</p>`;
    });
  }
  ui.graphInfo.addEventListener('click', (event) => {
    const link = event.target.closest('a.ref');
    if (!link) return;
    event.preventDefault();
    jump(link.dataset.pane, Number(link.dataset.line));
  });
  const search = () => {
    const hits = graph.search(ui.graphSearch.value);
    ui.graphHits.textContent = ui.graphSearch.value.trim() ? `${hits} match${hits === 1 ? '' : 'es'}` : '';
  };
  ui.graphSearch.addEventListener('input', search);
  ui.graphSearch.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') graph.showFirstHit();
  });
  $('graph-zoom-in').addEventListener('click', () => graph.zoom(1.25));
  $('graph-zoom-out').addEventListener('click', () => graph.zoom(0.8));
  $('graph-fit').addEventListener('click', () => graph.fit());

  // ---- the comparison ----
  function compare() {
    const versions = { base: ui.diffBase.value, head: ui.diffHead.value, cluster: editors.cluster.state.doc.toString() };
    if (!versions.base.trim() && !versions.head.trim()) return;
    settle(engine.ask('compare', null, versions), (diff) => {
      renderDiff({ result: ui.diffResult, graph: ui.diffGraph, summary: ui.diffSummary }, diff);
      document.body.dataset.compared = String(Number(document.body.dataset.compared ?? 0) + 1);
    }, (err) => renderDiff({ result: ui.diffResult, graph: ui.diffGraph, summary: ui.diffSummary }, { ok: false, error: err.message }));
  }
  const compareSoon = debounce(compare, 400);
  ui.diffBase.addEventListener('input', compareSoon);
  ui.diffHead.addEventListener('input', compareSoon);
  $('diff-run').addEventListener('click', compare);
  for (const side of ['base', 'head']) {
    $(`diff-${side}-copy`).addEventListener('click', () => {
      ui[side === 'base' ? 'diffBase' : 'diffHead'].value = policyText();
      compare();
    });
  }

  // ---- downloads ----
  const svgIn = (container) => container.querySelector('svg');
  const named = () => (ui.policy.value || 'policy').replace(/[^\w.-]+/g, '-');
  const downloads = {
    'download-policies': () => saveText(policyText(), 'policies.yaml'),
    'download-cluster': () => saveText(editors.cluster.state.doc.toString(), 'cluster.yaml'),
    'download-picture-svg': () => svgIn(ui.picture) && saveSvg(svgIn(ui.picture), `${named()}.svg`),
    'download-picture-png': () => svgIn(ui.picture) && savePng(svgIn(ui.picture), `${named()}.png`),
    'download-graph-svg': () => svgIn(ui.graphCanvas) && saveSvg(svgIn(ui.graphCanvas), 'netpol-graph.svg'),
    'download-graph-png': () => svgIn(ui.graphCanvas) && savePng(svgIn(ui.graphCanvas), 'netpol-graph.png'),
  };
  for (const [id, run] of Object.entries(downloads)) $(id).addEventListener('click', run);

  return {
    /** After each analysis: the picture follows the new text (once in view). */
    analyzed: pictureWanted,
    /** Draws the graph of the heatmap index under `filter`; returns a note for the page. */
    drawGraph(heatmapIndex, filter) {
      index = heatmapIndex;
      const model = matrixGraph(heatmapIndex, filter);
      ui.graphCanvas.innerHTML = graphSvg(model) || '<p class="hint">No endpoints: add Pods, workloads or policies.</p>';
      graph.drawn();
      search();
      return model.note;
    },
  };
}

function cursorLine(view) {
  return view.state.doc.lineAt(view.state.selection.main.head).number;
}
