//! # netpol
//!
//! Validate, lint and explain Kubernetes NetworkPolicies (`networking.k8s.io/v1`).
//!
//! netpol answers three questions about a set of manifests:
//!
//! 1. **Is it valid?** Exactly what the API server would reject, with the server's
//!    wording, the field path and the line ([`validate`]).
//! 2. **Is it wise?** The best-practice rule catalogue ([`lint`]).
//! 3. **What does it allow?** Who can reach whom, on which ports, and which rule is
//!    responsible ([`engine`]).
//!
//! ## The pipeline
//!
//! ```text
//! text (YAML/JSON) ──read──▶ spanned document tree ──decode+validate──▶ model
//! model ──index──▶ engine: query · explain · matrix · tests
//! model + engine ──▶ lint rules ──▶ findings ──render──▶ text · json · sarif · ...
//! ```
//!
//! ## API themes
//!
//! - [`source`]: [`source::Source`], byte [`source::Span`]s and line/column
//!   [`source::Position`]s.
//! - [`doc`]: readers for JSON (always) and YAML (feature `yaml`) into one spanned
//!   document tree.
//! - [`model`]: the typed objects (NetworkPolicy, Namespace, Pod, workloads,
//!   ConnectivityTest) with spans on every field a message may point at.
//! - [`decode`]: document tree → model, with the validation findings of [`validate`].
//! - [`diag`]: the one [`diag::Diagnostic`] type for every problem.
//! - [`api`]: the typed requests and answers over a loaded [`api::Workspace`]; every
//!   face (command line, npm package, policy-engine modules) goes through it.
//!
//! The core is `#![no_std]` with `alloc`; YAML reading and the command line need the
//! `std` feature (enabled by `yaml` and `cli`).
// The code the `typescript` derive writes needs std's prelude (`format!`,
// `to_string`); that feature only writes the declarations and never builds the .wasm.
#![cfg_attr(not(feature = "typescript"), no_std)]
// Stricter than Cargo.toml's `[lints]` (deny, which a benchmark's allocator may
// allow): no unsafe code anywhere in the library.
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod admission;
pub mod api;
pub mod decode;
pub mod diag;
pub mod diff;
pub mod doc;
pub mod engine;
mod first_seen;
pub mod flows;
mod interval;
pub mod lint;
pub mod model;
mod order;
pub mod report;
mod similar;
mod sorted;
pub mod source;
pub mod synthesize;
mod text_hash;
pub mod validate;

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(all(
    feature = "lsp",
    not(all(target_arch = "wasm32", target_os = "unknown"))
))]
pub mod lsp;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(feature = "wasm")]
pub mod wasm;

/// The tool's version (the crate version; identical in every build of one release).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
