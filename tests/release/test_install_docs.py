"""No install step in the documentation runs a registry package name the project
does not publish.

netpol is not on any package registry, so `npx netpol` (which downloads a package of
that name when none is installed, without asking in CI), `npm install netpol` or
`cargo install netpol` would run whatever someone registered under the name. Every
command in the READMEs' and docs' code blocks, the example workflow and the
pre-commit hooks must install from a release asset, a tarball or the source.
"""

import re
import shlex
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The package name and every way a registry client would fetch it by name.
NAME = "netpol"
FENCE = re.compile(r"^\s*```[^\n]*\n(.*?)^\s*```", re.M | re.S)


def documents():
    """The files users copy install steps from."""
    found = [ROOT / "README.md", ROOT / "js" / "README.md", ROOT / ".pre-commit-hooks.yaml"]
    found += sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "docs").rglob("*.yml"))
    found += sorted((ROOT / "docs").rglob("*.yaml"))
    return [path for path in found if path.is_file()]


def commands(path):
    """The shell-like lines of a file: code blocks of Markdown, all of YAML."""
    text = path.read_text(encoding="utf-8")
    blocks = FENCE.findall(text) if path.suffix == ".md" else [text]
    for block in blocks:
        for line in block.splitlines():
            # A command may follow `run:`, `- ` or a pipe; the checks look at words.
            yield line


def words(line):
    """The words of a line (shell quoting where it parses, else whitespace)."""
    try:
        return shlex.split(line, comments=True)
    except ValueError:
        return line.split()


def is_registry_name(word):
    """`netpol` or `netpol@VERSION`: a name a registry resolves."""
    return word == NAME or word.startswith(NAME + "@")


def segments(line):
    """The simple commands of a line, split at `&&`, `||`, `|` and `;`."""
    current = []
    for word in words(line):
        if word in ("&&", "||", "|", ";"):
            yield current
            current = []
        else:
            current.append(word)
    yield current


def registry_installs(line):
    """The commands of `line` that would fetch netpol from a registry by name."""
    found = []
    for command in segments(line):
        found += registry_installs_in(command)
    return found


def registry_installs_in(tokens):
    """Registry fetches of netpol in one simple command's words."""
    found = []
    for i, token in enumerate(tokens):
        rest = tokens[i + 1:]
        if token in ("npx", "bunx", "pnpx"):
            options = []
            for word in rest:
                if not word.startswith("-"):
                    if is_registry_name(word) and "--no" not in options:
                        found.append(f"{token} {' '.join(options + [word])}".replace("  ", " "))
                    break
                options.append(word)
        elif token in ("npm", "yarn", "pnpm", "bun") and rest[:1] and rest[0] in (
            "install", "i", "add", "exec", "x", "dlx",
        ):
            found += [f"{token} {rest[0]} {word}" for word in rest[1:] if is_registry_name(word)]
        elif token == "cargo" and rest[:1] == ["install"]:
            found += [f"cargo install {word}" for word in rest[1:] if is_registry_name(word)]
    return found


class InstallStepsUseNoRegistryName(unittest.TestCase):
    """The documents, and the checker itself on lines that must and must not fire."""

    def test_the_documents_install_from_assets_or_source(self):
        docs = documents()
        self.assertGreater(len(docs), 3)
        offending = []
        for path in docs:
            for line in commands(path):
                offending += [f"{path.relative_to(ROOT)}: {hit}" for hit in registry_installs(line)]
        self.assertEqual(offending, [], "install from a release asset, a tarball or the source")

    def test_registry_installs_are_found(self):
        for line in [
            "npx netpol lint k8s/",
            "- run: npx --yes netpol lint k8s/ --format sarif",
            "npx -y netpol@0.1.0 test k8s/",
            "helm template chart/ | npx netpol lint -",
            "npm install netpol",
            "npm i -D netpol@0.1.0",
            "pnpm dlx netpol lint .",
            "yarn add netpol",
            "cargo install netpol",
            "cargo install --locked netpol",
        ]:
            with self.subTest(line=line):
                self.assertNotEqual(registry_installs(line), [])

    def test_installs_from_assets_and_source_pass(self):
        for line in [
            "npx --no netpol lint k8s/",
            "npm install --save-dev ./netpol-0.1.0.tgz && npx --no netpol version",
            "npm install ./netpol-0.1.0.tgz",
            "cargo install --path .",
            "cargo install --locked --git https://example.org/netpol.git --tag v0.1.0",
            "netpol lint k8s/ --format sarif --output netpol.sarif",
            "install -m 0755 netpol-0.1.0-x86_64-unknown-linux-musl ~/.local/bin/netpol",
            "npm ci",
        ]:
            with self.subTest(line=line):
                self.assertEqual(registry_installs(line), [])


if __name__ == "__main__":
    unittest.main()
