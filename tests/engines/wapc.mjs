// A minimal waPC host (the protocol Kubewarden's policy server speaks to policies):
// instantiate the guest, call `wapc_init`, then `__guest_call` per operation.
import { readFileSync } from 'node:fs';

/** Loads the guest at `path`; returns `call(operation, payload) -> {ok, text}`. */
export function loadWapcGuest(path) {
  let request = null; // {operation, payload} of the call in progress
  let response = null;
  let error = null;
  let instance = null;
  const bytes = (ptr, len) => new Uint8Array(instance.exports.memory.buffer, ptr, len);
  const decode = (ptr, len) => new TextDecoder().decode(bytes(ptr, len).slice());
  const imports = {
    wapc: {
      __guest_request(operationPtr, payloadPtr) {
        bytes(operationPtr, request.operation.length).set(request.operation);
        bytes(payloadPtr, request.payload.length).set(request.payload);
      },
      __guest_response(ptr, len) { response = decode(ptr, len); },
      __guest_error(ptr, len) { error = decode(ptr, len); },
      __host_call() { return 0; },
      __host_response() {},
      __host_response_len() { return 0; },
      __host_error() {},
      __host_error_len() { return 0; },
      __console_log(ptr, len) { console.log(decode(ptr, len)); },
    },
  };
  const module = new WebAssembly.Module(readFileSync(path));
  instance = new WebAssembly.Instance(module, imports);
  instance.exports.wapc_init?.();
  const encoder = new TextEncoder();
  function call(operation, payload) {
    request = { operation: encoder.encode(operation), payload: encoder.encode(payload) };
    response = null;
    error = null;
    const ok = instance.exports.__guest_call(request.operation.length, request.payload.length);
    return ok === 1 ? { ok: true, text: response } : { ok: false, text: error };
  }
  return { module, instance, call };
}
