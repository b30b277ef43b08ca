// Browser tests of the playground's builder: the form writes the YAML into the editor,
// offers the lint fixes, and reads the editor back (round trip).
// Screenshots: target/www-test/guide-builder*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editorText, nodeApi, openPage, pasteInto, shot } from './harness.mjs';
import { andAnalysed, useSuite } from './actions.mjs';
import { assertAccessible } from './axe.mjs';

const suite = useSuite();

test('the builder writes a policy, offers the lint fixes, and reads the editor back', async () => {
  const { page, problems } = await openPage(suite());
  await page.click('#open-builder');
  const builder = page.locator('[data-testid="builder"]');
  await builder.locator('input[name="name"]').fill('api-from-monitoring');
  await builder.locator('input[name="namespace"]').fill('shop');
  await builder.locator('input[name="podLabels"]').fill('app=api');
  await builder.locator('button[data-action="add"][data-direction="ingress"]').click();
  await builder.locator('input[name="rule-0-namespace"]').fill('monitoring');
  await builder.locator('input[name="rule-0-ports"]').fill('TCP 9090');
  await andAnalysed(page, () => builder.locator('[data-testid="builder-write"]').click());
  const written = await editorText(page, 'policies');
  assert.match(written, /name: api-from-monitoring\n {2}namespace: shop\n/);
  assert.match(written, /- namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: monitoring\}\}\n {4}ports:\n {4}- \{protocol: TCP, port: 9090\}/);

  // The namespace-only peer is reported, and its fix goes to the rule's pod labels.
  const fix = builder.locator('[data-testid="builder-fix"][data-rule="peer-namespace-selector-only"]');
  await fix.waitFor();
  await shot(page, 'guide-builder-fix');
  await fix.locator('button').click();
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'rule-0-podLabels');
  await page.keyboard.type('app=prometheus');
  // An egress rule to the whole internet: the metadata fix adds the except.
  await builder.locator('button[data-action="add"][data-direction="egress"]').click();
  await builder.locator('select[name="rule-1-peer"]').selectOption('cidr');
  await builder.locator('input[name="rule-1-cidr"]').fill('0.0.0.0/0');
  await builder.locator('input[name="rule-1-ports"]').fill('TCP 443');
  await andAnalysed(page, () => builder.locator('[data-testid="builder-write"]').click());
  assert.equal(await builder.locator('[data-testid="builder-fix"][data-rule="peer-namespace-selector-only"]').count(), 0, 'the fixed peer is no longer reported');
  const metadataFix = builder.locator('[data-testid="builder-fix"][data-rule="ipblock-allows-metadata"] button');
  await andAnalysed(page, () => metadataFix.click());
  assert.match(await editorText(page, 'policies'), /except: \[169\.254\.169\.254\/32, 100\.100\.100\.200\/32\]/);
  assert.equal(await builder.locator('[data-testid="builder-fix"][data-rule="ipblock-allows-metadata"]').count(), 0);
  const api = nodeApi();
  const lint = api.lint([{ name: 'policies.yaml', text: await editorText(page, 'policies') }], {});
  const mine = lint.findings.filter((f) => f.resource?.name === 'api-from-monitoring').map((f) => f.ruleId);
  assert.ok(mine.length > 0 && !mine.some((id) => ['ipblock-allows-metadata', 'peer-namespace-selector-only'].includes(id)), mine.join(', '));

  // Round trip: an edit in the editor comes back into the form.
  const text = await editorText(page, 'policies');
  const at = text.indexOf('name: api-from-monitoring');
  const edited = text.slice(0, at) + text.slice(at).replace('port: 9090', 'port: 9100').replace('app: prometheus', 'app: grafana');
  await andAnalysed(page, () => pasteInto(page, 'policies', edited));
  await page.evaluate(() => {
    const view = document.querySelector('[data-testid="editor-policies"]').editorView;
    const at = view.state.doc.toString().indexOf('api-from-monitoring');
    view.dispatch({ selection: { anchor: at } });
  });
  await builder.locator('[data-testid="builder-read"]').click();
  assert.equal(await builder.locator('input[name="name"]').inputValue(), 'api-from-monitoring');
  assert.equal(await builder.locator('input[name="podLabels"]').inputValue(), 'app=api');
  assert.equal(await builder.locator('input[name="rule-0-ports"]').inputValue(), 'TCP 9100');
  assert.equal(await builder.locator('input[name="rule-0-podLabels"]').inputValue(), 'app=grafana');
  assert.equal(await builder.locator('input[name="rule-1-except"]').inputValue(), '169.254.169.254/32, 100.100.100.200/32');
  assert.equal(await builder.locator('input[name="egress"]').isChecked(), true);
  // Writing the form read back changes nothing.
  const beforeWrite = await editorText(page, 'policies');
  await builder.locator('[data-testid="builder-write"]').click();
  assert.equal(await editorText(page, 'policies'), beforeWrite);
  // A bad field is a message, not a write.
  await builder.locator('input[name="rule-0-ports"]').fill('TCP ?');
  await builder.locator('[data-testid="builder-write"]').click();
  assert.match(await builder.locator('.builder-message').textContent(), /Not written: "TCP \?" is not a port/);
  await shot(page, 'guide-builder');
  await assertAccessible(page, 'the builder');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the builder\'s DNS fix adds the DNS egress rule the engine asks for', async () => {
  const { page, problems } = await openPage(suite());
  await page.click('#open-builder');
  const builder = page.locator('[data-testid="builder"]');
  await builder.locator('input[name="name"]').fill('web-egress');
  // A namespace of its own: the loaded example already allows DNS in its namespaces.
  await builder.locator('input[name="namespace"]').fill('sandbox');
  await builder.locator('input[name="podLabels"]').fill('app=web');
  await builder.locator('input[name="ingress"]').uncheck();
  await builder.locator('input[name="egress"]').check();
  await andAnalysed(page, () => builder.locator('[data-testid="builder-write"]').click());
  const fix = builder.locator('[data-testid="builder-fix"][data-rule="dns-egress-blocked"] button');
  await andAnalysed(page, () => fix.click());
  assert.equal(await builder.locator('[data-testid="builder-fix"][data-rule="dns-egress-blocked"]').count(), 0, 'DNS is allowed now');
  const text = await editorText(page, 'policies');
  const policy = text.slice(text.indexOf('name: web-egress'));
  assert.match(policy, /- namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: kube-system\}\}\n {6}podSelector: \{matchLabels: \{k8s-app: kube-dns\}\}\n {4}ports:\n {4}- \{protocol: UDP, port: 53\}\n {4}- \{protocol: TCP, port: 53\}/);
  assert.equal(await builder.locator('select[name="rule-0-direction"]').inputValue(), 'egress');
  assert.deepEqual(problems, []);
  await page.close();
});
