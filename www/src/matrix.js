// The connectivity matrix: an endpoints × endpoints heatmap (rows are sources,
// columns destinations) with a port/protocol filter (the graph is graph.js).
import { esc, portText } from './util.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const HEATMAP_LIMIT = 80;

/** Index of a matrix JSON: endpoints by id and allowed lists by pair. */
export function indexMatrix(json) {
  const endpoints = json?.endpoints ?? [];
  const allowed = new Map();
  for (const c of json?.connections ?? []) allowed.set(`${c.from}\n${c.to}`, c.allowed ?? []);
  return { endpoints, allowed, byId: new Map(endpoints.map((e) => [e.id, e])) };
}

function isExternal(e) {
  return e?.kind === 'External';
}

function covers(ranges, port) {
  return ranges.some(([a, b]) => a <= port && port <= b);
}

function everyPort(ranges) {
  return ranges.some(([a, b]) => a <= 1 && b >= 65535);
}

/** all | some | none for the allowed list of one pair under the filter. */
export function cellState(allowed, filter) {
  const byProto = new Map(allowed.filter((a) => a.ports?.length).map((a) => [a.protocol, a.ports]));
  const protocols = filter.protocol ? [filter.protocol] : PROTOCOLS;
  const port = filter.port;
  const full = protocols.filter((p) => byProto.has(p) && (port ? covers(byProto.get(p), port) : everyPort(byProto.get(p))));
  const any = protocols.filter((p) => byProto.has(p) && (port ? covers(byProto.get(p), port) : true));
  if (full.length === protocols.length) return 'all';
  return any.length ? 'some' : 'none';
}

/** The hover text of a cell: allowed ports per protocol. */
function cellTitle(from, to, allowed, na) {
  if (na) return `${from} → ${to}\nboth outside the cluster: no policy applies`;
  const lines = allowed.filter((a) => a.ports?.length).map((a) => `${a.protocol}: ${portText(a.ports)}`);
  return `${from} → ${to}\n${lines.length ? lines.join('\n') : 'nothing allowed'}`;
}

/** The hover text of a heatmap cell, set when the pointer first reaches it. */
export function titleCell(cell, index) {
  if (cell.title) return;
  const { from, to } = cell.dataset;
  const { allowed, na } = pairInfo(index, from, to, {});
  cell.title = cellTitle(from, to, allowed, na);
}

/** The endpoints shown: those matching the text filter, at most `limit`. */
function visible(endpoints, text, limit) {
  const needle = text.trim().toLowerCase();
  const matching = needle ? endpoints.filter((e) => e.id.toLowerCase().includes(needle)) : endpoints;
  return { shown: matching.slice(0, limit), matching: matching.length };
}

/** One pair's data: allowed list, state, and whether it is between two external classes. */
export function pairInfo(index, from, to, filter) {
  const na = isExternal(index.byId.get(from)) && isExternal(index.byId.get(to));
  const allowed = index.allowed.get(`${from}\n${to}`) ?? [];
  return { allowed, na, state: na ? 'none' : cellState(allowed, filter) };
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

/** A representative address of an external class (for a query): the first usable one. */
export function sampleAddress(endpoint) {
  const cidr = endpoint?.cidrs?.[0] ?? endpoint?.id ?? '';
  const [addr, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(addr)) {
    const parts = addr.split('.').map(Number);
    if (prefix <= 30) parts[3] += 1;
    return parts.join('.');
  }
  if (addr.includes(':')) return addr.endsWith('::') && prefix <= 126 ? `${addr}1` : addr;
  return addr;
}

/** Port and protocol to explain for a pair: the filter's, else the first allowed one. */
export function pairFlow(allowed, filter) {
  const entry = allowed.find((a) => a.ports?.length && (!filter.protocol || a.protocol === filter.protocol));
  return {
    protocol: filter.protocol || entry?.protocol || 'TCP',
    port: filter.port || entry?.ports[0][0] || null,
  };
}
