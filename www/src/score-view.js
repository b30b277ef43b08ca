// The posture score panel: the score (docs/score.md), its reasons, and for each reason
// the items that cost points, each a link to the line to change.
import { esc, richText } from './dom.js';

const SHOWN_ITEMS = 6;

function itemHtml(item, reasonIndex, itemIndex) {
  const text = richText(item.text);
  if (!item.target) return `<li>${text}</li>`;
  return `<li><button type="button" class="linkish" data-testid="score-link" data-reason-index="${reasonIndex}" data-item-index="${itemIndex}">${text}</button></li>`;
}

function reasonHtml(reason, index) {
  const items = reason.items.slice(0, SHOWN_ITEMS).map((item, i) => itemHtml(item, index, i)).join('');
  const more = reason.items.length > SHOWN_ITEMS ? `<li class="hint">… and ${reason.items.length - SHOWN_ITEMS} more</li>` : '';
  const formula = `${reason.weight} × ${reason.count}${reason.weight * reason.count > reason.cap ? `, capped at ${reason.cap}` : ''}`;
  return `<li data-testid="score-reason" data-reason="${esc(reason.id)}" data-points="${reason.points}">
    <div class="reason-head"><span class="points">−${reason.points}</span> <strong>${esc(reason.title)}</strong> <span class="hint">(${esc(formula)})</span></div>
    <div class="change">To change: ${richText(reason.change)}.</div>
    <ul class="items">${items}${more}</ul></li>`;
}

/** Grade words for the score, for people who do not read numbers first. */
function grade(score) {
  if (score >= 90) return 'good';
  if (score >= 60) return 'fair';
  return 'poor';
}

/**
 * Mounts the score panel in `root` (the element with `data-testid="score"`); it shows
 * the score the worker computed (score.js) after each analysis. `jump(file, line,
 * column)` follows a link.
 */
export function mountScore(root, { onAnalysis, jump }) {
  const value = root.querySelector('.score-value');
  const list = root.querySelector('.score-reasons');
  let shown = { reasons: [] };
  onAnalysis(({ score }) => {
    shown = score ?? { score: 0, reasons: [], empty: true };
    root.dataset.score = String(shown.score);
    root.dataset.grade = shown.empty ? 'none' : grade(shown.score);
    value.textContent = shown.empty ? '–' : String(shown.score);
    if (shown.empty) list.innerHTML = '<li class="hint">Nothing to score: add workloads and policies.</li>';
    else if (!shown.reasons.length) list.innerHTML = '<li class="hint">Nothing to improve: every reason of the score is clear.</li>';
    else list.innerHTML = shown.reasons.map(reasonHtml).join('');
  });
  list.addEventListener('click', (event) => {
    const link = event.target.closest('[data-testid="score-link"]');
    const item = link && shown.reasons[Number(link.dataset.reasonIndex)]?.items[Number(link.dataset.itemIndex)];
    if (item?.target) jump(item.target.file, item.target.line, item.target.column);
  });
}
