// Shared set-up of the browser tests: the built site served on 127.0.0.1 by a tiny
// Node server, Debian's Chromium driven by playwright-core, and page helpers.
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
const www = join(root, 'www');
// playwright-core lives in the playground's own npm project (www/node_modules).
const { chromium } = createRequire(join(www, 'package.json'))('playwright-core');
const { serve } = await import(join(www, 'serve.mjs'));

export const site = resolve(root, process.env.WWW_OUT ?? join('target', 'www'));
export const artifacts = join(root, 'target', 'www-test');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Starts the server and the browser; returns what the tests need and a `close`. */
export async function startSuite() {
  await mkdir(artifacts, { recursive: true });
  const server = await serve(site, 0);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const profile = await mkdtemp(join(tmpdir(), 'netpol-www-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 1000 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the page (optionally at a URL with a fragment) and waits for its first
 * analysis. `problems` collects console errors and uncaught exceptions.
 */
export async function openPage(suite, url = suite.base) {
  const page = await suite.browser.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-analyzed]', { timeout: 60_000 });
  return { page, problems };
}

/** Saves a screenshot into target/www-test/NAME.png. */
export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
}

/** Waits for the analysis started by the last action to finish. */
export async function analysed(page, before) {
  await page.waitForFunction((n) => Number(document.body.dataset.analyzed ?? 0) > n, before, { timeout: 120_000 });
}

export async function analysisCount(page) {
  return page.evaluate(() => Number(document.body.dataset.analyzed ?? 0));
}

/** Clicks an example and waits for its analysis. */
export async function chooseExample(page, id) {
  const before = await analysisCount(page);
  await page.click(`[data-testid="example"][data-example="${id}"]`);
  await analysed(page, before);
}

/** The text of an editor pane (policies | cluster). */
export function editorText(page, pane) {
  return page.evaluate((p) => {
    return document.querySelector(`[data-testid="editor-${p}"]`).editorView.state.doc.toString();
  }, pane);
}

/** The 1-based line of the cursor in an editor pane. */
export function cursorLine(page, pane) {
  return page.evaluate((p) => {
    const view = document.querySelector(`[data-testid="editor-${p}"]`).editorView;
    return view.state.doc.lineAt(view.state.selection.main.head).number;
  }, pane);
}

/** Replaces an editor's text by a paste (select all, then a clipboard paste event). */
export async function pasteInto(page, pane, text) {
  await page.click(`[data-testid="editor-${pane}"] .cm-content`);
  await page.keyboard.press('Control+A');
  await page.evaluate(([p, t]) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    const target = document.querySelector(`[data-testid="editor-${p}"] .cm-content`);
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [pane, text]);
}

/** The 1-based number of the first line of `text` containing `needle`. */
export function lineOf(text, needle, from = 1) {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`no line contains ${needle}`);
}

/** The matrix cells as {`from\nto`: state}. */
export function matrixStates(page) {
  return page.$$eval('[data-testid="matrix-cell"]', (cells) =>
    Object.fromEntries(cells.map((c) => [`${c.dataset.from}\n${c.dataset.to}`, c.dataset.state])));
}

/** The findings panel as [{rule, line, pane}]. */
export function findingsShown(page) {
  return page.$$eval('[data-testid="finding"]', (items) =>
    items.map((i) => ({ rule: i.dataset.rule, line: Number(i.dataset.line), pane: i.dataset.pane })));
}

/** The Node build of the package (pkg/), to compare the page with. */
export function nodeApi() {
  return createRequire(join(root, 'package.json'))(resolve(root, process.env.NETPOL_PKG ?? 'pkg'));
}
