//! One typed API over a loaded [`Workspace`]: every face (the command line, the
//! npm package, the policy-engine modules) converts its arguments into these
//! requests and renders these answers.
//!
//! | question | call | answer (serialises to) |
//! | --- | --- | --- |
//! | load sources | [`Workspace::load`] from [`SourceFile`]s | |
//! | edit one source | [`Workspace::update`], [`Workspace::remove`] | |
//! | lint | [`Workspace::lint`] with [`LintOptions`] | [`LintAnswer`] (the lint JSON) |
//! | findings with spans (editors) | [`Workspace::diagnostics`] | [`Diagnostic`](crate::diag::Diagnostic)s |
//! | all pairs | [`Workspace::matrix`] with a [`MatrixFilter`] | [`MatrixAnswer`] (the matrix JSON) |
//! | the playground's heatmap | [`Workspace::heatmap`] with a [`HeatmapFilter`] | [`HeatmapAnswer`] (states, port text, addresses) |
//! | one flow | [`Workspace::query`] with a [`FlowRequest`] | [`QueryAnswer`] (the query JSON) |
//! | connectivity tests | [`Workspace::test`] | [`TestAnswer`] (the test JSON) |
//! | two versions | [`Workspace::diff`] | [`DiffAnswer`] (the diff JSON) |
//! | observed flows | [`Workspace::replay`] with a [`ReplayRequest`] | [`ReplayAnswer`] (the replay JSON) |
//! | a policy engine's input | [`Admission::read`]: a workspace of its objects | [`Decision`](crate::admission::Decision), [`LintAnswer`], [`MatrixAnswer`] |
//! | policies from flows or tests | [`Workspace::synthesize`] with a [`SynthesizeRequest`] | [`SynthesizeAnswer`] (the synthesize JSON) |
//!
//! Requests deserialise from the JSON the JavaScript API takes (keys camelCase).
//! Problems in the manifests are part of the answers; an [`ApiError`] means the
//! question itself cannot be answered (an unknown endpoint, an unknown rule id).
//!
//! ```
//! use netpol::api::{FlowRequest, Port, SourceFile, Workspace};
//! use netpol::lint::Config;
//!
//! let pods = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n";
//! let mut workspace = Workspace::load([SourceFile::text("pods.yaml", pods)], Config::default());
//! let flow = FlowRequest {
//!     from: "shop/web".into(),
//!     to: "203.0.113.7".into(),
//!     port: Port::Number(443),
//!     protocol: None,
//! };
//! assert!(workspace.query(&flow).unwrap().verdict.allowed);
//! let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n\
//!             metadata: {name: deny, namespace: shop}\n\
//!             spec: {podSelector: {}, policyTypes: [Egress]}\n";
//! workspace.update(SourceFile::text("deny.yaml", deny));
//! assert!(!workspace.query(&flow).unwrap().verdict.allowed);
//! ```

mod admission;
mod answer;
mod editor;
mod heatmap;
mod input;
mod replay;
mod request;
mod rules;
mod synthesize;
#[cfg(test)]
mod tests;
#[cfg(feature = "typescript")]
pub mod typescript;
mod workspace;

pub use admission::Admission;
pub use answer::{ApiError, DiffAnswer, LintAnswer, MatrixAnswer, QueryAnswer, TestAnswer};
pub use heatmap::{
    allowed_texts, port_text, AllowedRanges, CellState, CellStates, HeatmapAnswer, HeatmapEndpoint,
    HeatmapFilter, HeatmapPair, PortsText,
};
pub use input::SourceFile;
pub use replay::{ports_text, ReplayAnswer, ReplayRequest};
pub use request::{FlowRequest, LintOptions, MatrixFilter, Port};
pub use rules::RulesAnswer;
pub use synthesize::{SynthesizeAnswer, SynthesizeRequest, SynthesizedFile};
pub use workspace::Workspace;
