//! netpol's WebAssembly face (src/wasm) in WebAssembly under Node: the exports, the
//! in-memory sources and the bridge to a JavaScript host.

#![cfg(target_arch = "wasm32")]

use netpol::wasm::{run_cli, run_with_sources, version, Host, WorkspaceHandle, CONFIG_PATH};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(inline_js = r#"
export function fakeHost() {
  const files = {
    'k8s/a.yaml': 'kind: [broken\n',
    'k8s/sub/b.yml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
    'k8s/notes.txt': 'not a manifest\n',
    'k8s/.hidden.yaml': 'kind: [hidden\n',
    'locked.yaml': null,
  };
  const dirs = {
    'k8s': ['f/a.yaml', 'd/sub', 'f/notes.txt', 'f/.hidden.yaml', 'd/node_modules', 'o/socket.yaml'],
    'k8s/sub': ['f/b.yml'],
  };
  const written = {};
  return {
    readFile(path) {
      if (files[path] === null) throw 'Permission denied';
      if (!(path in files)) throw 'ENOENT';
      return files[path];
    },
    readDir(path) {
      if (!(path in dirs)) throw 'ENOENT';
      return dirs[path];
    },
    kind(path) {
      if (path in dirs) return 'directory';
      if (path in files) return 'file';
      throw 'ENOENT';
    },
    readFileBytes(path) { return new TextEncoder().encode(this.readFile(path)); },
    readStdin() { return 'kind: [from stdin\n'; },
    readStdinBytes() { return new TextEncoder().encode(this.readStdin()); },
    writeFile(path, contents) {
      if (path.startsWith('ro/')) throw 'Read-only file system';
      written[path] = contents;
    },
    isTerminal() { return false; },
    now() { return 1700000000123; },
  };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = fakeHost)]
    fn fake_host() -> Host;
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| String::from(*s)).collect()
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), netpol::VERSION);
}

#[wasm_bindgen_test]
fn workspace_lint_json_has_utf16_columns() {
    let text = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: \"😀x\", namespace: \"😀\"}\nspec: {podSelector: {}}\n";
    let files = serde_json::json!([{"name": "p.yaml", "text": text}]).to_string();
    let workspace = WorkspaceHandle::new(&files, None);
    assert_eq!(workspace.load_error(), None);
    let reply: serde_json::Value = serde_json::from_str(&workspace.lint("{}")).unwrap();
    assert_eq!(reply["ok"], true);
    let findings = reply["result"]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let on_line_3: Vec<(u64, u64)> = findings
        .iter()
        .filter(|f| f["line"] == 3)
        .map(|f| {
            (
                f["endColumn"].as_u64().unwrap(),
                f["utf16EndColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        on_line_3.iter().any(|(chars, units)| units > chars),
        "a finding ending after an emoji on line 3: {on_line_3:?}"
    );
}

#[wasm_bindgen_test]
fn memory_sources_stdin_and_config() {
    let config = Some(String::from("{\"bogus\": 1}\n"));
    let out = run_with_sources(
        strings(&["lint", "--config", CONFIG_PATH, "--", "-"]),
        strings(&["-"]),
        strings(&["kind: [\n"]),
        config,
        0.0,
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("options.config"), "{}", out.stderr);
    let out = run_with_sources(
        strings(&["lint", "--", "-", "missing.yaml"]),
        strings(&["-"]),
        strings(&["kind: [\n"]),
        None,
        0.0,
    );
    assert_eq!(out.code, 2);
    assert!(out
        .stderr
        .contains("cannot read 'missing.yaml': no such file or directory"));
}

#[wasm_bindgen_test]
fn cli_walks_host_directories_like_the_native_binary() {
    let out = run_cli(strings(&["lint", "--format", "json", "k8s"]), fake_host());
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 2, "a.yaml and sub/b.yml only");
    let files: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"k8s/a.yaml"));
    assert!(!files.iter().any(|f| f.contains("hidden")));
    assert_eq!(out.code, 1, "a yaml-syntax error fails the run");
}

#[wasm_bindgen_test]
fn cli_reports_host_failures_with_exit_code_2() {
    let out = run_cli(strings(&["lint", "locked.yaml"]), fake_host());
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cannot read 'locked.yaml': Permission denied"),
        "{}",
        out.stderr
    );
    let out = run_cli(strings(&["lint", "nowhere"]), fake_host());
    assert!(out
        .stderr
        .contains("cannot read 'nowhere': no such file or directory"));
    let out = run_cli(strings(&["lint", "--output", "ro/x", "k8s"]), fake_host());
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("Read-only file system"),
        "{}",
        out.stderr
    );
    let out = run_cli(strings(&["lint", "-"]), fake_host());
    assert!(out.stdout.contains("--> -:2:1"), "{}", out.stdout);
}
