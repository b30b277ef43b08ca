// Runs the netpol WASI module as `netpol lsp` under Node's WASI, with the process's
// standard streams as the module's and the workspace folder pre-opened at its own
// path (so the file: URIs the editor sends name files the module can read).
//
//   node wasi-server.js NETPOL_WASM WORKSPACE_DIR

import * as fs from "node:fs";
import { WASI } from "node:wasi";

// Node's global WebAssembly (the ES library has no declarations for it).
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
};

async function main(): Promise<number> {
  const [modulePath, workspaceDir] = process.argv.slice(2);
  if (!modulePath || !workspaceDir) {
    process.stderr.write("usage: wasi-server.js NETPOL_WASM WORKSPACE_DIR\n");
    return 2;
  }
  const wasi = new WASI({
    version: "preview1",
    args: ["netpol", "lsp"],
    env: {},
    preopens: { [workspaceDir]: workspaceDir },
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(fs.readFileSync(modulePath));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  return wasi.start(instance);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`netpol: cannot run the WASI module: ${String(error)}\n`);
    process.exit(2);
  },
);
