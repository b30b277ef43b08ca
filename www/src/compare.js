// Compare two versions of the policies over the cluster pane: netpol's diff of a base
// and a head, as a list of the connections added and removed and as a graph of them
// (added in green, removed in red and dashed).
import { diffGraph, graphSvg } from './graph.js';
import { esc } from './dom.js';
import { portsLines } from './heatmap.js';

/** How many changes the list shows (the summary counts them all). */
const LIST_LIMIT = 300;

/** A change's allowed ports in one line, from the engine's text (`ports`, added by the worker). */
function allowedText(change) {
  const parts = portsLines(change, ' ');
  return parts.length ? parts.join(', ') : 'nothing';
}

function changeItem(change, c) {
  const sign = change === 'added' ? '+' : '−';
  return `<li data-testid="diff-change" data-change="${change}" data-from="${esc(c.from)}" data-to="${esc(c.to)}" class="${change}">`
    + `<span class="sign" aria-hidden="true">${sign}</span> <span class="what">${change}</span> `
    + `<code>${esc(c.from)}</code> → <code>${esc(c.to)}</code> <span class="ports">${esc(allowedText(c))}</span></li>`;
}

/** Renders a diff answer (or a failure) into the list and the graph containers. */
export function renderDiff({ result, graph, summary }, diff) {
  if (!diff || diff.ok === false) {
    const why = diff?.error ?? 'no answer';
    result.innerHTML = `<li class="empty banner-error">The comparison did not run: ${esc(why)}</li>`;
    graph.innerHTML = '';
    summary.textContent = '';
    return;
  }
  const changes = [
    ...(diff.added ?? []).map((c) => ['added', c]),
    ...(diff.removed ?? []).map((c) => ['removed', c]),
  ];
  const added = diff.added?.length ?? 0;
  const removed = diff.removed?.length ?? 0;
  summary.textContent = `${added} connection${added === 1 ? '' : 's'} added, ${removed} removed`;
  summary.dataset.added = String(added);
  summary.dataset.removed = String(removed);
  if (!changes.length) {
    result.innerHTML = '<li class="empty">No change: both versions allow the same connections.</li>';
    graph.innerHTML = '';
    return;
  }
  const more = changes.length > LIST_LIMIT ? `<li class="more">and ${changes.length - LIST_LIMIT} more changes</li>` : '';
  result.innerHTML = changes.slice(0, LIST_LIMIT).map(([change, c]) => changeItem(change, c)).join('') + more;
  const model = diffGraph(diff);
  graph.innerHTML = (model.note ? `<p class="note">${esc(model.note)}</p>` : '')
    + graphSvg(model, { testid: 'diff-graph', label: 'Connections added and removed' });
}
