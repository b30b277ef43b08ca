//! `ConnectivityTest` (`netpol/v1alpha1`): connectivity expectations kept next to the
//! manifests.

use alloc::string::String;
use alloc::vec::Vec;

use super::{ObjectMeta, PortValue, Protocol, Spanned};
use crate::source::Span;

/// A ConnectivityTest object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectivityTest {
    /// Identity and origin.
    pub meta: ObjectMeta,
    /// `spec.cases`.
    pub cases: Vec<TestCase>,
}

/// What a case expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expectation {
    /// The flow is allowed.
    Allow,
    /// The flow is denied.
    Deny,
}

impl Expectation {
    /// `allow` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expectation::Allow => "allow",
            Expectation::Deny => "deny",
        }
    }
}

/// One case of `spec.cases`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    /// The case's bytes.
    pub span: Span,
    /// `name`, if written.
    pub name: Option<String>,
    /// `from`: an endpoint (`ns/name`, `ns/kind/name` or an IP address).
    pub from: Spanned<String>,
    /// `to`: an endpoint.
    pub to: Spanned<String>,
    /// `port`: a number or a named port of the destination.
    pub port: Spanned<PortValue>,
    /// `protocol` after defaulting to TCP.
    pub protocol: Protocol,
    /// `expect`.
    pub expect: Spanned<Expectation>,
}
