// Type declarations of the `netpol` package (Node: `require('netpol')`,
// `import ... from 'netpol'`; browsers: `netpol/web`, see web/index.d.ts).
// The request and answer shapes are generated from the Rust types
// (generated.d.ts, `make types`); this file adds the functions, the workspace class
// and the input forms. The results are the answers plus `ok`.

import type {
  Allowed, DiffAnswer, FailOn, Flow, HeatmapAnswer, HeatmapView, Level, LintAnswer, LintRequest,
  MatrixAnswer, MatrixEndpoint, MatrixView, QueryAnswer, ReplayAnswer, ReplayRequest, RuleDoc,
  PortsText, SynthesizeAnswer, SynthesizeRequest, TestAnswer,
} from './generated.js';

export * from './generated.js';

/** Input manifests: one text (named `-`, like standard input), named texts or
 * objects, or Kubernetes objects given already parsed (a List, one object, or an
 * array of them; their findings have `line`/`column` 0). */
export type Sources = string | object | ReadonlyArray<SourceFile | KubernetesObject>;

/** One named input: a text (YAML or JSON, one or several documents) or an object. */
export type SourceFile = TextFile | ObjectFile;

/** A named text. */
export interface TextFile {
  /** The name findings point at (`k8s/web.yaml`); distinct within one call. */
  name: string;
  /** The whole text. */
  text: string;
}

/** A named object given already parsed. */
export interface ObjectFile {
  /** The name findings point at; distinct within one call. */
  name: string;
  /** The Kubernetes object (or List). */
  object: object;
}

/** A Kubernetes object given already parsed. */
export interface KubernetesObject {
  kind: string;
  apiVersion?: string;
  [field: string]: unknown;
}

/** The configuration keys of `.netpol.yaml` (docs/spec/interfaces.md "Configuration"). */
export interface Config {
  rules?: Record<string, Level>;
  podCIDRs?: string[];
  serviceCIDRs?: string[];
  metadataAddresses?: string[];
  systemNamespaces?: string[];
  portRangeThreshold?: number;
  failOn?: FailOn;
  /** The data plane whose documented behaviour the rules assume (docs/cni.md). */
  cni?: 'generic' | 'calico' | 'cilium' | 'antrea' | 'ovn-kubernetes';
}

/** Options of `lint`: rule levels and the threshold, over a configuration. */
export interface LintOptions extends Pick<LintRequest, 'rules' | 'failOn'> {
  /** A configuration object, or the text of a `.netpol.yaml`. */
  config?: Config | string;
}

/** The options of `matrix`: a view. */
export type MatrixOptions = MatrixView;

/** A problem with the call's input that kept the command from answering (the command
 * line's exit code 2): an unknown endpoint, an invalid configuration... Never thrown. */
export interface Failure {
  ok: false;
  version: string;
  /** One line: what is wrong. */
  error: string;
  /** Further lines (e.g. each configuration problem with its line), or `''`. */
  details: string;
}

/** The lint answer, and whether some finding is at or above `failOn` (the command
 * line exits 1). */
export interface LintResult extends LintAnswer {
  ok: true;
  fails: boolean;
}

/** The matrix answer. Pairs absent from `connections` allow nothing. */
export interface MatrixResult extends MatrixAnswer {
  ok: true;
}

/** The heatmap answer: per pair, what is allowed under the view's port (for any
 * protocol and for each), the allowed ports as text, and an address for each class
 * of addresses outside the cluster. Pairs absent from `pairs` allow nothing. */
export interface HeatmapResult extends HeatmapAnswer {
  ok: true;
}

/** The query answer: the verdict and its explanation per direction. */
export interface QueryResult extends QueryAnswer {
  ok: true;
}

/** The replay answer: each flow's verdict, the counts, what is allowed and never
 * observed, and the records that could not be read. */
export interface ReplayResult extends ReplayAnswer {
  ok: true;
}

/** The synthesized policies per namespace and their proof (or `error`). */
export interface SynthesizeResult extends SynthesizeAnswer {
  ok: true;
}

/** The results of the `ConnectivityTest` cases. */
export interface TestResult extends TestAnswer {
  ok: true;
}

export interface RulesResult {
  version: string;
  rules: RuleDoc[];
}

export type LintFormat =
  | 'text' | 'json' | 'sarif' | 'junit' | 'policyreport' | 'openreports' | 'gatekeeper' | 'conftest';
export type MatrixFormat = 'text' | 'json' | 'csv' | 'md' | 'dot' | 'svg';
export type QueryFormat = 'text' | 'json';
export type TestFormat = 'text' | 'json' | 'junit';
export type DiffFormat = 'text' | 'json' | 'md';

/** Options of `diff`. */
export interface DiffOptions {
  /** Namespaces, Pods and workloads shared by both sides (each side then keeps only
   * its own NetworkPolicies). */
  cluster?: Sources;
  /** Sets `fails` when connections are added, removed, or either. */
  failOn?: 'added' | 'removed' | 'any';
  /** `owner`: the pods of one controller are one endpoint `ns/kind/name` where the
   * diff says the same of each; `none` (the default): one endpoint per pod. */
  group?: 'owner' | 'none';
}

/** What a change opens and closes (docs/spec/interfaces.md "diff"). Sources are named
 * `base/NAME`, `head/NAME` and `cluster/NAME` in file references. */
export interface DiffResult extends DiffAnswer {
  ok: true;
  /** Whether `options.failOn` matched. */
  fails: boolean;
}

