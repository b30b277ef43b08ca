// The query form's answer: verdict, reason, and per side the isolating policies,
// the allowing rules and (for a denial) the closest rules, each linking to its line.
import { esc, richText } from './util.js';
import { paneOf } from './findings.js';

/** The flow the form describes, as `query()` takes it. */
export function readFlow(form) {
  const port = form.port.value.trim();
  return {
    from: form.from.value.trim(),
    to: form.to.value.trim(),
    port: /^\d+$/.test(port) ? Number(port) : port,
    protocol: form.protocol.value,
  };
}

/** Fills the form (a shared link, a matrix cell). */
export function writeFlow(form, flow) {
  form.from.value = flow.from ?? '';
  form.to.value = flow.to ?? '';
  form.port.value = flow.port ?? '';
  form.protocol.value = flow.protocol || 'TCP';
}

function ref(r) {
  const pane = paneOf(r.file);
  const name = `${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  const path = r.path ? ` <code>${esc(r.path)}</code>` : '';
  return `<a class="ref" href="#" data-pane="${pane}" data-line="${esc(r.line)}">${esc(name)}</a>${path} <span class="loc">${esc(pane)}:${esc(r.line)}</span>`;
}

function list(items, render) {
  return `<ul>${items.map((x) => `<li>${render(x)}</li>`).join('')}</ul>`;
}

function side(title, s, endpoint) {
  if (!s) return '';
  const parts = [`<h3>${esc(title)} <span class="hint">at ${esc(endpoint)}</span></h3>`];
  if (!s.isolated) {
    parts.push('<p>Not isolated: no policy selects it for this direction, so everything is allowed.</p>');
  } else {
    parts.push(`<p>Isolated by:</p>${list(s.isolatedBy ?? [], ref)}`);
    if (s.allowedBy?.length) parts.push(`<p>Allowed by:</p>${list(s.allowedBy, ref)}`);
    else parts.push('<p>No rule allows this flow.</p>');
    if (s.closest?.length && !s.allowedBy?.length) {
      parts.push(`<p>Closest rules:</p>${list(s.closest, (r) => `${ref(r)}${r.mismatch ? ` <span class="mismatch">— ${richText(r.mismatch)}</span>` : ''}`)}`);
    }
  }
  return `<div class="side" data-side="${esc(title.toLowerCase())}">${parts.join('')}</div>`;
}

/** Renders a query JSON (or an error) into `container`; links call `onJump(pane, line)`. */
export function renderExplanation(container, result, { onJump }) {
  if (!result) {
    container.innerHTML = '';
    return;
  }
  if (result.error) {
    const details = result.details ? `<pre>${esc(result.details)}</pre>` : '';
    container.innerHTML = `<p class="error" data-testid="query-error">${richText(result.error)}</p>${details}`;
    return;
  }
  const allowed = result.allowed === true;
  container.innerHTML = `<p><span class="verdict" data-testid="verdict" data-allowed="${allowed}">${allowed ? 'Allowed' : 'Denied'}</span>
  <span class="flow">${esc(result.from)} → ${esc(result.to)} ${esc(result.protocol)}/${esc(result.port)}</span></p>
  ${result.reason ? `<p class="reason" data-testid="reason">${richText(result.reason)}</p>` : ''}
  ${side('Egress', result.egress, result.from)}${side('Ingress', result.ingress, result.to)}`;
  container.onclick = (event) => {
    const link = event.target.closest('a.ref');
    if (!link) return;
    event.preventDefault();
    onJump(link.dataset.pane, Number(link.dataset.line));
  };
}
