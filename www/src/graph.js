// The graph of the whole input: endpoints (or, past a limit, namespaces) as nodes in
// one cluster per namespace, allowed connections as arrows. The layout is
// deterministic: clusters in name order packed in rows, the nodes of a cluster on a
// circle (small clusters) or a grid (large ones).
import { esc } from './dom.js';
import { pairState, portsLines } from './heatmap.js';

/** Past this many endpoints (or connections), the graph shows namespaces instead. */
export const NODE_LIMIT = 500;
export const EDGE_LIMIT = 5000;
/** Past this many nodes the labels show only when zoomed in. */
const LABEL_LIMIT = 150;
const SPACING = 52;
const OUTSIDE = 'outside the cluster';

const isExternal = (e) => e?.kind === 'External';

/** The cluster a node belongs to: its namespace, or `outside the cluster`. */
function clusterOf(e) {
  return isExternal(e) ? OUTSIDE : e.namespace ?? e.id.split('/')[0];
}

function shortLabel(e) {
  if (isExternal(e)) return e.id.length > 24 ? `${e.id.slice(0, 23)}…` : e.id;
  // The cluster names the namespace; a workload's kind is in its hover text.
  const name = e.id.split('/').slice(-1)[0];
  return name.length > 22 ? `${name.slice(0, 21)}…` : name;
}

/** A pair's (or a change's) allowed ports in one line, from the engine's text. */
function allowedTitle(pair) {
  const lines = portsLines(pair, ' ');
  return lines.length ? lines.join(', ') : 'nothing';
}

/** Nodes and edges of the heatmap index (indexHeatmap) under the filter: {nodes, edges, note}. */
export function matrixGraph(index, filter) {
  const needle = (filter.text ?? '').trim().toLowerCase();
  const shown = needle ? index.endpoints.filter((e) => e.id.toLowerCase().includes(needle)) : index.endpoints;
  const nodes = shown.map((e) => ({ id: e.id, label: shortLabel(e), cluster: clusterOf(e), ext: isExternal(e) }));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = [];
  for (const pair of index.pairs.values()) {
    const { from, to } = pair;
    if (from === to || !byId.has(from) || !byId.has(to)) continue;
    if (byId.get(from).ext && byId.get(to).ext) continue;
    const state = pairState(pair, filter);
    if (state !== 'none') edges.push({ from, to, cls: `s-${state}`, title: `${from} → ${to}: ${allowedTitle(pair)}` });
  }
  if (nodes.length <= NODE_LIMIT && edges.length <= EDGE_LIMIT) return { nodes, edges, note: '' };
  const note = `${nodes.length} endpoints and ${edges.length} connections are too many to draw one by one: `
    + 'the graph shows one node per namespace (narrow the endpoint filter to see pods).';
  return { ...byNamespace(nodes, edges), note };
}

/** The diff's changes as a graph: the endpoints they involve, one edge per change. */
export function diffGraph(diff) {
  const byId = new Map((diff.endpoints ?? []).map((e) => [e.id, e]));
  const edges = [];
  for (const change of ['added', 'removed']) {
    for (const c of diff[change] ?? []) {
      edges.push({ from: c.from, to: c.to, cls: change, change, title: `${change}: ${c.from} → ${c.to}: ${allowedTitle(c)}` });
    }
  }
  const ids = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  const nodes = ids.map((id) => {
    const e = byId.get(id) ?? { id, kind: /^[\d:]/.test(id) ? 'External' : 'Pod' };
    return { id, label: shortLabel(e), cluster: clusterOf(e), ext: isExternal(e) };
  });
  if (nodes.length <= NODE_LIMIT && edges.length <= EDGE_LIMIT) return { nodes, edges, note: '' };
  return { ...byNamespace(nodes, edges), note: 'Too many changes to draw one by one: one node per namespace.' };
}

/** Nodes merged per cluster (`ns/*`), edges merged per pair of clusters. */
function byNamespace(nodes, edges) {
  const clusterById = new Map(nodes.map((n) => [n.id, n.cluster]));
  const counts = new Map();
  for (const n of nodes) counts.set(n.cluster, (counts.get(n.cluster) ?? 0) + 1);
  const groupId = (cluster) => (cluster === OUTSIDE ? OUTSIDE : `${cluster}/*`);
  const grouped = [...counts].map(([cluster, count]) => ({
    id: groupId(cluster), label: `${cluster} (${count})`, cluster, ext: cluster === OUTSIDE, group: true,
  }));
  const merged = new Map();
  for (const e of edges) {
    const from = groupId(clusterById.get(e.from));
    const to = groupId(clusterById.get(e.to));
    if (from === to) continue;
    const key = `${from}\n${to}\n${e.cls}`;
    const m = merged.get(key) ?? { from, to, cls: e.cls, change: e.change, count: 0 };
    m.count += 1;
    merged.set(key, m);
  }
  const groupedEdges = [...merged.values()].map((m) => ({ ...m, title: `${m.from} → ${m.to}: ${m.count} connection${m.count === 1 ? '' : 's'}` }));
  return { nodes: grouped, edges: groupedEdges };
}

