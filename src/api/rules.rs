//! The rule catalogue as an answer: what `netpol rules --format json` prints and the
//! JavaScript `rules()` returns.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use crate::lint::{self, RuleDoc};

/// The rule catalogue: `{"version", "rules": [...]}`, each rule with its whole
/// documentation.
#[derive(Clone, Debug, Serialize)]
pub struct RulesAnswer {
    /// The netpol version.
    pub version: &'static str,
    /// The documented rules, in catalogue order.
    pub rules: Vec<&'static RuleDoc>,
}

impl RulesAnswer {
    /// The whole catalogue.
    pub fn all() -> RulesAnswer {
        RulesAnswer::of(lint::catalogue().iter().collect())
    }

    /// The catalogue restricted to `rules`.
    pub fn of(rules: Vec<&'static RuleDoc>) -> RulesAnswer {
        RulesAnswer {
            version: crate::VERSION,
            rules,
        }
    }

    /// The answer as pretty JSON with a final newline.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|mut json| {
            json.push('\n');
            json
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_catalogue_with_the_version() {
        let value: serde_json::Value =
            serde_json::from_str(&RulesAnswer::all().to_json().unwrap()).unwrap();
        assert_eq!(value["version"], crate::VERSION);
        assert_eq!(
            value["rules"].as_array().unwrap().len(),
            lint::catalogue().len()
        );
    }

    #[test]
    fn a_selection_keeps_only_the_rules_given() {
        let first = lint::catalogue().first().unwrap();
        let answer = RulesAnswer::of(Vec::from([first]));
        let value: serde_json::Value = serde_json::from_str(&answer.to_json().unwrap()).unwrap();
        assert_eq!(value["rules"].as_array().unwrap().len(), 1);
        assert_eq!(value["rules"][0]["id"], first.id);
    }
}
