// The VS Code extension's choice of server (editors/vscode/src/server.ts, built to
// out/server.js): the native binary from the settings or the PATH, else the WASI
// module under Node, else an explanation. Run by `make lsp-wasi-test`.

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const { findOnPath, serverCommand } = require(path.resolve("editors/vscode/out/server.js"));

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "netpol-vscode-"));
const bin = path.join(scratch, "bin");
const extension = path.join(scratch, "extension");
fs.mkdirSync(bin);
fs.mkdirSync(path.join(extension, "server"), { recursive: true });

const search = (overrides) => ({
  binary: "",
  wasiModule: "",
  extensionDir: extension,
  workspaceDir: "/srv/k8s",
  searchPath: bin,
  nodePath: "/usr/bin/node",
  ...overrides,
});

test("an executable netpol on the PATH is found, a plain file is not", () => {
  const netpol = path.join(bin, "netpol");
  fs.writeFileSync(netpol, "#!/bin/sh\n", { mode: 0o644 });
  assert.equal(findOnPath("netpol", bin), undefined);
  fs.chmodSync(netpol, 0o755);
  assert.equal(findOnPath("netpol", `/nonexistent${path.delimiter}${bin}`), netpol);
  assert.deepEqual(serverCommand(search({})), { command: netpol, args: ["lsp"], env: {} });
  fs.rmSync(netpol);
});

test("the netpol.path setting wins over the PATH", () => {
  const chosen = serverCommand(search({ binary: "/opt/netpol" }));
  assert.deepEqual(chosen, { command: "/opt/netpol", args: ["lsp"], env: {} });
});

test("without a binary the bundled WASI module runs under Node", () => {
  assert.match(serverCommand(search({})), /no netpol binary on the PATH and no WASI module/);
  const module = path.join(extension, "server", "netpol.wasm");
  fs.writeFileSync(module, "");
  const chosen = serverCommand(search({}));
  assert.equal(chosen.command, "/usr/bin/node");
  assert.deepEqual(chosen.args, [path.join(extension, "out", "wasi-server.js"), module, "/srv/k8s"]);
  assert.equal(chosen.env.ELECTRON_RUN_AS_NODE, "1");
});
