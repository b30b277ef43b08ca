// The query form's answer: verdict, reason, and per side the isolating policies,
// the allowing rules and (for a denial) the closest rules, each linking to its line.
import { esc, richText } from './dom.js';
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

/** What each layer deciding a side means, in words. */
const LAYER_TEXT = {
  admin: 'Decided by the Admin tier (cluster-wide, above the NetworkPolicies).',
  networkPolicy: 'Decided by the NetworkPolicies.',
  baseline: 'Decided by the Baseline tier (cluster-wide, below the NetworkPolicies).',
  default: 'Nothing decided: allowed by default.',
};

/** One cluster-wide rule met on the way: its tier and action as a badge, then where it is. */
function tierStep(step, direction) {
  const rule = `${direction}[${step.rule}]${step.ruleName ? ` (${step.ruleName})` : ''}`;
  const dns = step.dependsOnDns ? ' <span class="hint">if DNS resolves its domain names here</span>' : '';
  return `<span class="tier tier-${esc(step.tier)} action-${esc(String(step.action).toLowerCase())}" data-testid="tier" data-tier="${esc(step.tier)}" data-action="${esc(step.action)}">${esc(step.tier)} · ${esc(step.action)}</span> ${esc(step.kind)} ${ref({ name: step.name, file: step.file, line: step.line, path: `spec.${rule}` })} <span class="hint">priority ${esc(step.priority)}</span>${dns}`;
}

/** The NetworkPolicies' part of a side: isolation, allowing rules, closest rules. */
function policiesPart(s) {
  if (!s.isolated) return '<p>Not isolated: no policy selects it for this direction, so everything is allowed.</p>';
  const parts = [`<p>Isolated by:</p>${list(s.isolatedBy ?? [], ref)}`];
  if (s.allowedBy?.length) parts.push(`<p>Allowed by:</p>${list(s.allowedBy, ref)}`);
  else parts.push('<p>No rule allows this flow.</p>');
  if (s.closest?.length && !s.allowedBy?.length) {
    parts.push(`<p>Closest rules:</p>${list(s.closest, (r) => `${ref(r)}${r.mismatch ? ` <span class="mismatch">— ${richText(r.mismatch)}</span>` : ''}`)}`);
  }
  return parts.join('');
}

function side(title, s, endpoint) {
  if (!s) return '';
  const parts = [`<h3>${esc(title)} <span class="hint">at ${esc(endpoint)}</span></h3>`];
  // With cluster-wide policies in the input, each side names the tier rules met and
  // the layer that decided (absent otherwise).
  if (s.tiers?.length) {
    parts.push(`<p>Cluster-wide rules met, in order:</p>${list(s.tiers, (step) => tierStep(step, title.toLowerCase()))}`);
  }
  if (s.layer) parts.push(`<p class="layer" data-testid="layer" data-layer="${esc(s.layer)}">${esc(LAYER_TEXT[s.layer] ?? s.layer)}</p>`);
  if (!s.layer || s.layer === 'networkPolicy') parts.push(policiesPart(s));
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
  // No definite answer (DNS or the order of equal-priority policies decides): not allowed for sure.
  const uncertain = !allowed && (result.uncertain?.dns || result.uncertain?.order);
  const verdict = allowed ? 'Allowed' : uncertain ? 'Uncertain' : 'Denied';
  container.innerHTML = `<p><span class="verdict" data-testid="verdict" data-allowed="${allowed}"${uncertain ? ' data-uncertain="true"' : ''}>${verdict}</span>
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
