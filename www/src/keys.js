// Keyboard use: shortcuts to each part of the page (Alt+1 … Alt+8, listed in the
// shortcuts dialog, opened by Alt+0 or the Keys button), one tab stop for the
// heatmap with the arrow keys moving between cells, and findings and graph edges
// reachable by Tab (Enter follows them).

/** The shortcuts: key after Alt, what it does, and the element it focuses. */
export const SHORTCUTS = [
  { key: '1', what: 'Policies editor', target: '#editor-policies .cm-content' },
  { key: '2', what: 'Cluster editor', target: '#editor-cluster .cm-content' },
  { key: '3', what: 'Findings', target: '#findings [data-testid="finding"], #findings' },
  { key: '4', what: 'Query form', target: '#query-from' },
  { key: '5', what: 'Connectivity matrix (arrow keys move, Enter explains)', target: '#matrix' },
  { key: '6', what: 'Posture score', target: '#score' },
  { key: '7', what: 'Tutorial (opens it)', target: '#tutorial', open: 'tutorial' },
  { key: '8', what: 'Builder (opens it)', target: '#builder', open: 'builder' },
  { key: '0', what: 'This list of shortcuts', dialog: true },
];

/** Focuses the first element found of the comma-separated selectors, tried in order. */
function focusFirst(selectors) {
  const el = selectors.split(', ').map((s) => document.querySelector(s)).find(Boolean);
  if (!el) return;
  if (el.tabIndex < 0 && !el.matches('input, select, button, textarea, [contenteditable]')) el.tabIndex = -1;
  el.focus();
  el.scrollIntoView?.({ block: 'nearest' });
}

/** Moves the picked heatmap cell with the arrow keys; Enter or Space explains it. */
function heatmapKeys(matrix) {
  matrix.tabIndex = 0;
  matrix.setAttribute('role', 'group');
  matrix.setAttribute('aria-label', 'Connectivity heatmap: arrow keys move between cells, Enter explains the picked one');
  matrix.addEventListener('keydown', (event) => {
    const rows = [...matrix.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('[data-testid="matrix-cell"]')]).filter((r) => r.length);
    if (!rows.length) return;
    // The keyboard's cell, else the one last clicked.
    const picked = matrix.querySelector('td.cursor') ?? matrix.querySelector('td.picked');
    let r = rows.findIndex((row) => row.includes(picked));
    let c = r >= 0 ? rows[r].indexOf(picked) : -1;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[event.key]) {
      event.preventDefault();
      if (r < 0) [r, c] = [0, 0];
      else {
        r = Math.min(Math.max(r + moves[event.key][0], 0), rows.length - 1);
        c = Math.min(Math.max(c + moves[event.key][1], 0), rows[r].length - 1);
      }
      for (const el of matrix.querySelectorAll('td.cursor')) el.classList.remove('cursor');
      const cell = rows[r][c];
      cell.classList.add('cursor');
      cell.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      document.getElementById('matrix-cursor').textContent = `${cell.dataset.from} to ${cell.dataset.to}: ${cell.dataset.state === 'none' ? 'nothing allowed' : cell.dataset.state === 'all' ? 'every port' : 'some ports'}`;
    } else if ((event.key === 'Enter' || event.key === ' ') && picked) {
      event.preventDefault();
      picked.click();
    }
  });
}

/** Makes each finding a tab stop that Enter follows, whenever the list is redrawn. */
function findingKeys(list) {
  const mark = () => {
    for (const item of list.querySelectorAll('[data-testid="finding"]:not([tabindex])')) item.tabIndex = 0;
  };
  new MutationObserver(mark).observe(list, { childList: true });
  mark();
  list.addEventListener('keydown', (event) => {
    const item = event.target.closest?.('[data-testid="finding"]');
    if (item && event.key === 'Enter' && event.target === item) {
      event.preventDefault();
      item.click();
    }
  });
}

/** Makes each graph edge a button (Tab reaches it, Enter or Space explains it). */
function graphKeys(graph) {
  const EDGES = 'path.edge, [data-testid="graph-edge"]';
  const mark = () => {
    // A drawing whose parts are buttons is a group, not an image.
    for (const svg of graph.querySelectorAll('svg[role="img"]')) svg.setAttribute('role', 'group');
    for (const edge of graph.querySelectorAll(EDGES)) {
      if (edge.hasAttribute('tabindex')) continue;
      edge.setAttribute('tabindex', '0');
      edge.setAttribute('role', 'button');
      edge.setAttribute('aria-label', `${edge.dataset.from} to ${edge.dataset.to}: explain`);
    }
  };
  new MutationObserver(mark).observe(graph, { childList: true, subtree: true });
  graph.addEventListener('keydown', (event) => {
    const edge = event.target.closest?.(EDGES);
    if (edge && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      edge.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });
}

/** Installs the shortcuts; `open(name)` shows a hidden panel (tutorial, builder). */
export function mountKeys({ dialog, list, open }) {
  list.innerHTML = SHORTCUTS.map((s) => `<li><kbd>Alt</kbd>+<kbd>${s.key}</kbd> ${s.what}</li>`).join('');
  heatmapKeys(document.getElementById('matrix'));
  findingKeys(document.getElementById('findings'));
  graphKeys(document.getElementById('graph'));
  document.addEventListener('keydown', (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const shortcut = SHORTCUTS.find((s) => event.code === `Digit${s.key}`);
    if (!shortcut) return;
    event.preventDefault();
    if (shortcut.dialog) {
      dialog.showModal();
      return;
    }
    if (shortcut.open) open(shortcut.open);
    focusFirst(shortcut.target);
  });
}
