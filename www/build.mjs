// Builds the playground into a static folder (default target/www, git-ignored):
// index.html, style.css, views.css, app.js (page), worker.js (engine worker), netpol_bg.wasm.
//
//   node build.mjs [--out DIR] [--pkg DIR] [--examples DIR]
//
// The engine is the npm package's browser build (`netpol/web`, made by wasm-pack's
// `web` target into ../pkg). The examples bundle is generated here from the
// manifest files (../examples and www/examples), so the page never drifts from them.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { paneOfKind } from './src/manifests.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const out = resolve(args.out ?? join(here, '..', 'target', 'www'));
const pkgDir = resolve(args.pkg ?? process.env.NETPOL_PKG ?? join(here, '..', 'pkg'));
const exampleDirs = [
  { dir: resolve(args.examples ?? join(here, '..', 'examples')), group: 'Manifests' },
  { dir: join(here, 'examples'), group: 'Traps' },
];

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!['out', 'pkg', 'examples'].includes(key) || argv[i + 1] === undefined) {
      throw new Error(`usage: node build.mjs [--out DIR] [--pkg DIR] [--examples DIR] (got ${argv[i]})`);
    }
    opts[key] = argv[i + 1];
  }
  return opts;
}

/** The ES module of the package's `web` export and the .wasm file beside it. */
async function webBuild() {
  const manifestPath = join(pkgDir, 'package.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`no npm package in ${pkgDir}: build it first (make wasm)`);
  }
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  const entry = exportTarget(manifest.exports?.['./web']);
  if (!entry) throw new Error(`${manifestPath} has no "./web" export`);
  const module = join(pkgDir, entry);
  const wasm = await findWasm(dirname(module));
  if (!wasm) throw new Error(`no *_bg.wasm beside ${module}`);
  return { module, wasm };
}

function exportTarget(spec) {
  if (typeof spec === 'string') return spec;
  if (spec && typeof spec === 'object') {
    for (const key of ['browser', 'import', 'default', 'module']) {
      const target = exportTarget(spec[key]);
      if (target) return target;
    }
  }
  return null;
}

async function findWasm(dir) {
  const names = (await readdir(dir)).filter((n) => n.endsWith('_bg.wasm'));
  return names.length ? join(dir, names[0]) : null;
}

// ---- examples bundle ----------------------------------------------------------

const MANIFEST = /\.(ya?ml|json)$/i;

async function filesUnder(path) {
  const info = await stat(path);
  if (!info.isDirectory()) return MANIFEST.test(path) ? [path] : [];
  const names = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
  const nested = await Promise.all(names.map((n) => filesUnder(join(path, n))));
  return nested.flat();
}

/** Splits a YAML stream into documents, keeping each one's text as written. */
function yamlDocuments(text) {
  return text
    .split(/^---[^\S\n]*(?:#.*)?$/m)
    .map((doc) => doc.replace(/^\n+/, '').replace(/\s+$/, ''))
    .filter((doc) => doc.split('\n').some((line) => line.trim() && !line.trim().startsWith('#')));
}

function kindOf(doc) {
  const yamlKind = /^kind:\s*["']?([A-Za-z]+)/m.exec(doc);
  if (yamlKind) return yamlKind[1];
  const jsonKind = /"kind"\s*:\s*"([A-Za-z]+)"/.exec(doc);
  return jsonKind ? jsonKind[1] : '';
}

/** The leading comment lines of a file, as the example's description. */
function leadingComment(text) {
  const lines = [];
  for (const line of text.split('\n')) {
    const m = /^#\s?(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[1]);
  }
  return lines.join(' ').trim();
}

function titleOf(name) {
  const words = name.replace(MANIFEST, '').replace(/^\d+[-_]/, '').replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

async function example(path, group, root) {
  const files = await filesUnder(path);
  const policies = [];
  const tests = [];
  const cluster = [];
  let description = '';
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const docs = file.endsWith('.json') ? [text.trim()] : yamlDocuments(text);
    for (const doc of docs) {
      const kind = kindOf(doc);
      (kind === 'ConnectivityTest' ? tests : paneOfKind(kind) === 'policies' ? policies : cluster).push(doc);
    }
    // The description: the header comment of the first file holding a policy.
    const isPolicy = (doc) => kindOf(doc) !== 'ConnectivityTest' && paneOfKind(kindOf(doc)) === 'policies';
    if (!description && docs.some(isPolicy)) description = leadingComment(text);
  }
  const readme = join(path, 'README.md');
  let title = titleOf(basename(path));
  if (existsSync(readme)) {
    const text = await readFile(readme, 'utf8');
    const para = text.split(/\n\s*\n/).find((p) => p.trim() && !p.startsWith('#'));
    if (para) description = para.replace(/\s+/g, ' ').trim();
    const heading = /^#\s+(.+)$/m.exec(text);
    if (heading) title = heading[1].trim();
  }
  policies.push(...tests);
  return {
    id: `${group.toLowerCase()}/${relative(root, path).replace(MANIFEST, '')}`,
    group,
    title,
    description,
    files: files.map((f) => relative(root, f)),
    policies: policies.length ? policies.join('\n---\n') + '\n' : '',
    cluster: cluster.length ? cluster.join('\n---\n') + '\n' : '',
  };
}

async function examplesBundle() {
  const all = [];
  for (const { dir, group } of exampleDirs) {
    if (!existsSync(dir)) {
      console.warn(`warning: no examples in ${dir}`);
      continue;
    }
    const entries = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
    for (const name of entries) {
      const path = join(dir, name);
      if (!(await stat(path)).isDirectory() && !MANIFEST.test(name)) continue;
      const ex = await example(path, group, dir);
      if (ex.policies || ex.cluster) all.push(ex);
    }
  }
  return all;
}

const examplesPlugin = (examples) => ({
  name: 'examples',
  setup(b) {
    b.onResolve({ filter: /^virtual:examples$/ }, () => ({ path: 'examples', namespace: 'examples' }));
    b.onLoad({ filter: /.*/, namespace: 'examples' }, () => ({
      contents: `export default ${JSON.stringify(examples)};`,
      loader: 'js',
    }));
  },
});

// ---- build ----------------------------------------------------------------------

const engine = await webBuild();
const examples = await examplesBundle();
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const common = {
  bundle: true,
  minify: true,
  sourcemap: false,
  target: ['chrome110', 'firefox115', 'safari16'],
  logLevel: 'warning',
  legalComments: 'none',
};
await build({
  ...common,
  entryPoints: [join(here, 'src', 'main.js')],
  outfile: join(out, 'app.js'),
  format: 'iife',
  plugins: [examplesPlugin(examples)],
});
// The worker is one classic script (no imports) so it can be restarted from memory.
await build({
  ...common,
  entryPoints: [join(here, 'src', 'worker.js')],
  outfile: join(out, 'worker.js'),
  format: 'iife',
  alias: { 'netpol/web': engine.module },
  // The glue's default wasm URL is never used: the page hands the worker a compiled module.
  define: { 'import.meta.url': '"about:blank"' },
});
await copyFile(engine.wasm, join(out, 'netpol_bg.wasm'));
for (const file of ['index.html', 'style.css', 'views.css']) await copyFile(join(here, file), join(out, file));
console.log(`built ${relative(process.cwd(), out) || out}: ${examples.length} examples, engine ${relative(here, engine.module)}`);
