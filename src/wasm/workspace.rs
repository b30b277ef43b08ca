//! The workspace of the JavaScript API: [`WorkspaceHandle`] owns an
//! [`api::Workspace`]; requests come in and answers go out as JSON text, which the
//! glue (`js/api.js`) parses once. Source texts come in as UTF-8 bytes beside the
//! JSON list of sources ([`SentFiles`]): copied into WebAssembly memory in one
//! piece, never escaped into JSON and read back. A flow to explain comes in as
//! plain arguments.
//!
//! Every answer is an envelope: `{"ok": true, "result": ANSWER}` (lint adds
//! `"fails"`), or `{"ok": false, "error": MESSAGE, "details": TEXT}` for a question
//! that cannot be answered (an unknown endpoint, an unknown rule id), with
//! `"misuse": true` when the request itself does not have the documented shape (the
//! glue throws a `TypeError` for those).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::OnceCell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::api::{
    self, ApiError, FlowRequest, HeatmapFilter, LintOptions, MatrixFilter, Port, ReplayRequest,
    SourceFile, SynthesizeRequest,
};
use crate::engine::{Engine, Grouping};
use crate::lint::Config;
use crate::report::context::RenderContext;
use crate::report::{text, LintReport, Summary};
use crate::source::{Source, SourceId, SourceSet};

use super::CONFIG_PATH;

/// The connectivity index of a workspace, built at the first question that needs it.
type LazyEngine<'w> = OnceCell<Engine<'w>>;

self_cell::self_cell!(
    /// A workspace with its index, kept until the next edit.
    struct Indexed {
        owner: api::Workspace,
        #[not_covariant]
        dependent: LazyEngine,
    }
);

impl Indexed {
    fn of(workspace: api::Workspace) -> Indexed {
        Indexed::new(workspace, |_| OnceCell::new())
    }
}

/// A loaded workspace, as JavaScript holds it. Its connectivity index is built at
/// the first question that needs one and kept until an edit, so the questions after
/// it cost only their own work.
#[wasm_bindgen]
pub struct WorkspaceHandle {
    indexed: Indexed,
    config_error: Option<String>,
}

#[wasm_bindgen]
impl WorkspaceHandle {
    /// Loads the sources `files` and `texts` (see [`SentFiles`]) with the
    /// configuration text `config` (YAML or JSON; none: the defaults). Bad sources
    /// load nothing and [`WorkspaceHandle::load_error`] says why; a bad
    /// configuration likewise.
    #[wasm_bindgen(constructor)]
    pub fn new(
        files: &str,
        texts: Vec<u8>,
        text_lengths: &[u32],
        config: Option<String>,
    ) -> WorkspaceHandle {
        let (config, config_error) = match config.map(|text| parse_config(&text)) {
            None => (Config::default(), None),
            Some(Ok(config)) => (config, None),
            Some(Err(reply)) => (Config::default(), Some(reply)),
        };
        let sent = SentFiles {
            files,
            texts,
            text_lengths,
        };
        let (workspace, config_error) = match sent.files() {
            Ok(files) => (api::Workspace::load(files, config), config_error),
            Err(reply) => (api::Workspace::new(config), Some(reply)),
        };
        WorkspaceHandle {
            indexed: Indexed::of(workspace),
            config_error,
        }
    }

    /// Why loading failed (an error envelope), if it did.
    #[wasm_bindgen(js_name = loadError)]
    pub fn load_error(&self) -> Option<String> {
        self.config_error.clone()
    }

    /// Lint with `options` (JSON [`LintOptions`]).
    pub fn lint(&self, options: &str) -> String {
        let answer = parse::<LintOptions>(options)
            .and_then(|options| self.workspace().lint(&options).map_err(|e| failure(&e, "")));
        match answer {
            Ok(answer) => ok_with(&answer, &format!(",\"fails\":{}", answer.fails())),
            Err(reply) => reply,
        }
    }

    /// The matrix, filtered by `view` (JSON [`MatrixFilter`]).
    pub fn matrix(&self, view: &str) -> String {
        match parse::<MatrixFilter>(view) {
            Ok(filter) => self.ask(|workspace, engine| {
                reply(
                    workspace
                        .matrix_with(engine, &filter)
                        .map_err(|e| failure(&e, "")),
                )
            }),
            Err(reply) => reply,
        }
    }

    /// The playground's heatmap, its states under `view` (JSON [`HeatmapFilter`]).
    pub fn heatmap(&self, view: &str) -> String {
        match parse::<HeatmapFilter>(view) {
            Ok(filter) => self.ask(|workspace, engine| {
                reply(
                    workspace
                        .heatmap_with(engine, &filter)
                        .map_err(|e| failure(&e, "")),
                )
            }),
            Err(reply) => reply,
        }
    }

