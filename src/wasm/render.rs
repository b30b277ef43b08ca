//! The one-shot exports that answer with text rather than a workspace: `format` (a
//! result of `lint`, `matrix`, `query`, `testConnectivity` or `diff` rendered in
//! another format), `rules` and `validateAdmission`. Each is a typed call: the
//! question is asked again of [`api::Workspace`] and its answer goes straight to the
//! renderers of [`crate::report`]; no command line runs.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::api::{self, FlowRequest, LintOptions, MatrixFilter, RulesAnswer, SourceFile};
use crate::engine::Grouping;
use crate::lint::Config;
use crate::report::catalogue::{checked_objects, rule_metadata};
use crate::report::connectivity::tests as connectivity_tests;
use crate::report::connectivity::{matrix, query};
use crate::report::context::RenderContext;
use crate::report::diff;
use crate::report::formats::{self, LintFormat};
use crate::report::output::Output;

use super::workspace::{failure, misuse, ok_with, parse, parse_config};

/// A question of a one-shot call, as `format` asks it again: the sources (named as
/// the call named them) and the request.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
enum Question {
    /// `lint(sources, options)`: the configuration text and the lint request.
    Lint {
        files: Vec<SourceFile>,
        #[serde(default)]
        config: Option<String>,
        #[serde(default)]
        request: LintOptions,
    },
    /// `matrix(sources, view)`.
    Matrix {
        files: Vec<SourceFile>,
        #[serde(default)]
        view: MatrixFilter,
    },
    /// `query(sources, flow)`.
    Query {
        files: Vec<SourceFile>,
        flow: FlowRequest,
    },
    /// `testConnectivity(sources)`.
    Test { files: Vec<SourceFile> },
    /// `diff(base, head, {cluster, group})`.
    Diff {
        base: Vec<SourceFile>,
        head: Vec<SourceFile>,
        #[serde(default)]
        cluster: Vec<SourceFile>,
        #[serde(default)]
        group: Option<String>,
    },
}

impl Question {
    /// The command whose formats apply, as the command line names it.
    fn command(&self) -> &'static str {
        match self {
            Question::Lint { .. } => "lint",
            Question::Matrix { .. } => "matrix",
            Question::Query { .. } => "query",
            Question::Test { .. } => "test",
            Question::Diff { .. } => "diff",
        }
    }

    /// The formats the answer renders in.
    fn formats(&self) -> Vec<&'static str> {
        match self {
            Question::Lint { .. } => LintFormat::ALL.iter().map(|f| f.name()).collect(),
            Question::Matrix { .. } => matrix::FORMATS.to_vec(),
            Question::Query { .. } => query::FORMATS.to_vec(),
            Question::Test { .. } => connectivity_tests::FORMATS.to_vec(),
            Question::Diff { .. } => diff::FORMATS.to_vec(),
        }
    }
}

/// Renders the answer to `question` (JSON [`Question`]) in `format`: `{"ok": true,
/// "result": TEXT}`; an unknown format is a misuse envelope naming the formats;
/// `now_ms` is the time the report formats stamp (milliseconds since the epoch).
#[wasm_bindgen(js_name = formatAnswer)]
pub fn format_answer(question: &str, format: &str, now_ms: f64) -> String {
    let question = match parse::<Question>(question) {
        Ok(question) => question,
        Err(reply) => return reply,
    };
    let formats = question.formats();
    if !formats.contains(&format) {
        return misuse(&format!(
            "unknown format '{format}' for '{}' (expected one of: {})",
            question.command(),
            formats.join(", ")
        ));
    }
    match render(question, format, now_ms) {
        Ok(text) => ok_with(&text, ""),
        Err(reply) => reply,
    }
}

