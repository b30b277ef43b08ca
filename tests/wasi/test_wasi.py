"""The WASI command under a host that is not JavaScript: Python's `wasmtime` package.

Every case runs the native binary (NETPOL_NATIVE) and the WASI module (NETPOL_WASI)
in the same scratch directory and requires the same stdout, stderr and exit code:
lint and matrix in every format their `--help` lists, query, test, diff, rules,
version and help, file walking, standard input, `--output`, colour and exit codes.
"""

import os
import pty
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from wasi_host import Outcome, WasiCommand

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "article"
# lint's report formats carry the time of the run.
TIMESTAMP = re.compile(rb"^([ \t]*(?:seconds|nanos|timestamp|creationTimestamp):).*$", re.M)
BROKEN = "kind: [broken\n"
FAILING_CASE = """apiVersion: netpol/v1alpha1
kind: ConnectivityTest
metadata:
  name: failing
spec:
  cases:
    - name: frontend cannot reach the IdP (it can)
      from: shop/frontend
      to: identity/keycloak
      port: 9090
      expect: deny
"""


def required_path(variable):
    """The file named by an environment variable (relative to the repository)."""
    value = os.environ.get(variable)
    if not value:
        raise RuntimeError(f"{variable} must name a file (make wasi-test sets it)")
    path = (ROOT / value).resolve()
    if not path.is_file():
        raise RuntimeError(f"{variable}: {path} does not exist")
    return path


def formats_of(native, command):
    """The formats `netpol COMMAND --help` lists, so a new format is tested too."""
    help_text = subprocess.run([native, command, "--help"], capture_output=True, check=True).stdout
    line = re.search(rb"^Formats: (.*)$", help_text, re.M)
    if line is None:
        raise RuntimeError(f"netpol {command} --help lists no formats")
    return [word.split(b" ")[0].decode() for word in line.group(1).split(b", ")]


def build_scratch(directory):
    """The inputs, at the same relative paths for both binaries."""
    shutil.copytree(ROOT / "examples", directory / "examples")
    shutil.copytree(EXAMPLE, directory / "base")
    shutil.copytree(EXAMPLE, directory / "head")
    (directory / "head" / "policies.yaml").unlink()
    shutil.copytree(EXAMPLE, directory / "failing")
    (directory / "failing" / "failing-test.yaml").write_text(FAILING_CASE)
    (directory / "bad.yaml").write_text(BROKEN)
    (directory / "config").mkdir()
    (directory / "config" / "quiet.yaml").write_text("rules:\n  missing-namespace: off\nfailOn: warning\n")
    (directory / "config" / "wrong.yaml").write_text("rules:\n  no-such-rule: off\n")
    (directory / "latin1.yaml").write_bytes(b"k: \xe9\n")
    # Created out of order: the walk must sort, whatever order the host lists.
    walk = directory / "walk"
    for relative in ["z.yaml", "m/b.yml", "m/a.json", "a.yaml", "m/deep/c.yaml"]:
        (walk / relative).parent.mkdir(parents=True, exist_ok=True)
        (walk / relative).write_text(BROKEN if relative.endswith("yaml") else "{")
    (walk / "m" / "b.yml").write_text(BROKEN)
    for skipped in [".hidden.yaml", "node_modules/x.yaml", ".git/y.yaml", "notes.txt"]:
        (walk / skipped).parent.mkdir(parents=True, exist_ok=True)
        (walk / skipped).write_text(BROKEN)