    /// The flow from `from` to `to` on `port` (the number; `port_name` instead
    /// when given) over `protocol` (default TCP), explained (see [`FlowRequest`]).
    pub fn query(
        &self,
        from: String,
        to: String,
        port: u16,
        port_name: Option<String>,
        protocol: Option<String>,
    ) -> String {
        let flow = FlowRequest {
            from,
            to,
            port: port_name.map_or(Port::Number(port), Port::Name),
            protocol,
        };
        self.ask(|workspace, engine| {
            reply(
                workspace
                    .query_with(engine, &flow)
                    .map_err(|e| failure(&e, "")),
            )
        })
    }

    /// The `ConnectivityTest` cases, run.
    pub fn test(&self) -> String {
        self.ask(|workspace, engine| ok_with(&workspace.test_with(engine), ""))
    }

    /// What `head` allows that this workspace does not, and the reverse; `group` is
    /// `owner` (one endpoint per controller where the diff says the same of its
    /// pods) or `none` (the default: one per pod).
    pub fn diff(&self, head: &WorkspaceHandle, group: Option<String>) -> String {
        let grouping = match group.as_deref().map(Grouping::parse) {
            None => Grouping::None,
            Some(Some(grouping)) => grouping,
            Some(None) => {
                let message = format!(
                    "group `{}` is not one of: owner, none",
                    group.unwrap_or_default()
                );
                return failure(&ApiError::new(message), "");
            }
        };
        let answer = self.workspace().diff(head.workspace(), grouping);
        let changed = !answer.diff.added.is_empty() || !answer.diff.removed.is_empty();
        ok_with(&answer, &format!(",\"changed\":{changed}"))
    }

    /// Recorded flows (JSON [`ReplayRequest`]) answered by the policies.
    pub fn replay(&self, request: &str) -> String {
        match parse::<ReplayRequest>(request) {
            Ok(request) => {
                self.ask(|workspace, engine| ok_with(&workspace.replay_with(engine, &request), ""))
            }
            Err(reply) => reply,
        }
    }

    /// Least-privilege policies for the requirements of `request` (JSON
    /// [`SynthesizeRequest`]), with their proof.
    pub fn synthesize(&self, request: &str) -> String {
        match parse::<SynthesizeRequest>(request) {
            Ok(request) => reply(
                self.workspace()
                    .synthesize(&request)
                    .map_err(|e| failure(&e, "")),
            ),
            Err(reply) => reply,
        }
    }

    /// The endpoints of the matrix (pods, workloads, external address classes).
    pub fn endpoints(&self) -> String {
        self.ask(|workspace, engine| ok_with(&workspace.endpoints_with(engine), ""))
    }

    /// Adds or replaces each source of `files` and `texts` (see [`SentFiles`]), in
    /// order; an error envelope when they are not sources.
    pub fn update(&mut self, files: &str, texts: Vec<u8>, text_lengths: &[u32]) -> String {
        let sent = SentFiles {
            files,
            texts,
            text_lengths,
        };
        self.edit_sources(sent, |workspace, files| {
            files.into_iter().for_each(|f| workspace.update(f));
        })
    }

    /// Adds the sources `files` and `texts` (as for loading) as the cluster both
    /// sides of a diff share (see [`api::Workspace::add_cluster`]).
    #[wasm_bindgen(js_name = addCluster)]
    pub fn add_cluster(&mut self, files: &str, texts: Vec<u8>, text_lengths: &[u32]) -> String {
        let sent = SentFiles {
            files,
            texts,
            text_lengths,
        };
        self.edit_sources(sent, api::Workspace::add_cluster)
    }

    /// Removes the source named `name`; false when there is none.
    pub fn remove(&mut self, name: &str) -> bool {
        self.edit(|workspace| workspace.remove(name))
    }
}

impl WorkspaceHandle {
    /// The workspace.
    fn workspace(&self) -> &api::Workspace {
        self.indexed.borrow_owner()
    }

    /// `ask` with the workspace and its index (built now if it is not yet).
    fn ask<T>(&self, ask: impl for<'w> FnOnce(&'w api::Workspace, &Engine<'w>) -> T) -> T {
        self.indexed.with_dependent(|workspace, index| {
            ask(workspace, index.get_or_init(|| workspace.engine()))
        })
    }

    /// Applies `change` to the workspace with the sources `sent`: an empty answer, or
    /// an error envelope when they are not sources.
    fn edit_sources(
        &mut self,
        sent: SentFiles<'_>,
        change: impl FnOnce(&mut api::Workspace, Vec<SourceFile>),
    ) -> String {
        match sent.files() {
            Ok(files) => {
                self.edit(|workspace| change(workspace, files));
                ok_with(&(), "")
            }
            Err(reply) => reply,
        }
    }

