# netpol: the one entry point for people and CI.
#
#   make demo    build netpol and run it on examples/ (lint, matrix, query, test)
#   make test    install what is missing, then every check CI runs
#   make bench   benchmarks over generated clusters, written to BENCHMARKS.md
#   make release the release assets (binaries, npm tarball, WASI module, SBOM, SHA256SUMS)
#   make fuzz    coverage-guided fuzzing of every target (mk/fuzz.mk)
#
# Every install step checks first and installs only what is missing, so each target
# works on a fresh machine and costs nothing on the second run.
#
# Layout: the setup-* targets listed in SETUP install, the targets listed in CHECKS
# verify; `test` runs them all. A new toolchain (wasm-pack, Node packages, Chromium)
# adds its setup-* target to SETUP and its checks (test-wasm, test-js, test-browser)
# to CHECKS.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
# The no_std proof target: the core must build without std for a bare-metal CPU.
NOSTD_TARGET := thumbv7m-none-eabi
RUST_TARGETS := $(NOSTD_TARGET)
RUST_COMPONENTS := rustfmt clippy
EXAMPLES := examples
NETPOL := $(CARGO) run --quiet --bin netpol --

SETUP := setup-rust
CHECKS := lint test-rust nostd
include mk/wasm.mk
include mk/www.mk
include mk/engines.mk
include mk/wasi.mk
include mk/release.mk
include mk/deny.mk
include mk/fuzz.mk
include mk/serve.mk
include mk/lsp.mk

.PHONY: help demo test lint test-rust nostd bench setup-peers setup $(SETUP)

help:
	@echo "make demo    run netpol on $(EXAMPLES)/ (installs what is missing)"
	@echo "make test    install what is missing, then fmt, clippy, tests and the no_std build"
	@echo "make lint    cargo fmt --check and clippy, also on the no_std core (warnings are errors)"
	@echo "make deny    cargo deny: licences, bans and sources of the dependencies"
	@echo "make nostd   build the core without std for $(NOSTD_TARGET)"
	@echo "make bench   benchmarks; writes BENCHMARKS.md"
	@echo "make wasi    build the WASI command pkg/wasi/netpol.wasm (make wasi-test checks it)"
	@echo "make release the release assets in target/release-assets/ (make release-check verifies them)"
	@echo "make fuzz    run each libFuzzer target for FUZZ_SECONDS (default 60)"
	@echo "make server-test   netpol serve: unit and HTTPS end-to-end tests, static binary (make bench-server: load)"
	@echo "make vsix    build and package the VS Code extension (editors/vscode/netpol.vsix)"

# ---- set-up (idempotent) ---------------------------------------------------------

setup: $(SETUP)

# Rust's components and targets (rustup itself is the one prerequisite).
setup-rust:
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	if ! command -v rustup >/dev/null 2>&1; then \
	  echo "netpol needs Rust through rustup: install it, then run make again" >&2; exit 1; \
	fi; \
	installed=$$(rustup component list --installed); \
	for c in $(RUST_COMPONENTS); do \
	  grep -q "^$$c" <<<"$$installed" || rustup component add "$$c"; \
	done; \
	targets=$$(rustup target list --installed); \
	for t in $(RUST_TARGETS); do \
	  grep -qx "$$t" <<<"$$targets" || rustup target add "$$t"; \
	done

# ---- the demo --------------------------------------------------------------------

# The main jobs on the example manifests: lint (findings are shown; they do not fail
# the demo), the connectivity matrix, one explained flow, and the connectivity tests.
DEMO_FLOW := --from shop/frontend --to identity/keycloak --port 9090

demo: setup-rust
	$(NETPOL) lint --fail-on none $(EXAMPLES)
	$(NETPOL) matrix $(EXAMPLES)
	$(NETPOL) query $(DEMO_FLOW) $(EXAMPLES)
	$(NETPOL) test $(EXAMPLES)

# ---- checks ----------------------------------------------------------------------

test: setup $(CHECKS)

# Clippy twice: every target with the default features, then the library as the
# no_std core (`--no-default-features --lib`), whose code paths the first run does
# not see. The core is checked for $(NOSTD_TARGET), where cargo builds only the rlib:
# the cdylib would need a panic handler and an allocator (see `nostd`).
lint: setup-rust
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --no-default-features --lib --target $(NOSTD_TARGET) -- -D warnings

test-rust: setup-rust
	$(CARGO) test

# The core without default features (no std, no YAML, no CLI) for a target that has
# no std at all. Only the rlib: a cdylib would need a panic handler and allocator.
nostd: setup-rust
	$(CARGO) rustc --lib --crate-type rlib --target $(NOSTD_TARGET) --no-default-features

# ---- benchmarks ------------------------------------------------------------------

# Each bench writes its own sections under $(BENCH_SECTIONS); BENCHMARKS.md is their
# concatenation: reading (benches/netpol/, with the header: date, machine), then
# engine, lint and peer (benches/engine/), the WebAssembly sections as `make
# wasm-bench` left them, then the server (benches/server/). The peer,
# network-config-analyzer from PyPI, goes into a git-ignored virtualenv, never into
# the project's dependencies; when it cannot be installed the engine bench says so in
# its section. BENCH_BASELINE=FILE
# (an earlier netpol binary) is timed next to this build in the whole-command section.
BENCH_SECTIONS := target/bench-sections
PEER_VENV := target/peers/venv
NCA := $(PEER_VENV)/bin/nca
NCA_VERSION := 2.1.0

bench: setup-rust
	@mkdir -p $(BENCH_SECTIONS)
	NETPOL_BENCH_OUT=$(CURDIR)/$(BENCH_SECTIONS)/read.md $(CARGO) bench --bench netpol
	@$(MAKE) --no-print-directory setup-peers
	env NETPOL_BENCH_OUT=$(CURDIR)/$(BENCH_SECTIONS)/engine.md \
	  $$([ -x $(NCA) ] && echo NETPOL_BENCH_NCA=$(CURDIR)/$(NCA)) \
	  $$([ -n "$(BENCH_BASELINE)" ] && echo NETPOL_BENCH_BASELINE=$(abspath $(BENCH_BASELINE))) \
	  $(CARGO) bench --bench engine
	@$(MAKE) --no-print-directory bench-server
	@# The WebAssembly sections come from `make wasm-bench` and stay as they are.
	@awk '/^## /{keep = /^## WebAssembly/} keep' BENCHMARKS.md > $(BENCH_SECTIONS)/wasm.md
	cat $(BENCH_SECTIONS)/read.md $(BENCH_SECTIONS)/engine.md $(BENCH_SECTIONS)/wasm.md \
	  $(BENCH_SECTIONS)/server.md > BENCHMARKS.md

# Optional: a failed installation is a note, not an error.
setup-peers:
	@if [ ! -x $(NCA) ]; then \
	  echo "installing network-config-analyzer $(NCA_VERSION) into $(PEER_VENV) (benchmark peer)"; \
	  { python3 -m venv $(PEER_VENV) && \
	    $(PEER_VENV)/bin/pip install -q network-config-analyzer==$(NCA_VERSION); } || \
	  echo "note: network-config-analyzer not installed; the peer comparison is skipped"; \
	fi
