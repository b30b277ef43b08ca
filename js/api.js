// The JavaScript API of netpol over the WebAssembly module (src/wasm).
//
// Thin by design: each function runs the same command line as the native binary
// (`netpol <command> --format json`) over the sources it is given, in memory, and
// parses the JSON, so results have exactly the shapes of docs/spec/interfaces.md. This
// file has no module syntax: `make wasm` wraps it as `api.cjs` (Node) and `api.mjs`
// (browsers); `createApi(raw, ready)` gets the wasm-bindgen exports.

'use strict';

/** Rule levels for `options.rules`, and thresholds for `options.failOn`. */
const LEVELS = ['off', 'info', 'warning', 'error'];
const FAIL_ON = ['error', 'warning', 'info', 'none'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** Where the API's `options.config` is readable (src/wasm/memory.rs CONFIG_PATH). */
const CONFIG_PATH = 'options.config';

function typeError(fn, message) {
  return new TypeError(`netpol.${fn}: ${message}`);
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `sources` as parallel name and text arrays: a string is one source named `-`
 * (standard input), an array holds `{name, text}` objects with distinct names.
 */
function normaliseSources(fn, sources) {
  if (typeof sources === 'string') {
    return { names: ['-'], texts: [sources] };
  }
  if (!Array.isArray(sources)) {
    throw typeError(fn, 'sources must be a string or an array of {name, text} objects');
  }
  const names = [];
  const texts = [];
  const seen = new Set();
  sources.forEach((source, i) => {
    if (!isPlainObject(source) || typeof source.name !== 'string' || typeof source.text !== 'string') {
      throw typeError(fn, `sources[${i}] must be an object {name: string, text: string}`);
    }
    if (source.name === '' || source.name === CONFIG_PATH) {
      throw typeError(fn, `sources[${i}].name must be a non-empty name other than '${CONFIG_PATH}'`);
    }
    if (seen.has(source.name)) {
      throw typeError(fn, `sources[${i}].name '${source.name}' is used twice`);
    }
    seen.add(source.name);
    names.push(source.name);
    texts.push(source.text);
  });
  return { names, texts };
}

/** The command-line options for `options` ({config, rules, failOn}), checked. */
function optionArgs(fn, options, accepted) {
  if (options === undefined || options === null) {
    return { args: [], config: undefined };
  }
  if (!isPlainObject(options)) {
    throw typeError(fn, 'options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      throw typeError(fn, `unknown option '${key}' (expected: ${accepted.join(', ')})`);
    }
  }
  const args = [];
  let config;
  if (options.config !== undefined) {
    if (typeof options.config === 'string') {
      config = options.config;
    } else if (isPlainObject(options.config)) {
      config = JSON.stringify(options.config);
    } else {
      throw typeError(fn, 'options.config must be an object or the text of a .netpol.yaml');
    }
    args.push('--config', CONFIG_PATH);
  }
  if (options.rules !== undefined) {
    if (!isPlainObject(options.rules)) {
      throw typeError(fn, 'options.rules must be an object {ruleId: level}');
    }
    for (const [id, level] of Object.entries(options.rules)) {
      if (!LEVELS.includes(level)) {
        throw typeError(fn, `options.rules['${id}'] must be one of ${LEVELS.join(', ')}`);
      }
      args.push('--rule', `${id}=${level}`);
    }
  }
  if (options.failOn !== undefined) {
    if (!FAIL_ON.includes(options.failOn)) {
      throw typeError(fn, `options.failOn must be one of ${FAIL_ON.join(', ')}`);
    }
    args.push('--fail-on', options.failOn);
  }
  return { args, config };
}

/** `netpol: error: MESSAGE\nDETAILS...netpol: hint: ...\n` → {error, details}. */
function usageFailure(stderr) {
  const lines = stderr.split('\n');
  const first = lines.shift() || '';
  const error = first.replace(/^netpol: error: /, '');
  const details = lines.filter((line) => line !== '' && !line.startsWith('netpol: hint: '));
  return { error, details: details.length ? details.join('\n') + '\n' : '' };
}

/** A run's arguments with `--format NAME`, then its positional paths. */
function withFormat(run, name) {
  const paths = run.paths.length ? ['--', ...run.paths] : [];
  return [...run.args, '--format', name, ...paths];
}

/** One side of a diff: its sources named under `side/` so both sides can share file
 * names; a string is `side/manifests.yaml`. */
function sideSources(fn, side, sources) {
  const { names, texts } = normaliseSources(fn, typeof sources === 'string' ? [{ name: 'manifests.yaml', text: sources }] : sources);
  return { names: names.map((name) => `${side}/${name}`), texts };
}

function createApi(raw, ready) {
  // The run that produced each result, so `format` can render it again.
  const runs = new WeakMap();

  function call(fn, run, positions) {
    if (ready && !ready()) {
      throw new Error(`netpol.${fn}: the WebAssembly module is not loaded yet: await init() first`);
    }
    const outcome = raw.runWithSources(run.args, run.names, run.texts, run.config, Date.now(), positions);
    try {
      return {
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        code: outcome.code,
        utf16: positions ? Array.from(outcome.utf16) : [],
      };
    } finally {
      outcome.free();
    }
  }

  /** Runs `command --format json`: the parsed result, or `{ok: false, ...}`. */
  function answer(fn, command, extra, sources, options, accepted, positions) {
    const { names, texts } = normaliseSources(fn, sources);
    const { args, config } = optionArgs(fn, options, accepted);
    const run = { command, args: [command, ...extra, ...args], names, texts, config, paths: names };
    const outcome = call(fn, { ...run, args: withFormat(run, 'json') }, positions);
    if (outcome.code === 2) {
      return { ok: false, version: version(), ...usageFailure(outcome.stderr) };
    }
    const result = { ok: true, ...JSON.parse(outcome.stdout) };
    runs.set(result, run);
    return { result, outcome };
  }

  function unwrap(reply) {
    return reply.ok === false ? reply : reply.result;
  }

  function lint(sources, options) {
    const reply = answer('lint', 'lint', [], sources, options, ['config', 'rules', 'failOn'], true);
    if (reply.ok === false) {
      return reply;
    }
    const { result, outcome } = reply;
    result.findings.forEach((finding, i) => {
      finding.utf16Column = outcome.utf16[2 * i] || 0;
      finding.utf16EndColumn = outcome.utf16[2 * i + 1] || 0;
    });
    result.fails = outcome.code === 1;
    return result;
  }

  function matrix(sources, options) {
    return unwrap(answer('matrix', 'matrix', [], sources, options, [], false));
  }

  function query(sources, flow) {
    if (!isPlainObject(flow)) {
      throw typeError('query', 'flow must be an object {from, to, port, protocol?}');
    }
    for (const key of ['from', 'to']) {
      if (typeof flow[key] !== 'string') {
        throw typeError('query', `flow.${key} must be an endpoint string (ns/name, ns/kind/name or an IP address)`);
      }
    }
    const port = flow.port;
    if (!(Number.isInteger(port) || (typeof port === 'string' && port !== ''))) {
      throw typeError('query', 'flow.port must be a port number or a named port');
    }
    const extra = ['--from', flow.from, '--to', flow.to, '--port', String(port)];
    if (flow.protocol !== undefined) {
      if (!PROTOCOLS.includes(flow.protocol)) {
        throw typeError('query', `flow.protocol must be one of ${PROTOCOLS.join(', ')}`);
      }
      extra.push('--protocol', flow.protocol);
    }
    return unwrap(answer('query', 'query', extra, sources, undefined, [], false));
  }

  /** What `headSources` allows that `baseSources` did not, and the reverse. Options:
   * `cluster` (sources of Namespaces, Pods and workloads both sides share) and
   * `failOn` (`added`, `removed` or `any`: sets `fails`). */
  function diff(baseSources, headSources, options) {
    if (options !== undefined && options !== null && !isPlainObject(options)) {
      throw typeError('diff', 'options must be an object');
    }
    const opts = options || {};
    for (const key of Object.keys(opts)) {
      if (!['cluster', 'failOn'].includes(key)) {
        throw typeError('diff', `unknown option '${key}' (expected: cluster, failOn)`);
      }
    }
    const sides = [['base', sideSources('diff', 'base', baseSources)], ['head', sideSources('diff', 'head', headSources)]];
    if (opts.cluster !== undefined) {
      sides.push(['cluster', sideSources('diff', 'cluster', opts.cluster)]);
    }
    const args = ['diff'];
    for (const [side, { names }] of sides) {
      if (names.length === 0) {
        throw typeError('diff', `${side} sources must not be empty`);
      }
      args.push(`--${side}`, ...names);
    }
    if (opts.failOn !== undefined) {
      if (!['added', 'removed', 'any'].includes(opts.failOn)) {
        throw typeError('diff', 'options.failOn must be one of added, removed, any');
      }
      args.push('--fail-on', opts.failOn);
    }
    const run = {
      args,
      names: sides.flatMap(([, side]) => side.names),
      texts: sides.flatMap(([, side]) => side.texts),
      config: undefined,
      paths: [],
    };
    const outcome = call('diff', { ...run, args: withFormat(run, 'json') }, false);
    if (outcome.code === 2) {
      return { ok: false, version: version(), ...usageFailure(outcome.stderr) };
    }
    const result = { ok: true, ...JSON.parse(outcome.stdout), fails: outcome.code === 1 };
    runs.set(result, run);
    return result;
  }

  /** Admission review of one object: an AdmissionReview (object or JSON text) in,
   * the AdmissionReview with its `response` out. `settings` are the configuration
   * keys (`rules`, `failOn`, `podCIDRs`, ...), as an object or YAML/JSON text. */
  function validateAdmission(admissionReview, settings) {
    let review = admissionReview;
    if (isPlainObject(review)) {
      review = JSON.stringify(review);
    } else if (typeof review !== 'string') {
      throw typeError('validateAdmission', 'admissionReview must be an object or its JSON text');
    }
    let config;
    if (typeof settings === 'string') {
      config = settings;
    } else if (isPlainObject(settings)) {
      config = JSON.stringify(settings);
    } else if (settings !== undefined && settings !== null) {
      throw typeError('validateAdmission', 'settings must be an object or the text of a .netpol.yaml');
    }
    const args = ['admission', ...(config === undefined ? [] : ['--config', CONFIG_PATH]), '-'];
    const outcome = call('validateAdmission', { args, names: ['-'], texts: [review], config }, false);
    if (outcome.code === 2) {
      return { ok: false, version: version(), ...usageFailure(outcome.stderr) };
    }
    return JSON.parse(outcome.stdout);
  }

  function testConnectivity(sources) {
    return unwrap(answer('testConnectivity', 'test', [], sources, undefined, [], false));
  }

  function format(result, name) {
    const run = isPlainObject(result) ? runs.get(result) : undefined;
    if (!run) {
      throw typeError('format', 'result must be an object returned by lint, matrix, query, testConnectivity or diff');
    }
    if (typeof name !== 'string') {
      throw typeError('format', 'format must be a format name (text, json, sarif, ...)');
    }
    const outcome = call('format', { ...run, args: withFormat(run, name) }, false);
    if (outcome.code === 2) {
      // The only thing that can differ from the run that made `result`: the format.
      throw typeError('format', usageFailure(outcome.stderr).error);
    }
    return outcome.stdout;
  }

  function rules() {
    const outcome = call('rules', { args: ['rules', '--format', 'json'], names: [], texts: [], paths: [] }, false);
    return JSON.parse(outcome.stdout);
  }

  function version() {
    if (ready && !ready()) {
      throw new Error('netpol.version: the WebAssembly module is not loaded yet: await init() first');
    }
    return raw.version();
  }

  return { lint, matrix, query, testConnectivity, diff, format, rules, version, validateAdmission };
}
