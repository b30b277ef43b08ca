//! netpol as an OPA WebAssembly ABI 1.3 module (`pkg/opa/policy.wasm`).
//!
//! Entrypoints (ids by position): `netpol/violations` (0), `netpol/admission`,
//! `netpol/lint`, `netpol/matrix`, evaluated by [`netpol::admission::evaluate`] on
//! the input in any shape it accepts: its objects are loaded into a
//! [`netpol::api::Workspace`] ([`netpol::api::Admission`]) and every entrypoint is
//! that workspace's answer. Both evaluation paths of the ABI work: the
//! one-shot `opa_eval` (JSON or Rego-value output) and the context path
//! (`opa_eval_ctx_*`, `eval`). The memory is imported (5 pages suffice) and exported;
//! the global allocator is a bump allocator whose pointer is the ABI heap pointer, so
//! a host that resets the heap between evaluations keeps memory flat. A panic calls
//! `opa_abort`, then traps.
//!
//! The adapter links std (the core stays `no_std`): a dependency's `cdylib` build
//! needs std's panic runtime; std adds no import on `wasm32-unknown-unknown`.
//!
//! All raw memory handling is in `abi` (the one module with `unsafe`); [`values`]
//! holds the logic and is tested natively. The exports exist only when built for
//! `wasm32`; `netpol-opa-postlink` then turns the two ABI version exports into
//! constant globals.

extern crate alloc;

#[cfg(target_arch = "wasm32")]
mod abi;
pub mod values;
