// The connectivity heatmap: an endpoints × endpoints grid (rows are sources, columns
// destinations) drawn from the engine's heatmap answer (`workspace.heatmap`): each
// pair's state under the port filter, per protocol, its allowed ports as text and an
// address for each class outside the cluster all come from the engine; this module
// only looks them up (the graph is graph.js).
import { esc } from './dom.js';

const HEATMAP_LIMIT = 80;

/** Index of a heatmap answer: endpoints by id and pairs by `from\nto`. */
export function indexHeatmap(answer) {
  const endpoints = answer?.endpoints ?? [];
  const pairs = new Map((answer?.pairs ?? []).map((p) => [`${p.from}\n${p.to}`, p]));
  return { endpoints, pairs, byId: new Map(endpoints.map((e) => [e.id, e])) };
}

export function isExternal(e) {
  return e?.kind === 'External';
}

/** all | some | none of a pair (from the index) under the filter's protocol. */
export function pairState(pair, filter) {
  return pair?.states?.[filter.protocol || 'any'] ?? 'none';
}

/** The allowed ports of a pair, one `PROTOCOL: ports` line per protocol. */
export function portsLines(pair, separator = ': ') {
  return (pair?.ports ?? []).map((p) => `${p.protocol}${separator}${p.text}`);
}

/** The hover text of a cell: allowed ports per protocol. */
function cellTitle(from, to, pair, na) {
  if (na) return `${from} → ${to}\nboth outside the cluster: no policy applies`;
  const lines = portsLines(pair);
  return `${from} → ${to}\n${lines.length ? lines.join('\n') : 'nothing allowed'}`;
}

/** The hover text of a heatmap cell, set when the pointer first reaches it. */
export function titleCell(cell, index) {
  if (cell.title) return;
  const { from, to } = cell.dataset;
  const { pair, na } = pairInfo(index, from, to, {});
  cell.title = cellTitle(from, to, pair, na);
}

/** The endpoints shown: those matching the text filter, at most `limit`. */
function visible(endpoints, text, limit) {
  const needle = text.trim().toLowerCase();
  const matching = needle ? endpoints.filter((e) => e.id.toLowerCase().includes(needle)) : endpoints;
  return { shown: matching.slice(0, limit), matching: matching.length };
}

/** One pair's data: the engine's pair (or none), its state, and whether it is between two external classes. */
export function pairInfo(index, from, to, filter) {
  const na = isExternal(index.byId.get(from)) && isExternal(index.byId.get(to));
  const pair = index.pairs.get(`${from}\n${to}`);
  return { pair, na, state: na ? 'none' : pairState(pair, filter) };
}

/** Renders the heatmap into `container`; returns a note about what was left out. */
export function renderHeatmap(container, index, filter) {
  const { shown, matching } = visible(index.endpoints, filter.text ?? '', HEATMAP_LIMIT);
  if (!shown.length) {
    container.innerHTML = `<p class="hint">${index.endpoints.length ? 'No endpoint matches the filter.' : 'No endpoints: add Pods, workloads or policies.'}</p>`;
    return '';
  }
  const head = shown
    .map((e) => `<th class="col${isExternal(e) ? ' ext' : ''}" scope="col" title="${esc(e.id)}"><div>${esc(label(e))}</div></th>`)
    .join('');
  const rows = shown.map((src) => {
    const cells = shown.map((dst) => {
      const { na, state } = pairInfo(index, src.id, dst.id, filter);
      const cls = `s-${state}${na ? ' na' : ''}${src.id === dst.id ? ' self' : ''}`;
      return `<td data-testid="matrix-cell" data-from="${esc(src.id)}" data-to="${esc(dst.id)}" data-state="${state}" class="${cls}"></td>`;
    });
    return `<tr><th class="row${isExternal(src) ? ' ext' : ''}" scope="row" title="${esc(src.id)}">${esc(label(src))}</th>${cells.join('')}</tr>`;
  });
  container.innerHTML = `<table><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return matching > shown.length
    ? `Showing ${shown.length} of ${matching} endpoints: narrow them with the endpoint filter (a namespace, a name).`
    : '';
}

/** A short label: `ns/name` for a workload too (the hover text has the full id). */
function label(e) {
  if (!isExternal(e)) return e.id.split('/').length === 3 ? `${e.namespace ?? e.id.split('/')[0]}/${e.name ?? e.id.split('/')[2]}` : e.id;
  const text = e.id.length > 28 ? `${e.id.slice(0, 27)}…` : e.id;
  return `⇢ ${text}`;
}

/** What a query names for endpoint `id`: the engine's address for an external class, else the id. */
export function endpointText(index, id) {
  const e = index.byId.get(id);
  return isExternal(e) ? e.address ?? id : id;
}

/** Port and protocol to explain for a pair: the filter's, else the pair's first allowed one. */
export function pairFlow(pair, filter) {
  const entry = (pair?.ports ?? []).find((p) => !filter.protocol || p.protocol === filter.protocol);
  return {
    protocol: filter.protocol || entry?.protocol || 'TCP',
    port: filter.port || entry?.first || null,
  };
}
