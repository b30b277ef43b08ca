#!/usr/bin/env node
// `npx netpol`: the WASI command under Node's `node:wasi` (../node/host.cjs). Same
// arguments, same output bytes, same exit codes as the native binary.

'use strict';

const { runWasiCommand } = require('../node/host.cjs');

process.exitCode = runWasiCommand(process.argv.slice(2));
