// The guided builder: a form for one NetworkPolicy (selected pods, directions, one
// peer and its ports per rule) that writes its YAML into the Policies editor and
// reads a policy of the editor back; after each analysis it offers the fixes the
// lint findings of that policy call for.
import { emptyForm, emptyRule, formOf, placePolicy, policyAt, policyYaml, ruleOfPath } from './builder-model.js';
import { esc, richText } from './dom.js';

/** The engine's default cloud metadata addresses, by family of the range to except them from. */
const METADATA_EXCEPTS = { v4: ['169.254.169.254/32', '100.100.100.200/32'], v6: ['fd00:ec2::254/128'] };
const DNS_RULE = { ...emptyRule('egress'), namespace: 'kube-system', podLabels: 'k8s-app=kube-dns', ports: 'UDP 53, TCP 53' };

function field(label, name, value, extra = '') {
  return `<label>${esc(label)} <input name="${name}" value="${esc(value)}" ${extra}></label>`;
}

function ruleHtml(rule, i) {
  const option = (value, text, current) => `<option value="${value}"${value === current ? ' selected' : ''}>${text}</option>`;
  const peerFields = rule.peer === 'cidr'
    ? field('CIDR', `rule-${i}-cidr`, rule.cidr, 'placeholder="203.0.113.0/24"') + field('Except', `rule-${i}-except`, rule.except, 'placeholder="169.254.169.254/32"')
    : rule.peer === 'pods'
      ? field('Namespace (blank: the policy\'s own, * for all)', `rule-${i}-namespace`, rule.namespace, 'placeholder="same namespace"') +
        field('Pod labels', `rule-${i}-podLabels`, rule.podLabels, 'placeholder="app=frontend (blank: all pods)"')
      : '';
  return `<fieldset class="rule" data-testid="builder-rule" data-index="${i}">
    <legend>Rule ${i + 1}</legend>
    <label>Direction <select name="rule-${i}-direction">${option('ingress', 'ingress (from)', rule.direction)}${option('egress', 'egress (to)', rule.direction)}</select></label>
    <label>Peer <select name="rule-${i}-peer">${option('pods', 'pods', rule.peer)}${option('cidr', 'IP range', rule.peer)}${option('any', 'anywhere', rule.peer)}</select></label>
    ${peerFields}
    ${field('Ports', `rule-${i}-ports`, rule.ports, 'placeholder="TCP 8080, UDP 53"')}
    <button type="button" data-action="remove" data-index="${i}" aria-label="Remove rule ${i + 1}">Remove</button>
  </fieldset>`;
}

function formHtml(form) {
  return `${field('Name', 'name', form.name, 'placeholder="backend-from-frontend" required')}
    ${field('Namespace', 'namespace', form.namespace, 'required')}
    ${field('Selected pods (labels; blank: every pod)', 'podLabels', form.podLabels, 'placeholder="app=backend"')}
    <fieldset class="directions"><legend>Isolate</legend>
      <label><input type="checkbox" name="ingress" ${form.ingress ? 'checked' : ''}> ingress</label>
      <label><input type="checkbox" name="egress" ${form.egress ? 'checked' : ''}> egress</label>
    </fieldset>
    <div class="rules">${form.rules.map(ruleHtml).join('') || '<p class="hint">No rules: the selected pods are denied in the isolated directions.</p>'}</div>
    <div class="builder-actions">
      <button type="button" data-action="add" data-direction="ingress">Add ingress rule</button>
      <button type="button" data-action="add" data-direction="egress">Add egress rule</button>
      <button type="button" data-action="write" data-testid="builder-write">Write to editor</button>
      <button type="button" data-action="read" data-testid="builder-read">Read from editor</button>
    </div>`;
}

/** What the builder offers for a finding about its policy: `{label, apply(form) | focus}`. */
function fixOf(finding, rule, form) {
  const at = rule >= 0 ? ` of rule ${rule + 1}` : '';
  switch (finding.ruleId) {
    case 'peer-namespace-selector-only':
      return { label: `Add pod labels to the peer${at}`, focus: `rule-${rule}-podLabels` };
    case 'rule-without-ports':
      return { label: `List the ports${at}`, focus: `rule-${rule}-ports` };
    case 'ipblock-allows-metadata':
      return {
        label: `Except the cloud metadata addresses in the range${at}`,
        apply: () => {
          const r = form.rules[rule];
          if (!r) return;
          const present = r.except.split(',').map((e) => e.trim()).filter(Boolean);
          const missing = METADATA_EXCEPTS[r.cidr.includes(':') ? 'v6' : 'v4'].filter((m) => !present.includes(m));
          r.except = [...present, ...missing].join(', ');
        },
      };
    case 'dns-egress-blocked':
      return { label: 'Add a DNS egress rule (kube-dns, UDP and TCP 53)', apply: () => { form.egress = true; form.rules.push({ ...DNS_RULE }); } };
    case 'ipblock-anywhere':
      return { label: `Narrow the range${at} to the addresses needed`, focus: `rule-${rule}-cidr` };
    case 'allow-all-ingress':
    case 'allow-all-egress':
      return { label: `Choose the peer${at}`, focus: `rule-${rule}-peer` };
    default:
      return null;
  }
}