def run_under_terminal(command, cwd):
    """stdout (a pseudo-terminal) and exit code of `command`."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks), process.wait()


class WasiMatchesNative(unittest.TestCase):
    """Byte-for-byte equality of the WASI command and the native binary."""

    @classmethod
    def setUpClass(cls):
        cls.native = required_path("NETPOL_NATIVE")
        cls.module_path = required_path("NETPOL_WASI")
        cls.wasi = WasiCommand(str(cls.module_path))
        cls.scratch_holder = tempfile.TemporaryDirectory(prefix="netpol-wasi-")
        cls.scratch = Path(cls.scratch_holder.name)
        build_scratch(cls.scratch)

    @classmethod
    def tearDownClass(cls):
        cls.scratch_holder.cleanup()

    def run_native(self, args, stdin=b""):
        done = subprocess.run(
            [self.native, *args], cwd=self.scratch, input=stdin, capture_output=True, check=False
        )
        return Outcome(done.stdout, done.stderr, done.returncode)

    def same(self, args, stdin=b"", mask=False):
        """Runs both; asserts identical output and exit code; returns the outcome."""
        native = self.run_native(args, stdin)
        wasi = self.wasi.run(args, str(self.scratch), stdin)
        label = "netpol " + " ".join(args)
        native_out, wasi_out = native.stdout, wasi.stdout
        if mask:
            native_out = TIMESTAMP.sub(rb"\1 *", native_out)
            wasi_out = TIMESTAMP.sub(rb"\1 *", wasi_out)
        self.assertEqual(wasi_out, native_out, f"{label}: stdout")
        self.assertEqual(wasi.stderr, native.stderr, f"{label}: stderr")
        self.assertEqual(wasi.code, native.code, f"{label}: exit code")
        return native

    def test_lint_in_every_format(self):
        formats = formats_of(self.native, "lint")
        self.assertIn("sarif", formats)
        for name in formats:
            with self.subTest(format=name):
                masked = name in ("policyreport", "openreports")
                self.assertEqual(self.same(["lint", "--format", name, "examples/"], mask=masked).code, 0)
                self.same(["lint", "--format", name, "--fail-on", "warning", "examples"], mask=masked)

    def test_lint_exit_codes(self):
        self.assertEqual(self.same(["lint", "examples/"]).code, 0)
        self.assertEqual(self.same(["lint", "--fail-on", "warning", "examples"]).code, 1)
        self.assertEqual(self.same(["lint", "bad.yaml"]).code, 1)
        self.assertEqual(self.same(["lint", "--fail-on", "none", "bad.yaml"]).code, 0)
        self.assertEqual(self.same(["lint", "missing.yaml"]).code, 2)
        # Bytes that are not UTF-8 are an `invalid-encoding` finding, not a failure to read.
        latin1 = self.same(["lint", "latin1.yaml"])
        self.assertEqual(latin1.code, 1)
        self.assertIn(b"invalid-encoding", latin1.stdout)
        self.assertEqual(self.same(["lint", "--rule", "nope=off", "examples"]).code, 2)
        self.assertEqual(self.same(["lint", "--format", "bogus", "examples"]).code, 2)
        self.assertEqual(self.same(["lint"]).code, 2)
        self.assertEqual(self.same(["frobnicate"]).code, 2)
        self.assertEqual(self.same([]).code, 2)

    def test_configuration_file(self):
        self.same(["lint", "--config", "config/quiet.yaml", "examples"])
        self.assertEqual(self.same(["lint", "--config", "config/wrong.yaml", "examples"]).code, 2)
        self.assertEqual(self.same(["lint", "--config", "config/none.yaml", "examples"]).code, 2)

    def test_matrix_in_every_format(self):
        formats = formats_of(self.native, "matrix")
        self.assertIn("svg", formats)
        for name in formats:
            with self.subTest(format=name):
                self.assertEqual(self.same(["matrix", "--format", name, "examples"]).code, 0)
        self.same(["matrix", "--namespace", "shop", "--port", "8080", "examples"])

    def test_query(self):
        flow = ["--from", "shop/frontend", "--to", "identity/keycloak"]
        allowed = self.same(["query", *flow, "--port", "9090", "examples"])
        self.assertTrue(allowed.stdout.startswith(b"ALLOWED"))
        denied = self.same(["query", *flow, "--port", "8443", "--format", "json", "examples"])
        self.assertEqual(denied.code, 0)
        self.assertEqual(self.same(["query", "--from", "shop/nobody", "--to", "shop/backend",
                                    "--port", "1", "examples"]).code, 2)

    def test_connectivity_tests(self):
        for name in formats_of(self.native, "test"):
            with self.subTest(format=name):
                self.assertEqual(self.same(["test", "--format", name, "examples"]).code, 0)
                self.assertEqual(self.same(["test", "--format", name, "failing"]).code, 1)

    def test_diff(self):
        for name in formats_of(self.native, "diff"):
            with self.subTest(format=name):
                self.same(["diff", "--format", name, "--base", "base", "--head", "head"])
        self.assertEqual(self.same(["diff", "--base", "base", "--head", "head", "--fail-on", "added"]).code, 1)
        self.assertEqual(self.same(["diff", "--base", "head", "--head", "base", "--fail-on", "added"]).code, 0)
        self.assertEqual(self.same(["diff", "--base", "base", "--head", "nowhere"]).code, 2)

    def test_rules_version_help(self):
        for args in (["rules"], ["rules", "--format", "json"], ["rules", "yaml-syntax"],
                     ["version"], ["--version"], ["--help"], ["lint", "--help"]):
            with self.subTest(args=args):
                self.assertEqual(self.same(args).code, 0)

    def test_walk_sorted_and_skipping_hidden_files(self):
        report = self.same(["lint", "--format", "json", "--fail-on", "none", "walk"])
        files = re.findall(rb'"file": "([^"]+)"', report.stdout)
        expected = [b"walk/a.yaml", b"walk/m/a.json", b"walk/m/b.yml", b"walk/m/deep/c.yaml", b"walk/z.yaml"]
        self.assertEqual(list(dict.fromkeys(files)), expected)
        self.same(["lint", "walk/m", "walk/a.yaml"])

    def test_standard_input(self):
        policies = (EXAMPLE / "policies.yaml").read_bytes()
        self.same(["lint", "-"], stdin=policies)
        self.same(["lint", "--format", "json", "-", "examples/article/workloads.yaml"], stdin=policies)
        self.assertEqual(self.same(["lint", "-"], stdin=BROKEN.encode()).code, 1)
        self.same(["lint", "--format", "json", "-"], stdin=b"")

    def test_output_file(self):
        native = self.run_native(["lint", "--format", "sarif", "--output", "native.sarif", "examples"])
        wasi = self.wasi.run(["lint", "--format", "sarif", "--output", "wasi.sarif", "examples"],
                             str(self.scratch))
        self.assertEqual((wasi.stdout, wasi.stderr, wasi.code), (b"", native.stderr, native.code))
        written = (self.scratch / "wasi.sarif").read_bytes()
        self.assertTrue(written.startswith(b"{"))
        self.assertEqual(written, (self.scratch / "native.sarif").read_bytes())
        self.assertEqual(self.same(["lint", "--output", "no/such/dir/out.txt", "examples"]).code, 2)

    def test_without_a_working_directory(self):
        missing = self.wasi.run(["lint", "examples"], None)
        self.assertEqual(missing.code, 2)
        self.assertEqual(missing.stdout, b"")
        self.assertIn(b"cannot read 'examples'", missing.stderr)
        self.assertTrue(missing.stderr.endswith(
            b"netpol: note: the WASI host gave no access to the working directory; "
            b"pre-open it (wasmtime: 'wasmtime run --dir . netpol.wasm ...')\n"), missing.stderr)
        # Standard input needs no directory; neither does a run that succeeds.
        piped = self.wasi.run(["lint", "-"], None, (EXAMPLE / "policies.yaml").read_bytes())
        self.assertEqual(piped, self.run_native(["lint", "-"], (EXAMPLE / "policies.yaml").read_bytes()))
        self.assertEqual(self.wasi.run(["version"], None).stderr, b"")

    def test_colour(self):
        coloured = self.same(["lint", "--color", "always", "bad.yaml"])
        self.assertIn(b"\x1b[", coloured.stdout)
        plain = self.same(["lint", "bad.yaml"])
        self.assertNotIn(b"\x1b[", plain.stdout)
        self.same(["lint", "--color", "never", "bad.yaml"])

    def test_colour_on_a_terminal(self):
        args = ["lint", "bad.yaml"]
        native = run_under_terminal([str(self.native), *args], self.scratch)
        host = [sys.executable, str(Path(__file__).with_name("wasi_host.py")), str(self.module_path)]
        wasi = run_under_terminal([*host, *args], self.scratch)
        self.assertIn(b"\x1b[", native[0])
        self.assertEqual(wasi, native)


if __name__ == "__main__":
    unittest.main()
