// `netpol/web`: the same API as `netpol`, after `await init()`.

export * from '../index.js';
import type netpol from '../index.js';

/** What wasm-bindgen's loader takes: where `netpol_bg.wasm` is, or its bytes. */
export type InitInput =
  | RequestInfo
  | URL
  | Response
  | BufferSource
  | WebAssembly.Module;

/** Loads the WebAssembly module (once); the API functions throw before it resolves.
 * Without an argument it fetches `netpol_bg.wasm` next to this module. */
export default function init(input?: { module_or_path: InitInput | Promise<InitInput> }): Promise<typeof netpol>;
