// `make wasm-bench`: lint and matrix through the npm package (pkg/) against the
// native binary (NETPOL_NATIVE), on the same bytes, in the same run; appends the
// section "WebAssembly (npm package)" to BENCHMARKS.md (replacing an earlier one).
//
// Inputs: a seeded cluster in the shape of benches/netpol/corpus.rs (per namespace a
// Namespace, Deployments with their Pods, a default deny, app-to-app allows with pod
// and namespace selectors, ingress from an ingress controller, DNS egress to
// kube-system, ipBlock egress with excepts). Environment: NETPOL_WASM_BENCH_MB (sizes,
// comma-separated, default "1,5"), NETPOL_BENCH_RUNS (default 5).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NATIVE = resolve(ROOT, process.env.NETPOL_NATIVE || 'target/release/netpol');
const BIN = join(ROOT, 'pkg/bin/netpol.cjs');
const RUNS = Number(process.env.NETPOL_BENCH_RUNS || 5);
const SIZES = (process.env.NETPOL_WASM_BENCH_MB || '1,5').split(',').map(Number);
const SECTION = '## WebAssembly (npm package)';

/** xorshift64*: the same numbers on every machine. */
function rng(seed) {
  let state = BigInt(seed) || 1n;
  const mask = (1n << 64n) - 1n;
  return {
    below(n) {
      state ^= state >> 12n;
      state ^= (state << 25n) & mask;
      state ^= state >> 27n;
      return Number(((state * 0x2545f4914f6cdd1dn) & mask) % BigInt(n));
    },
    pick(items) {
      return items[this.below(items.length)];
    },
  };
}

const TEAMS = ['shop', 'payments', 'search', 'identity', 'data', 'platform'];
const APPS = ['web', 'api', 'worker', 'cache', 'db', 'queue', 'auth', 'report'];

function namespaceYaml(r, index) {
  const ns = `${r.pick(TEAMS)}-${index}`;
  const apps = APPS.slice(0, 3 + r.below(APPS.length - 3));
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {team: ${ns.split('-')[0]}, env: ${r.pick(['prod', 'staging', 'dev'])}}\n`];
  apps.forEach((app, a) => {
    const port = 8000 + a;
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${app}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}, tier: t${a % 3}}}\n    spec:\n      containers: [{name: ${app}, image: ${app}:1, ports: [{name: http, containerPort: ${port}}]}]\n`);
    for (let p = 0; p < 2; p += 1) {
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${app}-${p}\n  namespace: ${ns}\n  labels: {app: ${app}, tier: t${a % 3}, pod-template-hash: h${p}}\nspec:\n  containers: [{name: ${app}, image: ${app}:1, ports: [{name: http, containerPort: ${port}}]}]\nstatus: {podIP: 10.${index % 250}.${a}.${p + 1}}\n`);
    }
  });
  docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: ${ns}}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n`);
  docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: dns, namespace: ${ns}}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]\n      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]\n`);
  apps.slice(1).forEach((app, a) => {
    const from = apps[a];
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${app}-from-${from}, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {app: ${app}}}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: ${from}}}\n        - namespaceSelector: {matchLabels: {team: ${r.pick(TEAMS)}}}\n          podSelector: {matchExpressions: [{key: tier, operator: In, values: [t${r.below(3)}]}]}\n      ports: [{port: http}]\n`);
  });
  docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-ingress, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {app: ${apps[0]}}}\n  ingress:\n    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]\n      ports: [{port: 8000}]\n`);
  const net = 20 + r.below(200);
  docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: egress-out, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {app: ${apps[apps.length - 1]}}}\n  policyTypes: [Egress]\n  egress:\n    - to: [{ipBlock: {cidr: ${net}.0.0.0/8, except: [${net}.${1 + r.below(250)}.0.0/16]}}]\n      ports: [{port: 443}]\n`);
  return docs.join('---\n');
}

/** The generated cluster's namespaces, one text each, about `bytes` in all. */
function generateParts(bytes) {
  const r = rng(42);
  const parts = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const text = namespaceYaml(r, i);
    parts.push(text);
    size += text.length + 4;
  }
  return parts;
}

