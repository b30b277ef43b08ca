// The picture of one NetworkPolicy: who may come in (left), the pods it selects
// (middle), where they may go (right), the ports on the edges, and a denied or
// untouched direction shown as such. Drawn as SVG from the policy as written and
// the pods netpol says it selects (views-worker.js). A cluster-wide policy
// (ClusterNetworkPolicy and its predecessors) is drawn the same way: its subject in
// the middle, its rules on either side, each edge marked with the rule's action.
import { directionPeers, podsText } from './words.js';
import { CLUSTER_KINDS, subjectText, tierDirection } from './tier-words.js';
import { esc } from './dom.js';

const WIDTH = 1060;
/** Port lists longer than this go inside the peer's box as well (the edge has room for this much). */
const EDGE_LABEL = 12;
const COLUMN = 290;
const MIDDLE = { x: 400, width: 260 };
const LINE = 18;
const TOP = 50;
const GAP = 14;
const SHOWN_PODS = 10;
/** A cluster-wide rule's action: the edge's class and the word on its label. */
const ACTION_CLASS = { accept: 'allow', deny: 'deny', pass: 'pass' };
const ACTION_WORD = { accept: 'Accept', deny: '✕ Deny', pass: 'Pass' };

/** `text` cut into lines of at most `width` characters, at spaces where possible. */
export function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/\s+/)) {
    const pieces = word.length > width ? word.match(new RegExp(`.{1,${width}}`, 'g')) : [word];
    for (const piece of pieces) {
      if (line && line.length + 1 + piece.length > width) {
        lines.push(line);
        line = piece;
      } else line = line ? `${line} ${piece}` : piece;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function textLines(lines, x, y, cls = '') {
  return lines
    .map((l, i) => `<text x="${x}" y="${y + i * LINE}"${cls ? ` class="${cls}"` : ''}>${esc(l)}</text>`)
    .join('');
}

/** The boxes of one side: [{y, height, lines, state, kind, ports}]. */
function sideBoxes(side, direction, ruleLines = []) {
  const boxes = [];
  const push = (lines, extra) => boxes.push({ lines, height: 12 + lines.length * LINE, ...extra });
  const what = direction === 'ingress' ? 'Ingress' : 'Egress';
  if (side.state === 'open') push(wrap(`${what} not restricted by this policy (not in its policyTypes)`, 33), { kind: 'open' });
  else if (side.state === 'none') push(wrap(`No ${direction} rule: this policy leaves ${what} to the next layer`, 33), { kind: 'open' });
  else if (side.state === 'deny') push(wrap(`No ${direction} allowed: this policy isolates the pods for ${what} with no rule (deny all)`, 33), { kind: 'deny' });
  else for (const peer of side.peers) {
    // A cluster-wide rule's action and protocols go in its box; the edge has the action.
    const portLines = peer.action
      ? wrap(`${ACTION_WORD[peer.action] ?? peer.action}: ${peer.ports}`, 33)
      : peer.ports.length > EDGE_LABEL ? wrap(`ports: ${peer.ports}`, 33) : [];
    push([...wrap(peer.text, 33), ...portLines], { text: peer.text, kind: peer.kind, action: peer.action, ports: peer.ports, rule: peer.rule, line: ruleLines[peer.rule] ?? null });
  }
  let y = TOP;
  for (const box of boxes) {
    box.y = y;
    y += box.height + GAP;
  }
  return { boxes, bottom: y };
}

/** The middle box of a cluster-wide policy: its tier, priority and subject. */
function subjectLines(policy) {
  return [
    { text: `${policy.tier} tier, priority ${policy.priority ?? '?'}`, cls: 'muted' },
    ...wrap(subjectText(policy.spec?.subject), 28).map((l) => ({ text: l })),
    { text: '' },
    ...wrap('Query a flow to see which rule decides it', 28).map((l) => ({ text: l, cls: 'muted' })),
  ];
}

function middleLines(policy) {
  if (CLUSTER_KINDS.has(policy.kind)) return subjectLines(policy);
  const lines = [...wrap(podsText(policy.spec?.podSelector), 28).map((l) => ({ text: l }))];
  const selected = policy.selected ?? [];
  lines.push({ text: '' });
  if (!selected.length) lines.push({ text: 'no pod of the input matches', cls: 'muted' });
  else lines.push({ text: `${selected.length} pod${selected.length === 1 ? '' : 's'} selected:`, cls: 'muted' });
  for (const id of selected.slice(0, SHOWN_PODS)) lines.push({ text: id.length > 30 ? `${id.slice(0, 29)}…` : id, cls: 'pod' });
  if (selected.length > SHOWN_PODS) lines.push({ text: `and ${selected.length - SHOWN_PODS} more`, cls: 'muted' });
  if (policy.checked < policy.candidates) lines.push({ text: `(first ${policy.checked} of ${policy.candidates} checked)`, cls: 'muted' });
  return lines;
}

function edge(box, side, target, index, count) {
  const boxX = side === 'ingress' ? 10 + COLUMN : WIDTH - 10 - COLUMN;
  const boxY = box.y + box.height / 2;
  const midX = side === 'ingress' ? MIDDLE.x : MIDDLE.x + MIDDLE.width;
  const midY = target.y + 30 + ((target.height - 40) * (index + 1)) / (count + 1);
  const c = (boxX + midX) / 2;
  const [x1, y1, x2, y2] = side === 'ingress' ? [boxX, boxY, midX, midY] : [midX, midY, boxX, boxY];
  const cls = box.action ? ACTION_CLASS[box.action] ?? 'open' : box.kind === 'deny' ? 'deny' : box.kind === 'open' ? 'open' : 'allow';
  const path = `<path class="p-edge ${cls}" d="M${x1},${y1} C${c},${y1} ${c},${y2} ${x2},${y2}" marker-end="url(#p-arrow-${cls})"/>`;
  const label = box.action ? ACTION_WORD[box.action] ?? box.action : box.kind === 'deny' ? '✕ denied' : box.kind === 'open' ? '' : box.ports;
  if (!label) return path;
  const lx = side === 'ingress' ? boxX + 6 : boxX - 6;
  const anchor = side === 'ingress' ? 'start' : 'end';
  const short = label.length > EDGE_LABEL ? `${label.slice(0, EDGE_LABEL - 1)}…` : label;
  return `${path}<text class="p-port ${cls}" x="${lx}" y="${boxY - 5}" text-anchor="${anchor}">${esc(short)}<title>${esc(label)}</title></text>`;
}

/** The SVG of `policy` ({namespace, name, spec, selected, checked, candidates}; a
 * cluster-wide one: {kind, name, tier, priority, spec}). */
export function pictureSvg(policy) {
  const cluster = CLUSTER_KINDS.has(policy.kind);
  const peersOf = (direction) => (cluster ? tierDirection(policy.spec, direction) : directionPeers(policy.spec, direction, policy.namespace));
  const sides = {
    ingress: sideBoxes(peersOf('ingress'), 'ingress', policy.ruleLines?.ingress),
    egress: sideBoxes(peersOf('egress'), 'egress', policy.ruleLines?.egress),
  };
  const lines = middleLines(policy);
  const title = wrap(policy.key, 28);
  const middleHeight = 20 + (title.length + lines.length) * LINE;
  const height = Math.max(sides.ingress.bottom, sides.egress.bottom, TOP + middleHeight + GAP) + 10;
  const middle = { y: Math.max(TOP, (height - middleHeight) / 2 - 5), height: middleHeight };
  const parts = [];
  for (const direction of ['ingress', 'egress']) {
    const { boxes } = sides[direction];
    const x = direction === 'ingress' ? 10 : WIDTH - 10 - COLUMN;
    boxes.forEach((box, i) => {
      parts.push(edge(box, direction, middle, i, boxes.length));
      const ports = box.ports ? ` data-ports="${esc(box.ports)}"` : '';
      const link = box.line
        ? ` data-line="${box.line}"><title>${esc(`${direction} rule ${box.rule + 1} (line ${box.line}): click to show it in the editor`)}</title>`
        : '>';
      const action = box.action ? ` data-action="${esc(box.action)}"` : '';
      parts.push(`<g class="p-peer ${box.kind}${box.action ? ` action-${esc(box.action)}` : ''}${box.line ? ' linked' : ''}" data-testid="picture-peer" data-direction="${direction}" data-kind="${box.kind}"${action} data-text="${esc(box.text ?? box.lines.join(' '))}"${ports}${link}`
        + `<rect x="${x}" y="${box.y}" width="${COLUMN}" height="${box.height}" rx="6"/>`
        + `${textLines(box.lines, x + 10, box.y + 20)}</g>`);
    });
  }
  const mx = MIDDLE.x + 12;
  let y = middle.y + 22;
  const body = [textLines(title, mx, y, 'p-title')];
  y += title.length * LINE;
  for (const line of lines) {
    body.push(`<text x="${mx}" y="${y}"${line.cls ? ` class="${line.cls}"` : ''}>${esc(line.text)}</text>`);
    y += LINE;
  }
  const marker = (cls) => `<marker id="p-arrow-${cls}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="p-arrowhead ${cls}" d="M0,0 L10,5 L0,10 z"/></marker>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="policy-picture" data-testid="policy-picture" data-policy="${esc(policy.key)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Picture of the policy ${esc(policy.name)}">
<defs>${marker('allow')}${marker('deny')}${marker('open')}${marker('pass')}</defs>
<text class="p-head" x="10" y="24">Ingress: who may connect</text>
<text class="p-head" x="${MIDDLE.x + MIDDLE.width / 2}" y="24" text-anchor="middle">${cluster ? 'Subject' : 'Selected pods'}</text>
<text class="p-head" x="${WIDTH - 10}" y="24" text-anchor="end">Egress: where they may go</text>
${parts.join('')}
<g class="p-selected linked" data-testid="picture-selected" data-count="${(policy.selected ?? []).length}" data-line="${policy.line}"><title>${esc(`${policy.key} (line ${policy.line}): click to show it in the editor`)}</title><rect x="${MIDDLE.x}" y="${middle.y}" width="${MIDDLE.width}" height="${middle.height}" rx="10"/>${body.join('')}</g>
</svg>`;
}

/** Renders the picture answer ({policies, policy}) into the panel's parts. */
export function renderPicture({ select, container }, answer) {
  const current = answer.policy?.key ?? '';
  select.innerHTML = answer.policies.length
    ? answer.policies.map((p) => `<option value="${esc(p.key)}"${p.key === current ? ' selected' : ''}>${esc(p.key)}</option>`).join('')
    : '<option value="">no policy</option>';
  container.innerHTML = answer.policy
    ? pictureSvg(answer.policy)
    : '<p class="hint">No NetworkPolicy or ClusterNetworkPolicy in the policies pane: write one (or load an example) to see its picture.</p>';
}