/**
 * Mounts the builder in `root` (the element with `data-testid="builder"`). `page`
 * gives `onAnalysis(fn)`, `policiesText()`, `policiesCursor()`,
 * `writePolicies(text, at)` and `jump(file, line, column)`.
 */
export function mountBuilder(root, page) {
  const formEl = root.querySelector('form');
  const message = root.querySelector('.builder-message');
  const fixesEl = root.querySelector('.builder-fixes');
  let form = emptyForm();
  let written = null; // {name, namespace, ruleIndex} of the last policy written
  let fixes = [];

  const say = (text, kind = '') => {
    message.textContent = text;
    message.className = `builder-message ${kind}`;
  };
  const render = () => {
    formEl.innerHTML = formHtml(form);
  };

  function readFields() {
    const value = (name) => formEl.elements.namedItem(name)?.value ?? '';
    form.name = value('name');
    form.namespace = value('namespace');
    form.podLabels = value('podLabels');
    form.ingress = formEl.elements.namedItem('ingress')?.checked ?? false;
    form.egress = formEl.elements.namedItem('egress')?.checked ?? false;
    form.rules = form.rules.map((rule, i) => {
      const next = { ...rule };
      for (const key of Object.keys(rule)) {
        const el = formEl.elements.namedItem(`rule-${i}-${key}`);
        if (el) next[key] = el.value;
      }
      return next;
    });
  }

  function write() {
    try {
      const { yaml, ruleIndex } = policyYaml(form);
      const placed = placePolicy(page.policiesText(), yaml, form);
      page.writePolicies(placed.text, placed.from);
      written = { name: form.name.trim(), namespace: form.namespace.trim(), ruleIndex };
      say(`Wrote ${form.namespace}/${form.name} into the Policies editor; the engine checks it now.`);
    } catch (err) {
      say(`Not written: ${err.message}.`, 'error');
    }
  }

  function read() {
    const doc = policyAt(page.policiesText(), page.policiesCursor());
    if (!doc) {
      say('No NetworkPolicy in the Policies editor to read.', 'error');
      return;
    }
    try {
      form = formOf(doc.object);
      written = { name: form.name, namespace: form.namespace, ruleIndex: policyYaml(form).ruleIndex };
      render();
      say(`Read ${form.namespace}/${form.name} from the editor.`);
    } catch (err) {
      say(`Cannot read this policy into the form: ${err.message}.`, 'error');
    }
  }

  formEl.addEventListener('input', readFields);
  formEl.addEventListener('change', (event) => {
    readFields();
    if (/-(peer)$/.test(event.target.name ?? '')) render();
  });
  formEl.addEventListener('submit', (event) => event.preventDefault());
  formEl.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    readFields();
    const action = button.dataset.action;
    if (action === 'add') {
      form.rules.push(emptyRule(button.dataset.direction));
      form[button.dataset.direction] = true;
      render();
      formEl.querySelector(`[data-index="${form.rules.length - 1}"] select`)?.focus();
    } else if (action === 'remove') {
      form.rules.splice(Number(button.dataset.index), 1);
      render();
    } else if (action === 'write') write();
    else if (action === 'read') read();
  });

  fixesEl.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-fix]');
    const fix = button && fixes[Number(button.dataset.fix)];
    if (!fix) return;
    if (fix.apply) {
      fix.apply();
      render();
      write();
    } else if (fix.focus) formEl.elements.namedItem(fix.focus)?.focus();
    else page.jump(fix.finding.file, fix.finding.line, fix.finding.column);
  });

  page.onAnalysis(({ lint }) => {
    if (!written) return;
    const mine = (lint?.findings ?? []).filter((f) => f.resource?.kind === 'NetworkPolicy' &&
      f.resource.name === written.name && (f.resource.namespace || 'default') === written.namespace);
    fixes = mine.map((finding) => ({ finding, ...(fixOf(finding, ruleOfPath(finding.path, written.ruleIndex), form) ?? { label: 'Show the line' }) }));
    fixesEl.innerHTML = fixes.length
      ? `<h3>The engine's findings on ${esc(written.namespace)}/${esc(written.name)}</h3><ul>${fixes.map((fix, i) => `<li data-testid="builder-fix" data-rule="${esc(fix.finding.ruleId)}"><span class="sev sev-${esc(fix.finding.severity)}">${esc(fix.finding.severity)}</span> ${richText(fix.finding.message)} <button type="button" data-fix="${i}">${esc(fix.label)}</button></li>`).join('')}</ul>`
      : `<p class="hint" data-testid="builder-clean">No findings on ${esc(written.namespace)}/${esc(written.name)}.</p>`;
  });
  render();
}