/** Positions: {pos: Map(id → {x, y}), clusters: [{name, x, y, w, h}], width, height}. */
export function layout(nodes) {
  const members = new Map();
  for (const n of nodes) {
    if (!members.has(n.cluster)) members.set(n.cluster, []);
    members.get(n.cluster).push(n);
  }
  const names = [...members.keys()].sort((a, b) => (a === OUTSIDE) - (b === OUTSIDE) || a.localeCompare(b));
  const boxes = names.map((name) => clusterBox(name, members.get(name).sort((a, b) => a.id.localeCompare(b.id))));
  const area = boxes.reduce((sum, b) => sum + b.w * b.h, 0);
  const rowWidth = Math.max(900, Math.sqrt(area) * 1.5, ...boxes.map((b) => b.w));
  const pos = new Map();
  const clusters = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const box of boxes) {
    if (x > 0 && x + box.w > rowWidth) {
      x = 0;
      y += rowHeight + 24;
      rowHeight = 0;
    }
    clusters.push({ name: box.name, x, y, w: box.w, h: box.h });
    for (const [id, p] of box.pos) pos.set(id, { x: x + p.x, y: y + p.y });
    x += box.w + 24;
    width = Math.max(width, x - 24);
    rowHeight = Math.max(rowHeight, box.h);
  }
  return { pos, clusters, width: Math.max(width, 1), height: Math.max(y + rowHeight, 1) };
}

/** One cluster's own size and node positions (relative to its top left). */
function clusterBox(name, nodes) {
  const k = nodes.length;
  const top = 30;
  const pos = new Map();
  if (k <= 12) {
    const widest = Math.max(...nodes.map((n) => n.label.length));
    const r = k === 1 ? 0 : Math.max(60, (k * (SPACING + 30)) / (2 * Math.PI), widest * 3.8);
    const w = Math.max(2 * r + 130, name.length * 7 + 24);
    const h = 2 * r + top + 44;
    nodes.forEach((n, i) => {
      const a = (2 * Math.PI * i) / k - Math.PI / 2;
      pos.set(n.id, { x: w / 2 + r * Math.cos(a), y: top + 14 + r + r * Math.sin(a) });
    });
    return { name, w, h, pos };
  }
  const cols = Math.ceil(Math.sqrt(k * 1.4));
  const rows = Math.ceil(k / cols);
  const step = SPACING + 28;
  const w = Math.max(cols * step + 20, name.length * 7 + 24);
  nodes.forEach((n, i) => pos.set(n.id, { x: 10 + step / 2 + (i % cols) * step, y: top + 16 + Math.floor(i / cols) * SPACING }));
  return { name, w, h: top + rows * SPACING + 16, pos };
}

function edgePath(p, q) {
  // Curve to the right of the direction, so A→B and B→A do not overlap.
  const mx = (p.x + q.x) / 2 + (q.y - p.y) * 0.15;
  const my = (p.y + q.y) / 2 - (q.x - p.x) * 0.15;
  return `M${p.x.toFixed(1)},${p.y.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${q.x.toFixed(1)},${q.y.toFixed(1)}`;
}

/** The SVG of a graph model ({nodes, edges}); `testid` names it for the tests. */
export function graphSvg({ nodes, edges }, { testid = 'graph', label = 'Allowed connections between endpoints' } = {}) {
  if (!nodes.length) return '';
  const { pos, clusters, width, height } = layout(nodes);
  const pad = 20;
  const view = `${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`;
  const clusterParts = clusters.map((c) => `<g class="g-cluster" data-cluster="${esc(c.name)}"><rect x="${c.x}" y="${c.y}" width="${c.w}" height="${c.h}" rx="10"/><text x="${c.x + 10}" y="${c.y + 18}">${esc(c.name)}</text></g>`);
  const edgeParts = edges.map((e) => {
    const p = pos.get(e.from);
    const q = pos.get(e.to);
    const count = e.count ? ` data-count="${e.count}"` : '';
    const change = e.change ? ` data-change="${e.change}"` : '';
    return `<path class="g-edge ${e.cls}" data-testid="graph-edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}"${count}${change} d="${edgePath(p, q)}" marker-end="url(#g-arrow-${e.cls})"><title>${esc(e.title)}</title></path>`;
  });
  const nodeParts = nodes.map((n) => {
    const { x, y } = pos.get(n.id);
    const cls = `g-node${n.ext ? ' ext' : ''}${n.group ? ' group' : ''}`;
    return `<g class="${cls}" data-testid="graph-node" data-id="${esc(n.id)}"><circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${n.group ? 11 : 7}"><title>${esc(n.id)}</title></circle><text class="g-label" x="${x.toFixed(1)}" y="${(y + 20).toFixed(1)}" text-anchor="middle">${esc(n.label)}</text></g>`;
  });
  const classes = new Set(edges.map((e) => e.cls));
  const markers = [...classes].map((cls) => `<marker id="g-arrow-${cls}" viewBox="0 0 10 10" refX="${nodes[0].group ? 21 : 17}" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path class="g-arrowhead ${cls}" d="M0,0 L10,5 L0,10 z"/></marker>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="netgraph${nodes.length > LABEL_LIMIT ? ' dense' : ''}" data-testid="${testid}" data-nodes="${nodes.length}" data-edges="${edges.length}" viewBox="${view}" role="group" aria-label="${esc(label)}">
<defs>${markers.join('')}</defs><g class="g-viewport">${clusterParts.join('')}<g class="g-edges">${edgeParts.join('')}</g>${nodeParts.join('')}</g></svg>`;
}
