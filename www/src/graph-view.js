// Zoom, pan, search and clicks on a graph drawn by graph.js: wheel or +/- to zoom,
// drag or the arrow keys to pan, 0 or "Fit" to see it whole; a search highlights the
// matching nodes; a click on an edge or a node calls back, and so does Enter for the
// first node the search found.

const ZOOM_STEP = 1.25;
const PAN_STEP = 60;
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 12;

/**
 * Makes the graph in `canvas` interactive. `onEdge(from, to)` and `onNode(id)` run on
 * clicks; returns `{drawn(), zoom(factor), fit(), search(text)}`: call `drawn()` after
 * each new SVG.
 */
export function attachGraph(canvas, { onEdge, onNode }) {
  let view = { k: 1, x: 0, y: 0 };
  let drag = null;
  let needle = '';

  const svg = () => canvas.querySelector('svg');
  const apply = () => {
    const el = svg();
    if (!el) return;
    el.querySelector('.g-viewport')?.setAttribute('transform', `translate(${view.x.toFixed(2)},${view.y.toFixed(2)}) scale(${view.k.toFixed(4)})`);
    el.classList.toggle('zoomed', view.k >= 1.6);
    el.dataset.zoom = view.k.toFixed(3);
  };

  /** A point of the page in the SVG's user units. */
  const userPoint = (clientX, clientY) => {
    const el = svg();
    const ctm = el?.getScreenCTM();
    if (!ctm) return { x: 0, y: 0 };
    const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y };
  };

  const centre = () => {
    const box = svg()?.viewBox.baseVal;
    return box ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : { x: 0, y: 0 };
  };

  function zoom(factor, at = centre()) {
    const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.k * factor));
    const f = k / view.k;
    view = { k, x: at.x - (at.x - view.x) * f, y: at.y - (at.y - view.y) * f };
    apply();
  }

  function pan(dx, dy) {
    view = { ...view, x: view.x + dx, y: view.y + dy };
    apply();
  }

  function fit() {
    view = { k: 1, x: 0, y: 0 };
    apply();
  }

  /** Highlights the nodes whose id contains `text`; returns how many match. */
  function search(text) {
    needle = text.trim().toLowerCase();
    const el = svg();
    if (!el) return 0;
    let hits = 0;
    for (const node of el.querySelectorAll('[data-testid="graph-node"]')) {
      const hit = needle !== '' && node.dataset.id.toLowerCase().includes(needle);
      node.classList.toggle('hit', hit);
      if (hit) hits += 1;
    }
    el.classList.toggle('searching', needle !== '');
    return hits;
  }

  /** Zooms onto the first node matching the search. */
  function showFirstHit() {
    const node = svg()?.querySelector('[data-testid="graph-node"].hit circle');
    if (!node) return;
    const k = Math.max(view.k, 2);
    const c = centre();
    view = { k, x: c.x - k * node.cx.baseVal.value, y: c.y - k * node.cy.baseVal.value };
    apply();
  }

  canvas.addEventListener('wheel', (event) => {
    if (!svg()) return;
    event.preventDefault();
    zoom(event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, userPoint(event.clientX, event.clientY));
  }, { passive: false });

  canvas.addEventListener('pointerdown', (event) => {
    if (!svg() || event.button !== 0) return;
    drag = { start: userPoint(event.clientX, event.clientY), origin: { ...view }, moved: false, id: event.pointerId };
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const p = userPoint(event.clientX, event.clientY);
    // The CTM does not include the viewport's own transform: user units are stable.
    const dx = p.x - drag.start.x;
    const dy = p.y - drag.start.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) canvas.setPointerCapture?.(event.pointerId);
    drag.moved = true;
    view = { ...view, x: drag.origin.x + dx, y: drag.origin.y + dy };
    apply();
  });
  const endDrag = (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    canvas.dataset.dragged = drag.moved ? 'true' : '';
    drag = null;
  };
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);

  canvas.addEventListener('click', (event) => {
    if (canvas.dataset.dragged === 'true') {
      canvas.dataset.dragged = '';
      return;
    }
    const edge = event.target.closest('[data-testid="graph-edge"]');
    if (edge) return onEdge(edge.dataset.from, edge.dataset.to);
    const node = event.target.closest('[data-testid="graph-node"]');
    if (node) onNode(node.dataset.id);
  });

  canvas.addEventListener('keydown', (event) => {
    const actions = {
      '+': () => zoom(ZOOM_STEP), '=': () => zoom(ZOOM_STEP), '-': () => zoom(1 / ZOOM_STEP), 0: fit,
      ArrowLeft: () => pan(PAN_STEP, 0), ArrowRight: () => pan(-PAN_STEP, 0),
      ArrowUp: () => pan(0, PAN_STEP), ArrowDown: () => pan(0, -PAN_STEP),
      Enter: () => {
        const hit = svg()?.querySelector('[data-testid="graph-node"].hit');
        if (hit) onNode(hit.dataset.id);
      },
    };
    const action = actions[event.key];
    if (!action || event.target !== canvas) return;
    event.preventDefault();
    action();
  });

  return {
    drawn() {
      apply();
      search(needle);
    },
    zoom,
    fit,
    search,
    showFirstHit,
  };
}
