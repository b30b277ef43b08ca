// The findings panel: severity, rule id (opens its documentation), message, place.
import { esc, richText } from './dom.js';

const SHOWN = 500;
const ORDER = { error: 0, warning: 1, info: 2 };

/** Which pane a finding's file belongs to. */
export function paneOf(file) {
  return /cluster/.test(file ?? '') ? 'cluster' : 'policies';
}

/**
 * Renders the findings of a lint JSON into `list`; clicking one calls
 * `onJump(pane, line, column)`, clicking its rule id `onRule(id)`.
 */
export function renderFindings(list, summaryEl, lintJson, { onJump, onRule }) {
  const findings = [...(lintJson?.findings ?? [])].sort(
    (a, b) => (ORDER[a.severity] ?? 3) - (ORDER[b.severity] ?? 3) || paneOf(a.file).localeCompare(paneOf(b.file)) || a.line - b.line,
  );
  const s = lintJson?.summary ?? {};
  const count = (n, word) => `${n ?? 0} ${word}${n === 1 ? '' : 's'}`;
  summaryEl.textContent = `${count(s.error, 'error')} · ${count(s.warning, 'warning')} · ${s.info ?? 0} info${s.suppressed ? ` · ${s.suppressed} suppressed` : ''}`;
  if (!findings.length) {
    list.innerHTML = '<li class="empty">No findings.</li>';
    return;
  }
  const rows = findings.slice(0, SHOWN).map((f, i) => {
    const pane = paneOf(f.file);
    const where = `${pane}:${f.line}`;
    return `<li data-testid="finding" data-rule="${esc(f.ruleId)}" data-line="${esc(f.line)}" data-pane="${pane}" data-severity="${esc(f.severity)}" data-index="${i}" title="${esc(f.help ?? '')}">
      <span class="sev sev-${esc(f.severity)}">${esc(f.severity)}</span>
      <a class="rule-link" href="#rule-${esc(f.ruleId)}" data-rule-link="${esc(f.ruleId)}">${esc(f.ruleId)}</a>
      <span class="msg">${richText(f.message)}</span>
      <span class="loc">${esc(where)}</span></li>`;
  });
  if (findings.length > SHOWN) rows.push(`<li class="more">… and ${findings.length - SHOWN} more (fix the first ones, or filter by rule in the configuration)</li>`);
  list.innerHTML = rows.join('');
  list.onclick = (event) => {
    const ruleLink = event.target.closest('[data-rule-link]');
    if (ruleLink) {
      event.preventDefault();
      onRule(ruleLink.dataset.ruleLink);
      return;
    }
    const item = event.target.closest('[data-testid="finding"]');
    if (!item) return;
    const f = findings[Number(item.dataset.index)];
    onJump(paneOf(f.file), f.line, f.utf16Column || f.column);
  };
}