/// The answer to `question` as text in `format` (one of its formats), or an error
/// envelope.
fn render(question: Question, format: &str, now_ms: f64) -> Result<String, String> {
    match question {
        Question::Lint {
            files,
            config,
            request,
        } => render_lint(files, config, &request, format, now_ms),
        Question::Matrix { files, mut view } => {
            let workspace = api::Workspace::load(files, Config::default());
            if view.group.is_none() {
                let grouping = matrix::default_grouping(format);
                view.group = Some(String::from(grouping.as_str()));
            }
            let answer = workspace.matrix(&view).map_err(|e| failure(&e, ""))?;
            Ok(matrix::render(&answer.view(), format).unwrap_or_default())
        }
        Question::Query { files, flow } => {
            let workspace = api::Workspace::load(files, Config::default());
            let answer = workspace.query(&flow).map_err(|e| failure(&e, ""))?;
            Ok(query::render(&answer.verdict, answer.sources, format).unwrap_or_default())
        }
        Question::Test { files } => {
            let workspace = api::Workspace::load(files, Config::default());
            let answer = workspace.test();
            Ok(
                connectivity_tests::render(&answer.report, answer.sources, format)
                    .unwrap_or_default(),
            )
        }
        Question::Diff {
            base,
            head,
            cluster,
            group,
        } => {
            let grouping = match group.as_deref() {
                None => matrix::default_grouping(format),
                Some(text) => Grouping::parse(text)
                    .ok_or_else(|| misuse(&format!("group `{text}` is not one of: owner, none")))?,
            };
            let base = side(base, &cluster);
            let head = side(head, &cluster);
            let answer = base.diff(&head, grouping);
            Ok(diff::render(&answer.diff, answer.sources, format).unwrap_or_default())
        }
    }
}

/// One side of a diff: its sources, with the shared cluster when there is one.
fn side(files: Vec<SourceFile>, cluster: &[SourceFile]) -> api::Workspace {
    let mut workspace = api::Workspace::load(files, Config::default());
    if !cluster.is_empty() {
        workspace.add_cluster(cluster.iter().cloned());
    }
    workspace
}

/// The lint report in `format`, with the rule catalogue and, for the formats that
/// list passes, the NetworkPolicies checked.
fn render_lint(
    files: Vec<SourceFile>,
    config: Option<String>,
    request: &LintOptions,
    format: &str,
    now_ms: f64,
) -> Result<String, String> {
    let format = LintFormat::parse(format).unwrap_or(LintFormat::Text);
    let config = config.map(|text| parse_config(&text)).transpose()?;
    let workspace = api::Workspace::load(files, config.unwrap_or_default());
    let answer = workspace.lint(request).map_err(|e| failure(&e, ""))?;
    let objects = if format.lists_passes() {
        checked_objects(&workspace.loaded().model, workspace.sources())
    } else {
        Vec::new()
    };
    let rules = rule_metadata();
    let mut ctx = RenderContext::new(workspace.sources());
    ctx.rules = &rules;
    ctx.objects = &objects;
    ctx.timestamp = super::timestamp(now_ms);
    let mut out = Output::collect();
    formats::write(format, &answer.report, &ctx, &mut out);
    Ok(out.finish())
}

/// The rule catalogue (JSON [`RulesAnswer`]), as `netpol rules --format json`
/// prints it.
#[wasm_bindgen(js_name = rulesJson)]
pub fn rules_json() -> String {
    RulesAnswer::all().to_json().unwrap_or_default()
}

/// The `allowed` list of an answer (JSON `[{"protocol", "ports"}]`) as text per
/// protocol: `{"ok": true, "result": [{"protocol", "text", "first"}]}` (an unknown
/// protocol or a list of another shape is misuse).
#[wasm_bindgen(js_name = portsText)]
pub fn ports_text(allowed: &str) -> String {
    let texts = parse::<Vec<api::AllowedRanges>>(allowed)
        .and_then(|allowed| api::allowed_texts(&allowed).map_err(|e| misuse(e.message())));
    match texts {
        Ok(texts) => ok_with(&texts, ""),
        Err(reply) => reply,
    }
}