    /// Edits the workspace; its index is dropped and built again when a question
    /// needs it.
    fn edit<T>(&mut self, edit: impl FnOnce(&mut api::Workspace) -> T) -> T {
        let empty = Indexed::of(api::Workspace::new(Config::default()));
        let mut workspace = core::mem::replace(&mut self.indexed, empty).into_owner();
        let result = edit(&mut workspace);
        self.indexed = Indexed::of(workspace);
        result
    }
}

/// Sources as the glue sends them: `files` is the JSON list of
/// `{"name", "object"}` and `{"name"}` entries (`{"name", "text"}` is read too);
/// the text of each `{"name"}` entry is the next `text_lengths` count of bytes of
/// `texts` (UTF-8), in order.
pub struct SentFiles<'a> {
    /// The JSON list.
    pub files: &'a str,
    /// The texts' bytes, one after the other.
    pub texts: Vec<u8>,
    /// The length in bytes of each text.
    pub text_lengths: &'a [u32],
}

impl SentFiles<'_> {
    /// The sources, or a misuse envelope saying what is wrong.
    pub fn files(self) -> Result<Vec<SourceFile>, String> {
        let mut files: Vec<SourceFile> = serde_json::from_str(self.files)
            .map_err(|e| misuse(&format!("invalid sources: {e}")))?;
        let too_few = || misuse("invalid sources: fewer text bytes than the texts need");
        let mut rest = self.texts.as_slice();
        let mut lengths = self.text_lengths.iter();
        for file in files
            .iter_mut()
            .filter(|f| f.text.is_none() && f.object.is_none())
        {
            let Some(&length) = lengths.next() else { break };
            let (text, after) = rest.split_at_checked(length as usize).ok_or_else(too_few)?;
            file.text = Some(String::from_utf8_lossy(text).into_owned());
            rest = after;
        }
        Ok(files)
    }
}

/// `{"ok": true, "result": ANSWER EXTRA}`.
pub(super) fn ok_with<T: Serialize>(answer: &T, extra: &str) -> String {
    const HEAD: &[u8] = b"{\"ok\":true,\"result\":";
    // Room for a query's answer: smaller answers are written without growing.
    let mut out = Vec::with_capacity(2048);
    out.extend_from_slice(HEAD);
    if super::reply_json::write(&mut out, answer).is_err() {
        out.truncate(HEAD.len());
        out.extend_from_slice(b"null");
    }
    out.extend_from_slice(extra.as_bytes());
    out.push(b'}');
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

fn reply<T: Serialize>(answer: Result<T, String>) -> String {
    match answer {
        Ok(answer) => ok_with(&answer, ""),
        Err(reply) => reply,
    }
}

/// The request `json` as a `T`, or a misuse envelope.
pub(super) fn parse<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| misuse(&format!("invalid request: {e}")))
}

/// The error envelope of `error` with `details`.
pub(super) fn failure(error: &ApiError, details: &str) -> String {
    envelope(error.message(), details, false)
}

pub(super) fn misuse(message: &str) -> String {
    envelope(message, "", true)
}

fn envelope(message: &str, details: &str, misuse: bool) -> String {
    let value = serde_json::json!({
        "ok": false,
        "error": message,
        "details": details,
        "misuse": misuse,
    });
    serde_json::to_string(&value).unwrap_or_default()
}