/** An `admission.k8s.io/v1` AdmissionReview (only the fields netpol reads). */
export interface AdmissionReview {
  apiVersion?: string;
  kind?: string;
  request?: { uid?: string; object?: unknown; oldObject?: unknown; namespace?: string; [key: string]: unknown };
  response?: AdmissionResponse;
}

/** The decision on an AdmissionReview. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason?: string; message: string };
  warnings?: string[];
}

/** Validation and best-practice findings. Never throws for mistakes in the manifests:
 * they are findings. Throws `TypeError` for arguments of the wrong type. */
export function lint(sources: Sources, options?: LintOptions): LintResult | Failure;

declare global {
  interface SymbolConstructor {
    /** `Symbol.dispose` (explicit resource management), declared for `lib` settings
     * older than `esnext.disposable`. */
    readonly dispose: unique symbol;
  }
}

/** Options of `load`. */
export interface LoadOptions {
  /** The configuration (`.netpol.yaml` keys) as an object or its YAML/JSON text. */
  config?: Config | string;
  /** The data plane the rules assume (docs/cni.md); wins over `config.cni`. With a
   * configuration given as text, write `cni` in that text instead. */
  cni?: Config['cni'];
}

/** Sources decoded and indexed once: ask many questions, edit one source at a time
 * (`update` decodes only that source). Misuse (wrong types, a freed workspace)
 * throws a `TypeError`; everything about the manifests comes back as data. */
export class Workspace {
  private constructor();
  /** Validation and best-practice findings (`rules` and `failOn` on top of the
   * configuration `load` was given). */
  lint(options?: Pick<LintRequest, 'rules' | 'failOn'>): LintResult | Failure;
  /** Allowed connections, as far as `view` asks. */
  matrix(view?: MatrixView): MatrixResult | Failure;
  /** The whole matrix as a heatmap: each pair's state under `view.port` (every port
   * when none), the allowed ports as text, an address per external class. */
  heatmap(view?: HeatmapView): HeatmapResult | Failure;
  /** One flow: the verdict and its explanation. */
  query(flow: Flow): QueryResult | Failure;
  /** The `ConnectivityTest` cases of the sources, run. */
  test(): TestResult | Failure;
  /** What `head` allows that this workspace does not, and the reverse. */
  diff(head: Workspace, options?: Omit<DiffOptions, 'cluster'>): DiffResult;
  /** Recorded flows (Hubble JSON or CSV text) answered by the policies. */
  replay(request: ReplayRequest): ReplayResult | Failure;
  /** Least-privilege policies from flows or the `ConnectivityTest` cases, proved. */
  synthesize(request: SynthesizeRequest): SynthesizeResult | Failure;
  /** Every endpoint of the matrix. */
  endpoints(): MatrixEndpoint[];
  /** Adds or replaces the source `name`. */
  update(name: string, source: string | object): void;
  /** Removes the source `name`; false when there is none. */
  remove(name: string): boolean;
  /** Adds the Namespaces, Pods and workloads both sides of a diff share. */
  addCluster(sources: Sources): void;
  /** Releases the WebAssembly memory; the workspace cannot be used after. */
  free(): void;
  [Symbol.dispose](): void;
}

/** Decodes and indexes `input` once. Throws `TypeError` for misuse and for an
 * invalid configuration. */
export function load(input: Sources, options?: LoadOptions): Workspace;

/** Allowed connections between every pair of endpoints. */
export function matrix(sources: Sources, options?: MatrixOptions): MatrixResult | Failure;

/** One flow: the verdict and its explanation. An unknown endpoint is a `Failure`. */
export function query(sources: Sources, flow: Flow): QueryResult | Failure;

/** Runs the `ConnectivityTest` cases in `sources` against the policies in `sources`. */
export function testConnectivity(sources: Sources): TestResult | Failure;

/** Renders a result of this package again in another format, exactly as the command
 * line prints it (`netpol lint --format sarif`). Throws `TypeError` for an object this
 * package did not return, or a format its command does not have. */
export function format(result: LintResult, format: LintFormat): string;
export function format(result: MatrixResult, format: MatrixFormat): string;
export function format(result: QueryResult, format: QueryFormat): string;
export function format(result: TestResult, format: TestFormat): string;

/** What a change to the manifests opens (`added`) and closes (`removed`). */
export function diff(baseSources: Sources, headSources: Sources, options?: DiffOptions): DiffResult | Failure;
export function format(result: DiffResult, format: DiffFormat): string;

/** Reviews one object like an admission webhook: rejects it with the findings at or
 * above `failOn` (default `error`), and returns the rest as warnings. */
export function validateAdmission(
  admissionReview: AdmissionReview | string,
  settings?: Config | string,
): (AdmissionReview & { response: AdmissionResponse }) | Failure;

/** An `allowed` list of an answer (a matrix connection's, a diff change's) as text
 * per protocol: `80, 8080-8090`, or `all ports`. Throws `TypeError` for a list of
 * another shape. */
export function portsText(allowed: ReadonlyArray<Allowed>): PortsText[];

/** The rule catalogue. */
export function rules(): RulesResult;

/** The version of netpol (identical to `netpol version`'s). */
export function version(): string;

declare const netpol: {
  lint: typeof lint;
  matrix: typeof matrix;
  query: typeof query;
  testConnectivity: typeof testConnectivity;
  diff: typeof diff;
  validateAdmission: typeof validateAdmission;
  portsText: typeof portsText;
  format: typeof format;
  rules: typeof rules;
  version: typeof version;
};
export default netpol;
