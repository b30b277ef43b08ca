//! The command line over an in-memory file system, and the real binary once.
// Test code: a broken fixture or a failed expectation panics, which is the point;
// the no-panic lints of Cargo.toml's `[lints]` are for the library.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod cluster_wide_lint;
mod cni;
mod findings_flood;
mod first_use;
mod left_out;
mod memfs;
mod other_kinds;
mod report_scopes;
mod streamed;

use memfs::MemFs;
use netpol::cli::{self, Outcome};

/// A JSON manifest that cannot be read: one `yaml-syntax` error at line 2.
const BROKEN_JSON: &str = "{\"kind\": \"NetworkPolicy\",\n  \"metadata\": }\n";

fn json(outcome: &Outcome) -> serde_json::Value {
    serde_json::from_str(&outcome.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", outcome.stdout))
}

/// Runs the real `netpol` binary with `args` in `dir`.
fn run_binary(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn assert_usage_error(outcome: &Outcome, message: &str) {
    assert_eq!(outcome.code, 2, "{outcome:?}");
    assert!(outcome.stdout.is_empty(), "{outcome:?}");
    assert!(
        outcome.stderr.contains(message),
        "{message:?} not in {:?}",
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("--help"),
        "no hint: {:?}",
        outcome.stderr
    );
    assert!(!outcome.stderr.contains("panicked"), "{:?}", outcome.stderr);
}

// ---- version and help ----------------------------------------------------------

#[test]
fn version_prints_the_crate_version() {
    let fs = MemFs::new();
    for args in [&["version"][..], &["--version"], &["-V"]] {
        let out = fs.run(args);
        assert_eq!(out.code, 0);
        assert_eq!(out.stdout, format!("netpol {}\n", netpol::VERSION));
        assert!(out.stderr.is_empty());
    }
    assert_usage_error(
        &fs.run(&["version", "extra"]),
        "unexpected argument 'extra'",
    );
}

#[test]
fn help_lists_every_command() {
    let fs = MemFs::new();
    for args in [&["help"][..], &["--help"], &["-h"]] {
        let out = fs.run(args);
        assert_eq!(out.code, 0, "{args:?}");
        for command in cli::COMMANDS {
            assert!(
                out.stdout.contains(command.name),
                "{} missing",
                command.name
            );
            assert!(out.stdout.contains(command.summary));
        }
        assert!(out.stdout.contains("Usage: netpol <COMMAND>"));
    }
}

#[test]
fn no_arguments_is_a_usage_error_with_the_overview() {
    let out = MemFs::new().run(&[]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("Usage: netpol <COMMAND>"));
}

#[test]
fn every_command_has_real_help() {
    let fs = MemFs::new();
    for command in cli::COMMANDS {
        let out = fs.run(&[command.name, "--help"]);
        assert_eq!(out.code, 0, "{}", command.name);
        assert!(out.stdout.contains(&format!("Usage: {}", command.usage)));
        assert!(out.stdout.contains("-h, --help"));
        assert_eq!(fs.run(&["help", command.name]).stdout, out.stdout);
        assert_eq!(fs.run(&[command.name, "-h"]).stdout, out.stdout);
    }
}

#[test]
fn lint_help_documents_options_and_formats() {
    let out = MemFs::new().run(&["lint", "--help"]);
    for text in [
        "--fail-on LEVEL",
        "-f, --format FORMAT",
        "-o, --output FILE",
        "--color WHEN",
        "-q, --quiet",
        "--config FILE",
        "--rule ID=LEVEL",
        "Formats: text (default), json, sarif, junit, policyreport, openreports, gatekeeper, conftest",
        "Examples:",
    ] {
        assert!(out.stdout.contains(text), "{text:?} not in\n{}", out.stdout);
    }
}

// ---- usage errors --------------------------------------------------------------

#[test]
fn unknown_commands_and_options_exit_2() {
    let fs = MemFs::new().file("a.json", "{}");
    assert_usage_error(&fs.run(&["frobnicate"]), "unknown command 'frobnicate'");
    assert_usage_error(&fs.run(&["--frob"]), "unknown option '--frob'");
    assert_usage_error(
        &fs.run(&["help", "frobnicate"]),
        "unknown command 'frobnicate'",
    );
    let typo = fs.run(&["lnit", "a.json"]);
    assert_usage_error(&typo, "unknown command 'lnit'; did you mean 'lint'?");
    assert_usage_error(
        &fs.run(&["help", "matirx"]),
        "unknown command 'matirx'; did you mean 'matrix'?",
    );
    assert!(!fs.run(&["frobnicate"]).stderr.contains("did you mean"));
    let out = fs.run(&["lint", "a.json", "--bogus"]);
    assert_usage_error(&out, "unknown option '--bogus'");
    assert!(out.stderr.contains("netpol lint --help"));
    assert_usage_error(&fs.run(&["lint", "-z", "a.json"]), "unknown option '-z'");
    assert_usage_error(
        &fs.run(&["version", "--format", "json"]),
        "unknown option '--format'",
    );
}

#[test]
fn bad_option_values_exit_2() {
    let fs = MemFs::new().file("a.json", "{}");
    assert_usage_error(
        &fs.run(&["lint", "--format", "xml", "a.json"]),
        "unknown format 'xml'",
    );
    assert_usage_error(
        &fs.run(&["lint", "--fail-on", "sometimes", "a.json"]),
        "--fail-on",
    );
    assert_usage_error(&fs.run(&["lint", "--color", "maybe", "a.json"]), "--color");
    assert_usage_error(&fs.run(&["lint", "a.json", "--format"]), "missing argument");
    assert_usage_error(&fs.run(&["lint", "--quiet=yes", "a.json"]), "quiet");
    assert_usage_error(&fs.run(&["lint", "--rule", "no-level", "a.json"]), "--rule");
    assert_usage_error(
        &fs.run(&["lint", "--rule", "no-such-rule-anywhere=off", "a.json"]),
        "invalid --rule",
    );
}

#[test]
fn unreadable_inputs_exit_2() {
    let mut fs = MemFs::new().file("a.json", "{}").file("secret.json", "{}");
    fs.unreadable.insert("secret.json".into());
    assert_usage_error(
        &fs.run(&["lint", "missing.yaml"]),
        "cannot read 'missing.yaml': no such file or directory",
    );
    assert_usage_error(
        &fs.run(&["lint", "secret.json"]),
        "cannot read 'secret.json': Permission denied",
    );
    assert_usage_error(&fs.run(&["lint"]), "no input");
    assert_usage_error(&fs.run(&["lint", "-"]), "cannot read standard input");
}

// ---- inputs ----------------------------------------------------------------------

#[test]
fn directories_are_walked_in_sorted_order_skipping_hidden_and_node_modules() {
    let fs = MemFs::new()
        .file("k8s/b.yaml", "")
        .file("k8s/a.yml", "")
        .file("k8s/a/z.json", "")
        .file("k8s/C.YAML", "")
        .file("k8s/notes.txt", "")
        .file("k8s/.hidden.yaml", "")
        .file("k8s/.git/config.yaml", "")
        .file("k8s/node_modules/pkg/x.yaml", "")
        .file("k8s/deep/er/c.json", "");
    let sources = cli::read_inputs(&["k8s/".into()], &fs, "-").unwrap();
    let names: Vec<&str> = sources.iter().map(|(_, s)| s.name()).collect();
    assert_eq!(
        names,
        [
            "k8s/C.YAML",
            "k8s/a.yml",
            "k8s/a/z.json",
            "k8s/b.yaml",
            "k8s/deep/er/c.json"
        ]
    );
}

#[test]
fn files_given_by_name_are_read_whatever_their_extension_and_stdin_once() {
    let fs = MemFs::new().file("policy.txt", "x").stdin("y");
    let args = [
        "policy.txt".into(),
        "-".into(),
        "-".into(),
        "policy.txt".into(),
    ];
    let sources = cli::read_inputs(&args, &fs, "-").unwrap();
    let names: Vec<(&str, &str)> = sources.iter().map(|(_, s)| (s.name(), s.text())).collect();
    assert_eq!(names, [("policy.txt", "x"), ("-", "y")]);
}

#[test]
fn stdin_findings_name_the_file_dash() {
    let out = MemFs::new()
        .stdin(BROKEN_JSON)
        .run(&["lint", "-", "--format", "json"]);
    // stdin is read as YAML; broken JSON text is broken YAML too.
    let value = json(&out);
    assert_eq!(value["summary"]["files"], 1);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(value["findings"][0]["file"], "-");
}

// ---- exit codes and --fail-on ------------------------------------------------------

#[test]
fn clean_input_exits_0() {
    let out = MemFs::new()
        .file("empty.json", "[]")
        .run(&["lint", "empty.json"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "no problems found in 1 file (0 objects)\n");
}

#[test]
fn fail_on_decides_exit_1() {
    let fs = MemFs::new().file("bad.json", BROKEN_JSON);
    assert_eq!(fs.run(&["lint", "bad.json"]).code, 1);
    assert_eq!(fs.run(&["lint", "--fail-on", "error", "bad.json"]).code, 1);
    assert_eq!(fs.run(&["lint", "--fail-on", "info", "bad.json"]).code, 1);
    assert_eq!(fs.run(&["lint", "bad.json", "--fail-on", "none"]).code, 0);
    // Lowered to a warning, the finding fails only from --fail-on warning down.
    let warn = ["--rule", "yaml-syntax=warning"];
    let run = |extra: &[&str]| {
        let mut args = vec!["lint", "bad.json"];
        args.extend_from_slice(&warn);
        args.extend_from_slice(extra);
        fs.run(&args)
    };
    assert_eq!(run(&[]).code, 0);
    assert_eq!(run(&["--fail-on", "warning"]).code, 1);
    assert_eq!(run(&["--fail-on", "info"]).code, 1);
    assert!(run(&[]).stdout.contains("warning[yaml-syntax]"));
}

#[test]
fn quiet_shows_only_failing_findings() {
    let fs = MemFs::new().file("bad.json", BROKEN_JSON);
    let shown = fs.run(&["lint", "-q", "--rule", "yaml-syntax=warning", "bad.json"]);
    assert_eq!(shown.code, 0);
    assert!(!shown.stdout.contains("yaml-syntax"), "{}", shown.stdout);
    let failing = fs.run(&["lint", "--quiet", "bad.json"]);
    assert!(failing.stdout.contains("error[yaml-syntax]"));
}

// ---- configuration -------------------------------------------------------------

#[test]
fn configuration_file_in_the_working_directory_is_read() {
    let fs = MemFs::new()
        .file("bad.json", BROKEN_JSON)
        .file(".netpol.yaml", "failOn: none\n");
    assert_eq!(fs.run(&["lint", "bad.json"]).code, 0);
    // --fail-on overrides the file.
    assert_eq!(fs.run(&["lint", "bad.json", "--fail-on", "error"]).code, 1);
}

#[test]
fn explicit_configuration_file() {
    let fs = MemFs::new()
        .file("bad.json", BROKEN_JSON)
        .file("conf/netpol.json", "{\"failOn\": \"none\"}")
        .file("conf/wrong.json", "{\"noSuchKey\": 1}");
    assert_eq!(
        fs.run(&["lint", "--config", "conf/netpol.json", "bad.json"])
            .code,
        0
    );
    assert_usage_error(
        &fs.run(&["lint", "--config", "nope.yaml", "bad.json"]),
        "cannot read configuration 'nope.yaml'",
    );
    let out = fs.run(&["lint", "--config", "conf/wrong.json", "bad.json"]);
    assert_usage_error(&out, "invalid configuration in 'conf/wrong.json'");
    assert!(out.stderr.contains("conf/wrong.json:1:"), "{}", out.stderr);
}

// ---- output ----------------------------------------------------------------------

#[test]
fn text_output_is_compiler_style() {
    let fs = MemFs::new()
        .file("bad.json", BROKEN_JSON)
        .file("ok.json", "[]");
    let out = fs.run(&["lint", "ok.json", "bad.json"]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("error[yaml-syntax]: "),
        "{}",
        out.stdout
    );
    assert!(lines[1].starts_with(" --> bad.json:2:"), "{}", out.stdout);
    assert!(
        lines.iter().any(|l| l.starts_with("2 |   \"metadata\": }")),
        "{}",
        out.stdout
    );
    assert!(
        lines.iter().any(|l| l.trim_end().ends_with('^')),
        "{}",
        out.stdout
    );
    assert_eq!(
        *lines.last().unwrap(),
        "1 error, 0 warnings, 0 info in 2 files (0 objects)"
    );
    assert!(!out.stdout.contains('\x1b'));
}

#[test]
fn colour_follows_the_option_and_the_terminal() {
    let mut fs = MemFs::new().file("bad.json", BROKEN_JSON);
    assert!(fs
        .run(&["lint", "--color", "always", "bad.json"])
        .stdout
        .contains('\x1b'));
    assert!(!fs.run(&["lint", "bad.json"]).stdout.contains('\x1b'));
    fs.tty = true;
    assert!(fs.run(&["lint", "bad.json"]).stdout.contains('\x1b'));
    assert!(!fs
        .run(&["lint", "--color=never", "bad.json"])
        .stdout
        .contains('\x1b'));
    fs.run(&["lint", "bad.json", "-o", "report.txt"]);
    assert!(
        !fs.written.borrow()["report.txt"].contains('\x1b'),
        "no colour into files"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let fs = MemFs::new()
        .file("dir/bad.json", BROKEN_JSON)
        .file("dir/ok.json", "[]");
    let out = fs.run(&["lint", "dir", "--format", "json"]);
    assert_eq!(out.code, 1);
    let value = json(&out);
    assert_eq!(value["version"], netpol::VERSION);
    let finding = &value["findings"][0];
    for key in [
        "ruleId",
        "severity",
        "message",
        "help",
        "file",
        "line",
        "column",
        "endLine",
        "endColumn",
        "path",
        "resource",
    ] {
        assert!(finding.get(key).is_some(), "{key} missing in {finding}");
    }
    assert_eq!(finding["ruleId"], "yaml-syntax");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["file"], "dir/bad.json");
    assert_eq!(finding["line"], 2);
    let summary = &value["summary"];
    for key in ["error", "warning", "info", "suppressed", "files", "objects"] {
        assert!(summary.get(key).is_some(), "{key} missing in {summary}");
    }
    assert_eq!(summary["error"], 1);
    assert_eq!(summary["files"], 2);
}

#[test]
fn every_lint_format_renders_with_the_same_exit_code() {
    let fs = MemFs::new().file("bad.json", BROKEN_JSON);
    for command in cli::COMMANDS.iter().filter(|c| c.name == "lint") {
        for format in command.formats {
            let out = fs.run(&["lint", "--format", format, "bad.json"]);
            assert_eq!(out.code, 1, "{format}: {out:?}");
            assert!(!out.stdout.is_empty(), "{format}");
            assert!(out.stderr.is_empty(), "{format}: {}", out.stderr);
        }
    }
    let sarif = json(&fs.run(&["lint", "--format", "sarif", "bad.json"]));
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn output_file_receives_the_report() {
    let mut fs = MemFs::new().file("bad.json", BROKEN_JSON);
    let out = fs.run(&[
        "lint",
        "--output",
        "out/report.json",
        "-f",
        "json",
        "bad.json",
    ]);
    assert_eq!(out.code, 1, "the exit code does not change");
    assert!(out.stdout.is_empty());
    let written = fs.written.borrow()["out/report.json"].clone();
    let value: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(value["summary"]["error"], 1);
    fs.read_only_dirs.insert("ro".into());
    assert_usage_error(
        &fs.run(&["lint", "--output", "ro/x.json", "bad.json"]),
        "cannot write 'ro/x.json': Read-only file system",
    );
}

#[test]
fn output_is_deterministic() {
    let fs = MemFs::new()
        .file("a/bad.json", BROKEN_JSON)
        .file("b/bad.json", BROKEN_JSON)
        .file("a/c.json", "{");
    let first = fs.run(&["lint", "a", "b"]);
    assert_eq!(first, fs.run(&["lint", "a", "b"]));
    let files: Vec<&str> = first
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix(" --> "))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert_eq!(files.len(), 3);
}

// ---- the real binary -------------------------------------------------------------

#[test]
fn native_binary_reads_a_directory() {
    let dir = std::env::temp_dir().join(format!("netpol-cli-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    std::fs::write(dir.join("sub/bad.json"), BROKEN_JSON).unwrap();
    std::fs::write(dir.join(".hidden/bad.json"), BROKEN_JSON).unwrap();
    std::fs::write(dir.join("ok.json"), "[]").unwrap();
    let run = |args: &[&str]| run_binary(&dir, args);
    let out = run(&["lint", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["summary"]["files"], 2, "hidden folder skipped");
    assert_eq!(value["findings"][0]["file"], "sub/bad.json");
    let missing = run(&["lint", "nope"]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("cannot read 'nope': no such file or directory"),
        "{stderr}"
    );
    assert_eq!(run(&["lint", "ok.json"]).status.code(), Some(0));
    let written = run(&["lint", "sub", "-o", "report.txt"]);
    assert_eq!(written.status.code(), Some(1));
    assert!(written.stdout.is_empty());
    let report = std::fs::read_to_string(dir.join("report.txt")).unwrap();
    assert!(report.contains("error[yaml-syntax]"), "{report}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(["lint", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(BROKEN_JSON.as_bytes()).unwrap();
    }
    let piped = child.wait_with_output().unwrap();
    assert_eq!(piped.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(value["findings"][0]["file"], "-");
    std::fs::remove_dir_all(&dir).unwrap();
}
