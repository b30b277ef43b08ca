// The WASI module as a language server: `netpol.wasm lsp` under Node's WASI, started
// the way the VS Code extension starts it (editors/vscode/out/wasi-server.js), answers
// initialize and publishes the workspace's diagnostics. Run by `make lsp-wasi-test`:
//   NETPOL_WASI=pkg/wasi/netpol.wasm node --test tests/lsp/wasi.test.mjs

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { test } from "node:test";

const root = path.resolve("tests/lsp/workspace");
const launcher = path.resolve("editors/vscode/out/wasi-server.js");
const module = path.resolve(process.env.NETPOL_WASI ?? "pkg/wasi/netpol.wasm");

/** Messages from a child's stdout, in order, as they arrive. */
function reader(stream) {
  let buffer = Buffer.alloc(0);
  const waiting = [];
  const ready = [];
  stream.on("data", (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
      if (buffer.length < end + 4 + length) return;
      const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString());
      buffer = buffer.subarray(end + 4 + length);
      const next = waiting.shift();
      if (next) next(message);
      else ready.push(message);
    }
  });
  return () => (ready.length ? Promise.resolve(ready.shift()) : new Promise((r) => waiting.push(r)));
}

test("netpol.wasm lsp publishes the workspace's findings", { timeout: 60000 }, async () => {
  const child = spawn(process.execPath, [launcher, module, root], { stdio: ["pipe", "pipe", "inherit"] });
  const next = reader(child.stdout);
  const send = (message) => {
    const body = JSON.stringify({ jsonrpc: "2.0", ...message });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const rootUri = `file://${root}`;
  send({ id: 1, method: "initialize", params: { processId: null, rootUri, capabilities: {} } });
  const init = await next();
  assert.equal(init.result.serverInfo.name, "netpol");
  send({ method: "initialized", params: {} });
  let web;
  while (!web) {
    const message = await next();
    if (message.params?.uri === `${rootUri}/web.yaml`) web = message.params.diagnostics;
  }
  assert.deepEqual(
    web.map((d) => d.code),
    ["missing-policytypes", "rule-without-ports"],
  );
  send({ id: 2, method: "shutdown" });
  assert.equal((await next()).result, null);
  send({ method: "exit" });
  const code = await new Promise((resolve) => child.on("exit", resolve));
  assert.equal(code, 0);
});
