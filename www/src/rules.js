// The rule catalogue (from the engine's `rules()`), shown in a dialog.
import { esc, richText } from './dom.js';

/** Fills `container` with one collapsible entry per rule. */
export function renderRules(container, rules) {
  container.innerHTML = rules
    .map(
      (r) => `<details class="rule-doc" id="rule-${esc(r.id)}" data-rule-doc="${esc(r.id)}">
  <summary><code>${esc(r.id)}</code> <span class="sev sev-${esc(r.severity)}">${esc(r.severity)}</span> — ${richText(r.summary)}</summary>
  <p class="hint">${esc(r.category ?? '')}${r.scope ? ` · scope: ${esc(r.scope)}` : ''}</p>
  <h4>Why it matters</h4><p>${richText(r.rationale ?? '')}</p>
  ${r.example ? `<h4>Example that fires it</h4><pre>${esc(r.example)}</pre>` : ''}
  <h4>Fix</h4><p>${richText(r.fix ?? '')}</p>
</details>`,
    )
    .join('');
}

/** Opens the dialog, scrolled to one rule (or the whole catalogue). */
export function showRule(dialog, container, id) {
  if (!dialog.open) dialog.showModal();
  for (const el of container.querySelectorAll('.rule-doc.target')) el.classList.remove('target');
  const entry = id && container.querySelector(`[data-rule-doc="${CSS.escape(id)}"]`);
  if (entry) {
    entry.open = true;
    entry.classList.add('target');
    entry.scrollIntoView({ block: 'start' });
  } else {
    dialog.scrollTop = 0;
  }
}
