//! Spec tests of the engine: every point of docs/spec/semantics.md and every numbered trap.
//!
//! Models are written as Kubernetes objects (JSON built with `serde_json::json!`) and
//! decoded by the real decoder; every flow is checked through all four paths
//! (`query`, `allows`, `allowed_ports`, `matrix`), which must agree.

mod explain;
mod matrix;
mod resolve;
mod semantics;
pub(crate) mod support;
mod traps;