/// Parses the configuration text; its problems are listed in the error envelope's
/// details like findings.
pub(super) fn parse_config(text: &str) -> Result<Config, String> {
    let mut sources = SourceSet::new();
    let id: SourceId = sources.add(Source::new(CONFIG_PATH, text));
    let Some(source) = sources.get(id) else {
        return Ok(Config::default());
    };
    Config::parse(source, id).map_err(|diagnostics| {
        let report = LintReport::new(diagnostics, &sources, Summary::default(), None);
        let details = text::render_findings(&report, &RenderContext::new(&sources));
        failure(
            &ApiError::new(format!("invalid configuration in '{CONFIG_PATH}'")),
            &details,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use serde_json::Value;

    const PODS: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n";

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn files(text: &str) -> String {
        serde_json::to_string(&serde_json::json!([{"name": "pods.yaml", "text": text}])).unwrap()
    }

    fn load(files: &str, config: Option<String>) -> WorkspaceHandle {
        WorkspaceHandle::new(files, Vec::new(), &[], config)
    }

    fn query(ws: &WorkspaceHandle, from: &str, to: &str, port: u16) -> Value {
        json(&ws.query(from.into(), to.into(), port, None, None))
    }

    fn sent(files: &str, texts: &[&str]) -> Result<Vec<SourceFile>, String> {
        SentFiles {
            files,
            texts: texts.concat().into_bytes(),
            text_lengths: &texts.iter().map(|t| t.len() as u32).collect::<Vec<_>>(),
        }
        .files()
    }

    #[test]
    fn texts_come_as_bytes_in_order_between_objects() {
        let files = r#"[{"name": "a"}, {"name": "o", "object": {"kind": "Pod"}}, {"name": "b"}, {"name": "c", "text": "inline"}]"#;
        let got = sent(files, &["é: 1\n", "kind: Pod\n"]).unwrap();
        let texts: Vec<Option<&str>> = got.iter().map(|f| f.text.as_deref()).collect();
        assert_eq!(
            texts,
            [Some("é: 1\n"), None, Some("kind: Pod\n"), Some("inline")]
        );
        assert!(got[1].object.is_some());
    }

    #[test]
    fn missing_text_bytes_and_bad_lists_are_misuse() {
        let short = SentFiles {
            files: r#"[{"name": "a"}]"#,
            texts: b"ab".to_vec(),
            text_lengths: &[3],
        };
        assert_eq!(json(&short.files().unwrap_err())["misuse"], true);
        assert_eq!(json(&sent("{}", &[]).unwrap_err())["misuse"], true);
        let lossy = SentFiles {
            files: r#"[{"name": "a"}]"#,
            texts: vec![b'a', 0xFF],
            text_lengths: &[2],
        };
        assert_eq!(lossy.files().unwrap()[0].text.as_deref(), Some("a\u{FFFD}"));
    }

    #[test]
    fn answers_come_in_envelopes() {
        let mut ws = load(&files(PODS), None);
        assert_eq!(ws.load_error(), None);
        let lint = json(&ws.lint("{}"));
        assert_eq!(
            (lint["ok"].clone(), lint["fails"].clone()),
            (Value::Bool(true), Value::Bool(false))
        );
        assert_eq!(lint["result"]["summary"]["files"], 1);
        let flow = |ws: &WorkspaceHandle| query(ws, "shop/web", "203.0.113.9", 443);
        assert_eq!(flow(&ws)["result"]["allowed"], true);
        let deny = r#"[{"name": "deny", "object": {"apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy", "metadata": {"name": "d", "namespace": "shop"},
            "spec": {"podSelector": {}, "policyTypes": ["Egress"]}}}]"#;
        assert_eq!(json(&ws.update(deny, Vec::new(), &[]))["ok"], true);
        assert_eq!(flow(&ws)["result"]["allowed"], false);
        let named = ws.query(
            "shop/web".into(),
            "shop/web".into(),
            0,
            Some("http".into()),
            None,
        );
        assert_eq!(json(&named)["ok"], false, "no pod has a port named http");
        assert!(ws.remove("deny"));
        assert!(!ws.remove("deny"));
        let endpoints = json(&ws.endpoints());
        assert_eq!(endpoints["result"][0]["id"], "shop/web");
        assert_eq!(json(&ws.test())["result"]["passed"], 0);
    }

    #[test]
    fn unanswerable_questions_are_data_and_bad_requests_are_misuse() {
        let ws = load(&files(PODS), None);
        let unknown = query(&ws, "shop/nope", "shop/web", 80);
        assert_eq!(
            (unknown["ok"].clone(), unknown["misuse"].clone()),
            (Value::Bool(false), Value::Bool(false))
        );
        let bad = json(&ws.matrix(r#"{"colour": "red"}"#));
        assert_eq!(bad["misuse"], true);
        assert!(bad["error"].as_str().unwrap().contains("colour"));
        let bad_sources = load("{\"name\": 1}", None);
        assert_eq!(json(&bad_sources.load_error().unwrap())["misuse"], true);
    }

    #[test]
    fn a_bad_configuration_is_a_load_error_with_details() {
        let ws = load(&files(PODS), Some("rules: {no-such-rule: off}\n".into()));
        let error = json(&ws.load_error().unwrap());
        assert_eq!(error["error"], "invalid configuration in 'options.config'");
        assert!(error["details"].as_str().unwrap().contains("no-such-rule"));
        let good = load(&files(PODS), Some("failOn: warning\n".into()));
        assert_eq!(good.load_error(), None);
    }

    #[test]
    fn diff_says_whether_something_changed() {
        let base = load(&files(PODS), None);
        let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: d, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n";
        let head = load(&files(&[PODS, "---\n", deny].concat()), None);
        assert_eq!(json(&base.diff(&head, None))["changed"], true);
        assert_eq!(json(&base.diff(&base, None))["changed"], false);
        assert_eq!(
            json(&base.diff(&head, Some("owner".into())))["changed"],
            true
        );
        let bad = json(&base.diff(&head, Some("controller".into())));
        assert_eq!(bad["ok"], false, "{bad}");
    }
}