/// Answers the AdmissionReview `review` (JSON text) with `settings` (the text of a
/// configuration, YAML or JSON; none: the defaults): `{"ok": true, "result":
/// REVIEW}` with the review's `response`, or the error envelope of invalid settings.
#[wasm_bindgen(js_name = validateAdmission)]
pub fn validate_admission(review: &str, settings: Option<String>) -> String {
    match settings.map(|text| parse_config(&text)).transpose() {
        Ok(config) => {
            let reviewed = crate::admission::review(review, &config.unwrap_or_default());
            format!("{{\"ok\":true,\"result\":{}}}", reviewed.json)
        }
        Err(reply) => reply,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use serde_json::{json, Value};

    const CLUSTER: &str =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n\
---\napiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop, labels: {app: api}}\n";
    const DENY: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n\
metadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";

    fn reply(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn rendered(question: &Value, format: &str) -> String {
        let answer = reply(&format_answer(&question.to_string(), format, 0.0));
        assert_eq!(answer["ok"], true, "{answer}");
        String::from(answer["result"].as_str().unwrap())
    }

    #[test]
    fn lint_answers_render_in_their_formats_with_the_request_applied() {
        let question = json!({"kind": "lint", "files": [{"name": "-", "text": "kind: [\n"}]});
        let sarif: Value = serde_json::from_str(&rendered(&question, "sarif")).unwrap();
        assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "yaml-syntax");
        assert!(rendered(&question, "text").contains("yaml-syntax"));
        let off = json!({"kind": "lint", "files": [{"name": "-", "text": "kind: [\n"}],
            "request": {"rules": {"yaml-syntax": "off"}}});
        assert!(!rendered(&off, "text").contains("yaml-syntax"));
    }

    #[test]
    fn an_unknown_format_is_misuse_naming_the_formats() {
        let question =
            json!({"kind": "query", "files": [], "flow": {"from": "a/b", "to": "a/c", "port": 80}});
        let answer = reply(&format_answer(&question.to_string(), "csv", 0.0));
        assert_eq!(answer["misuse"], true);
        assert_eq!(
            answer["error"],
            "unknown format 'csv' for 'query' (expected one of: text, json)"
        );
    }

    #[test]
    fn a_malformed_question_is_misuse() {
        let answer = reply(&format_answer("{\"kind\": \"nope\"}", "text", 0.0));
        assert_eq!(answer["misuse"], true);
    }

    #[test]
    fn connectivity_answers_render_in_their_formats() {
        let files =
            json!([{"name": "cluster.yaml", "text": CLUSTER}, {"name": "deny.yaml", "text": DENY}]);
        let matrix = rendered(&json!({"kind": "matrix", "files": files}), "json");
        assert!(matrix.contains("shop/web"), "{matrix}");
        let flow = json!({"from": "shop/web", "to": "shop/api", "port": 80});
        let query: Value = serde_json::from_str(&rendered(
            &json!({"kind": "query", "files": files, "flow": flow}),
            "json",
        ))
        .unwrap();
        assert_eq!(query["allowed"], false, "{query}");
        let tests = rendered(&json!({"kind": "test", "files": files}), "junit");
        assert!(tests.contains("<testsuite"), "{tests}");
    }

    #[test]
    fn diff_answers_render_both_sides() {
        let base = json!([{"name": "base/cluster.yaml", "text": CLUSTER}]);
        let head = json!([{"name": "head/cluster.yaml", "text": CLUSTER}, {"name": "head/deny.yaml", "text": DENY}]);
        let question = json!({"kind": "diff", "base": base, "head": head});
        let text: Value = serde_json::from_str(&rendered(&question, "json")).unwrap();
        assert!(!text["removed"].as_array().unwrap().is_empty(), "{text}");
        let same = json!({"kind": "diff", "base": base, "head": base, "group": "none"});
        let unchanged: Value = serde_json::from_str(&rendered(&same, "json")).unwrap();
        assert!(unchanged["removed"].as_array().unwrap().is_empty());
        let bad = json!({"kind": "diff", "base": base, "head": base, "group": "pods"});
        assert_eq!(
            reply(&format_answer(&bad.to_string(), "json", 0.0))["misuse"],
            true
        );
    }

    #[test]
    fn allowed_lists_as_text() {
        let texts = reply(&ports_text(
            r#"[{"protocol": "TCP", "ports": [[80, 80], [8080, 8090]]}, {"protocol": "UDP", "ports": [[1, 65535]]}]"#,
        ));
        assert_eq!(texts["result"][0]["text"], "80, 8080-8090");
        assert_eq!(texts["result"][1]["text"], "all ports");
        assert_eq!(
            reply(&ports_text(r#"[{"protocol": "ICMP", "ports": []}]"#))["misuse"],
            true
        );
        assert_eq!(reply(&ports_text("{}"))["misuse"], true);
    }

    #[test]
    fn the_rule_catalogue_and_admission_reviews() {
        let rules = reply(&rules_json());
        assert_eq!(rules["version"], crate::VERSION);
        let review = r#"{"request": {"uid": "9", "object": {"apiVersion": "networking.k8s.io/v1",
          "kind": "NetworkPolicy", "metadata": {"name": "p", "namespace": "shop"},
          "spec": {"podSelector": {}}}}}"#;
        let answered = reply(&validate_admission(review, None));
        assert_eq!(answered["result"]["response"]["uid"], "9");
        let broken = reply(&validate_admission(
            review,
            Some(String::from("{\"bogus\": 1}")),
        ));
        assert_eq!(broken["ok"], false);
        assert!(!broken["details"].as_str().unwrap().is_empty());
    }
}
