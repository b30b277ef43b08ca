//! `netpol serve` end to end: the real binary on a loopback port, with a certificate
//! made for the test, spoken to over HTTPS (HTTP/1.1 and HTTP/2). Every wait and loop
//! is bounded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod abuse;
mod endpoints;
mod lifecycle;
mod support;
