// How the extension starts `netpol lsp`: the native binary when one is found, else
// the WASI module under Node's WASI (src/wasi-server.ts), in a child process that
// speaks LSP on its standard input and output either way.

import * as fs from "node:fs";
import * as path from "node:path";

/** A command line that starts the language server. */
export interface ServerCommand {
  command: string;
  args: string[];
  /** Extra environment variables for the process. */
  env: Record<string, string>;
}

/** Where to look: the settings and the extension's own folder. */
export interface ServerSearch {
  /** `netpol.path`, if set. */
  binary: string;
  /** `netpol.wasiModule`, if set. */
  wasiModule: string;
  /** The extension's folder (holds out/wasi-server.js and server/netpol.wasm). */
  extensionDir: string;
  /** The folder the server reads (pre-opened for the WASI module). */
  workspaceDir: string;
  /** The PATH to search. */
  searchPath: string;
  /** The Node (or Electron run as Node) that runs the WASI launcher. */
  nodePath: string;
}

/** The executable named `name` on `searchPath`, if any. */
export function findOnPath(name: string, searchPath: string): string | undefined {
  const names = process.platform === "win32" ? [`${name}.exe`, name] : [name];
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const file of names) {
      const candidate = path.join(dir, file);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not there, or not executable
      }
    }
  }
  return undefined;
}

/** The command that starts the server, or an explanation of why there is none. */
export function serverCommand(search: ServerSearch): ServerCommand | string {
  const binary = search.binary || findOnPath("netpol", search.searchPath);
  if (binary) return { command: binary, args: ["lsp"], env: {} };
  const module = search.wasiModule || path.join(search.extensionDir, "server", "netpol.wasm");
  if (!fs.existsSync(module)) {
    return `netpol: no netpol binary on the PATH and no WASI module at ${module}; set netpol.path or netpol.wasiModule`;
  }
  const launcher = path.join(search.extensionDir, "out", "wasi-server.js");
  return {
    command: search.nodePath,
    args: [launcher, module, search.workspaceDir],
    // VS Code's own executable behaves as Node with this variable set.
    env: { ELECTRON_RUN_AS_NODE: "1" },
  };
}
