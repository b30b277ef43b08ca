//! The command line over an in-memory file system, and the real binary once: what
//! needs the file system's or the command table's Rust side (unreadable files, a
//! terminal, read-only folders, every command and format). The command-line cases
//! that are a command and its answer are table-driven: tests/cases/cli/.
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
mod memfs;
mod report_scopes;
mod streamed;
mod uncertain;

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

// ---- unreadable files --------------------------------------------------------------

#[test]
fn unreadable_files_exit_2() {
    let mut fs = MemFs::new().file("a.json", "{}").file("secret.json", "{}");
    fs.unreadable.insert("secret.json".into());
    assert_usage_error(
        &fs.run(&["lint", "secret.json"]),
        "cannot read 'secret.json': Permission denied",
    );
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

// ---- output ----------------------------------------------------------------------

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
}

#[test]
fn an_unwritable_output_file_exits_2() {
    let mut fs = MemFs::new().file("bad.json", BROKEN_JSON);
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
