// The host of `npx netpol`: runs the WASI command (`../wasi/netpol.wasm`, the native
// binary's source compiled for wasm32-wasip1) under Node's `node:wasi`, as a process
// would run the native binary.
//
// Standard input, output and error are the process's own descriptors. The root
// directory is pre-opened and `PWD` tells the command the working directory (it
// enters it at start), so absolute paths, relative ones (`../manifests`), `-` for
// standard input and `--output FILE` resolve as they do natively.

'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');

/** Whether `warning` (as `process.emitWarning` gets it) is Node's notice that WASI
 * is experimental. */
function isWasiNotice(warning, options) {
  const type = typeof options === 'string' ? options : options && options.type;
  const name = type || (warning && warning.name);
  const message = String(warning && warning.message !== undefined ? warning.message : warning);
  return name === 'ExperimentalWarning' && /\bWASI\b/.test(message);
}

/** Drops Node's WASI notice, which the native binary does not print; every other
 * warning is emitted as before. */
function silenceWasiNotice() {
  const emitWarning = process.emitWarning;
  process.emitWarning = function emitWarningButWasiNotice(warning, ...rest) {
    if (!isWasiNotice(warning, rest[0])) {
      emitWarning.call(process, warning, ...rest);
    }
  };
}

/** Runs `netpol ARGS...` to its end; returns the exit code. */
function runWasiCommand(args) {
  silenceWasiNotice();
  const { WASI } = require('node:wasi');
  const wasi = new WASI({
    version: 'preview1',
    args: ['netpol', ...args],
    env: { PWD: process.cwd() },
    preopens: { '/': '/' },
    returnOnExit: true,
  });
  const compiled = new WebAssembly.Module(readFileSync(join(__dirname, '../wasi/netpol.wasm')));
  const instance = new WebAssembly.Instance(compiled, wasi.getImportObject());
  return wasi.start(instance);
}

module.exports = { runWasiCommand, isWasiNotice };
