// `netpol/web`: the JavaScript API over the browser build of the WebAssembly module.
//
//   import init, { lint } from 'netpol/web';
//   await init();            // fetches netpol_bg.wasm next to this file
//   const result = lint([{ name: 'policy.yaml', text }]);

import initWasm, * as raw from './netpol.js';
import { createApi } from '../api.mjs';

let loaded = false;

const api = createApi(raw, () => loaded);

/**
 * Loads the WebAssembly module (once). `input` is what wasm-bindgen's `init` takes:
 * omitted (fetch `netpol_bg.wasm` next to this module), or
 * `{ module_or_path: URL | Request | Response | BufferSource | WebAssembly.Module }`.
 */
export default async function init(input) {
  if (!loaded) {
    await initWasm(input);
    loaded = true;
  }
  return api;
}

export const { load, Workspace, lint, matrix, query, testConnectivity, diff, format, rules, version, validateAdmission, portsText } = api;
