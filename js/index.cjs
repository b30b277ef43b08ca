// `require('netpol')`: the JavaScript API over the Node build of the WebAssembly module.

'use strict';

const raw = require('./node/netpol.js');
const { createApi } = require('./api.cjs');

const api = createApi(raw, null);
// `import netpol from 'netpol'` in TypeScript's view of this CommonJS module.
api.default = api;

module.exports = api;
