#!/usr/bin/env node
// `npx netpol`: the command line of the native binary, compiled to WebAssembly, over
// Node's file system. Same arguments, same output bytes, same exit codes.

'use strict';

const { runCli } = require('../node/netpol.js');
const { nodeHost } = require('../node/host.cjs');

// A closed pipe (`npx netpol lint . | head`) is not an error worth reporting.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') {
      throw error;
    }
  });
}

const outcome = runCli(process.argv.slice(2), nodeHost());
const { stdout, stderr, code } = outcome;
outcome.free();
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = code;
