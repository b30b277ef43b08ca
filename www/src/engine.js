// The page's side of the engine worker: a small job queue with cancellation.
//
// A new analysis supersedes the one running (the worker is terminated and restarted:
// WebAssembly cannot be interrupted otherwise) and any queued one; a query waits for
// the running analysis. The worker script and the compiled module are kept in memory,
// so a restart needs no network.

/** Raised (as a rejection) for a job that was cancelled or superseded. */
export class Cancelled extends Error {
  constructor(why) {
    super(why);
    this.name = 'Cancelled';
  }
}

export class Engine {
  /** `onBusy(job|null)` is called when a job starts running and when nothing runs. */
  constructor({ workerUrl, wasmUrl, onBusy = () => {} }) {
    this.workerUrl = workerUrl;
    this.wasmUrl = wasmUrl;
    this.onBusy = onBusy;
    this.queue = [];
    this.running = null;
    this.nextId = 1;
  }

  /** Loads the worker and the module; resolves to `{version, rules}`. */
  async start() {
    const [source, module] = await Promise.all([
      fetch(this.workerUrl).then((r) => {
        if (!r.ok) throw new Error(`cannot load ${this.workerUrl}: ${r.status}`);
        return r.text();
      }),
      compile(this.wasmUrl),
    ]);
    this.blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    this.module = module;
    return this.spawn();
  }

  spawn() {
    this.worker = new Worker(this.blobUrl, { name: 'netpol-engine' });
    const ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (e) => {
        if (e.data.type === 'ready') {
          this.worker.onmessage = (ev) => this.receive(ev.data);
          resolve(e.data);
          this.pump();
        } else if (e.data.type === 'failed') reject(new Error(e.data.error));
      };
      this.worker.onerror = (e) => reject(new Error(e.message || 'the engine worker failed to start'));
    });
    this.worker.postMessage({ type: 'init', module: this.module });
    this.ready = ready;
    return ready;
  }

  restart(why) {
    this.worker.terminate();
    const job = this.running;
    this.running = null;
    if (job) job.reject(new Cancelled(why));
    this.spawn().catch(() => {});
  }

  /** Lints and draws the matrix; `onPartial(key, value, ms)` gets 'lint', 'matrix',
   * then 'heatmap' (its states under `view.port`) and 'score'. */
  analyze(sources, onPartial, view = {}) {
    this.drop((job) => job.type === 'analyze' || job.type === 'picture' || job.type === 'heatmap', 'superseded by newer input');
    if (this.running) this.restart('superseded by newer input');
    return this.submit({ type: 'analyze', sources, onPartial, payload: view });
  }

  /** Explains one flow; resolves to the query JSON. */
  query(sources, flow) {
    this.drop((job) => job.type === 'query', 'superseded by a newer query');
    if (this.running?.type === 'query') this.restart('superseded by a newer query');
    return this.submit({ type: 'query', sources, flow });
  }

  /** A question of the heatmap, the pictures or the comparison (`heatmap`,
   * `picture`, `selecting`, `compare`; the last three answered by views-worker.js);
   * a newer one of the same type replaces a waiting one. Resolves to the answer. */
  ask(type, sources, payload) {
    this.drop((job) => job.type === type, `superseded by a newer ${type}`);
    return this.submit({ type, sources, payload });
  }

  /** Stops whatever runs or waits. */
  cancel() {
    this.drop(() => true, 'cancelled');
    if (this.running) this.restart('cancelled');
    this.onBusy(null);
  }

  drop(test, why) {
    const kept = [];
    for (const job of this.queue) (test(job) ? job.reject(new Cancelled(why)) : kept.push(job));
    this.queue = kept;
  }

  submit(job) {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...job, id: this.nextId++, resolve, reject });
      this.pump();
    });
  }

  pump() {
    if (this.running || !this.queue.length || !this.worker) return;
    const job = this.queue.shift();
    this.running = job;
    this.onBusy(job);
    const { type, id, sources, flow, payload } = job;
    this.worker.postMessage({ type, id, sources, flow, payload });
  }

  receive(msg) {
    const job = this.running;
    if (!job || msg.id !== job.id) return;
    if (msg.type === 'partial') {
      job.onPartial?.(msg.key, msg.value, msg.ms);
      return;
    }
    this.running = null;
    if (msg.type === 'done') job.resolve(msg.value);
    else job.reject(new Error(msg.error));
    if (msg.type === 'error') {
      // A trap inside WebAssembly leaves the instance unusable: start afresh.
      this.worker.terminate();
      this.spawn().catch(() => {});
    }
    if (!this.queue.length) this.onBusy(null);
    this.pump();
  }
}

async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: ${response.status}`);
  if (WebAssembly.compileStreaming && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
