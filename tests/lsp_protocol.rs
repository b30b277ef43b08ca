//! `netpol lsp` as an editor sees it: the binary started as a process, JSON-RPC
//! over its standard input and output, on the manifests of tests/lsp/workspace.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

/// A client speaking to one `netpol lsp` process.
struct Client {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    /// Notifications received while waiting for a response.
    notifications: VecDeque<Value>,
    next_id: u64,
}

impl Client {
    fn start(args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_netpol"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let output = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            input,
            output,
            notifications: VecDeque::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.input.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.output.read_line(&mut line).unwrap() > 0,
                "server closed"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
            self.notifications.push_back(message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next diagnostics published for `uri` (other messages stay queued).
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let is_wanted = |message: &Value| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
        };
        loop {
            if let Some(index) = self.notifications.iter().position(is_wanted) {
                let message = self.notifications.remove(index).unwrap();
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            let message = self.receive();
            self.notifications.push_back(message);
        }
    }
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/workspace")
}

fn uri(name: &str) -> String {
    format!("file://{}/{name}", workspace().display())
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

fn read(name: &str) -> String {
    std::fs::read_to_string(workspace().join(name)).unwrap()
}

/// Applies LSP text edits (one line-and-column range each) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |at: &Value| {
        let line = at["line"].as_u64().unwrap() as usize;
        let character = at["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let rest = &text[start..];
        let mut units = 0;
        rest.char_indices()
            .find(|(_, c)| {
                let past = units >= character;
                units += c.len_utf16();
                past
            })
            .map_or(text.len(), |(i, _)| start + i)
    };
    let mut out = text.to_string();
    let mut sorted: Vec<&Value> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    for edit in sorted {
        let (start, end) = (
            offset(&edit["range"]["start"]),
            offset(&edit["range"]["end"]),
        );
        out.replace_range(start..end, edit["newText"].as_str().unwrap());
    }
    out
}

/// Runs `session` on its own thread and fails when it takes longer than a minute
/// (a server that never answers fails the test instead of hanging it; the server
/// process ends when the test process closes its input).
fn within_a_minute(session: fn()) {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        session();
        let _ = done.send(());
    });
    match finished.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("no answer within a minute"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the session failed"),
    }
}

#[test]
fn an_editor_session_from_initialize_to_exit() {
    within_a_minute(editor_session);
}

fn editor_session() {
    let mut client = Client::start(&["lsp"]);
    let root = format!("file://{}", workspace().display());
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {},
               "workspaceFolders": [{"uri": root, "name": "workspace"}]}),
    );
    assert_eq!(init["serverInfo"]["name"], "netpol");
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    client.notify("initialized", json!({}));

    // Every file of the folder is linted with the others as context.
    let web = uri("web.yaml");
    let found = client.diagnostics_for(&web);
    assert_eq!(codes(&found), ["missing-policytypes", "rule-without-ports"]);
    let rule = &found[1];
    assert_eq!(rule["source"], "netpol");
    assert_eq!(rule["range"]["start"], json!({"line": 10, "character": 6}));
    let cluster = client.diagnostics_for(&uri("cluster.yaml"));
    assert!(codes(&cluster).contains(&"workload-not-isolated"));

    // An edit re-publishes that file's findings.
    let text = read("web.yaml");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": web, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let typed = text.replace("spec:\n", "spec:\n  policyTypes: [Ingress]\n");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": web, "version": 2}, "contentChanges": [{"text": typed}]}),
    );
    let found = client.diagnostics_for(&web);
    assert_eq!(codes(&found), ["rule-without-ports"]);

    // Hover: a selector lists its pods, a policy name what it isolates and allows.
    let on_selector = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": web}, "position": {"line": 13, "character": 16}}),
    );
    let text_of = |hover: &Value| hover["contents"]["value"].as_str().unwrap().to_string();
    assert!(
        text_of(&on_selector).contains("`shop/api` (Pod)"),
        "{on_selector}"
    );
    let on_name = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": web}, "position": {"line": 3, "character": 9}}),
    );
    let described = text_of(&on_name);
    assert!(
        described.contains("NetworkPolicy `shop/web`"),
        "{described}"
    );
    assert!(
        described.contains("Isolates ingress; allows:\n- from 1 — `shop/api` (Pod) on every port")
    );
    let on_nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": web}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(on_nothing, Value::Null);

    // The quick fix for the rule without ports, applied: the finding is gone.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": web},
               "range": found[0]["range"], "context": {"diagnostics": found}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Add ports: TCP 8080")
        .unwrap_or_else(|| panic!("{actions}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "rule-without-ports");
    let fixed = apply(&typed, fix["edit"]["changes"][&web].as_array().unwrap());
    assert!(fixed.starts_with(&typed.trim_end()[..typed.len() - 1]));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": web, "version": 3}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics_for(&web), Vec::<Value>::new());

    // A named port: hover names the container, definition goes to it.
    let named = uri("web-http.yaml");
    let at_port =
        json!({"textDocument": {"uri": named}, "position": {"line": 10, "character": 22}});
    let hover = client.request("textDocument/hover", at_port.clone());
    assert!(
        text_of(&hover).contains("`shop/web` (Pod): TCP 8080"),
        "{hover}"
    );
    let definition = client.request("textDocument/definition", at_port);
    assert_eq!(definition[0]["uri"], uri("cluster.yaml"));
    assert_eq!(
        definition[0]["range"]["start"],
        json!({"line": 16, "character": 10})
    );

    // One symbol per object.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri("cluster.yaml")}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["shop", "shop/web", "shop/api"]);

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}

#[test]
fn exit_without_shutdown_fails_and_unknown_requests_are_errors() {
    within_a_minute(exit_without_shutdown);
}

fn exit_without_shutdown() {
    let mut client = Client::start(&["lsp", "--stdio"]);
    client.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "workspace/symbol", "params": {}}));
    let reply = client.receive();
    assert_eq!(reply["error"]["code"], -32601);
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}

#[test]
fn lsp_has_help_and_refuses_paths() {
    let help = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(["lsp", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("language server"));
    let refused = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(["lsp", "k8s/"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let listed = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .arg("help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("lsp "));
}

#[test]
fn the_folder_configuration_decides_the_findings() {
    within_a_minute(folder_configuration);
}

/// The first diagnostics of `policy.yaml` in a folder holding `config` as its
/// `.netpol.yaml` (none when `None`).
fn first_codes(config: Option<&str>) -> Vec<String> {
    let folder = std::env::temp_dir().join(format!(
        "netpol-lsp-config-{}-{}",
        std::process::id(),
        config.is_some()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("policy.yaml"),
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\n\
         spec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n  ingress:\n\
         \x20 - from:\n      - podSelector: {matchLabels: {app: api}}\n",
    )
    .unwrap();
    if let Some(config) = config {
        std::fs::write(folder.join(".netpol.yaml"), config).unwrap();
    }
    let mut client = Client::start(&["lsp"]);
    let root = format!("file://{}", folder.display());
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": root, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let found = client.diagnostics_for(&format!("{root}/policy.yaml"));
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(0));
    std::fs::remove_dir_all(&folder).unwrap();
    codes(&found).into_iter().map(String::from).collect()
}

fn folder_configuration() {
    assert!(first_codes(None).contains(&String::from("rule-without-ports")));
    let configured = first_codes(Some("rules:\n  rule-without-ports: off\n"));
    assert!(
        !configured.contains(&String::from("rule-without-ports")),
        "{configured:?}"
    );
}