function generate(bytes) {
  return generateParts(bytes).join('---\n');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(work) {
  work();
  const times = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

function spawnWork(command, args) {
  return () => {
    const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
    if (result.status === 2) {
      throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
    }
  };
}

/** The median time of one call of `work`, in microseconds, over `runs` calls. */
function microseconds(work, runs) {
  work();
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  return median(times);
}

/** The workspace on the cluster of `mb` MB, one source per namespace: load + lint
 * from scratch, one query after loading, and one edited namespace (`update`) + lint. */
function workspaceRow(api, mb) {
  const parts = generateParts(mb * 1_000_000);
  const sources = parts.map((text, i) => ({ name: `ns-${i}.yaml`, text }));
  const policies = (parts.join('').match(/kind: NetworkPolicy/g) || []).length;
  const fresh = time(() => {
    const ws = api.load(sources);
    ws.lint({ failOn: 'none' });
    ws.free();
  });
  const ws = api.load(sources);
  const [from, to] = ws.endpoints().filter((e) => e.kind !== 'External').map((e) => e.id);
  const query = microseconds(() => ws.query({ from, to, port: 8001 }), 201);
  let flip = 0;
  const edited = time(() => {
    flip = 1 - flip;
    ws.update('ns-0.yaml', parts[0].replace('port: 8000}', `port: ${8000 + flip}}`));
    ws.lint({ failOn: 'none' });
  });
  ws.free();
  return `| ${mb} MB | ${sources.length} | ${policies} | ${ms(fresh)} | ${query.toFixed(0)} | ${ms(edited)} | ${((100 * edited) / fresh).toFixed(0)} % |`;
}

function ms(value) {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** `document` with `section` in place of an earlier one (or appended). */
function withSection(document, section) {
  const start = document.indexOf(`${SECTION}\n`);
  if (start < 0) {
    return `${document.trimEnd()}\n\n${section}`;
  }
  const next = document.indexOf('\n## ', start + SECTION.length);
  const rest = next < 0 ? '' : document.slice(next + 1);
  return `${document.slice(0, start).trimEnd()}\n\n${section}${rest ? `\n${rest}` : ''}`;
}

function main() {
  if (!existsSync(NATIVE) || !existsSync(BIN)) {
    throw new Error(`needs ${NATIVE} and ${BIN}: run 'make wasm-bench'`);
  }
  const api = require(join(ROOT, 'pkg/index.cjs'));
  const dir = mkdtempSync(join(tmpdir(), 'netpol-bench-'));
  const rows = [];
  const workspaceRows = [];
  try {
    for (const mb of SIZES) {
      const text = generate(mb * 1_000_000);
      const file = join(dir, `cluster-${mb}mb.yaml`);
      writeFileSync(file, text);
      const sources = [{ name: file, text }];
      for (const [command, extra] of [['lint', ['--fail-on', 'none']], ['matrix', []]]) {
        const args = [command, '--format', 'json', ...extra, file];
        console.error(`${command} ${mb} MB...`);
        const native = time(spawnWork(NATIVE, args));
        const npx = time(spawnWork(process.execPath, [BIN, ...args]));
        const inProcess = time(() => (command === 'lint' ? api.lint(sources, { failOn: 'none' }) : api.matrix(sources)));
        rows.push(`| ${command} | ${mb} MB | ${ms(native)} | ${ms(npx)} | ${ms(inProcess)} | ${(npx / native).toFixed(2)}× | ${(inProcess / native).toFixed(2)}× |`);
      }
      console.error(`workspace ${mb} MB...`);
      workspaceRows.push(workspaceRow(api, mb));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const sizes = ['node', 'web'].map((target) => {
    const bytes = readFileSync(join(ROOT, `pkg/${target}/netpol_bg.wasm`));
    return `| \`pkg/${target}/netpol_bg.wasm\` | ${bytes.length} | ${gzipSync(bytes, { level: 9 }).length} |`;
  });
  const packed = spawnSync('npm', ['pack', join(ROOT, 'pkg'), '--dry-run', '--json'], { encoding: 'utf8' });
  const [tarball] = JSON.parse(packed.stdout);
  sizes.push(`| npm package (\`npm pack\`, ${tarball.entryCount} files) | ${tarball.unpackedSize} unpacked | ${tarball.size} (tarball) |`);
  const section = [
    SECTION,
    '',
    `Generated by \`make wasm-bench\` (\`tests/js/bench/bench.mjs\`), Node ${process.version}, median of ${RUNS} runs after one warm-up.`,
    'Every figure runs `--format json` on the same generated file (a seeded cluster in the shape of',
    '`benches/netpol/corpus.rs`): the native binary as a process, `npx netpol` (the package\'s bin: Node start,',
    'WebAssembly compile, the run), and the JavaScript API in a warm process (the run and `JSON.parse`).',
    '',
    '| command | input | native (ms) | npx netpol (ms) | API in process (ms) | npx / native | API / native |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'The workspace (`load`, then questions and edits; one source per namespace): load + lint from scratch,',
    '`workspace.query(flow)` after loading (median of 201 calls), and `update` of one namespace\'s file',
    'followed by `lint()`.',
    '',
    '| input | sources | policies | load + lint (ms) | query (µs) | update + lint (ms) | update + lint / load + lint |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...workspaceRows,
    '',
    '| package file | bytes | gzip -9 |',
    '| --- | ---: | ---: |',
    ...sizes,
    '',
  ].join('\n');
  const out = join(ROOT, 'BENCHMARKS.md');
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : '# Benchmarks\n\n';
  writeFileSync(out, withSection(previous, section));
  process.stdout.write(`${section}`);
  console.error(`wrote ${out}`);
}

main();
