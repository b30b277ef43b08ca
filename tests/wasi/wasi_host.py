"""Runs the netpol WASI command (pkg/wasi/netpol.wasm) under the `wasmtime` package.

As a module: `WasiCommand(path).run(args, directory, stdin)` runs one command with
the directory pre-opened as the working directory and returns its stdout, stderr
and exit code. As a script, the command over this process's own standard streams:

    python wasi_host.py pkg/wasi/netpol.wasm lint examples/
"""

import os
import sys
import tempfile
from dataclasses import dataclass

import wasmtime


@dataclass
class Outcome:
    """What one run produced: the bytes of stdout and stderr, and the exit code."""

    stdout: bytes
    stderr: bytes
    code: int


class WasiCommand:
    """The compiled module, instantiated afresh for every run (as a process would be)."""

    def __init__(self, path):
        self.engine = wasmtime.Engine()
        self.module = wasmtime.Module.from_file(self.engine, path)
        self.linker = wasmtime.Linker(self.engine)
        self.linker.define_wasi()

    def start(self, config):
        """Runs `_start` under `config`; returns the exit code."""
        store = wasmtime.Store(self.engine)
        store.set_wasi(config)
        instance = self.linker.instantiate(store, self.module)
        try:
            instance.exports(store)["_start"](store)
        except wasmtime.ExitTrap as exit_trap:
            return exit_trap.code
        return 0

    def run(self, args, directory, stdin=b""):
        """Runs `netpol ARGS...` in `directory` with `stdin`, capturing the output
        (`directory` None: no directory pre-opened at all)."""
        with tempfile.TemporaryDirectory() as scratch:
            paths = {name: os.path.join(scratch, name) for name in ("in", "out", "err")}
            with open(paths["in"], "wb") as stdin_file:
                stdin_file.write(stdin)
            config = wasmtime.WasiConfig()
            config.argv = ["netpol", *args]
            if directory is not None:
                config.preopen_dir(directory, ".")
            config.stdin_file = paths["in"]
            config.stdout_file = paths["out"]
            config.stderr_file = paths["err"]
            code = self.start(config)
            with open(paths["out"], "rb") as out, open(paths["err"], "rb") as err:
                return Outcome(out.read(), err.read(), code)

    def run_inherited(self, args):
        """Runs `netpol ARGS...` in the current directory over this process's stdio."""
        config = wasmtime.WasiConfig()
        config.argv = ["netpol", *args]
        config.preopen_dir(".", ".")
        config.inherit_stdin()
        config.inherit_stdout()
        config.inherit_stderr()
        return self.start(config)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: wasi_host.py NETPOL_WASM [ARGS...]")
    sys.exit(WasiCommand(sys.argv[1]).run_inherited(sys.argv[2:]))
