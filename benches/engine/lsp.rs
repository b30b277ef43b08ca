//! The language server after an edit: `netpol lsp` (this build's release binary) on
//! a folder of 2,000 policy files, one file changed at a time, timed from the
//! `didChange` to the moment its new diagnostics have been published.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use super::text::{load_average, secs, thousands};

/// Namespaces of the generated folder.
const NAMESPACES: usize = 50;
/// Policies (and pods) per namespace: 2,000 policies in all.
const APPS: usize = 40;
/// The target: diagnostics updated within this after a change.
const TARGET: Duration = Duration::from_millis(50);

/// Measures `runs` edits and writes the section.
pub fn section(runs: usize) -> String {
    let mut out = String::from("## Language server: diagnostics after an edit\n\n");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lsp");
    if let Err(error) = write_folder(&dir) {
        let _ = writeln!(
            out,
            "Not measured: cannot write {}: {error}\n",
            dir.display()
        );
        return out;
    }
    let _ = writeln!(
        out,
        "`netpol lsp` (this build's release binary) on a folder of {} NetworkPolicy \
         files and {NAMESPACES} files of Namespaces and Pods ({} pods); each edit \
         replaces one policy file through `didChange`, alternately adding and removing \
         its `ports` (so its findings change), and is timed until its \
         `publishDiagnostics` has arrived (a request sent after the change is answered \
         only then): the whole folder linted again, the changed file's diagnostics \
         published. Median and slowest of {runs} edits. Load average at the start: {}. \
         Only this section: `NETPOL_BENCH_ONLY=lsp cargo bench --bench engine`.\n",
        thousands(NAMESPACES * APPS),
        thousands(NAMESPACES * APPS),
        load_average()
    );
    match measure(&dir, runs) {
        Ok((start, mut times)) => {
            times.sort();
            let median = times.get(times.len() / 2).copied().unwrap_or_default();
            let slowest = times.last().copied().unwrap_or_default();
            let met = if median < TARGET {
                "**met**"
            } else {
                "**not met**"
            };
            let _ = writeln!(
                out,
                "| step | time |\n| --- | --- |\n| start-up: initialize, read and lint the folder, first diagnostics | {} |\n| one edit, median | {} |\n| one edit, slowest | {} |\n",
                secs(start.as_secs_f64()),
                secs(median.as_secs_f64()),
                secs(slowest.as_secs_f64())
            );
            let _ = writeln!(
                out,
                "Target: diagnostics for 2,000 policies updated in under 50 ms after a \
                 change: {} median {met}.\n",
                secs(median.as_secs_f64())
            );
        }
        Err(error) => {
            let _ = writeln!(out, "Not measured: {error}\n");
        }
    }
    out
}

fn policy(ns: usize, app: usize, with_ports: bool) -> String {
    let ports = if with_ports {
        "\n      ports: [{port: 8080, protocol: TCP}]"
    } else {
        ""
    };
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: app-{app}\n  \
         namespace: ns-{ns}\nspec:\n  podSelector:\n    matchLabels: {{app: app-{app}}}\n  \
         policyTypes: [Ingress]\n  ingress:\n    - from: [{{podSelector: {{matchLabels: \
         {{app: app-{}}}}}}}]{ports}\n",
        (app + 1) % APPS
    )
}

fn write_folder(dir: &Path) -> std::io::Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    for ns in 0..NAMESPACES {
        let ns_dir = dir.join(format!("ns-{ns}"));
        std::fs::create_dir_all(&ns_dir)?;
        let mut pods = format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: ns-{ns}}}\n");
        for app in 0..APPS {
            let _ = write!(
                pods,
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: app-{app}, namespace: ns-{ns}, \
                 labels: {{app: app-{app}}}}}\nspec:\n  containers: [{{name: c, image: i, \
                 ports: [{{name: http, containerPort: 8080}}]}}]\n"
            );
            std::fs::write(
                ns_dir.join(format!("app-{app}.yaml")),
                policy(ns, app, true),
            )?;
        }
        std::fs::write(ns_dir.join("pods.yaml"), pods)?;
    }
    Ok(())
}

struct Server {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Server {
    fn send(&mut self, body: &str) -> Result<(), String> {
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|()| self.input.flush())
            .map_err(|e| format!("cannot write to netpol lsp: {e}"))
    }

    /// The next message's text.
    fn receive(&mut self) -> Result<String, String> {
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            let read = self
                .output
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            if read == 0 {
                return Err(String::from("netpol lsp closed its output"));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().map_err(|_| format!("bad header {line}"))?;
            }
        }
        let mut body = vec![0; length];
        self.output
            .read_exact(&mut body)
            .map_err(|e| e.to_string())?;
        String::from_utf8(body).map_err(|e| e.to_string())
    }

    /// Sends request `id` and reads until its response; whether a diagnostics
    /// publication for `uri` came before it.
    fn barrier(&mut self, id: usize, uri: &str) -> Result<bool, String> {
        self.send(&format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/documentSymbol","params":{{"textDocument":{{"uri":"{uri}"}}}}}}"#
        ))?;
        let mut published = false;
        loop {
            let message = self.receive()?;
            if message.contains(&format!(r#""id":{id}"#)) && message.contains("result") {
                return Ok(published);
            }
            published |= message.contains("publishDiagnostics") && message.contains(uri);
        }
    }
}

/// The start-up time and the time of each edit.
fn measure(dir: &Path, runs: usize) -> Result<(Duration, Vec<Duration>), String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start netpol lsp: {e}"))?;
    let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(String::from("no pipes to netpol lsp"));
    };
    let mut server = Server {
        child,
        input,
        output: BufReader::new(output),
    };
    let root = dir.canonicalize().map_err(|e| e.to_string())?;
    let root = root.display();
    let uri = format!("file://{root}/ns-7/app-3.yaml");
    let started = Instant::now();
    server.send(&format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"processId":null,"rootUri":"file://{root}","capabilities":{{}}}}}}"#
    ))?;
    server.send(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)?;
    server.barrier(2, &uri)?;
    let start = started.elapsed();
    let mut times = Vec::new();
    for run in 0..runs {
        let text = policy(7, 3, run % 2 == 1);
        let text = text.replace('\n', "\\n").replace('"', "\\\"");
        let change = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{uri}","version":{run}}},"contentChanges":[{{"text":"{text}"}}]}}}}"#
        );
        let began = Instant::now();
        server.send(&change)?;
        if !server.barrier(3 + run, &uri)? {
            return Err(format!("edit {run} published no diagnostics for {uri}"));
        }
        times.push(began.elapsed());
    }
    server.send(r#"{"jsonrpc":"2.0","id":0,"method":"shutdown"}"#)?;
    server.send(r#"{"jsonrpc":"2.0","method":"exit"}"#)?;
    let _ = server.child.wait();
    Ok((start, times))
}
