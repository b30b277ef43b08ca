//! The TypeScript declarations of the JavaScript API's requests and answers,
//! derived from the Rust types whose JSON crosses the boundary (feature
//! `typescript`). `make types` writes them to `js/generated.d.ts`; a test fails when
//! the shipped file differs from what the types say.

use std::string::String;

use ts_rs::TS;

use super::answer::LintDocument;
use super::heatmap::{
    CellState, CellStates, HeatmapAnswer, HeatmapEndpoint, HeatmapFilter, HeatmapPair, PortsText,
};
use super::replay::{
    FlowProblemJson, ReplayFlowJson, ReplayJson, ReplayRequest, ReplaySummaryJson, UnobservedJson,
};
use super::request::{FlowRequest, LintOptions, MatrixFilter, Port};
use super::synthesize::{
    BeyondJson, ProofJson, SynthesizeJson, SynthesizeRequest, SynthesizedFileJson,
};
use crate::lint::{Category, RuleDoc, Scope};
use crate::report::connectivity::json::{
    AllowedJson, ConnectionJson, EndpointJson, MatrixJson, UncertainConnectionJson,
};
use crate::report::connectivity::query_json::{PolicyRefJson, QueryJson, RuleRefJson, SideJson};
use crate::report::connectivity::test_json::{TestJson, TestResultJson};
use crate::report::connectivity::tiers_json::{TierStepJson, UncertaintyJson};
use crate::report::diff::json::{ChangeJson, DiffJson, SummaryJson, VerdictJson, WhyJson};
use crate::report::{Resource, SkippedCount, Summary};

/// A protocol, as every answer writes it.
#[derive(TS)]
#[ts(rename_all = "UPPERCASE")]
pub enum Protocol {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

/// The severity of a finding.
#[derive(TS)]
#[ts(rename_all = "lowercase")]
pub enum Severity {
    /// A definite defect.
    Error,
    /// Probably a mistake or a risk.
    Warning,
    /// Worth knowing.
    Info,
}

/// The level a rule is set to (`off` turns it off).
#[derive(TS)]
#[ts(rename = "Level", rename_all = "lowercase")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Its findings are errors.
    Error,
    /// Its findings are warnings.
    Warning,
    /// Its findings are informational.
    Info,
}

/// The threshold at which findings fail (`none`: never).
#[derive(TS)]
#[ts(rename_all = "lowercase")]
pub enum FailOn {
    /// Errors fail.
    Error,
    /// Warnings and errors fail.
    Warning,
    /// Every finding fails.
    Info,
    /// Nothing fails.
    None,
}

/// The first lines of the generated file.
const HEADER: &str =
    "// Generated from the Rust types of the workspace API by `make types`; do not edit.\n\
// The JSON shapes of the requests the package takes and the answers it returns.\n";

/// Appends the documentation and the exported declaration of `T`.
fn declare<T: TS + ?Sized>(out: &mut String) {
    out.push('\n');
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&T::decl());
    out.push('\n');
}

/// Every declaration, in a fixed order: requests, then answers and their parts.
pub fn declarations() -> String {
    let mut out = String::from(HEADER);
    declare::<Protocol>(&mut out);
    declare::<Severity>(&mut out);
    declare::<RuleLevel>(&mut out);
    declare::<FailOn>(&mut out);
    declare::<LintOptions>(&mut out);
    declare::<MatrixFilter>(&mut out);
    declare::<Port>(&mut out);
    declare::<FlowRequest>(&mut out);
    declare::<LintDocument<'static>>(&mut out);
    declare::<super::answer::EditorFinding<'static>>(&mut out);
    declare::<Resource>(&mut out);
    declare::<Summary>(&mut out);
    declare::<SkippedCount>(&mut out);
    declare::<MatrixJson>(&mut out);
    declare::<EndpointJson>(&mut out);
    declare::<ConnectionJson>(&mut out);
    declare::<UncertainConnectionJson>(&mut out);
    declare::<AllowedJson>(&mut out);
    declare::<HeatmapFilter>(&mut out);
    declare::<HeatmapAnswer>(&mut out);
    declare::<HeatmapEndpoint>(&mut out);
    declare::<HeatmapPair>(&mut out);
    declare::<CellStates>(&mut out);
    declare::<CellState>(&mut out);
    declare::<PortsText>(&mut out);
    declare::<QueryJson<'static>>(&mut out);
    declare::<SideJson<'static>>(&mut out);
    declare::<PolicyRefJson<'static>>(&mut out);
    declare::<RuleRefJson<'static>>(&mut out);
    declare::<TierStepJson>(&mut out);
    declare::<UncertaintyJson>(&mut out);
    declare::<TestJson>(&mut out);
    declare::<TestResultJson>(&mut out);
    declare::<DiffJson<'static>>(&mut out);
    declare::<ChangeJson<'static>>(&mut out);
    declare::<WhyJson<'static>>(&mut out);
    declare::<VerdictJson<'static>>(&mut out);
    declare::<SummaryJson>(&mut out);
    declare::<ReplayRequest>(&mut out);
    declare::<ReplayJson<'static>>(&mut out);
    declare::<ReplayFlowJson<'static>>(&mut out);
    declare::<ReplaySummaryJson>(&mut out);
    declare::<UnobservedJson<'static>>(&mut out);
    declare::<FlowProblemJson<'static>>(&mut out);
    declare::<SynthesizeRequest>(&mut out);
    declare::<SynthesizeJson<'static>>(&mut out);
    declare::<SynthesizedFileJson<'static>>(&mut out);
    declare::<ProofJson<'static>>(&mut out);
    declare::<BeyondJson<'static>>(&mut out);
    declare::<RuleDoc>(&mut out);
    declare::<Category>(&mut out);
    declare::<Scope>(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The declarations the package ships.
    const SHIPPED: &str = include_str!("../../js/generated.d.ts");

    /// With `NETPOL_TYPES_OUT` set, writes the declarations there (`make types`);
    /// otherwise fails when the shipped file is out of date.
    #[test]
    fn shipped_declarations_match_the_types() {
        let generated = declarations();
        if let Some(path) = std::env::var_os("NETPOL_TYPES_OUT") {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        assert!(
            generated == SHIPPED,
            "js/generated.d.ts is out of date: run `make types`"
        );
    }

    #[test]
    fn optional_json_fields_are_optional_properties() {
        let generated = declarations();
        for field in [
            "cidrs?: Array<string>",
            "mismatch?: string",
            "family?: ",
            "error?: string",
            "why?: Why",
        ] {
            assert!(generated.contains(field), "{field} not in {generated}");
        }
        assert!(generated.contains("utf16Column: number"));
        assert!(!generated.contains("quiet: boolean"));
        // The finding is flattened: its fields, not a reference to them.
        assert!(generated.contains("ruleId: string"));
        assert!(!generated.contains("FindingFields"));
    }
}
