// The JavaScript API of netpol over the WebAssembly module (src/wasm).
//
// Thin by design: `load` decodes the sources once into a workspace (src/api, through
// the wasm `WorkspaceHandle`; texts travel as UTF-8 bytes), and every question is a
// typed request (JSON; a flow as plain arguments) whose
// answer comes back as JSON text parsed once here, with exactly the shapes of the
// interface. The one-shot functions (`lint`, `matrix`, ...) load a workspace, ask,
// and free it. `format` asks a one-shot call's question again and renders the answer
// in another format; `rules`, `validateAdmission` and `portsText` are typed calls too. This file
// has no module syntax: `make wasm` wraps it as `api.cjs` (Node) and `api.mjs`
// (browsers); `createApi(raw, ready)` gets the wasm-bindgen exports.

'use strict';

/** Rule levels for `options.rules`, and thresholds for `options.failOn`. */
const LEVELS = ['off', 'info', 'warning', 'error'];
const FAIL_ON = ['error', 'warning', 'info', 'none'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** The name configuration errors give `options.config` (src/wasm/mod.rs CONFIG_PATH). */
const CONFIG_PATH = 'options.config';

function typeError(fn, message) {
  return new TypeError(`netpol.${fn}: ${message}`);
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Workspace input as the `[{name, text} | {name, object}]` list the module takes:
 * a string is one text named `-`; an object or an array of Kubernetes objects are
 * objects named `input` (`input[i]`); an array may mix `{name, text}` and
 * `{name, object}` source files with Kubernetes objects (objects with a `kind`). */
function inputFiles(fn, input) {
  if (typeof input === 'string') {
    return [{ name: '-', text: input }];
  }
  if (isPlainObject(input) && typeof input.kind === 'string') {
    return [{ name: 'input', object: input }];
  }
  if (!Array.isArray(input)) {
    throw typeError(fn, 'sources must be a string or an array of {name, text} / {name, object} source files or Kubernetes objects, or one Kubernetes object');
  }
  const seen = new Set();
  return input.map((item, i) => {
    if (!isPlainObject(item)) {
      throw typeError(fn, `sources[${i}] must be an object {name, text} or {name, object}, or a Kubernetes object`);
    }
    if (typeof item.kind === 'string' && !('name' in item)) {
      return { name: `input[${i}]`, object: item };
    }
    if (typeof item.name !== 'string' || item.name === '' || item.name === CONFIG_PATH) {
      throw typeError(fn, `sources[${i}].name must be a non-empty name other than '${CONFIG_PATH}'`);
    }
    if (seen.has(item.name)) {
      throw typeError(fn, `sources[${i}].name '${item.name}' is used twice`);
    }
    seen.add(item.name);
    if (typeof item.text === 'string') {
      return { name: item.name, text: item.text };
    }
    if (typeof item.object === 'object' && item.object !== null) {
      return { name: item.name, object: item.object };
    }
    throw typeError(fn, `sources[${i}] must be an object {name: string, text: string} or {name: string, object: object}`);
  });
}

const encoder = new TextEncoder();

/** `files` as the module takes them (src/wasm/workspace.rs, SentFiles): the JSON
 * list of `{name}` and `{name, object}` entries, the texts' UTF-8 bytes one after
 * the other (one copy into WebAssembly memory; no JSON escaping), and each text's
 * length in bytes. */
function sentFiles(files) {
  const entries = [];
  const texts = [];
  for (const file of files) {
    if (typeof file.text === 'string') {
      texts.push(encoder.encode(file.text));
      entries.push({ name: file.name });
    } else {
      entries.push(file);
    }
  }
  const lengths = Uint32Array.from(texts, (bytes) => bytes.length);
  if (texts.length === 1) {
    return [JSON.stringify(entries), texts[0], lengths];
  }
  const all = new Uint8Array(lengths.reduce((sum, length) => sum + length, 0));
  let at = 0;
  for (const bytes of texts) {
    all.set(bytes, at);
    at += bytes.length;
  }
  return [JSON.stringify(entries), all, lengths];
}

/** `options.config` as the text the module parses (an object becomes JSON). */
function configText(fn, config) {
  if (config === undefined) {
    return undefined;
  }
  if (typeof config === 'string') {
    return config;
  }
  if (isPlainObject(config)) {
    return JSON.stringify(config);
  }
  throw typeError(fn, 'options.config must be an object or the text of a .netpol.yaml');
}

/** The data planes `cni` names (docs/cni.md). */
const DATA_PLANES = ['generic', 'calico', 'cilium', 'antrea', 'ovn-kubernetes'];

/** `load`'s options with `cni` written into the configuration (it wins over the
 * configuration's own `cni`). A configuration given as text is not rewritten: pass
 * the data plane inside it, or give the configuration as an object. */
function withDataPlane(opts) {
  if (opts.cni === undefined) {
    return opts;
  }
  if (!DATA_PLANES.includes(opts.cni)) {
    throw typeError('load', `options.cni must be one of ${DATA_PLANES.join(', ')}`);
  }
  if (typeof opts.config === 'string') {
    throw typeError('load', 'options.cni needs options.config as an object (or write cni in the configuration text)');
  }
  return { ...opts, config: { ...(opts.config ?? {}), cni: opts.cni } };
}

/** `options` checked against the keys `fn` accepts. */
function checkedOptions(fn, options, accepted) {
  if (options === undefined || options === null) {
    return {};
  }
  if (!isPlainObject(options)) {
    throw typeError(fn, 'options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      throw typeError(fn, `unknown option '${key}' (expected: ${accepted.join(', ')})`);
    }
  }
  return options;
}

/** The lint request of `options` ({rules, failOn}), checked. */
function lintRequest(fn, options) {
  const request = {};
  if (options.rules !== undefined) {
    if (!isPlainObject(options.rules)) {
      throw typeError(fn, 'options.rules must be an object {ruleId: level}');
    }
    for (const [id, level] of Object.entries(options.rules)) {
      if (!LEVELS.includes(level)) {
        throw typeError(fn, `options.rules['${id}'] must be one of ${LEVELS.join(', ')}`);
      }
    }
    request.rules = options.rules;
  }
  if (options.failOn !== undefined) {
    if (!FAIL_ON.includes(options.failOn)) {
      throw typeError(fn, `options.failOn must be one of ${FAIL_ON.join(', ')}`);
    }
    request.failOn = options.failOn;
  }
  return request;
}

/** A matrix view ({from, to, namespace, protocol, port, group}), checked. */
function matrixView(fn, view) {
  const checked = checkedOptions(fn, view, ['from', 'to', 'namespace', 'protocol', 'port', 'group']);
  if (checked.group !== undefined && !['owner', 'none'].includes(checked.group)) {
    throw typeError(fn, 'view.group must be owner or none');
  }
  for (const key of ['from', 'to']) {
    if (checked[key] !== undefined && typeof checked[key] !== 'string') {
      throw typeError(fn, `view.${key} must be an endpoint string`);
    }
  }
  if (checked.namespace !== undefined && !(Array.isArray(checked.namespace) && checked.namespace.every((ns) => typeof ns === 'string'))) {
    throw typeError(fn, 'view.namespace must be an array of namespace names');
  }
  if (checked.protocol !== undefined && !PROTOCOLS.includes(checked.protocol)) {
    throw typeError(fn, `view.protocol must be one of ${PROTOCOLS.join(', ')}`);
  }
  if (checked.port !== undefined && !(Number.isInteger(checked.port) && checked.port >= 1 && checked.port <= 65535)) {
    throw typeError(fn, 'view.port must be a port number (1-65535)');
  }
  return checked;
}

/** A flow ({from, to, port, protocol?}), checked. */
function flowRequest(fn, flow) {
  if (!isPlainObject(flow)) {
    throw typeError(fn, 'flow must be an object {from, to, port, protocol?}');
  }
  for (const key of ['from', 'to']) {
    if (typeof flow[key] !== 'string') {
      throw typeError(fn, `flow.${key} must be an endpoint string (ns/name, ns/kind/name or an IP address)`);
    }
  }
  const port = flow.port;
  if (!((Number.isInteger(port) && port >= 1 && port <= 65535) || (typeof port === 'string' && port !== ''))) {
    throw typeError(fn, 'flow.port must be a port number or a named port');
  }
  if (flow.protocol !== undefined && !PROTOCOLS.includes(flow.protocol)) {
    throw typeError(fn, `flow.protocol must be one of ${PROTOCOLS.join(', ')}`);
  }
  const request = { from: flow.from, to: flow.to, port };
  if (flow.protocol !== undefined) {
    request.protocol = flow.protocol;
  }
  return request;
}

function createApi(raw, ready) {
  // The question that produced each one-shot result, so `format` can render it again.
  const questions = new WeakMap();

  function loaded(fn) {
    if (ready && !ready()) {
      throw new Error(`netpol.${fn}: the WebAssembly module is not loaded yet: await init() first`);
    }
  }

  /** An envelope from the module: the result (lint and diff add `fails`), or
   * `{ok: false, version, error, details}`; a misuse becomes a TypeError. */
  function open(fn, text) {
    const reply = JSON.parse(text);
    if (reply.ok) {
      return reply;
    }
    if (reply.misuse) {
      throw typeError(fn, reply.error);
    }
    return { failure: { ok: false, version: raw.version(), error: reply.error, details: reply.details } };
  }

  function result(fn, text) {
    const reply = open(fn, text);
    return reply.failure || { ok: true, ...reply.result };
  }

  /** A loaded set of sources: ask many questions, edit one source at a time. */
  class Workspace {
    #handle;

    constructor(handle) {
      this.#handle = handle;
    }

    #live(fn) {
      if (!this.#handle) {
        throw typeError(`Workspace.${fn}`, 'the workspace has been freed');
      }
      return this.#handle;
    }

    /** The handle of a live workspace (for `diff`). */
    static handleOf(workspace, fn) {
      if (!(workspace instanceof Workspace)) {
        throw typeError(`Workspace.${fn}`, 'head must be a Workspace returned by load');
      }
      return workspace.#live(fn);
    }

    lint(options) {
      const request = lintRequest('Workspace.lint', checkedOptions('Workspace.lint', options, ['rules', 'failOn']));
      const reply = open('Workspace.lint', this.#live('lint').lint(JSON.stringify(request)));
      return reply.failure || { ok: true, ...reply.result, fails: reply.fails };
    }

    matrix(view) {
      const request = matrixView('Workspace.matrix', view);
      return result('Workspace.matrix', this.#live('matrix').matrix(JSON.stringify(request)));
    }

    heatmap(view) {
      const request = checkedOptions('Workspace.heatmap', view, ['port']);
      if (request.port !== undefined && request.port !== null
        && !(Number.isInteger(request.port) && request.port >= 1 && request.port <= 65535)) {
        throw typeError('Workspace.heatmap', 'view.port must be a port number (1-65535) or null');
      }
      const body = request.port == null ? {} : { port: request.port };
      return result('Workspace.heatmap', this.#live('heatmap').heatmap(JSON.stringify(body)));
    }

    query(flow) {
      const { from, to, port, protocol } = flowRequest('Workspace.query', flow);
      const named = typeof port === 'string';
      return result('Workspace.query', this.#live('query').query(from, to, named ? 0 : port, named ? port : undefined, protocol));
    }

    test() {
      return result('Workspace.test', this.#live('test').test());
    }

    diff(head, options) {
      const opts = checkedOptions('Workspace.diff', options, ['failOn', 'group']);
      if (opts.failOn !== undefined && !['added', 'removed', 'any'].includes(opts.failOn)) {
        throw typeError('Workspace.diff', 'options.failOn must be one of added, removed, any');
      }
      if (opts.group !== undefined && !['owner', 'none'].includes(opts.group)) {
        throw typeError('Workspace.diff', 'options.group must be owner or none');
      }
      const headHandle = Workspace.handleOf(head, 'diff');
      const reply = open('Workspace.diff', this.#live('diff').diff(headHandle, opts.group));
      const answer = { ok: true, ...reply.result };
      const failOn = opts.failOn;
      answer.fails = (failOn === 'added' || failOn === 'any') && answer.added.length > 0
        || (failOn === 'removed' || failOn === 'any') && answer.removed.length > 0;
      return answer;
    }

    replay(request) {
      const opts = checkedOptions('Workspace.replay', request, ['flows']);
      if (typeof opts.flows !== 'string') {
        throw typeError('Workspace.replay', 'request.flows must be the text of a flow file');
      }
      return result('Workspace.replay', this.#live('replay').replay(JSON.stringify({ flows: opts.flows })));
    }

    synthesize(request) {
      const opts = checkedOptions('Workspace.synthesize', request, ['flows', 'tests', 'clusterBaseline']);
      if (opts.flows !== undefined && typeof opts.flows !== 'string') {
        throw typeError('Workspace.synthesize', 'request.flows must be the text of a flow file');
      }
      if (opts.tests !== undefined && typeof opts.tests !== 'boolean') {
        throw typeError('Workspace.synthesize', 'request.tests must be a boolean');
      }
      if (opts.clusterBaseline !== undefined && typeof opts.clusterBaseline !== 'boolean') {
        throw typeError('Workspace.synthesize', 'request.clusterBaseline must be a boolean');
      }
      if (opts.flows === undefined && !opts.tests) {
        throw typeError('Workspace.synthesize', 'give request.flows, or request.tests: true');
      }
      const body = {
        flows: opts.flows,
        tests: opts.tests === true,
        clusterBaseline: opts.clusterBaseline === true,
      };
      return result('Workspace.synthesize', this.#live('synthesize').synthesize(JSON.stringify(body)));
    }

    endpoints() {
      return open('Workspace.endpoints', this.#live('endpoints').endpoints()).result;
    }

    update(name, source) {
      if (typeof name !== 'string' || name === '' || name === CONFIG_PATH) {
        throw typeError('Workspace.update', `name must be a non-empty name other than '${CONFIG_PATH}'`);
      }
      let file;
      if (typeof source === 'string') {
        file = { name, text: source };
      } else if (typeof source === 'object' && source !== null) {
        file = { name, object: source };
      } else {
        throw typeError('Workspace.update', 'source must be a text or an object');
      }
      open('Workspace.update', this.#live('update').update(...sentFiles([file])));
    }

    remove(name) {
      if (typeof name !== 'string') {
        throw typeError('Workspace.remove', 'name must be a string');
      }
      return this.#live('remove').remove(name);
    }

    /** Adds the cluster shared by both sides of a diff (Namespaces, Pods, workloads). */
    addCluster(input) {
      open('Workspace.addCluster', this.#live('addCluster').addCluster(...sentFiles(inputFiles('Workspace.addCluster', input))));
    }

    free() {
      if (this.#handle) {
        this.#handle.free();
        this.#handle = undefined;
      }
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  /** Loads `input` once: a workspace, or (bad configuration) `{ok: false, ...}`. */
  function loadOrFailure(fn, input, options) {
    loaded(fn);
    const files = inputFiles(fn, input);
    const config = configText(fn, options.config);
    const handle = new raw.WorkspaceHandle(...sentFiles(files), config);
    const error = handle.loadError();
    if (error !== undefined && error !== null) {
      handle.free();
      const reply = open(fn, error);
      return { failure: reply.failure };
    }
    return { workspace: new Workspace(handle) };
  }

  function load(input, options) {
    const opts = withDataPlane(checkedOptions('load', options, ['config', 'cni']));
    const { workspace, failure } = loadOrFailure('load', input, opts);
    if (failure) {
      throw typeError('load', `${failure.error}\n${failure.details}`);
    }
    return workspace;
  }

  /** `ask(workspace)` on a workspace loaded for this call only. */
  function once(fn, input, options, ask) {
    const { workspace, failure } = loadOrFailure(fn, input, options);
    if (failure) {
      return failure;
    }
    try {
      return ask(workspace);
    } finally {
      workspace.free();
    }
  }

  /** Remembers the question `answer` answers, so `format` can render it again. */
  function remember(answer, question) {
    if (answer.ok) {
      questions.set(answer, question);
    }
    return answer;
  }

  function lint(sources, options) {
    const opts = checkedOptions('lint', options, ['config', 'rules', 'failOn']);
    const request = lintRequest('lint', opts);
    configText('lint', opts.config);
    const answer = once('lint', sources, opts, (ws) => ws.lint(request));
    if (!isTexts(sources)) {
      return answer;
    }
    return remember(answer, { kind: 'lint', files: inputFiles('lint', sources), config: configText('lint', opts.config), request });
  }

  function matrix(sources, view) {
    const request = matrixView('matrix', view);
    const answer = once('matrix', sources, {}, (ws) => ws.matrix(request));
    return isTexts(sources) ? remember(answer, { kind: 'matrix', files: inputFiles('matrix', sources), view: request }) : answer;
  }

  function query(sources, flow) {
    const request = flowRequest('query', flow);
    const answer = once('query', sources, {}, (ws) => ws.query(request));
    return isTexts(sources) ? remember(answer, { kind: 'query', files: inputFiles('query', sources), flow: request }) : answer;
  }

  function testConnectivity(sources) {
    const answer = once('testConnectivity', sources, {}, (ws) => ws.test());
    return isTexts(sources) ? remember(answer, { kind: 'test', files: inputFiles('testConnectivity', sources) }) : answer;
  }

  /** What `headSources` allows that `baseSources` did not, and the reverse. Options:
   * `cluster` (sources of Namespaces, Pods and workloads both sides share) and
   * `failOn` (`added`, `removed` or `any`: sets `fails`) and `group` (`owner`: the
   * pods of one controller as one endpoint; `none`, the default). */
  function diff(baseSources, headSources, options) {
    const opts = checkedOptions('diff', options, ['cluster', 'failOn', 'group']);
    if (opts.failOn !== undefined && !['added', 'removed', 'any'].includes(opts.failOn)) {
      throw typeError('diff', 'options.failOn must be one of added, removed, any');
    }
    const sides = [['base', baseSources], ['head', headSources]];
    if (opts.cluster !== undefined) {
      sides.push(['cluster', opts.cluster]);
    }
    // Each side's sources are named under `side/`, so both sides can share names.
    const files = {};
    for (const [side, sources] of sides) {
      if (Array.isArray(sources) && sources.length === 0) {
        throw typeError('diff', `${side} sources must not be empty`);
      }
      const list = typeof sources === 'string' ? [{ name: 'manifests.yaml', text: sources }] : inputFiles('diff', sources);
      files[side] = list.map((file) => ({ ...file, name: `${side}/${file.name}` }));
    }
    loaded('diff');
    const [base, head] = ['base', 'head'].map((side) => {
      const ws = loadOrFailure('diff', files[side], {}).workspace;
      if (files.cluster) {
        ws.addCluster(files.cluster);
      }
      return ws;
    });
    let answer;
    try {
      answer = base.diff(head, { failOn: opts.failOn, group: opts.group });
    } finally {
      base.free();
      head.free();
    }
    if (!sides.every(([, sources]) => isTexts(sources))) {
      return answer;
    }
    return remember(answer, {
      kind: 'diff', base: files.base, head: files.head, cluster: files.cluster || [], group: opts.group,
    });
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
    loaded('validateAdmission');
    const reply = JSON.parse(raw.validateAdmission(review, config));
    if (reply.ok) {
      return reply.result;
    }
    return { ok: false, version: version(), error: reply.error, details: detailLines(reply.details) };
  }

  function format(answer, name) {
    const question = isPlainObject(answer) ? questions.get(answer) : undefined;
    if (!question) {
      throw typeError('format', 'result must be an object returned by lint, matrix, query, testConnectivity or diff for text sources');
    }
    if (typeof name !== 'string') {
      throw typeError('format', 'format must be a format name (text, json, sarif, ...)');
    }
    loaded('format');
    const reply = open('format', raw.formatAnswer(JSON.stringify(question), name, Date.now()));
    if (reply.failure) {
      throw typeError('format', reply.failure.error);
    }
    return reply.result;
  }

  function portsText(allowed) {
    if (!Array.isArray(allowed)) {
      throw typeError('portsText', 'allowed must be an allowed list [{protocol, ports}] of an answer');
    }
    loaded('portsText');
    return open('portsText', raw.portsText(JSON.stringify(allowed))).result;
  }

  function rules() {
    loaded('rules');
    return JSON.parse(raw.rulesJson());
  }

  function version() {
    loaded('version');
    return raw.version();
  }

  return { load, Workspace, lint, matrix, query, testConnectivity, diff, format, rules, version, validateAdmission, portsText };
}

/** Whether `sources` are texts only: one text, or a list of `{name, text}` source
 * files (the results `format` can render again). */
function isTexts(sources) {
  return typeof sources === 'string'
    || (Array.isArray(sources) && sources.every((s) => isPlainObject(s) && typeof s.name === 'string' && typeof s.text === 'string'));
}

/** The details of an error as lines without blank ones, each ending in a newline. */
function detailLines(details) {
  const lines = String(details || '').split('\n').filter((line) => line !== '');
  return lines.length ? lines.join('\n') + '\n' : '';
}
