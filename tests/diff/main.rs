//! `netpol diff`: a property test comparing the diff with a brute-force difference
//! of both sides' matrices. The library on hand-written changes (each checked to
//! agree between the incremental and the full computation), the renderers and the
//! command line are table-driven cases: tests/cases/diff/.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../naive/mod.rs"]
mod naive;
mod property;

use std::collections::{BTreeMap, BTreeSet};

use netpol::diff::{diff, Diff, DiffOptions, Strategy as How};
use netpol::engine::{EndpointRef, Engine, ProtocolPorts};
use netpol::model::Model;
use proptest::prelude::*;
use serde_json::Value;
